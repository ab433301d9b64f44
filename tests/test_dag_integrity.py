"""The DAG folder imports cleanly and news_daily has the promised shape."""

from __future__ import annotations

import pytest
from airflow.models import DagBag
from airflow.utils.dag_cycle_tester import check_cycle

from conftest import REPO_ROOT

EXPECTED_TASKS = {"list_sources", "extract", "load_raw", "dbt_build", "quality_gate", "publish"}


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(REPO_ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_news_daily_tasks_and_order(dagbag):
    dag = dagbag.dags["news_daily"]
    assert dag is not None
    assert set(dag.task_ids) == EXPECTED_TASKS
    check_cycle(dag)  # raises on a cycle
    downstream = {task_id: dag.get_task(task_id).downstream_task_ids for task_id in dag.task_ids}
    assert downstream["list_sources"] == {"extract"}
    assert downstream["extract"] == {"load_raw"}
    assert downstream["load_raw"] == {"dbt_build"}
    assert downstream["dbt_build"] == {"quality_gate"}
    assert downstream["quality_gate"] == {"publish"}
    assert downstream["publish"] == set()


def test_news_daily_settings(dagbag):
    dag = dagbag.dags["news_daily"]
    assert dag.max_active_runs == 1
    assert dag.doc_md and "quality_gate" in dag.doc_md
    assert "newsdesk" in dag.tags
    publish = dag.get_task("publish")
    assert [outlet.name for outlet in publish.outlets] == ["newsdesk_published_warehouse"]
    assert dag.get_task("extract").retries == 2
    assert dag.get_task("quality_gate").retries == 0
