"""Shared test setup: every test session gets its own NEWSDESK_HOME and AIRFLOW_HOME.

Set before Airflow is imported anywhere, so no test touches ~/airflow or ./.newsdesk.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="newsdesk-tests-"))
os.environ["NEWSDESK_HOME"] = str(_SESSION_HOME)
os.environ["AIRFLOW_HOME"] = str(_SESSION_HOME / "airflow")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the repository, or NEWSDESK_SHARED."""
    return Path(os.environ.get("NEWSDESK_SHARED", REPO_ROOT.parent / "shared"))


@pytest.fixture
def realdata() -> Path:
    folder = shared_dir() / "realdata"
    if not folder.is_dir():
        pytest.skip(f"real captured data not found at {folder} (set NEWSDESK_SHARED to the shared/ folder)")
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
