"""A day through news_daily's steps as plain functions, without Airflow: the package holds the run's logic."""

from __future__ import annotations

import duckdb
import pytest

from conftest import free_port
from newsdesk import config, daily
from newsdesk.collect.extract import ExtractError
from newsdesk.collect.schedule import collect_source
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import daily_fetch_clock, generate_world
from newsdesk.warehouse.publish import list_snapshots
from newsdesk.warehouse.run_lock import warehouse_lock

pytestmark = pytest.mark.slow


def test_a_day_through_the_steps_publishes_it_and_lets_go_of_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    paths = config.paths()
    port = free_port()
    world = generate_world(paths.sample_world, days=2, stories_per_day=4, port=port)
    monkeypatch.setenv("NEWSDESK_REGISTRY", str(world.registry_path))
    day, run_id, lock = world.dates[-1], "steps__1", warehouse_lock()
    with SampleServer(world.out_dir, port=port) as server:
        server.clock = daily_fetch_clock(day)
        for source_id in daily_source_ids(world):
            try:
                collect_source(source_id, day, run_id=run_id, now=server.clock)
            except ExtractError:  # a source that is down fails alone, as its task would
                pass

    loaded = daily.load(day, run_id, paths, lock, one_process=True)
    assert loaded["rows"]["articles"] > 0 and lock.holder().run_id == run_id
    daily.build(day, run_id, paths, lock)
    assert set(daily.check(day, run_id, paths, lock)) == set(config.GATE_SUITES)
    published = daily.publish(day, run_id, paths, lock)
    report = daily.report(day, run_id, paths)

    assert lock.holder() is None
    assert len(list_snapshots(paths.snapshots)) == 1 and report.is_file()
    with duckdb.connect(str(published), read_only=True) as conn:
        raw = conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        gate_rows = conn.execute(
            "SELECT count(DISTINCT suite) FROM ops.dq_results WHERE run_id = ?", [run_id]
        ).fetchone()[0]
    assert raw == loaded["rows"]["articles"] and articles > 0 and gate_rows == len(config.GATE_SUITES)


def daily_source_ids(world) -> list[str]:
    from newsdesk.collect.registry import load_registry

    return [source.id for source in load_registry(world.registry_path)]
