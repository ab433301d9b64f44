"""news_daily on Airflow's distributed shape: PostgreSQL metadata DB, Redis broker, a Celery worker.

Every part is real and runs as its own process, as on separate machines:
`airflow db migrate` on a fresh PostgreSQL database, then the api-server (which
workers call through the Execution API), scheduler, dag-processor and a Celery
worker. news_daily is unpaused on a sample world that ends yesterday, so the
scheduler starts its run for yesterday by itself (news_collect stays paused:
its attempts would share the feeds' validators with the run under test). The
run must succeed, with every task executed by the Celery worker: each task
instance carries this test's own queue and the Celery task id the worker ran
it under. The warehouse is the lake, its catalog in PostgreSQL and its data on
a folder standing for the shared volume (docs/deploy.md), as many machines
would share them.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis on 127.0.0.1:6379;
skips, saying which is missing, where they do not answer.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import free_port
from helpers.postgres import POSTGRES, answers, fresh_database
from newsdesk.airflow.runner import airflow_env, airflow_executable, run_airflow
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world
from newsdesk.warehouse.lake import Lake
from newsdesk.warehouse.lake_snapshots import connect_published, published_snapshots

pytestmark = pytest.mark.cluster

REDIS = ("127.0.0.1", 6379)
RUN_TIMEOUT_SECONDS = (
    1200  # ~40 tasks (16 sources, one per dbt model) through one worker; slow on a busy 2-core machine
)


@pytest.fixture(scope="module")
def services():
    missing = [
        f"{name} on {host}:{port}"
        for name, (host, port) in (("PostgreSQL", POSTGRES), ("Redis", REDIS))
        if not answers((host, port))
    ]
    if missing:
        pytest.skip(f"the Celery integration test needs {' and '.join(missing)}, which did not answer")


@pytest.fixture(scope="module")
def metadata_database(services):
    """A fresh PostgreSQL database for Airflow's metadata, dropped afterwards."""
    with fresh_database("newsdesk_it") as name:
        yield f"postgresql+psycopg2://postgres@{POSTGRES[0]}:{POSTGRES[1]}/{name}"


