"""`airflow standalone` on the embedded default (SQLite, this project's DAGs and plugins).

Used by `newsdesk ui` and by the browser test: start it on a port, wait until
the api-server, scheduler and dag-processor report healthy, read the admin
login standalone generated, stop it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from newsdesk.airflow.runner import airflow_executable

ADMIN_USER = "admin"
PASSWORD_FILE = "simple_auth_manager_passwords.json.generated"
HEALTHY_COMPONENTS = ("metadatabase", "scheduler", "dag_processor")
# SQLite's default 5 s lock wait is too short for four components and parallel tasks on a busy machine.
SQLITE_CONNECT_ARGS = {"timeout": 60}


class StandaloneError(RuntimeError):
    """airflow standalone exited or did not become healthy; the message quotes its output."""


def standalone_env(env: dict[str, str], port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """`env` (from airflow_env) with the api-server on `host`:`port`, its links and the workers' execution API.

    The api-server listens on loopback unless told `host` (Airflow's own
    default is every interface). Runs happen when triggered, not on the
    schedule: the sample world's dates are fixed, and a scheduled run for
    today would find no news there.
    """
    base_url = f"http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}"
    return {
        **env,
        "AIRFLOW__API__HOST": host,
        # standalone starts its components as `airflow ...` from PATH: this environment's airflow
        "PATH": os.pathsep.join([str(Path(airflow_executable()).parent), env.get("PATH", os.defpath)]),
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": base_url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base_url}/execution/",
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "newsdesk.airflow.standalone.SQLITE_CONNECT_ARGS",
        # a few task processes at a time: each is a Python with Airflow loaded, and SQLite has one writer
        "AIRFLOW__CORE__PARALLELISM": "4",
        # a task's calls to the api-server; 5 s fails tasks at start on a busy 2-core machine
        "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
        # the scheduler's health server and the log servers would take fixed ports on every instance
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(_free_port()),
    }


def admin_password(airflow_home: Path) -> str:
    """The admin password standalone generated on its first start."""
    return json.loads((Path(airflow_home) / PASSWORD_FILE).read_text(encoding="utf-8"))[ADMIN_USER]


class AirflowStandalone:
    """A running `airflow standalone`; a context manager that stops it (and its components) on exit."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path, host: str = "127.0.0.1"):
        self.env = standalone_env(env, port, host)
        self.url = self.env["AIRFLOW__API__BASE_URL"]
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        Path(self.env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # Its own session, so stop() can reach the components it starts.
            self.process = subprocess.Popen(
                [airflow_executable(), "standalone"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self.wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StandaloneError(f"airflow standalone exited with {self.process.returncode}:\n{self.tail()}")
            if self._healthy():
                return
            time.sleep(2)
        raise StandaloneError(f"airflow standalone was not healthy after {timeout:.0f} s:\n{self.tail()}")

    def _healthy(self) -> bool:
        try:
            health = requests.get(f"{self.url}/api/v2/monitor/health", timeout=5).json()
        except (requests.RequestException, ValueError):
            return False
        return all((health.get(component) or {}).get("status") == "healthy" for component in HEALTHY_COMPONENTS)

    def login(self) -> tuple[str, str]:
        return ADMIN_USER, admin_password(Path(self.env["AIRFLOW_HOME"]))

    def tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM to standalone's whole session (each component shuts down on it); SIGKILL to what lingers."""
        if self.process is None:
            return
        _signal_group(self.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.process.poll()  # reap standalone itself, or the group never looks empty
            if not _signal_group(self.process.pid, 0):
                break
            time.sleep(0.5)
        _signal_group(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def __enter__(self) -> AirflowStandalone:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _signal_group(group: int, signal_number: int) -> bool:
    """Send a signal to a process group; False when no process is left in it."""
    try:
        os.killpg(group, signal_number)
    except ProcessLookupError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
