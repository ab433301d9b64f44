"""Run Airflow for Newsdesk on the embedded default: SQLite, this project's DAGs.

Airflow's own home (its SQLite metadata DB, logs, config) lives under
NEWSDESK_HOME/airflow, so the demo and the tests never touch ~/airflow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from newsdesk import config


class AirflowRunError(RuntimeError):
    """An Airflow command failed; the message names the failed tasks and carries the tail of its output."""


# `airflow dags test` logs "[DAG TEST] starting task_id=T" before a task's own
# lines, among them the state update "new_state=failed" when it fails.
_TASK_STARTED = re.compile(r"\[DAG TEST\] starting task_id=(\S+)")


def failed_tasks(output: str) -> list[str]:
    """Task ids that ended failed in the output of `airflow dags test`, in the order they ran."""
    current, failed = None, []
    for line in output.splitlines():
        started = _TASK_STARTED.search(line)
        if started:
            current = started.group(1)
        elif "new_state=failed" in line and current is not None and current not in failed:
            failed.append(current)
    return failed


def airflow_env(registry: Path | None = None) -> dict[str, str]:
    paths = config.paths()
    env = dict(os.environ)
    env.update(
        {
            "NEWSDESK_HOME": str(paths.home),
            "NEWSDESK_REGISTRY": str(registry or config.registry_path()),
            "AIRFLOW_HOME": str(paths.airflow_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(config.PROJECT_ROOT / "dags"),
            # Data Docs and run reports, reachable from the UI (plugins/)
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(config.PROJECT_ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": env.get("AIRFLOW__CORE__EXECUTOR", "LocalExecutor"),
            # the project's DAGs must not be paused on first sight in the UI
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        }
    )
    return env


def airflow_executable() -> str:
    """The `airflow` script installed beside this interpreter."""
    beside = Path(sys.executable).with_name("airflow")
    return str(beside) if beside.exists() else (shutil.which("airflow") or "airflow")


def run_airflow(args: list[str], *, env: dict[str, str], log_path: Path | None = None) -> str:
    """Run `airflow ARGS`; output goes to log_path (and is returned); raise on failure."""
    completed = subprocess.run(
        [airflow_executable(), *args], env=env, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write(f"$ airflow {' '.join(args)}\n{output}\n")
    if completed.returncode != 0:
        # the tail alone can miss the failure: tasks in other branches keep running after it
        failed = failed_tasks(output)
        named = f" (failed: {', '.join(failed)})" if failed else ""
        tail = "\n".join(output.splitlines()[-40:])
        raise AirflowRunError(f"airflow {' '.join(args)} exited {completed.returncode}{named}:\n{tail}")
    return output


def run_dag(dag_id: str, day, *, env: dict[str, str], log_path: Path | None = None) -> str:
    """`airflow dags test DAG D`; raise AirflowRunError when it fails or when no task ran at all
    (Airflow reports success for a logical date its DAG cannot run, e.g. before the start date)."""
    output = run_airflow(["dags", "test", dag_id, day.isoformat()], env=env, log_path=log_path)
    if not _TASK_STARTED.search(output):
        raise AirflowRunError(
            f"{dag_id} {day}: Airflow ran no task for this date (is it before the DAG's start date?);"
            f" see {log_path or 'the output'}"
        )
    return output


def ensure_metadata_db(env: dict[str, str], log_path: Path | None = None) -> None:
    """Create or upgrade Airflow's SQLite metadata DB (a no-op when current)."""
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    run_airflow(["db", "migrate"], env=env, log_path=log_path)

