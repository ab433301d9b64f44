"""news_daily end to end: real `airflow dags test` runs on a small sample world."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import duckdb
import pytest

from conftest import free_port
from newsdesk import config
from newsdesk.airflow_runner import AirflowRunError, airflow_env, ensure_metadata_db, run_airflow
from newsdesk.publish import file_sha256
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world, load_ground_truth

# Lineage columns change on every run by design (when fetched, which run); the rest must not.
LINEAGE = {"fetched_at", "run_id", "loaded_at", "last_staged_at", "staged_at", "first_seen_at"}


@pytest.fixture(scope="module")
def pipeline():
    paths = config.paths()
    port = free_port()
    world = generate_world(paths.sample_world, days=3, stories_per_day=4, port=port)
    env = airflow_env(registry=world.registry_path)
    ensure_metadata_db(env)
    with SampleServer(world.out_dir, port=port):
        def run(day: date) -> None:
            run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)

        for day in world.dates[-2:]:
            run(day)
        yield world, run, paths


def business_rows(conn, table: str, where: str = "") -> list[tuple]:
    columns = [c for (c,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = ? ORDER BY ordinal_position",
        [table]).fetchall() if c not in LINEAGE]
    return conn.execute(f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY ALL").fetchall()


def test_counts_match_ground_truth(pipeline):
    world, _, paths = pipeline
    truth = load_ground_truth(world.out_dir)
    with duckdb.connect(str(paths.published), read_only=True) as conn:
        for day in world.dates[-2:]:
            expected = truth["expected"][day.isoformat()]
            raw = conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0]
            rejects = conn.execute("SELECT count(*) FROM raw.rejected_items WHERE partition_date = ?", [day]).fetchone()[0]
            assert raw == expected["distinct_urls"]
            # an item a source lists in two feeds is one record; the repeat is listed with its own reason
            assert rejects == expected["rejects"] + expected["records"] - expected["distinct_urls"]
            repeats = conn.execute("SELECT count(*) FROM raw.rejected_items WHERE partition_date = ?"
                                   " AND reason = 'repeated in another feed'", [day]).fetchone()[0]
            assert repeats == expected["records"] - expected["distinct_urls"]
        loaded_dates = {d.isoformat() for d in world.dates[-2:]}
        expected_urls = {a["url"] for a in truth["articles"] if loaded_dates & set(a["feed_dates"])}
        urls = {u for (u,) in conn.execute("SELECT url FROM articles").fetchall()}
        assert urls == expected_urls
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == len(truth["sources"])
        titles = dict(conn.execute("SELECT url, title FROM articles").fetchall())
        for article in truth["articles"]:
            if article["url"] in urls and "html_in_text" in article["quirks"]:
                assert titles[article["url"]] == article["title"]


def test_rerun_of_a_date_gives_the_same_tables(pipeline):
    world, run, paths = pipeline
    day = world.dates[-1]
    with duckdb.connect(str(paths.published), read_only=True) as conn:
        before = {t: business_rows(conn, t) for t in ("main.articles", "main.sources")}
        before_raw = business_rows(conn, "raw.articles", f"WHERE partition_date = DATE '{day}'")
    run(day)
    with duckdb.connect(str(paths.published), read_only=True) as conn:
        assert {t: business_rows(conn, t) for t in ("main.articles", "main.sources")} == before
        assert business_rows(conn, "raw.articles", f"WHERE partition_date = DATE '{day}'") == before_raw
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM articles").fetchone()[0] == 0


DEAD_SOURCE = """
- id: deadsource
  name: Dead Source
  country: NL
  language: nl
  homepage: http://127.0.0.1:{port}/
  local: true
  feeds:
  - url: http://127.0.0.1:{port}/{{date}}/rss.xml
    kind: rss
"""


def test_a_dead_source_fails_alone_and_too_many_stop_the_run(pipeline, tmp_path):
    world, _, paths = pipeline
    registry = tmp_path / "registry.yaml"
    registry.write_text(world.registry_path.read_text(encoding="utf-8") + DEAD_SOURCE.format(port=free_port()))
    env = airflow_env(registry=registry)
    day = world.dates[-1]

    run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)  # one failed source of 17: success
    with duckdb.connect(str(paths.published), read_only=True) as conn:
        runs = conn.execute(
            "SELECT source_id, status, error_class FROM ops.source_runs"
            " WHERE run_id = (SELECT max(run_id) FROM ops.source_runs) ORDER BY source_id").fetchall()
        assert len(runs) == world.sources + 1
        assert ("deadsource", "failed", "ConnectionError") in runs
        assert {status for source_id, status, _ in runs if source_id != "deadsource"} == {"ok"}
        assert conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0] > 0

    before = file_sha256(paths.published)
    env["NEWSDESK_MAX_FAILED_SOURCE_SHARE"] = "0"
    with pytest.raises(AirflowRunError, match="load_raw"):
        run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)
    assert file_sha256(paths.published) == before


def test_failing_gate_publishes_nothing(pipeline):
    """A stale feed served as a later day's: every item is weeks old, so the load quarantines them and the batch gate fails."""
    world, run, paths = pipeline
    stale_day = world.dates[-1] + timedelta(days=30)
    site = world.out_dir / "site"
    for source_dir in site.iterdir():
        day_dir = source_dir / world.dates[-1].isoformat()
        if day_dir.is_dir():
            shutil.copytree(day_dir, source_dir / stale_day.isoformat())
    before = file_sha256(paths.published)
    with pytest.raises(AirflowRunError, match="quality_gate"):
        run(stale_day)
    assert file_sha256(paths.published) == before
    report = paths.quality_reports / f"date={stale_day.isoformat()}" / "raw_batch.summary.json"
    assert report.exists() and '"success": false' in report.read_text(encoding="utf-8")
