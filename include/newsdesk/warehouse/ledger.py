"""The run ledger: gate results and source runs kept outside the warehouse.

A run that fails at the load or at the gate throws its build copy away, yet
what it found must stay visible. Each run therefore also writes its rows as
JSON Lines under NEWSDESK_HOME/quality/ledger/ (one file per run and kind,
replaced when the same run id runs again), and every publish folds the
ledger back into the build copy:

- `ops.dq_results` is rebuilt from the ledger: one row per expectation per run.
- `ops.source_runs` gets the ledger's rows for every date the ledger holds
  (one file per date, written from what each load of it reports: a row per
  fetch attempt), replacing that date's rows, so attempts of runs that
  published nothing are listed too, and dates the ledger does not hold are
  kept as they are.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from newsdesk.collect.landing import sql_file_list
from newsdesk.warehouse.storage import Warehouse, open_warehouse

DQ_RESULT_COLUMNS = {
    "run_id": "VARCHAR",
    "partition_date": "DATE",
    "suite": "VARCHAR",
    "severity": "VARCHAR",
    "expectation": "VARCHAR",
    "column": "VARCHAR",
    "success": "BOOLEAN",
    "observed_value": "VARCHAR",  # JSON text
    "checked_at": "TIMESTAMP",
}
SOURCE_RUN_COLUMNS = {
    "partition_date": "DATE",
    "run_id": "VARCHAR",  # the run that fetched: a news_collect or news_daily run
    "attempt_id": "VARCHAR",
    "source_id": "VARCHAR",
    "status": "VARCHAR",  # ok | partial | failed | missing
    "http_status": "INTEGER",
    "feeds": "INTEGER",
    "feeds_ok": "INTEGER",
    "feeds_failed": "INTEGER",
    "feeds_not_modified": "INTEGER",
    "pages_ok": "INTEGER",
    "pages_failed": "INTEGER",
    "bytes": "BIGINT",
    "items": "INTEGER",
    "records": "INTEGER",
    "new_items": "INTEGER",
    "rejected_items": "INTEGER",
    "duration_ms": "DOUBLE",
    "error_class": "VARCHAR",
    "error_message": "VARCHAR",
    "started_at": "TIMESTAMP",
    "loaded_at": "TIMESTAMP",
}
DQ_RESULTS = "dq_results"
SOURCE_RUNS = "source_runs"


def ledger_file(ledger: Path, kind: str, run_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)
    return Path(ledger) / kind / f"run={safe}.jsonl"


def _write_rows(path: Path, rows: list[dict]) -> None:
    """Write the run's file whole, or not at all (a killed writer leaves only a temporary file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(f".{path.name}.incoming")
    text = "".join(json.dumps(row, default=str, ensure_ascii=False) + "\n" for row in rows)
    incoming.write_text(text, encoding="utf-8")
    os.replace(incoming, path)


def record_gate_results(ledger: Path, *, run_id: str, partition_date: date, results: list) -> Path:
    """One ledger row per expectation outcome of the gate's SuiteResults."""
    checked_at = datetime.now(UTC).replace(tzinfo=None).isoformat()
    rows = [
        {
            "run_id": run_id,
            "partition_date": partition_date.isoformat(),
            "suite": outcome.suite,
            "severity": outcome.severity,
            "expectation": outcome.expectation,
            "column": outcome.column,
            "success": outcome.success,
            "observed_value": json.dumps(outcome.observed_value, default=str, ensure_ascii=False),
            "checked_at": checked_at,
        }
        for result in results
        for outcome in result.outcomes
    ]
    path = ledger_file(ledger, DQ_RESULTS, run_id)
    _write_rows(path, rows)
    return path


def source_runs_file(ledger: Path, partition_date: date) -> Path:
    return Path(ledger) / SOURCE_RUNS / f"date={partition_date.isoformat()}.jsonl"


def record_source_runs(ledger: Path, *, partition_date: date, runs: list[dict]) -> Path | None:
    """Replace date D's source runs in the ledger with those a load of D reported (none: nothing written)."""
    if not runs:
        return None
    unknown = {column for run in runs for column in run} - SOURCE_RUN_COLUMNS.keys()
    if unknown:
        raise ValueError(f"source runs have columns ops.source_runs does not: {sorted(unknown)}")
    path = source_runs_file(ledger, partition_date)
    _write_rows(path, [{column: run.get(column) for column in SOURCE_RUN_COLUMNS} for run in runs])
    return path


def _ledger_files(ledger: Path, kind: str, pattern: str = "run=*.jsonl") -> list[Path]:
    folder = Path(ledger) / kind
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def _read_ledger_sql(files: list[Path], columns: dict[str, str]) -> str:
    file_list = sql_file_list(files)
    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    return f"SELECT * FROM read_json({file_list}, columns={{{spec}}}, format='newline_delimited')"


def apply_ledger(warehouse: Warehouse, ledger: Path) -> dict[str, int]:
    """Rebuild ops.dq_results and merge ops.source_runs from the ledger, in one transaction; returns rows per table."""
    with open_warehouse(warehouse) as conn:
        conn.execute("BEGIN TRANSACTION")
        counts = fold_ledger(conn, ledger)
        conn.execute("COMMIT")
    return counts


def fold_ledger(conn: duckdb.DuckDBPyConnection, ledger: Path) -> dict[str, int]:
    """`apply_ledger` within the caller's open transaction (a lake's publish commits it with the publish)."""
    dq_files = [f for f in _ledger_files(ledger, DQ_RESULTS) if f.stat().st_size > 0]
    run_files = [f for f in _ledger_files(ledger, SOURCE_RUNS, "date=*.jsonl") if f.stat().st_size > 0]
    conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
    body = ", ".join(f'"{name}" {kind}' for name, kind in DQ_RESULT_COLUMNS.items())
    conn.execute(f"CREATE OR REPLACE TABLE ops.dq_results ({body})")
    if dq_files:
        conn.execute(f"INSERT INTO ops.dq_results BY NAME {_read_ledger_sql(dq_files, DQ_RESULT_COLUMNS)}")
    runs_body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({runs_body})")
    for name, kind in SOURCE_RUN_COLUMNS.items():
        conn.execute(f"ALTER TABLE ops.source_runs ADD COLUMN IF NOT EXISTS {name} {kind}")
    if run_files:
        conn.execute(f"CREATE TEMP TABLE ledger_source_runs AS {_read_ledger_sql(run_files, SOURCE_RUN_COLUMNS)}")
        conn.execute(
            "DELETE FROM ops.source_runs AS kept WHERE EXISTS (SELECT 1 FROM ledger_source_runs AS l"
            " WHERE l.partition_date = kept.partition_date)"
        )
        conn.execute("INSERT INTO ops.source_runs BY NAME SELECT * FROM ledger_source_runs")
        conn.execute("DROP TABLE ledger_source_runs")
    return {
        "ops.dq_results": conn.execute("SELECT count(*) FROM ops.dq_results").fetchone()[0],
        "ops.source_runs": conn.execute("SELECT count(*) FROM ops.source_runs").fetchone()[0],
    }
