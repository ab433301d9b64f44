"""`newsdesk ui` listens on loopback and leaves nothing running once it is told to stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from conftest import free_port

pytestmark = pytest.mark.e2e

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def listening(port: int) -> set[str]:
    return {
        c.laddr.ip for c in psutil.net_connections("tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    }


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_ui_stops_airflow_standalone_and_its_components(tmp_path, stop):
    port, world_port = free_port(), free_port()
    env = {**os.environ, "NEWSDESK_HOME": str(tmp_path)}
    env.pop("NEWSDESK_REGISTRY", None)
    ui = subprocess.Popen(
        [NEWSDESK, "ui", "--port", str(port), "--world-port", str(world_port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started: list[psutil.Process] = []
    try:
        seen = []
        for line in ui.stdout:
            seen.append(line)
            if line.startswith("Airflow UI: "):
                break
        assert seen and seen[-1] == f"Airflow UI: http://127.0.0.1:{port}\n", "".join(seen)
        started = psutil.Process(ui.pid).children(recursive=True)  # standalone runs in its own session
        names = " ".join(" ".join(p.cmdline()) for p in started)
        for component in ("standalone", "scheduler", "dag-processor", "triggerer", "api_server"):
            assert component in names, names
        assert listening(port) == {"127.0.0.1"}  # this machine only
        assert listening(world_port) == {"127.0.0.1"}

        ui.send_signal(stop)
        assert ui.wait(timeout=180) == 0
        assert "stopped airflow standalone and the sample world" in ui.stdout.read()
        assert [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
        assert listening(port) == set() and listening(world_port) == set()
    finally:
        for process in started:  # only when the test failed: leave nothing behind
            if process.is_running():
                process.kill()
        if ui.poll() is None:
            ui.kill()
