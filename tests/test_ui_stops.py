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

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))


def started_by(home: Path) -> list[psutil.Process]:
    """Processes running with this NEWSDESK_HOME: the ui command and everything it started."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("NEWSDESK_HOME") == str(home):
                found.append(process)
        except psutil.Error:
            continue  # gone meanwhile, or not ours to read
    return found


def listening(port: int) -> set[str]:
    return {c.laddr.ip for c in psutil.net_connections("tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port == port}


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_ui_stops_airflow_standalone_and_its_components(tmp_path, stop):
    port, world_port = free_port(), free_port()
    env = {**os.environ, "NEWSDESK_HOME": str(tmp_path)}
    env.pop("NEWSDESK_REGISTRY", None)
    ui = subprocess.Popen([NEWSDESK, "ui", "--port", str(port), "--world-port", str(world_port)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = []
        for line in ui.stdout:
            seen.append(line)
            if line.startswith("Airflow UI: "):
                break
        assert seen and seen[-1] == f"Airflow UI: http://127.0.0.1:{port}\n", "".join(seen)
        names = " ".join(" ".join(p.cmdline()) for p in started_by(tmp_path))
        for component in ("standalone", "scheduler", "dag-processor", "triggerer", "api_server"):
            assert component in names, names
        assert listening(port) == {"127.0.0.1"}  # this machine only
        assert listening(world_port) == {"127.0.0.1"}

        ui.send_signal(stop)
        assert ui.wait(timeout=180) == 0
        assert "stopped airflow standalone and the sample world" in ui.stdout.read()
        assert started_by(tmp_path) == []
        assert listening(port) == set() and listening(world_port) == set()
    finally:
        for process in started_by(tmp_path):  # only when the test failed: leave nothing behind
            process.kill()
        if ui.poll() is None:
            ui.kill()
