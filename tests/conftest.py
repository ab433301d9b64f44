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


DEMO_DAYS = 2


@pytest.fixture(scope="session")
def demo_published(tmp_path_factory):
    """The published warehouse (a `newsdesk.warehouse.storage.Warehouse`: the lake by default) after news_daily
    ran for the last two days of a 3-day sample world (the demo's world, shorter), in a NEWSDESK_HOME of its own;
    shared by the analysts' guide and the score tests."""
    from newsdesk import config
    from newsdesk.airflow.runner import airflow_env, ensure_metadata_db, run_airflow
    from newsdesk.sample.server import SampleServer
    from newsdesk.sample.world import generate_world
    from newsdesk.warehouse.storage import published_target

    home = tmp_path_factory.mktemp("demo-warehouse")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSDESK_HOME", str(home))
        paths = config.paths()
        port = free_port()
        world = generate_world(paths.sample_world, days=3, port=port)
        env = airflow_env(registry=world.registry_path)
        ensure_metadata_db(env)
        with SampleServer(world.out_dir, port=port):
            for day in world.dates[-DEMO_DAYS:]:
                run_airflow(["dags", "test", "news_daily", day.isoformat()], env=env)
        return published_target(paths)


def pytest_collection_modifyitems(items):
    """A test that reads the demo's published warehouse runs news_daily through Airflow first: it is e2e."""
    for item in items:
        if "demo_published" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
