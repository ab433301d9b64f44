"""Daily runs on the lake (NEWSDESK_STORAGE=lake), through news_daily's steps as plain functions: a day is
published by one commit, a run that does not publish is unseen by readers and undone by the next run, and
`newsdesk rollback` publishes an earlier snapshot again. Nothing is copied: no build copy, no published file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import duckdb
import pytest

from conftest import free_port
from helpers.lake_state import kill_during_publish, lake_state, read_in_another_process, reading_in_another_process
from helpers.postgres import postgres_lake_catalog
from newsdesk import cli, config, daily
from newsdesk.collect.extract import ExtractError
from newsdesk.collect.registry import load_registry
from newsdesk.collect.schedule import collect_source
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import daily_fetch_clock, generate_world
from newsdesk.warehouse.lake import configured_lake, connect
from newsdesk.warehouse.lake_snapshots import Reset, connect_published, published_snapshots, reset_to_published
from newsdesk.warehouse.query import attach_sql, run_query
from newsdesk.warehouse.run_lock import warehouse_lock
from newsdesk.warehouse.search import search
from newsdesk.warehouse.storage import published_target

pytestmark = pytest.mark.slow

COUNTS = (
    "SELECT (SELECT count(*) FROM raw.articles) AS raw_rows, (SELECT count(*) FROM articles) AS articles,"
    " (SELECT max(partition_date) FROM raw.articles) AS last_day, (SELECT count(*) FROM search.documents) AS indexed"
)


@dataclass
class LakeRuns:
    paths: config.Paths
    days: list[date]
    loaded: dict[str, dict]  # run id -> load_raw's result
    seen: dict[str, dict]  # moment -> what `newsdesk sql` answered then
    other_process: dict  # what a reader in another process saw while day 2's run had built but not published
    reset: Reset  # what undoing that run did
    reset_gives_day1_back: bool  # every table and view as day 1 published them
    reader: dict  # what a process attaching the last published snapshot again and again read through both runs


def published_counts() -> dict:
    rows = json.loads(run_query(published_target(config.paths()), COUNTS, output_format="json"))
    return rows[0]


def run_steps(day: date, run_id: str, paths: config.Paths, *, publish: bool = True) -> dict:
    lock = warehouse_lock()
    loaded = daily.load(day, run_id, paths, lock, one_process=True)
    daily.build(day, run_id, paths, lock)
    if publish:
        daily.check(day, run_id, paths, lock)
        daily.publish(day, run_id, paths, lock)
        daily.report(day, run_id, paths)
    else:
        lock.release(run_id)  # as a run that failed at the gate and has ended
    return loaded


@pytest.fixture(scope="module")
def lake_runs(tmp_path_factory) -> Iterator[LakeRuns]:
    """Day 1 published; day 2 loaded and built but not published (a run that failed at the gate, then its
    publish killed with SIGKILL before its commit), then run again and published; the catalog in PostgreSQL (the
    embedded SQLite catalog's runs are every end-to-end test's, the lake being the default storage, and
    tests/test_lake_snapshots.py undoes and rolls back on it)."""
    home = tmp_path_factory.mktemp("lake-runs") / "home"
    with pytest.MonkeyPatch.context() as env, postgres_lake_catalog() as catalog:
        env.setenv("NEWSDESK_HOME", str(home))
        env.setenv("NEWSDESK_STORAGE", "lake")
        env.setenv("NEWSDESK_LAKE_CATALOG", catalog)
        paths = config.paths()
        port = free_port()
        world = generate_world(paths.sample_world, days=2, stories_per_day=4, port=port)
        env.setenv("NEWSDESK_REGISTRY", str(world.registry_path))
        first, second = world.dates[-2:]
        loaded, seen = {}, {}
        with SampleServer(world.out_dir, port=port) as server:
            for day in (first, second):
                server.clock = daily_fetch_clock(day)
                for source in load_registry(world.registry_path):
                    try:
                        collect_source(source.id, day, run_id=f"collect__{day}", now=server.clock)
                    except ExtractError:  # a source that is down fails alone, as its task would
                        pass
        loaded["day1"] = run_steps(first, "day1", paths)
        seen["day 1 published"] = published_counts()
        with connect_published(configured_lake()) as conn:
            day1_state = lake_state(conn)
        with reading_in_another_process(configured_lake(), home.parent) as reader:
            loaded["day2 failed"] = run_steps(second, "day2_failed", paths, publish=False)
            seen["day 2 built, not published"] = published_counts()
            other_process = read_in_another_process(attach_sql(configured_lake()))
            kill_during_publish(second.isoformat(), "day2_failed")
            seen["day 2 killed during its publish"] = published_counts()
            with connect(configured_lake(), read_only=False) as conn:
                reset = reset_to_published(conn)  # as the next run's load starts
                undone_state = lake_state(conn)
            loaded["day2"] = run_steps(second, "day2", paths)
            seen["day 2 published"] = published_counts()
        yield LakeRuns(paths, [first, second], loaded, seen, other_process, reset, day1_state == undone_state, reader)


def test_a_published_day_is_what_analysts_read(lake_runs):
    day1 = lake_runs.seen["day 1 published"]
    assert day1["raw_rows"] == lake_runs.loaded["day1"]["rows"]["articles"] > 0
    assert day1["articles"] > 0 and day1["indexed"] == day1["articles"]
    assert day1["last_day"] == lake_runs.days[0].isoformat()
    with connect(configured_lake()) as conn:
        gate_rows = conn.execute("SELECT count(DISTINCT suite) FROM ops.dq_results WHERE run_id = 'day1'").fetchone()[0]
    assert gate_rows == len(config.GATE_SUITES)
    # nothing was copied: the file kind's build copy and published file were never made
    assert not lake_runs.paths.warehouse.exists() and not lake_runs.paths.published.exists()


def test_a_run_that_does_not_publish_is_unseen_then_undone_by_the_next(lake_runs):
    day1, hidden, killed, day2 = (
        lake_runs.seen[k]
        for k in ("day 1 published", "day 2 built, not published", "day 2 killed during its publish", "day 2 published")
    )
    assert hidden == day1
    assert killed == day1  # kill -9 between the publish's mark and its COMMIT: nothing published, ledger unfolded
    assert lake_runs.reset_gives_day1_back
    assert "raw.articles" in lake_runs.reset.rows_undone and "main.articles" in lake_runs.reset.rows_undone
    assert "main.source_rankings" in lake_runs.reset.copied_back, "a table model is rebuilt by each run"
    assert lake_runs.other_process == {"rows": day1["raw_rows"], "refused": lake_runs.other_process["refused"]}
    assert lake_runs.other_process["refused"] is not None  # read-only
    # the second run of day 2 started from day 1 as published: no row of the failed run is left twice
    assert day2["raw_rows"] == day1["raw_rows"] + lake_runs.loaded["day2"]["rows"]["articles"]
    assert day2["last_day"] == lake_runs.days[1].isoformat() and day2["indexed"] == day2["articles"]
    with connect(configured_lake()) as conn:
        labels = [entry.label for entry in published_snapshots(conn)]
    assert [label.split("__")[1] for label in labels] == ["day1", "day2"]


def test_a_reader_in_another_process_sees_only_published_snapshots_and_no_error_throughout(lake_runs):
    day1, day2 = (lake_runs.seen[k]["raw_rows"] for k in ("day 1 published", "day 2 published"))
    assert lake_runs.reader["errors"] == []
    assert len(lake_runs.reader["seen"]) > 10 and set(lake_runs.reader["seen"]) <= {day1, day2}
    assert lake_runs.reader["seen"][0] == day1 and lake_runs.reader["seen"][-1] == day2


def test_search_report_and_attach_read_the_published_snapshot(lake_runs):
    lake = configured_lake()
    with connect(lake) as conn:
        title = conn.execute("SELECT title FROM articles ORDER BY article_id LIMIT 1").fetchone()[0]
    word = max(title.split(), key=len)
    assert any(word.lower() in hit.title.lower() for hit in search(lake, word))
    report = lake_runs.paths.reports / f"date={lake_runs.days[1].isoformat()}" / "run_report.html"
    assert f"the lake {lake.kind}:" in report.read_text(encoding="utf-8")
    conn = duckdb.connect()
    conn.execute(attach_sql(lake))  # the statements `newsdesk attach` prints, as any DuckDB client runs them
    assert (
        conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0] == lake_runs.seen["day 2 published"]["raw_rows"]
    )


def test_rollback_publishes_an_earlier_snapshot_again(lake_runs, capsys):
    assert cli.main(["rollback", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[1].startswith("*") and listed[1].endswith("__day2")
    first = int(listed[0].split()[0])
    assert cli.main(["rollback"]) == 0
    assert f"rollback to snapshot {first}" in capsys.readouterr().out
    assert published_counts() == lake_runs.seen["day 1 published"]


def test_the_first_lake_run_of_a_home_moves_its_published_file_into_the_lake(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    for lake_elsewhere in ("NEWSDESK_LAKE_CATALOG", "NEWSDESK_LAKE_DATA_PATH"):  # the embedded lake of this home
        monkeypatch.delenv(lake_elsewhere, raising=False)
    paths = config.paths()
    paths.published.parent.mkdir(parents=True)
    with duckdb.connect(str(paths.published)) as conn:
        conn.execute("CREATE TABLE articles AS SELECT 'a' || i AS article_id FROM range(25) AS t(i)")
    monkeypatch.setenv("NEWSDESK_STORAGE", "lake")

    daily._start_build(paths)
    daily._start_build(paths)  # the second run finds it published and migrates nothing

    with connect(configured_lake()) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 25
        assert [entry.label for entry in published_snapshots(conn)] == [f"migrated from {paths.published}"]
