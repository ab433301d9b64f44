"""The `dbt` task group of news_daily: one task per dbt model and seed, wired as dbt's refs are.

The tasks start no dbt process: `dbt_build` builds the whole project once, and
each task here reports its node's outcome from that build (see dbt_graph). So a
failing model shows as that model's red task, the models downstream of it,
which dbt skipped, show as skipped, and a run pays dbt's start-up once.
"""

from __future__ import annotations

import logging

from airflow.sdk import TaskGroup, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

from newsdesk.warehouse import dbt_graph

GROUP_ID = "dbt"
log = logging.getLogger(__name__)


def dbt_node_tasks() -> TaskGroup:
    """The task group; set it downstream of the task that runs `dbt build`."""
    project = dbt_graph.project_name()
    nodes = dbt_graph.read_project()
    with TaskGroup(GROUP_ID, tooltip="dbt models and seeds, as the run's one dbt build left them") as group:
        tasks = {node.name: _node_task(node, project) for node in nodes}
        for node in nodes:
            for upstream in node.upstream:
                tasks[upstream] >> tasks[node.name]
    return group


def _node_task(node: dbt_graph.DbtNode, project: str):
    # one_done: a node reports its own outcome when the build ran, whether the nodes before it
    # succeeded or failed; when dbt_build did not run (its upstream failed) the nodes are skipped
    # without reading the results an earlier run left.
    @task(task_id=node.name, trigger_rule="one_done", doc_md=_node_doc(node))
    def report_dbt_node(unique_id: str) -> None:
        from newsdesk.warehouse.transform import dbt_work_dir

        outcome = dbt_graph.last_build_outcome(unique_id, dbt_work_dir() / "target")
        if outcome.status == "failed":
            raise AirflowFailException(outcome.message)
        if outcome.status == "skipped":
            raise AirflowSkipException(outcome.message)
        log.info("%s", outcome.message)

    return report_dbt_node(node.unique_id(project))


def _node_doc(node: dbt_graph.DbtNode) -> str:
    upstream = ", ".join(f"`{name}`" for name in node.upstream) or "the raw schema"
    return f"""### dbt {node.resource_type} `{node.name}`

{node.description or "(no description in the dbt project)"}

Defined in `dbt/{node.path}`; reads {upstream}. This task runs no dbt: it
reports what the run's one `dbt build` (task `dbt_build`) did to this
{node.resource_type} and to its tests.

**When it fails**: the log names the error or each failed test with its
message; `dbt_build`'s log has dbt's full output, and the compiled SQL is under
`NEWSDESK_HOME/dbt/target/`. Fix the model or the data, then clear `dbt_build`
with its downstream tasks (clearing this task alone only reads the same results
again). **Skipped** means dbt did not build it because a node it reads failed.
"""
