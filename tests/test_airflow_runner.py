"""The error of a failed `airflow dags test` names the tasks that failed, wherever they are in its output."""

from __future__ import annotations

import pytest

from newsdesk.airflow.runner import AirflowRunError, failed_tasks, run_airflow

# Lines as `airflow dags test` 3.3 writes them (shortened): a task's own lines come between its start and end.
DAG_TEST_OUTPUT = """\
[info ] [DAG TEST] starting task_id=dbt_build map_index=-1 [airflow.sdk.definitions.dag]
[info ] Task instance state updated [airflow.api_fastapi.execution_api.routes.task_instances] new_state=success rows_affected=1
[info ] [DAG TEST] end task task_id=dbt_build map_index=-1 [airflow.sdk.definitions.dag]
[info ] [DAG TEST] starting task_id=quality_gate map_index=-1 [airflow.sdk.definitions.dag]
[error] Task failed with exception [task] QualityGateFailed: raw_articles
[info ] Task instance state updated [airflow.api_fastapi.execution_api.routes.task_instances] new_state=failed rows_affected=1
[info ] [DAG TEST] end task task_id=quality_gate map_index=-1 [airflow.sdk.definitions.dag]
[info ] [DAG TEST] starting task_id=dbt.articles map_index=-1 [airflow.sdk.definitions.dag]
[info ] Task instance state updated [airflow.api_fastapi.execution_api.routes.task_instances] new_state=success rows_affected=1
[info ] [DAG TEST] end task task_id=dbt.articles map_index=-1 [airflow.sdk.definitions.dag]
"""


def test_failed_tasks_are_the_ones_whose_state_became_failed():
    assert failed_tasks(DAG_TEST_OUTPUT) == ["quality_gate"]
    assert failed_tasks(DAG_TEST_OUTPUT.replace("new_state=failed", "new_state=success")) == []


def test_a_failing_command_raises_with_its_exit_code(tmp_path):
    with pytest.raises(AirflowRunError, match=r"airflow dags list-import-errors --no-such-flag exited [1-9]"):
        run_airflow(["dags", "list-import-errors", "--no-such-flag"], env={"AIRFLOW_HOME": str(tmp_path), "PATH": ""})
