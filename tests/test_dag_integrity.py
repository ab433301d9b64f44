"""The DAG folder imports cleanly and news_daily and news_collect have the promised shape."""

from __future__ import annotations

import pendulum
import pytest
from airflow.models import DagBag
from airflow.timetables.base import TimeRestriction
from airflow.utils.dag_cycle_tester import check_cycle

from conftest import REPO_ROOT
from newsdesk.airflow import alerts
from newsdesk.warehouse import dbt_graph

STEPS = {"wait_for_collection", "list_sources", "extract", "load_raw", "dbt_build", "quality_gate", "publish", "report"}
DBT_NODES = {node.name: node for node in dbt_graph.read_project()}


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(REPO_ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_news_daily_tasks_and_order(dagbag):
    dag = dagbag.dags["news_daily"]
    assert dag is not None
    assert set(dag.task_ids) == STEPS | {f"dbt.{name}" for name in DBT_NODES}
    check_cycle(dag)  # raises on a cycle
    downstream = {task_id: dag.get_task(task_id).downstream_task_ids for task_id in dag.task_ids}
    assert downstream["wait_for_collection"] == {"list_sources"}
    assert downstream["list_sources"] == {"extract"}
    assert downstream["extract"] == {"load_raw"}
    assert downstream["load_raw"] == {"dbt_build"}
    first_nodes = {f"dbt.{name}" for name, node in DBT_NODES.items() if not node.upstream}
    assert downstream["dbt_build"] == first_nodes | {"quality_gate"}
    assert downstream["quality_gate"] == {"publish"}
    assert downstream["publish"] == {"report"}
    assert downstream["report"] == set()


def test_each_dbt_node_is_a_task_wired_like_its_refs(dagbag):
    dag = dagbag.dags["news_daily"]
    read_by = {name: {other for other, node in DBT_NODES.items() if name in node.upstream} for name in DBT_NODES}
    for name in DBT_NODES:
        task = dag.get_task(f"dbt.{name}")
        expected = {f"dbt.{reader}" for reader in read_by[name]} or {"quality_gate"}
        assert task.downstream_task_ids == expected, name
        assert task.trigger_rule == "one_done"  # each node reports its own outcome once the build ran
    assert {"dbt.articles", "dbt.stg_raw__articles", "dbt.reading_speeds"} <= set(dag.task_ids)


def test_news_daily_settings(dagbag):
    dag = dagbag.dags["news_daily"]
    assert dag.max_active_runs == 1
    assert dag.start_date.year <= 2000  # a backfill of any archive date runs every task
    interval = dag.timetable.infer_manual_data_interval(run_after=pendulum.datetime(2026, 11, 25, 6, tz="UTC"))
    assert (interval.start, interval.end) == (
        pendulum.datetime(2026, 11, 24, tz="UTC"),
        pendulum.datetime(2026, 11, 25, tz="UTC"),
    )  # D runs once D has ended
    assert dag.doc_md and "quality_gate" in dag.doc_md
    assert "newsdesk" in dag.tags
    publish = dag.get_task("publish")
    assert [outlet.name for outlet in publish.outlets] == ["newsdesk_published_warehouse"]
    assert dag.get_task("extract").retries == 2
    assert dag.get_task("quality_gate").retries == 0
    assert [outlet.name for outlet in dag.get_task("extract").outlets] == ["newsdesk_landing_zone"]


def test_news_collect_fetches_the_due_sources_every_quarter_hour(dagbag):
    dag = dagbag.dags["news_collect"]
    check_cycle(dag)
    assert set(dag.task_ids) == {"due_sources", "collect"}
    assert dag.get_task("due_sources").downstream_task_ids == {"collect"}
    assert [outlet.name for outlet in dag.get_task("collect").outlets] == ["newsdesk_landing_zone"]
    assert dag.max_active_runs == 1 and dag.start_date.year <= 2000
    runs = dag.timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=pendulum.datetime(2026, 11, 24, tz="UTC"), latest=None, catchup=True),
    )
    assert runs.logical_date == pendulum.datetime(2026, 11, 24, tz="UTC")
    following = dag.timetable.next_dagrun_info(
        last_automated_data_interval=runs.data_interval,
        restriction=TimeRestriction(earliest=pendulum.datetime(2026, 11, 24, tz="UTC"), latest=None, catchup=True),
    )
    assert following.logical_date == pendulum.datetime(2026, 11, 24, 0, 15, tz="UTC")


@pytest.mark.parametrize("dag_id", ["news_daily", "news_collect"])
def test_every_task_says_what_it_does_and_what_to_do_when_it_fails(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    for task in dag.tasks:
        assert "**When it fails**" in (task.doc_md or ""), task.task_id
        callbacks = task.on_failure_callback  # a mapped task keeps it as given, the others as a list
        assert callbacks in (alerts.on_task_failure, [alerts.on_task_failure]), task.task_id
    if dag_id == "news_daily":
        assert DBT_NODES["articles"].description in dag.get_task("dbt.articles").doc_md
