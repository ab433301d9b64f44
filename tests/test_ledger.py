"""The run ledger: gate results and source runs outlive the build copy of a run that failed."""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest

from newsdesk.quality.gate import ExpectationOutcome, SuiteResult
from newsdesk.warehouse.build_copy import fresh_build_copy
from newsdesk.warehouse.ledger import SOURCE_RUN_COLUMNS, apply_ledger, record_gate_results, record_source_runs

DAY = date(2026, 11, 21)


def suite_result(suite: str, severity: str, *outcomes: tuple[str, str | None, bool, object]) -> SuiteResult:
    built = [
        ExpectationOutcome(suite, expectation, column, success, observed, severity)
        for expectation, column, success, observed in outcomes
    ]
    return SuiteResult(suite, severity, all(o.success for o in built), built, rows_checked=10)


def runs(day: date, attempts: list[tuple[str, str | None, str | None]]) -> list[dict]:
    """Source runs of `day` as a load reports them: (source_id, attempt_id, run that fetched)."""
    return [
        {
            "partition_date": day,
            "run_id": run_id,
            "attempt_id": attempt_id,
            "source_id": source_id,
            "status": "ok" if attempt_id else "missing",
            "started_at": f"{day.isoformat()}T09:00:00Z" if attempt_id else None,
        }
        for source_id, attempt_id, run_id in attempts
    ]


