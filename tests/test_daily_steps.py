"""A day through news_daily's steps as plain functions, without Airflow: the package holds the run's logic. On the
file kind (NEWSDESK_STORAGE=file; the lake's steps: tests/test_lake_runs.py), whose published file `newsdesk migrate`
then moves into a lake."""

from __future__ import annotations

import re

import duckdb
import pytest

from conftest import free_port
from helpers.published import read_published, runs_published
from newsdesk import config, daily
from newsdesk.collect.extract import ExtractError
from newsdesk.collect.schedule import collect_source
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import daily_fetch_clock, generate_world
from newsdesk.warehouse.analyst_guide import guide_queries
from newsdesk.warehouse.lake import Lake, connect, sql_literal
from newsdesk.warehouse.lake_migrate import migrate
from newsdesk.warehouse.run_lock import warehouse_lock

pytestmark = pytest.mark.slow


def test_a_day_through_the_steps_publishes_it_and_lets_go_of_the_warehouse_and_it_migrates_into_a_lake(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")
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
    daily.publish(day, run_id, paths, lock)
    report = daily.report(day, run_id, paths)

    assert lock.holder() is None
    assert runs_published(paths) == 1 and report.is_file()
    with read_published(paths) as conn:
        raw = conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        gate_rows = conn.execute(
            "SELECT count(DISTINCT suite) FROM ops.dq_results WHERE run_id = ?", [run_id]
        ).fetchone()[0]
    assert raw == loaded["rows"]["articles"] and articles > 0 and gate_rows == len(config.GATE_SUITES)

    # The file this run published moves into a lake whole, and the analysts' guide answers the same there.
    lake = Lake(catalog=f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}", data_path=str(tmp_path / "lake" / "data"))
    migrated = migrate(paths.published, lake)
    assert migrated.left == [], "every view of today's warehouse has its SQL and answers, so every one migrates"
    with connect(lake) as conn, duckdb.connect(str(paths.published), read_only=True) as original:
        for table, rows in migrated.tables.items():
            assert original.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows, table
        for view in migrated.views:
            count = f"SELECT count(*) FROM {view}"
            assert conn.execute(count).fetchone() == original.execute(count).fetchone(), view
        for heading, sql in guide_queries():
            assert sorted(map(repr, conn.execute(sql).fetchall())) == sorted(
                map(repr, original.execute(sql).fetchall())
            ), heading
        (title,) = original.execute("SELECT title FROM articles ORDER BY article_id LIMIT 1").fetchone()
        word = max(re.findall(r"[^\W\d_]{4,}", title), key=len)
        search = f"SELECT * FROM search.matching({sql_literal(word)}) ORDER BY ALL"  # the BM25 macro came along
        assert conn.execute(search).fetchall() == original.execute(search).fetchall() != []


def daily_source_ids(world) -> list[str]:
    from newsdesk.collect.registry import load_registry

    return [source.id for source in load_registry(world.registry_path)]
