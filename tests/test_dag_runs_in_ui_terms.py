"""What the UI shows for real `airflow dags test` runs: one task per dbt node, the report, named failures.

One clean run, then one run with a dead source and a raw row that breaks a
dbt source test: the failing model is its own failed task, the models after it
are skipped, nothing is published, and the failure callbacks name the source
and the model in the task log.
"""

from __future__ import annotations

import sqlite3

import pytest

from conftest import free_port
from helpers.published import change_what_runs_start_from, published_mark
from helpers.registries import DEAD_SOURCE
from newsdesk import config
from newsdesk.airflow.runner import AirflowRunError, airflow_env, ensure_metadata_db, run_airflow
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world
from newsdesk.ui.report import report_path
from newsdesk.warehouse import dbt_graph

pytestmark = pytest.mark.e2e

# A raw row without content_hash in an old partition: dbt's source test on raw.articles fails.
BREAK_SOURCE_TEST = "INSERT INTO raw.articles (source_id, url, partition_date) VALUES ('nos', 'https://x.test/no-hash', DATE '2000-01-01')"


def task_states(airflow_home, run_id: str) -> dict[str, str]:
    with sqlite3.connect(airflow_home / "airflow.db") as conn:
        rows = conn.execute(
            "SELECT task_id, rendered_map_index, state FROM task_instance WHERE dag_id = 'news_daily' AND run_id = ?",
            [run_id],
        ).fetchall()
    return {f"{task_id}[{name}]" if name else task_id: state for task_id, name, state in rows}


def latest_run(airflow_home) -> tuple[str, str]:
    with sqlite3.connect(airflow_home / "airflow.db") as conn:
        return conn.execute(
            "SELECT run_id, state FROM dag_run WHERE dag_id = 'news_daily' ORDER BY id DESC LIMIT 1"
        ).fetchone()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    home = tmp_path_factory.mktemp("ui-runs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSDESK_HOME", str(home))  # its own warehouse and Airflow DB, apart from the e2e tests
        paths = config.paths()
        port = free_port()
        world = generate_world(paths.sample_world, days=2, stories_per_day=3, port=port)
        env = airflow_env(registry=world.registry_path)
        ensure_metadata_db(env)
        day = world.dates[-1]
        with SampleServer(world.out_dir, port=port):
            run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)
            clean = latest_run(paths.airflow_home)
            # the next `dags test` of the same date replaces this run in Airflow's DB
            clean_states = task_states(paths.airflow_home, clean[0])

            registry = home / "with-dead-source.yaml"
            registry.write_text(world.registry_path.read_text(encoding="utf-8") + DEAD_SOURCE.format(port=free_port()))
            # the next build starts from the current snapshot: a row there breaks a source test
            change_what_runs_start_from(paths, BREAK_SOURCE_TEST)
            published_before = published_mark(paths)
            log_path = home / "failing-run.log"
            with pytest.raises(AirflowRunError):
                run_airflow(
                    ["dags", "test", "news_daily", day.isoformat()],
                    env=airflow_env(registry=registry),
                    log_path=log_path,
                )
            failing = latest_run(paths.airflow_home)
        yield {
            "paths": paths,
            "day": day,
            "clean": clean,
            "clean_states": clean_states,
            "failing": failing,
            "published_before": published_before,
            "failing_log": log_path.read_text(encoding="utf-8"),
        }


def test_a_clean_run_shows_every_dbt_node_and_writes_the_report(runs):
    paths, states = runs["paths"], runs["clean_states"]
    assert runs["clean"][1] == "success"
    for node in dbt_graph.read_project():
        assert states[f"dbt.{node.name}"] == "success", node.name
    assert states["report"] == states["publish"] == "success"
    page = report_path(paths.reports, runs["day"]).read_text(encoding="utf-8")
    assert '<section id="articles-per-source"><h2>' in page and "plotly-graph-div" in page


def test_a_failing_model_is_its_own_failed_task_and_nothing_is_published(runs):
    paths, (run_id, state) = runs["paths"], runs["failing"]
    assert state == "failed"
    states = task_states(paths.airflow_home, run_id)
    assert states["dbt.stg_raw__articles"] == "failed"
    for downstream in ("int_articles__deduped", "int_articles__text_features", "articles", "sources"):
        assert states[f"dbt.{downstream}"] == "skipped", downstream
    for untouched in ("stg_raw__sources", "stg_raw__fetches", "stg_raw__rejected_items", "reading_speeds"):
        assert states[f"dbt.{untouched}"] == "success", untouched
    assert states["dbt_build"] == "failed"
    assert states["quality_gate"] == states["publish"] == states["report"] == "upstream_failed"
    assert states["extract[deadsource]"] == "failed"
    assert published_mark(paths) == runs["published_before"]


def test_failure_callbacks_name_the_source_and_the_model(runs):
    run_id, log = runs["failing"][0], runs["failing_log"]
    assert f"news_daily {run_id}: source deadsource (extract) failed: " in log
    assert (
        f"news_daily {run_id}: dbt node stg_raw__articles failed: stg_raw__articles: tests failed:"
        " source_not_null_raw_articles_content_hash (fail:"
    ) in log
    assert f"news_daily {run_id}: dbt_build (dbt nodes " in log
