"""news_daily and news_collect end to end: real `airflow dags test` runs on a small sample world.

The sample world's clock is each run's daily fetch (midnight after its date),
except where a test moves it on to show what a later fetch meets.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from conftest import free_port
from helpers.published import published_mark, read_published
from helpers.registries import DEAD_SOURCE
from newsdesk import config
from newsdesk.airflow.runner import (
    AirflowRunError,
    DagRunFailed,
    airflow_env,
    ensure_metadata_db,
    run_airflow,
    run_dag_test,
)
from newsdesk.collect import landing
from newsdesk.collect.schedule import collect_source
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import daily_fetch_clock, generate_world, load_ground_truth
from newsdesk.warehouse.lake import Lake, connect
from newsdesk.warehouse.lake_snapshots import reset_to_published
from newsdesk.warehouse.storage import published_target
from newsdesk.warehouse.transform import run_dbt_build

pytestmark = pytest.mark.e2e

# Lineage columns change on every run by design (when fetched, which run); the rest must not.
LINEAGE = {"fetched_at", "run_id", "loaded_at", "last_staged_at", "staged_at", "first_seen_at"}


@pytest.fixture(scope="module")
def pipeline():
    paths = config.paths()
    port = free_port()
    world = generate_world(paths.sample_world, days=3, stories_per_day=4, port=port)
    env = airflow_env(registry=world.registry_path)
    ensure_metadata_db(env)
    with SampleServer(world.out_dir, port=port) as server:

        def run(day: date, clock: datetime | None = None) -> None:
            server.clock = clock or daily_fetch_clock(day)
            run_dag_test("news_daily", day.isoformat(), env=env, log_path=paths.home / "logs" / "e2e.log")

        for day in world.dates[-2:]:
            run(day)
        yield world, run, paths, server


def business_rows(conn, table: str, where: str = "") -> list[tuple]:
    columns = [
        c
        for (c,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        if c not in LINEAGE
    ]
    return conn.execute(f"SELECT {', '.join(columns)} FROM {table} {where} ORDER BY ALL").fetchall()


def test_counts_match_ground_truth(pipeline):
    world, _, paths, _ = pipeline
    truth = load_ground_truth(world.out_dir)
    with read_published(paths) as conn:
        for day in world.dates[-2:]:
            expected = truth["expected"][day.isoformat()]
            raw = conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0]
            rejects = conn.execute(
                "SELECT count(*) FROM raw.rejected_items WHERE partition_date = ?", [day]
            ).fetchone()[0]
            # A live feed unchanged since the last fetch answers 304: what it lists is in an earlier partition.
            not_modified = {
                url
                for (url,) in conn.execute(
                    "SELECT url FROM raw.fetches WHERE partition_date = ? AND kind = 'feed' AND http_status = 304",
                    [day],
                ).fetchall()
            }
            held_back = {
                a["url"]
                for a in truth["articles"]
                if day.isoformat() in a["feed_dates"] and set(a["feed_urls"]) <= not_modified
            }
            earlier = {
                url
                for (url,) in conn.execute("SELECT url FROM raw.articles WHERE partition_date < ?", [day]).fetchall()
            }
            assert held_back <= earlier
            assert raw == expected["distinct_urls"] - len(held_back)
            # an item a source lists in two feeds is one record; the repeat is listed with its own reason
            assert rejects == expected["rejects"] + expected["records"] - expected["distinct_urls"]
            repeats = conn.execute(
                "SELECT count(*) FROM raw.rejected_items WHERE partition_date = ?"
                " AND reason = 'repeated in another feed'",
                [day],
            ).fetchone()[0]
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
    """The same date at the same clock: every feed answers 304, the run adds an attempt per source and
    changes no article. A rerun is one more fetch, so the fetch history, and the fetch success rate a
    publisher's reliability counts, take it in (a source down at an earlier fetch recovers a little)."""
    world, run, paths, _ = pipeline
    day = world.dates[-1]
    fetch_columns = "COLUMNS(c -> c NOT IN ('publisher_score', 'reliability', 'fetch_success_rate'))"
    with read_published(paths) as conn:
        before = business_rows(conn, "main.articles")
        before_sources = conn.execute(f"SELECT {fetch_columns} FROM sources ORDER BY ALL").fetchall()
        before_raw = business_rows(conn, "raw.articles", f"WHERE partition_date = DATE '{day}'")
        fetches = conn.execute("SELECT count(*) FROM raw.fetches WHERE partition_date = ?", [day]).fetchone()[0]
    run(day)
    with read_published(paths) as conn:
        assert business_rows(conn, "main.articles") == before
        assert conn.execute(f"SELECT {fetch_columns} FROM sources ORDER BY ALL").fetchall() == before_sources
        assert business_rows(conn, "raw.articles", f"WHERE partition_date = DATE '{day}'") == before_raw
        assert conn.execute("SELECT count(*) - count(DISTINCT url) FROM articles").fetchone()[0] == 0
        not_modified, feeds = conn.execute(
            "SELECT sum(feeds_not_modified), sum(feeds) FROM ops.source_runs WHERE partition_date = ?"
            " AND run_id = (SELECT arg_max(run_id, started_at) FROM ops.source_runs)",
            [day],
        ).fetchone()
        assert not_modified == feeds  # every feed unchanged since the first run's fetch: a 304
        assert conn.execute("SELECT count(*) FROM raw.fetches WHERE partition_date = ?", [day]).fetchone()[0] > fetches


