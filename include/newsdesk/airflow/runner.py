"""Run Airflow for Newsdesk on the embedded default: SQLite, this project's DAGs.

Airflow's own home (its SQLite metadata DB, logs, config) lives under
NEWSDESK_HOME/airflow, so the demo and the tests never touch ~/airflow.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk import config


class AirflowRunError(RuntimeError):
    """An Airflow command failed; the message names the failed tasks and carries the tail of its output."""


class DagRunFailed(RuntimeError):
    """A run of `run_dag_test` failed; the message is one line naming what failed and the log file."""


# `airflow dags test` logs "[DAG TEST] starting task_id=T map_index=N" before a
# task's own lines, among them the state update "new_state=S", and
# "[DAG TEST] end task task_id=T map_index=N" after them.
_TASK_STARTED = re.compile(r"\[DAG TEST\] starting task_id=(\S+)")
_TASK_START = re.compile(r"\[DAG TEST\] starting task_id=(\S+) map_index=(-?\d+)")
_TASK_END = re.compile(r"\[DAG TEST\] end task task_id=(\S+) map_index=(-?\d+)")
_NEW_STATE = re.compile(r"new_state=(\w+)")


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
    completed = subprocess.run([airflow_executable(), *args], env=env, capture_output=True, text=True, check=False)
    output = completed.stdout + completed.stderr
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write(f"$ airflow {' '.join(args)}\n{output}\n")
    if completed.returncode != 0:
        # the tail alone can miss the failure: tasks in other branches keep running after it
        failed = failed_tasks(output)
        named = f" (failed: {', '.join(failed)})" if failed else ""
        if log_path is not None:
            raise AirflowRunError(f"airflow {' '.join(args)} exited {completed.returncode}{named}; log: {log_path}")
        tail = "\n".join(output.splitlines()[-40:])
        raise AirflowRunError(f"airflow {' '.join(args)} exited {completed.returncode}{named}:\n{tail}")
    return output


def ensure_metadata_db(env: dict[str, str], log_path: Path | None = None) -> None:
    """Create or upgrade Airflow's SQLite metadata DB (a no-op when current), one command at a time."""
    with _one_airflow_starting(Path(env["AIRFLOW_HOME"])):
        run_airflow(["db", "migrate"], env=env, log_path=log_path)


@dataclass(frozen=True)
class TaskEnd:
    """A task of a run that finished: its name (a mapped task's with the source it ran for), state and seconds."""

    task: str
    state: str
    seconds: float


@dataclass
class DagTestRun:
    """What `run_dag_test` saw: every finished task in order, and the failure lines of the failure callbacks."""

    tasks: list[TaskEnd] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def failed_tasks(self) -> list[str]:
        return [end.task for end in self.tasks if end.state == "failed"]


def run_dag_test(
    dag_id: str,
    day: str,
    *,
    env: dict[str, str],
    log_path: Path,
    map_names: dict[str, list[str]] | None = None,
    on_task_end: Callable[[TaskEnd], None] | None = None,
) -> DagTestRun:
    """One run of `dag_id` for `day` with `airflow dags test`, its true start time kept (airflow_dag_test).

    Airflow's output goes to `log_path`; each finished task is passed to
    `on_task_end` as it ends, named `task[name]` for a mapped task when
    `map_names[task]` lists the names of its map indexes. Raises DagRunFailed
    with one line: the tasks, sources, dbt nodes or suites that failed, and the log.
    """
    map_names = map_names or {}
    seen = DagTestRun()
    # the failure callback's line (newsdesk.airflow.alerts): "<dag_id> <run_id>: <what> failed: <first line of the error>"
    failure_line = re.compile(rf"{re.escape(dag_id)} \S+: (.+?) failed: (.*?)(?: +\[newsdesk\.airflow\.alerts\].*)?$")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "newsdesk.airflow.dag_test", dag_id, day]
    with open(log_path, "a", encoding="utf-8") as log, _one_airflow_starting(Path(env["AIRFLOW_HOME"])) as starting:
        log.write(f"$ {' '.join(command)}\n")
        process = subprocess.Popen(
            command,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
        )
        current, state, began = None, None, 0.0
        for line in process.stdout:
            log.write(line)
            if (started := _TASK_START.search(line)) is not None:
                starting()
                current, state, began = _task_name(*started.groups(), map_names), None, time.monotonic()
            elif (new_state := _NEW_STATE.search(line)) is not None and current is not None:
                state = new_state.group(1)
            elif (ended := _TASK_END.search(line)) is not None and current == _task_name(*ended.groups(), map_names):
                end = TaskEnd(current, state or "unknown", time.monotonic() - began)
                seen.tasks.append(end)
                if on_task_end is not None:
                    on_task_end(end)
                current = None
            elif (failure := failure_line.search(line)) is not None:
                seen.failures.append(f"{failure.group(1)}: {failure.group(2).strip()}")
        returncode = process.wait()
    if returncode != 0:
        raise DagRunFailed(f"{dag_id} {day} failed: {_what_failed(seen, returncode)}; log: {log_path}")
    if not seen.tasks:  # Airflow calls a run of a date its DAG cannot run (before its start date) a success
        raise DagRunFailed(
            f"{dag_id} {day}: Airflow ran no task for this date (before the DAG's start date?); log: {log_path}"
        )
    return seen


def _task_name(task_id: str, map_index: str, map_names: dict[str, list[str]]) -> str:
    if map_index == "-1":
        return task_id
    names = map_names.get(task_id, [])
    index = int(map_index)
    return f"{task_id}[{names[index] if index < len(names) else index}]"


def _what_failed(seen: DagTestRun, returncode: int) -> str:
    """The failure callbacks' lines (they name the source, dbt node or suites), else the failed tasks."""
    if seen.failures:
        return "; ".join(dict.fromkeys(seen.failures))
    if seen.failed_tasks:
        return "tasks " + ", ".join(seen.failed_tasks)
    return f"airflow exited {returncode} before any task failed"


@contextmanager
def _one_airflow_starting(airflow_home: Path) -> Iterator[Callable[[], None]]:
    """One Airflow command at a time through its start on one Airflow home; yields `done`, which lets the next go.

    `db migrate`, and `dags test` before its first task, write the metadata DB's
    schema and the DAG; two doing that at once collide in SQLite (a UNIQUE
    constraint on the asset references), so the next waits until `done`.
    """
    airflow_home.mkdir(parents=True, exist_ok=True)
    fd: int | None = os.open(airflow_home / "newsdesk-start.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)

    def done() -> None:
        nonlocal fd
        if fd is not None:
            os.close(fd)  # drops the flock
            fd = None

    try:
        yield done
    finally:
        done()
