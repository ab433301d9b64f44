"""The run ledger: gate results and source runs kept outside the warehouse.

A run that fails at the load or at the gate throws its build copy away, yet
what it found must stay visible. Each run therefore also writes its rows as
JSON Lines under NEWSDESK_HOME/quality/ledger/ (one file per run and kind,
replaced when the same run id runs again), and every publish folds the
ledger back into the build copy:

- `ops.dq_results` is rebuilt from the ledger: one row per expectation per run.
- `ops.source_runs` gets the ledger's rows for every date the ledger holds
  (one file per date, written by each load of it: a row per fetch attempt),
  replacing that date's rows, so attempts of runs that published nothing are
  listed too, and dates the ledger does not hold are kept as they are.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from newsdesk.warehouse.load import SOURCE_RUN_COLUMNS

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


def record_source_runs(ledger: Path, warehouse: Path, *, partition_date: date) -> Path | None:
    """Copy date D's ops.source_runs rows from the build copy to the ledger (none when the load wrote none)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        exists = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ops' AND table_name = 'source_runs'"
        ).fetchone()[0]
        if not exists:
            return None
        cursor = conn.execute(
            "SELECT * FROM ops.source_runs WHERE partition_date = ? ORDER BY source_id, attempt_id",
            [partition_date],
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    if not rows:
        return None
    path = source_runs_file(ledger, partition_date)
    _write_rows(path, rows)
    return path


def _ledger_files(ledger: Path, kind: str, pattern: str = "run=*.jsonl") -> list[Path]:
    folder = Path(ledger) / kind
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def _read_ledger_sql(files: list[Path], columns: dict[str, str]) -> str:
    file_list = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    return f"SELECT * FROM read_json({file_list}, columns={{{spec}}}, format='newline_delimited')"


def apply_ledger(warehouse: Path, ledger: Path) -> dict[str, int]:
    """Rebuild ops.dq_results and merge ops.source_runs from the ledger; returns rows per table."""
    dq_files = [f for f in _ledger_files(ledger, DQ_RESULTS) if f.stat().st_size > 0]
    run_files = [f for f in _ledger_files(ledger, SOURCE_RUNS, "date=*.jsonl") if f.stat().st_size > 0]
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("BEGIN TRANSACTION")
        conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
        body = ", ".join(f'"{name}" {kind}' for name, kind in DQ_RESULT_COLUMNS.items())
        conn.execute(f"CREATE OR REPLACE TABLE ops.dq_results ({body})")
        if dq_files:
            conn.execute(f"INSERT INTO ops.dq_results BY NAME {_read_ledger_sql(dq_files, DQ_RESULT_COLUMNS)}")
        if run_files:
            runs_body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
            conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({runs_body})")
            for name, kind in SOURCE_RUN_COLUMNS.items():
                conn.execute(f"ALTER TABLE ops.source_runs ADD COLUMN IF NOT EXISTS {name} {kind}")
            conn.execute(f"CREATE TEMP TABLE ledger_source_runs AS {_read_ledger_sql(run_files, SOURCE_RUN_COLUMNS)}")
            conn.execute(
                "DELETE FROM ops.source_runs AS kept WHERE EXISTS (SELECT 1 FROM ledger_source_runs AS l"
                " WHERE l.partition_date = kept.partition_date)"
            )
            conn.execute("INSERT INTO ops.source_runs BY NAME SELECT * FROM ledger_source_runs")
            conn.execute("DROP TABLE ledger_source_runs")
        conn.execute("COMMIT")
        counts = {
            "ops.dq_results": conn.execute("SELECT count(*) FROM ops.dq_results").fetchone()[0],
            "ops.source_runs": conn.execute("SELECT count(*) FROM ops.source_runs").fetchone()[0],
        }
    return counts