class Processes:
    """Long-running Airflow components, each with its own log file; stopped together."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env, self.log_dir = env, log_dir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> None:
        log = open(self.log_dir / f"{name}.log", "w", encoding="utf-8")
        self.running[name] = subprocess.Popen(
            [airflow_executable(), *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a component's own children (gunicorn, celery pool) stop with it
        )

    def assert_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise AssertionError(f"airflow {name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        text = (self.log_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _query(database_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(database_url.replace("postgresql+psycopg2://", "postgresql://")) as conn:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


@pytest.fixture(scope="module")
def lake(services, tmp_path_factory):
    """The lake the run writes: a fresh PostgreSQL database as its catalog (dropped afterwards), the data on a
    folder standing for the shared volume."""
    with fresh_database("newsdesk_it_lake") as name:
        yield Lake(
            catalog=f"postgres:dbname={name} host={POSTGRES[0]} port={POSTGRES[1]} user=postgres",
            data_path=str(tmp_path_factory.mktemp("shared-volume")),
        )


@pytest.fixture(scope="module")
def celery_run(metadata_database, lake, tmp_path_factory):
    home = tmp_path_factory.mktemp("celery")
    sample_port, api_port, worker_log_port = free_port(), free_port(), free_port()
    day = datetime.now(UTC).date() - timedelta(days=1)  # the latest interval: the run the scheduler makes
    world = generate_world(home / "sample-world", end_date=day, days=2, stories_per_day=3, port=sample_port)
    queue = f"newsdesk-it-{secrets.token_hex(3)}"
    env = airflow_env(registry=world.registry_path)
    env.update(
        {
            "NEWSDESK_HOME": str(home),
            "NEWSDESK_STORAGE": "lake",
            "NEWSDESK_LAKE_CATALOG": lake.catalog,
            "NEWSDESK_LAKE_DATA_PATH": lake.data_path,
            "AIRFLOW_HOME": str(home / "airflow"),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_database,
            "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_database,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
            # this run's own queue: a worker of another run on the same Redis cannot take its tasks
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(worker_log_port),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        }
    )
    (home / "airflow").mkdir()
    run_airflow(["db", "migrate"], env=env)

    processes = Processes(env, home)
    processes.start("api-server", "api-server", "--port", str(api_port))
    processes.start("scheduler", "scheduler")
    processes.start("dag-processor", "dag-processor")
    processes.start("celery-worker", "celery", "worker", "--queues", queue, "--concurrency", "4")
    try:
        with SampleServer(world.out_dir, port=sample_port):
            _wait_for(
                lambda: _query(metadata_database, "SELECT 1 FROM dag WHERE dag_id = 'news_daily'"),
                processes,
                "the dag-processor to parse news_daily",
                timeout=180,
            )
            run_airflow(["dags", "unpause", "news_daily"], env=env)
            run_id, state = _wait_for(
                lambda: _finished_run(metadata_database),
                processes,
                "the scheduled run to finish",
                timeout=RUN_TIMEOUT_SECONDS,
            )
        task_instances = _query(
            metadata_database,
            "SELECT task_id, map_index, state, queue, external_executor_id, hostname FROM task_instance"
            " WHERE dag_id = 'news_daily' AND run_id = %s ORDER BY task_id, map_index",
            (run_id,),
        )
        yield {
            "state": state,
            "task_instances": task_instances,
            "queue": queue,
            "home": home,
            "day": day,
            "world": world,
            "worker_log": processes.tail("celery-worker", lines=400),
        }
    finally:
        processes.stop()


def _finished_run(database_url: str) -> tuple[str, str] | None:
    """(run id, state) of news_daily's run, once it has finished; the scheduler makes exactly one."""
    rows = _query(database_url, "SELECT run_id, state FROM dag_run WHERE dag_id = 'news_daily'")
    assert len(rows) <= 1, rows
    return rows[0] if rows and rows[0][1] in ("success", "failed") else None


def _wait_for(probe, processes: Processes, what: str, *, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.assert_alive()
        result = probe()
        if result:
            return result
        time.sleep(2)
    logs = "\n".join(f"--- {name} ---\n{processes.tail(name)}" for name in processes.running)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")


def test_run_succeeds_on_the_celery_executor(celery_run):
    failed = [(task, index, state) for task, index, state, *_ in celery_run["task_instances"] if state != "success"]
    assert celery_run["state"] == "success", f"tasks not successful: {failed}"


def test_every_task_ran_on_the_celery_worker(celery_run):
    task_instances = celery_run["task_instances"]
    task_ids = {task for task, *_ in task_instances}
    assert {"list_sources", "extract", "load_raw", "dbt_build", "quality_gate", "publish"} <= task_ids
    for task, index, _state, queue, celery_task_id, hostname in task_instances:
        assert queue == celery_run["queue"], f"{task}[{index}] went to queue {queue}"
        # the Celery task id the worker executed it under: set only by the CeleryExecutor
        assert celery_task_id, f"{task}[{index}] has no Celery task id"
        assert hostname, f"{task}[{index}] names no host"
    assert sum(task == "extract" for task, *_ in task_instances) == celery_run["world"].sources


def test_the_lake_holds_the_published_day(celery_run, lake):
    with connect_published(lake) as conn:
        days = conn.execute("SELECT DISTINCT partition_date FROM raw.articles").fetchall()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        published = [entry.label for entry in published_snapshots(conn)]
    assert days == [(celery_run["day"],)]
    assert articles > 0
    assert len(published) == 1 and published[0].startswith(f"{celery_run['day'].isoformat()}__scheduled__")
    assert not (celery_run["home"] / "published").exists(), "nothing copied: no published file"
