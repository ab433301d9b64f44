"""`newsdesk demo` and `newsdesk run` as a person runs them: progress, true run times, runs that exclude each other.

One home: `newsdesk demo --days 1`, then two `newsdesk run`s started together
that may wait for each other (both publish, one after the other), then two
that may not (one fails, naming the run that holds the warehouse, and
publishes nothing). The sample world is served by `newsdesk serve` meanwhile,
as a person running several dates at once would do; each run uses it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import free_port
from helpers.published import read_published, runs_published
from newsdesk.collect.registry import load_registry
from newsdesk.config import Paths
from newsdesk.warehouse import dbt_graph

pytestmark = pytest.mark.e2e

NEWSDESK = str(Path(sys.executable).with_name("newsdesk"))
TASK_LINE = re.compile(r"^    (\S+)\s+(\w+)\s+(\d+\.\d) s$")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def dag_runs(home: Path) -> dict[str, tuple[str, str, datetime, datetime]]:
    """news_daily's runs in Airflow's metadata DB by logical date: run id, state, start, end."""
    with sqlite3.connect(home / "airflow" / "airflow.db") as conn:
        rows = conn.execute(
            "SELECT logical_date, run_id, state, start_date, end_date FROM dag_run WHERE dag_id = 'news_daily'"
        ).fetchall()
    return {
        logical[:10]: (run_id, state, utc(start), utc(end) if end else None)
        for logical, run_id, state, start, end in rows
    }


def published_dates(home: Path) -> set[str]:
    with read_published(Paths(home)) as conn:
        return {str(day) for (day,) in conn.execute("SELECT DISTINCT partition_date FROM raw.articles").fetchall()}


def start_runs(env: dict[str, str], dates: list[str]) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [NEWSDESK, "run", "--date", day], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for day in dates
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli-runs")
    env = {**os.environ, "NEWSDESK_HOME": str(home)}
    env.pop("NEWSDESK_REGISTRY", None)
    port = free_port()
    started = datetime.now(UTC)
    finished = subprocess.run(
        [NEWSDESK, "demo", "--days", "1", "--port", str(port)], env=env, capture_output=True, text=True, timeout=1200
    )
    ended = datetime.now(UTC)
    assert finished.returncode == 0, finished.stderr
    server = subprocess.Popen([NEWSDESK, "serve"], env=env, stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().startswith("serving ")
    try:
        yield {"home": home, "env": env, "out": finished.stdout, "started": started, "ended": ended}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_demo_prints_a_line_per_finished_task_with_its_seconds(demo):
    home, out = demo["home"], demo["out"].splitlines()
    header = next(i for i, line in enumerate(out) if re.fullmatch(r"  news_daily \d{4}-\d\d-\d\d:", line))
    day = out[header].strip().removeprefix("news_daily ").rstrip(":")
    closing = next(i for i, line in enumerate(out) if line.startswith(f"  news_daily {day}: success in "))
    tasks = [TASK_LINE.match(line) for line in out[header + 1 : closing]]
    assert all(tasks), out[header + 1 : closing]

    names = [task.group(1) for task in tasks]
    sources = [source.id for source in load_registry(home / "sample-world" / "registry.yaml")]
    expected = {
        "wait_for_collection",
        "list_sources",
        *(f"extract[{source}]" for source in sources),
        "load_raw",
        "dbt_build",
        *(f"dbt.{node.name}" for node in dbt_graph.read_project()),
        "quality_gate",
        "publish",
        "report",
    }
    assert set(names) == expected and len(names) == len(expected)
    assert {task.group(2) for task in tasks} == {"success"}
    assert names.index("wait_for_collection") < names.index("list_sources") < names.index("load_raw")
    assert names.index("load_raw") < names.index("dbt_build") < names.index("quality_gate") < names.index("publish")


def test_the_demos_run_lasts_in_airflow_as_long_as_it_took(demo):
    out = demo["out"]
    ((day, seconds),) = re.findall(r"  news_daily (\S+): success in (\d+\.\d) s", out)
    run_id, state, start, end = dag_runs(demo["home"])[day]
    task_seconds = sum(float(m.group(3)) for m in map(TASK_LINE.match, out.splitlines()) if m)

    assert state == "success"
    assert demo["started"] <= start < end <= demo["ended"]  # not the logical date, days before
    duration = (end - start).total_seconds()
    assert 0.95 * task_seconds <= duration <= float(seconds), (duration, task_seconds, seconds)


def test_two_runs_started_together_take_turns_and_both_publish(demo):
    home, env = demo["home"], {**demo["env"], "NEWSDESK_RUN_LOCK_WAIT_SECONDS": "900"}
    dates = ["2026-11-22", "2026-11-23"]
    published_before = runs_published(Paths(home))

    runs = start_runs(env, dates)
    results = [run.communicate(timeout=1800) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in results]
    logs = {day: (home / "logs" / f"run-{day}.log").read_text(encoding="utf-8") for day in dates}
    waited = [
        day
        for day in dates
        if "waiting up to 900 s for the warehouse: it is being written by news_daily run" in logs[day]
    ]
    assert len(waited) == 1, "exactly one of the two found the warehouse held and waited"
    other = next(day for day in dates if day not in waited)
    assert f"news_daily run {dag_runs(home)[other][0]} (date {other}," in logs[waited[0]]
    assert set(dates) <= published_dates(home)  # neither run's day was lost to the other
    assert runs_published(Paths(home)) == published_before + 2


def test_of_two_runs_that_may_not_wait_one_fails_naming_the_holder_and_publishes_nothing(demo):
    home, env = demo["home"], {**demo["env"], "NEWSDESK_RUN_LOCK_WAIT_SECONDS": "2"}
    dates = ["2026-11-20", "2026-11-21"]
    assert not set(dates) & published_dates(home)
    published_before = runs_published(Paths(home))

    runs = start_runs(env, dates)
    results = [run.communicate(timeout=1800) for run in runs]

    codes = [run.returncode for run in runs]
    assert sorted(codes) == [0, 1], [err for _out, err in results]
    winner, loser = (dates[codes.index(0)], dates[codes.index(1)])
    winner_run = dag_runs(home)[winner][0]
    last_line = results[codes.index(1)][1].strip().splitlines()[-1]
    assert re.fullmatch(
        rf"newsdesk run: news_daily {loser} failed: load_raw: the warehouse is being written by news_daily run"
        rf" {re.escape(winner_run)} \(date {winner}, pid \d+ on \S+, since \S+\) after waiting 2 s; try again once"
        rf" it ends; log: {re.escape(str(home / 'logs' / f'run-{loser}.log'))}",
        last_line,
    ), last_line
    # the loser changed nothing: what is published is the winner's publish
    assert winner in published_dates(home) and loser not in published_dates(home)
    assert runs_published(Paths(home)) == published_before + 1
    assert dag_runs(home)[loser][1] == "failed"
