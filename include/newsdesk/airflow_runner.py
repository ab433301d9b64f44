"""Run Airflow for Newsdesk on the embedded default: SQLite, this project's DAGs.

Airflow's own home (its SQLite metadata DB, logs, config) lives under
NEWSDESK_HOME/airflow, so the demo and the tests never touch ~/airflow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from newsdesk import config


class AirflowRunError(RuntimeError):
    """An Airflow command failed; the message carries the tail of its output."""


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
        tail = "\n".join(output.splitlines()[-40:])
        raise AirflowRunError(f"airflow {' '.join(args)} exited {completed.returncode}:\n{tail}")
    return output


def ensure_metadata_db(env: dict[str, str], log_path: Path | None = None) -> None:
    """Create or upgrade Airflow's SQLite metadata DB (a no-op when current)."""
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    run_airflow(["db", "migrate"], env=env, log_path=log_path)

