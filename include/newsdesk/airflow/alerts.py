"""Failure callbacks: one line that names what failed - the source, the dbt node, the gate's suites.

The line goes to the task log (the callback runs in the task's process) with
the run id, so someone reading logs or an alert sees at once which publisher,
model or suite to look at, without opening the task.

Errors are read by the attributes the project's exceptions carry
(`failed_suites` of quality.QualityGateFailed, `failed_nodes` of
transform.TransformError) rather than by class, so this module imports neither
Great Expectations nor dbt when the DAG is parsed.
"""

from __future__ import annotations

import logging

from newsdesk.airflow.dbt_tasks import GROUP_ID as DBT_GROUP_ID
from newsdesk.warehouse.dbt_graph import first_line

log = logging.getLogger(__name__)


def failure_message(context) -> str:
    ti = context["ti"]
    error = context.get("exception")
    return f"{ti.dag_id} {context['run_id']}: {_what_failed(ti, error)} failed: {first_line(error, 'no error recorded (see the task log)')}"


def on_task_failure(context) -> None:
    log.error("%s", failure_message(context))


def _what_failed(ti, error: BaseException | None) -> str:
    if ti.task_id in ("extract", "collect"):
        return f"source {ti.rendered_map_index or f'#{ti.map_index}'} ({ti.task_id})"
    if ti.task_id.startswith(f"{DBT_GROUP_ID}."):
        return f"dbt node {ti.task_id.removeprefix(f'{DBT_GROUP_ID}.')}"
    failed_suites = getattr(error, "failed_suites", None)
    if failed_suites:
        return f"{ti.task_id} (suites {', '.join(result.suite for result in failed_suites)})"
    failed_nodes = getattr(error, "failed_nodes", None)
    if failed_nodes:
        return f"{ti.task_id} (dbt nodes {', '.join(node.split('.')[-1] for node in failed_nodes)})"
    return ti.task_id
