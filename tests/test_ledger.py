"""The run ledger: gate results and source runs outlive the build copy of a run that failed."""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb

from newsdesk.quality.gate import ExpectationOutcome, SuiteResult
from newsdesk.warehouse.build_copy import fresh_build_copy
from newsdesk.warehouse.ledger import apply_ledger, record_gate_results, record_source_runs
from newsdesk.warehouse.load import SOURCE_RUN_COLUMNS

DAY = date(2026, 11, 21)


def suite_result(suite: str, severity: str, *outcomes: tuple[str, str | None, bool, object]) -> SuiteResult:
    built = [
        ExpectationOutcome(suite, expectation, column, success, observed, severity)
        for expectation, column, success, observed in outcomes
    ]
    return SuiteResult(suite, severity, all(o.success for o in built), built, rows_checked=10)


def write_source_runs(warehouse, day: date, attempts: list[tuple[str, str | None, str]]) -> None:
    """Rows of ops.source_runs for `day` as a load writes them: (source_id, attempt_id, run that fetched)."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
        body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
        conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({body})")
        conn.execute("DELETE FROM ops.source_runs WHERE partition_date = ?", [day])
        for source_id, attempt_id, run_id in attempts:
            conn.execute(
                "INSERT INTO ops.source_runs (partition_date, run_id, attempt_id, source_id, status, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    day,
                    run_id,
                    attempt_id,
                    source_id,
                    "ok" if attempt_id else "missing",
                    f"{day.isoformat()} 09:00:00" if attempt_id else None,
                ],
            )


def source_run_rows(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(
            "SELECT partition_date, source_id, attempt_id, run_id, status FROM ops.source_runs ORDER BY ALL"
        ).fetchall()


def test_results_of_a_failed_run_reach_ops_in_the_next_published_build(tmp_path):
    ledger, build, published = tmp_path / "ledger", tmp_path / "build.duckdb", tmp_path / "published.duckdb"
    write_source_runs(published, date(2026, 11, 19), [("nos", "a19", "before-ledger")])
    # Run 1 fails at the gate: its build copy is thrown away, its ledger rows are not.
    fresh_build_copy(published, build)
    write_source_runs(build, date(2026, 11, 20), [("nos", "a20-nos", "collect-1"), ("bbc", None, None)])
    path = record_source_runs(ledger, build, partition_date=date(2026, 11, 20))
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
    write_source_runs(build, DAY, [("nos", "a21-nos", "collect-2"), ("bbc", "a21-bbc", "run-2")])
    record_source_runs(ledger, build, partition_date=DAY)
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
    write_source_runs(build, DAY, [("nos", "a1", "collect-1")])
    record_source_runs(ledger, build, partition_date=DAY)
    apply_ledger(build, ledger)
    # A later load of the date sees one more attempt: its rows replace the date's rows, in the ledger and in ops.
    write_source_runs(build, DAY, [("nos", "a1", "collect-1"), ("nos", "a2", "daily-2")])
    record_source_runs(ledger, build, partition_date=DAY)
    with duckdb.connect(str(build)) as conn:  # a stale row of the date, e.g. from an older published copy
        conn.execute(
            "INSERT INTO ops.source_runs (partition_date, run_id, attempt_id, source_id, status)"
            " VALUES (?, 'old', 'a0', 'nos', 'failed')",
            [DAY],
        )

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


def test_record_source_runs_writes_nothing_without_rows(tmp_path):
    ledger, build = tmp_path / "ledger", tmp_path / "build.duckdb"
    duckdb.connect(str(build)).close()
    assert record_source_runs(ledger, build, partition_date=DAY) is None  # no ops.source_runs table at all
    write_source_runs(build, date(2026, 11, 20), [("nos", "a1", "collect-1")])
    assert record_source_runs(ledger, build, partition_date=DAY) is None  # none for this date
    assert not (ledger / "source_runs").exists()
