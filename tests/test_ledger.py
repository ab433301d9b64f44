"""The run ledger: gate results and source runs outlive the build copy of a run that failed."""

from __future__ import annotations

import json
from datetime import date

import duckdb

from newsdesk.build_copy import fresh_build_copy
from newsdesk.ledger import apply_ledger, record_gate_results, record_source_runs
from newsdesk.load import SOURCE_RUN_COLUMNS
from newsdesk.quality import ExpectationOutcome, SuiteResult

DAY = date(2026, 11, 21)


def suite_result(suite: str, severity: str, *outcomes: tuple[str, str | None, bool, object]) -> SuiteResult:
    built = [ExpectationOutcome(suite, expectation, column, success, observed, severity)
             for expectation, column, success, observed in outcomes]
    return SuiteResult(suite, severity, all(o.success for o in built), built, rows_checked=10)


def write_source_runs(warehouse, run_id: str, day: date, source_ids: list[str]) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
        body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
        conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({body})")
        for source_id in source_ids:
            conn.execute("INSERT INTO ops.source_runs (partition_date, run_id, source_id, status) VALUES (?, ?, ?, 'ok')",
                         [day, run_id, source_id])


def test_results_of_a_failed_run_reach_ops_in_the_next_published_build(tmp_path):
    ledger, build, published = tmp_path / "ledger", tmp_path / "build.duckdb", tmp_path / "published.duckdb"
    write_source_runs(published, "before-ledger", date(2026, 11, 19), ["nos"])
    # Run 1 fails at the gate: its build copy is thrown away, its ledger rows are not.
    fresh_build_copy(published, build)
    write_source_runs(build, "run-1", date(2026, 11, 20), ["nos", "bbc"])
    record_source_runs(ledger, build, run_id="run-1", partition_date=date(2026, 11, 20))
    record_gate_results(ledger, run_id="run-1", partition_date=date(2026, 11, 20), results=[
        suite_result("raw_batch", "critical", ("expect_column_max_to_be_between", "bad_item_share", False, 0.4)),
    ])
    # Run 2 starts again from the published file, passes, and publishes.
    fresh_build_copy(published, build)
    write_source_runs(build, "run-2", DAY, ["nos", "bbc"])
    record_source_runs(ledger, build, run_id="run-2", partition_date=DAY)
    record_gate_results(ledger, run_id="run-2", partition_date=DAY, results=[
        suite_result("raw_articles", "critical", ("expect_table_row_count_to_be_between", None, True, 12)),
        suite_result("volume_sources", "warning", ("expect_column_values_to_not_be_in_set", "volume_status", False,
                                                   {"unexpected_examples": ["silent"]})),
    ])

    counts = apply_ledger(build, ledger)

    assert counts == {"ops.dq_results": 3, "ops.source_runs": 5}
    with duckdb.connect(str(build), read_only=True) as conn:
        results = conn.execute(
            'SELECT run_id, partition_date, suite, severity, expectation, "column", success, observed_value'
            " FROM ops.dq_results ORDER BY run_id, suite").fetchall()
        runs = conn.execute("SELECT run_id, source_id FROM ops.source_runs ORDER BY run_id, source_id").fetchall()
        assert conn.execute("SELECT count(*) FROM ops.dq_results WHERE checked_at IS NULL").fetchone()[0] == 0
    assert [row[:7] for row in results] == [
        ("run-1", date(2026, 11, 20), "raw_batch", "critical", "expect_column_max_to_be_between", "bad_item_share", False),
        ("run-2", DAY, "raw_articles", "critical", "expect_table_row_count_to_be_between", None, True),
        ("run-2", DAY, "volume_sources", "warning", "expect_column_values_to_not_be_in_set", "volume_status", False),
    ]
    assert json.loads(results[0][7]) == 0.4
    assert json.loads(results[1][7]) == 12
    assert runs == [("before-ledger", "nos"), ("run-1", "bbc"), ("run-1", "nos"), ("run-2", "bbc"), ("run-2", "nos")]


def test_a_rerun_of_the_same_run_replaces_its_ledger_rows(tmp_path):
    ledger, build = tmp_path / "ledger", tmp_path / "build.duckdb"
    for success in (False, True):
        record_gate_results(ledger, run_id="manual__2026-11-21T00:00:00+00:00", partition_date=DAY, results=[
            suite_result("raw_articles", "critical", ("expect_table_row_count_to_be_between", None, success, 3)),
        ])
    write_source_runs(build, "manual__2026-11-21T00:00:00+00:00", DAY, ["nos"])
    record_source_runs(ledger, build, run_id="manual__2026-11-21T00:00:00+00:00", partition_date=DAY)

    apply_ledger(build, ledger)
    apply_ledger(build, ledger)  # folding twice changes nothing

    with duckdb.connect(str(build), read_only=True) as conn:
        assert conn.execute("SELECT success FROM ops.dq_results").fetchall() == [(True,)]
        assert conn.execute("SELECT count(*) FROM ops.source_runs").fetchone()[0] == 1
    assert [p.name for p in (ledger / "dq_results").iterdir()] == ["run=manual__2026-11-21T00_00_00_00_00.jsonl"]