def test_a_dead_source_fails_alone_and_too_many_stop_the_run(pipeline, tmp_path):
    world, _, paths, _ = pipeline
    registry = tmp_path / "registry.yaml"
    registry.write_text(world.registry_path.read_text(encoding="utf-8") + DEAD_SOURCE.format(port=free_port()))
    env = airflow_env(registry=registry)
    day = world.dates[-1]

    run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)  # one failed source of 17: success
    with read_published(paths) as conn:
        runs = conn.execute(
            "SELECT source_id, status, error_class FROM ops.source_runs"
            " WHERE run_id = (SELECT max(run_id) FROM ops.source_runs) ORDER BY source_id"
        ).fetchall()
        assert len(runs) == world.sources + 1
        assert ("deadsource", "failed", "ConnectionError") in runs
        assert {status for source_id, status, _ in runs if source_id != "deadsource"} == {"ok"}
        assert conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [day]).fetchone()[0] > 0

    before = published_mark(paths)
    env["NEWSDESK_MAX_FAILED_SOURCE_SHARE"] = "0"
    with pytest.raises(AirflowRunError, match="load_raw"):
        run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)
    assert published_mark(paths) == before


def test_failing_gate_publishes_nothing(pipeline):
    """A stale feed served as a later day's: every item is weeks old, so the load quarantines them and the batch gate fails."""
    world, run, paths, _ = pipeline
    stale_day = world.dates[-1] + timedelta(days=30)
    site = world.out_dir / "site"
    for source_dir in site.iterdir():
        day_dir = source_dir / world.dates[-1].isoformat()
        if day_dir.is_dir():
            shutil.copytree(day_dir, source_dir / stale_day.isoformat())
    before = published_mark(paths)
    with pytest.raises(DagRunFailed, match="quality_gate"):
        run(stale_day)
    assert published_mark(paths) == before
    report = paths.quality_reports / f"date={stale_day.isoformat()}" / "raw_batch.summary.json"
    assert report.exists() and '"success": false' in report.read_text(encoding="utf-8")


INCREMENTAL_MODELS = (
    "staging.stg_raw__articles",
    "intermediate.int_articles__deduped",
    "intermediate.int_articles__text_features",
    "main.articles",
)


def test_a_rerun_after_the_feeds_moved_on_keeps_what_was_collected(pipeline, tmp_path):
    """The date before the last again, an hour after its daily fetch: the flash feed has moved on (its oldest
    items dropped, the next day's first ones listed) and corrected the date's last flash, and the Dutch wire
    answers 503. The run succeeds, keeps every article, carries the correction into the marts, and its
    incremental models equal a full refresh."""
    world, run, paths, server = pipeline
    truth = load_ground_truth(world.out_dir)
    day = world.dates[-2]
    corrected = next(
        a
        for a in truth["articles"]
        if a["source_id"] == "snelnieuws" and "updated" in a["quirks"] and a["published_at"].startswith(day.isoformat())
    )
    edited_at = datetime.fromisoformat(corrected["updated_at"].replace("Z", "+00:00"))
    with read_published(paths) as conn:
        before = dict(conn.execute("SELECT url, title FROM articles").fetchall())
        partition_before = {
            u for (u,) in conn.execute("SELECT url FROM raw.articles WHERE partition_date = ?", [day]).fetchall()
        }
    assert before[corrected["url"]] == corrected["versions"][0]["title"]
    attempts_before = len(landing.attempts(paths.landing, day))

    server.failing_sources.add("nll")
    try:
        run(day, clock=edited_at + timedelta(minutes=1))
    finally:
        server.failing_sources.discard("nll")

    assert len(landing.attempts(paths.landing, day)) == attempts_before + world.sources  # added, none replaced
    with read_published(paths) as conn:
        after = dict(conn.execute("SELECT url, title FROM articles").fetchall())
        partition_after = {
            u for (u,) in conn.execute("SELECT url FROM raw.articles WHERE partition_date = ?", [day]).fetchall()
        }
        nll = conn.execute(
            "SELECT arg_max(status, started_at), count(*) FROM ops.source_runs"
            " WHERE partition_date = ? AND source_id = 'nll'",
            [day],
        ).fetchone()
    assert set(before) <= set(after)  # nothing lost: not the items the flash feed dropped, not the wire's
    assert partition_before < partition_after  # the next day's first flashes, listed by the moved-on feed
    assert after[corrected["url"]] == corrected["title"] != corrected["versions"][0]["title"]
    assert nll == ("failed", 2)

    with read_published(paths) as conn:
        daily = {model: business_rows(conn, model) for model in INCREMENTAL_MODELS}
    assert full_refresh(paths, day) == daily