def write_source_runs(warehouse, rows: list[dict]) -> None:
    """ops.source_runs rows already in a warehouse, as an earlier publish left them."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
        body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
        conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({body})")
        for row in rows:
            conn.execute(
                "INSERT INTO ops.source_runs (partition_date, run_id, attempt_id, source_id, status, started_at)"
                " VALUES ($partition_date, $run_id, $attempt_id, $source_id, $status, $started_at)",
                row,
            )


def source_run_rows(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(
            "SELECT partition_date, source_id, attempt_id, run_id, status FROM ops.source_runs ORDER BY ALL"
        ).fetchall()


def test_results_of_a_failed_run_reach_ops_in_the_next_published_build(tmp_path):
    ledger, build, published = tmp_path / "ledger", tmp_path / "build.duckdb", tmp_path / "published.duckdb"
    write_source_runs(published, runs(date(2026, 11, 19), [("nos", "a19", "before-ledger")]))
    # Run 1 fails at the gate: its build copy is thrown away, its ledger rows are not.
    fresh_build_copy(published, build)
    path = record_source_runs(
        ledger,
        partition_date=date(2026, 11, 20),
        runs=runs(date(2026, 11, 20), [("nos", "a20-nos", "collect-1"), ("bbc", None, None)]),
    )
    assert path == ledger / "source_runs" / "date=2026-11-20.jsonl"
    record_gate_results(
        ledger,
        run_id="run-1",
        partition_date=date(2026, 11, 20),
        results=[
            suite_result("raw_batch", "critical", ("expect_column_max_to_be_between", "bad_item_share", False, 0.4)),
        ],
    )
    # Run 2 starts again from the published file, passes, and publishes.
    fresh_build_copy(published, build)
    record_source_runs(
        ledger, partition_date=DAY, runs=runs(DAY, [("nos", "a21-nos", "collect-2"), ("bbc", "a21-bbc", "run-2")])
    )
    record_gate_results(
        ledger,
        run_id="run-2",
        partition_date=DAY,
        results=[
            suite_result("raw_articles", "critical", ("expect_table_row_count_to_be_between", None, True, 12)),
            suite_result(
                "volume_sources",
                "warning",
                ("expect_column_values_to_not_be_in_set", "volume_status", False, {"unexpected_examples": ["silent"]}),
            ),
        ],
    )

    counts = apply_ledger(build, ledger)

    assert counts == {"ops.dq_results": 3, "ops.source_runs": 5}
    with duckdb.connect(str(build), read_only=True) as conn:
        results = conn.execute(
            'SELECT run_id, partition_date, suite, severity, expectation, "column", success, observed_value'
            " FROM ops.dq_results ORDER BY run_id, suite"
        ).fetchall()
        assert conn.execute("SELECT count(*) FROM ops.dq_results WHERE checked_at IS NULL").fetchone()[0] == 0
        started = conn.execute("SELECT started_at FROM ops.source_runs WHERE attempt_id = 'a21-nos'").fetchone()[0]
    assert [row[:7] for row in results] == [
        (
            "run-1",
            date(2026, 11, 20),
            "raw_batch",
            "critical",
            "expect_column_max_to_be_between",
            "bad_item_share",
            False,
        ),
        ("run-2", DAY, "raw_articles", "critical", "expect_table_row_count_to_be_between", None, True),
        ("run-2", DAY, "volume_sources", "warning", "expect_column_values_to_not_be_in_set", "volume_status", False),
    ]
    assert json.loads(results[0][7]) == 0.4
    assert json.loads(results[1][7]) == 12
    assert source_run_rows(build) == [
        (date(2026, 11, 19), "nos", "a19", "before-ledger", "ok"),  # a date the ledger does not hold is kept
        (date(2026, 11, 20), "bbc", None, None, "missing"),
        (date(2026, 11, 20), "nos", "a20-nos", "collect-1", "ok"),
        (DAY, "bbc", "a21-bbc", "run-2", "ok"),
        (DAY, "nos", "a21-nos", "collect-2", "ok"),
    ]
    assert started == datetime(2026, 11, 21, 9, 0)


def test_a_reload_of_a_date_replaces_its_ledger_rows(tmp_path):
    ledger, build = tmp_path / "ledger", tmp_path / "build.duckdb"
    for success in (False, True):
        record_gate_results(
            ledger,
            run_id="manual__2026-11-21T00:00:00+00:00",
            partition_date=DAY,
            results=[
                suite_result("raw_articles", "critical", ("expect_table_row_count_to_be_between", None, success, 3)),
            ],
        )
    record_source_runs(ledger, partition_date=DAY, runs=runs(DAY, [("nos", "a1", "collect-1")]))
    apply_ledger(build, ledger)
    # A later load of the date sees one more attempt: its rows replace the date's rows, in the ledger and in ops.
    record_source_runs(
        ledger, partition_date=DAY, runs=runs(DAY, [("nos", "a1", "collect-1"), ("nos", "a2", "daily-2")])
    )
    write_source_runs(build, runs(DAY, [("nos", "a0", "old")]))  # a stale row of the date, e.g. an older copy's

    apply_ledger(build, ledger)
    apply_ledger(build, ledger)  # folding twice changes nothing

    with duckdb.connect(str(build), read_only=True) as conn:
        assert conn.execute("SELECT success FROM ops.dq_results").fetchall() == [(True,)]
    assert source_run_rows(build) == [(DAY, "nos", "a1", "collect-1", "ok"), (DAY, "nos", "a2", "daily-2", "ok")]
    assert [p.name for p in (ledger / "dq_results").iterdir()] == ["run=manual__2026-11-21T00_00_00_00_00.jsonl"]
    assert [p.name for p in (ledger / "source_runs").iterdir()] == ["date=2026-11-21.jsonl"]
    assert [
        json.loads(line)["attempt_id"]
        for line in (ledger / "source_runs" / "date=2026-11-21.jsonl").read_text().splitlines()
    ] == ["a1", "a2"]


def test_source_runs_the_ledger_cannot_hold_are_refused(tmp_path):
    ledger = tmp_path / "ledger"
    assert record_source_runs(ledger, partition_date=DAY, runs=[]) is None  # a load that read no landing zone
    assert not (ledger / "source_runs").exists()
    with pytest.raises(ValueError, match=r"columns ops.source_runs does not: \['feed_count'\]"):
        record_source_runs(ledger, partition_date=DAY, runs=[{**runs(DAY, [("nos", "a1", "c")])[0], "feed_count": 2}])
    assert not (ledger / "source_runs").exists()