def full_refresh(paths: config.Paths, day: date) -> dict[str, list[tuple]]:
    """The incremental models' rows as `dbt build --full-refresh` makes them from the published warehouse: on a copy
    of the file, or on the lake's head, whose commits the next run's load undoes (nothing published)."""
    published = published_target(paths)
    if isinstance(published, Lake):
        run_dbt_build(published, vars={"run_date": day.isoformat()}, full_refresh=True)
        with connect(published, read_only=False) as conn:
            rows = {model: business_rows(conn, model) for model in INCREMENTAL_MODELS}
            reset_to_published(conn)
        return rows
    rebuilt = paths.home / "rebuilt.duckdb"
    shutil.copyfile(published, rebuilt)
    run_dbt_build(rebuilt, vars={"run_date": day.isoformat()}, full_refresh=True)
    with duckdb.connect(str(rebuilt)) as conn:
        rows = {model: business_rows(conn, model) for model in INCREMENTAL_MODELS}
    rebuilt.unlink()
    return rows


def test_a_day_of_hourly_collection_keeps_every_flash(pipeline):
    """The flash publisher lists its latest 6 of up to 24 items a day: one fetch a day keeps a fraction of them,
    a fetch every hour (news_collect) keeps them all, and news_daily loads every attempt of the date."""
    world, run, paths, server = pipeline
    day = world.dates[0]
    truth = load_ground_truth(world.out_dir)
    flashes = {
        a["url"]
        for a in truth["articles"]
        if a["source_id"] == "snelnieuws" and a["published_at"].startswith(day.isoformat())
    }
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    env = airflow_env(registry=world.registry_path)
    server.clock = midnight + timedelta(hours=1)  # the first hour through Airflow's own collect DAG
    collected = run_dag_test(
        "news_collect", (midnight + timedelta(hours=1)).isoformat(), env=env, log_path=paths.home / "logs" / "e2e.log"
    )
    assert {end.task for end in collected.tasks} >= {"due_sources", "collect[0]"}
    for hour in range(2, 24):
        server.clock = midnight + timedelta(hours=hour)
        collect_source("snelnieuws", day, run_id=f"test-collect-{hour:02d}", now=server.clock)
    run(day)
    with read_published(paths) as conn:
        loaded = {
            url
            for (url,) in conn.execute(
                "SELECT url FROM articles WHERE source_id = 'snelnieuws' AND published_at::DATE = ?", [day]
            ).fetchall()
        }
        attempts = conn.execute(
            "SELECT count(*) FROM ops.source_runs WHERE partition_date = ? AND source_id = 'snelnieuws'", [day]
        ).fetchone()[0]
    assert len(flashes) > 2 * truth["sources"]["snelnieuws"]["live_items"]  # more than one fetch can see
    assert loaded == flashes
    assert attempts == 24  # 23 hourly collections and the daily run's


def test_a_date_before_the_start_date_is_an_error_not_a_success(pipeline):
    world, _, paths, _ = pipeline
    with pytest.raises(DagRunFailed, match="ran no task"):
        run_dag_test(
            "news_daily",
            "1999-12-31",
            env=airflow_env(registry=world.registry_path),
            log_path=paths.home / "logs" / "e2e.log",
        )


def test_a_date_years_back_runs_every_task(tmp_path):
    """A backfill of an archive: a world of date-addressed feeds from 2019, loaded into an empty warehouse."""
    port = free_port()
    world = generate_world(tmp_path / "world", days=1, stories_per_day=3, end_date=date(2019, 3, 10), port=port)
    env = airflow_env(registry=world.registry_path)
    env.update(NEWSDESK_HOME=str(tmp_path / "home"), AIRFLOW_HOME=str(tmp_path / "home" / "airflow"))
    ensure_metadata_db(env)
    with SampleServer(world.out_dir, port=port):
        seen = run_dag_test("news_daily", "2019-03-10", env=env, log_path=tmp_path / "run.log")
    states = {end.task.split("[")[0]: end.state for end in seen.tasks}
    for task in (
        "wait_for_collection",
        "list_sources",
        "extract",
        "load_raw",
        "dbt_build",
        "quality_gate",
        "publish",
        "report",
    ):
        assert states.get(task) == "success", task
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSDESK_HOME", env["NEWSDESK_HOME"])
        published = published_target(config.paths())
    with read_published(published) as conn:
        days = conn.execute("SELECT DISTINCT partition_date FROM raw.articles").fetchall()
        assert days == [(date(2019, 3, 10),)]
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
