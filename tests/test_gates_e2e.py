"""Write-audit-publish end to end: real `airflow dags test` runs on a small sample world.

One world for the module, run in file order: day 0 is published first; a
reader watches the published warehouse through day 1's run; it is rolled back
to day 0, day 1 is killed (kill -9 of the whole run) during the
load and during dbt, then rerun and compared with the clean day 1; day 2 is a
bad batch the gate must stop.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import free_port
from helpers.published import published_mark, read_published, runs_published
from helpers.search_index import SEARCH_INDEX_CONTENT
from newsdesk import config
from newsdesk.airflow.runner import AirflowRunError, airflow_env, airflow_executable, ensure_metadata_db, run_airflow
from newsdesk.cli import main as newsdesk_cli
from newsdesk.collect import landing
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world
from newsdesk.warehouse.lake_snapshots import PUBLISHES_TABLE

pytestmark = pytest.mark.e2e

# Columns that differ between two runs of the same day by design: when fetched and loaded, which run, how long it took.
RUN_SPECIFIC = {
    "fetched_at",
    "run_id",
    "loaded_at",
    "last_staged_at",
    "staged_at",
    "first_seen_at",
    "duration_ms",
    "checked_at",
}
# ops.dq_results keeps every run's rows; a day's content is that of its latest run.
PER_RUN_TABLES = {"ops.dq_results"}
# The lake's log of publishes keeps every publish (rollbacks too), whatever state the lake is in.
PUBLISHES = {PUBLISHES_TABLE}
# The fetch history: a row per attempt, every attempt kept, and a rerun is more attempts.
FETCH_HISTORY = {"raw.fetches", "ops.source_runs"}
# The search index numbers its documents as it indexes them: compared by what it says, each article's text
# version, length and word counts.
SEARCH_INDEX = "search"
LOAD_STARTED = "loading the landing attempts of "  # logged by load_raw right before it loads
DBT_BUILDING_MODELS = " START sql "  # dbt's line for each model it starts
RUN_TIMEOUT_SECONDS = 600


class World:
    def __init__(self, world, env: dict, paths: config.Paths, log_dir: Path):
        self.world, self.env, self.paths, self.log_dir = world, env, paths, log_dir
        self.states: dict[str, dict] = {}  # name -> warehouse content, shared between the tests in order

    def run(self, day) -> None:
        run_airflow(["dags", "test", "news_daily", day.isoformat()], env=self.env)

    def run_until_killed(self, day, marker: str) -> str:
        """Start a run of `day`, kill -9 its whole process group once its output shows `marker`."""
        log_path = self.log_dir / f"killed-{day}-{len(list(self.log_dir.iterdir()))}.log"
        with open(log_path, "w") as output:
            process = subprocess.Popen(
                [airflow_executable(), "dags", "test", "news_daily", day.isoformat()],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        try:
            while marker not in log_path.read_text(encoding="utf-8", errors="replace"):
                assert process.poll() is None, f"the run ended before {marker!r}; see {log_path}"
                assert time.monotonic() < deadline, f"no {marker!r} within {RUN_TIMEOUT_SECONDS} s; see {log_path}"
                time.sleep(0.05)
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the run and its children (dbt), as a crash would
            process.wait()
        return log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def gates(tmp_path_factory):
    home = tmp_path_factory.mktemp("gates-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSDESK_HOME", str(home))
        paths = config.paths()
        port = free_port()
        world = generate_world(paths.sample_world, days=3, stories_per_day=4, port=port)
        # Its own Airflow home too: the DAG's asset URI names the published file, and one metadata DB
        # must not see the DAG with two URIs (the other module's asset would turn inactive).
        env = airflow_env(registry=world.registry_path)
        ensure_metadata_db(env)
        with SampleServer(world.out_dir, port=port):
            runs = World(world, env, paths, tmp_path_factory.mktemp("gates-logs"))
            runs.run(world.dates[0])
            runs.states["day 0"] = warehouse_content(paths)
            yield runs


def warehouse_content(paths: config.Paths) -> dict[str, list[tuple]]:
    """Every table's rows without run-specific columns; ops.dq_results: each day's latest run only; the search
    index by what it says."""
    content = {}
    with read_published(paths) as conn:
        tables = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            " AND table_catalog = current_database() AND table_schema <> ? ORDER BY ALL",
            [SEARCH_INDEX],
        ).fetchall()
        content[SEARCH_INDEX] = conn.execute(SEARCH_INDEX_CONTENT).fetchall()
        for (table,) in tables:
            if table in PUBLISHES:
                continue
            columns = [
                c
                for (c,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || table_name = ?"
                    " ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in RUN_SPECIFIC
            ]
            where = (
                f" WHERE run_id IN (SELECT max(run_id) FROM {table} GROUP BY partition_date)"
                if table in PER_RUN_TABLES
                else ""
            )
            quoted = ", ".join(f'"{c}"' for c in columns)
            content[table] = conn.execute(f"SELECT {quoted} FROM {table}{where} ORDER BY ALL").fetchall()
    return content


STATE_QUERY = (
    "SELECT (SELECT count(*) FROM raw.articles), (SELECT max(partition_date)::VARCHAR FROM raw.articles),"
    " (SELECT count(*) FROM main.articles), (SELECT sum(article_count) FROM main.sources),"
    " (SELECT count(*) FROM ops.dq_results)"
)
# Two reader processes (DuckDB shares one open database per path within a process): "held" keeps one
# connection open through the whole run, "fresh" opens a new one for every query; both as newsdesk opens what
# analysts read (newsdesk.warehouse.storage), for the home in NEWSDESK_HOME.
READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from newsdesk import config
    from newsdesk.warehouse.storage import open_published, published_target

    mode, stop, out = sys.argv[1], Path(sys.argv[2]), open(sys.argv[3], "a", buffering=1)
    query, published = sys.argv[4], published_target(config.paths())
    held = open_published(published) if mode == "held" else None
    print(json.dumps({"ready": True}), file=out)
    while not stop.exists():
        try:
            if held is not None:
                state = held.execute(query).fetchone()
            else:
                with open_published(published) as fresh:
                    state = fresh.execute(query).fetchone()
            print(json.dumps({"state": list(state)}), file=out)
        except Exception as error:
            print(json.dumps({"error": f"{type(error).__name__}: {error}"}), file=out)
        time.sleep(0.02)
""")


def reader_state(paths: config.Paths) -> list:
    with read_published(paths) as conn:
        return list(conn.execute(STATE_QUERY).fetchone())


def observations(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def test_a_reader_sees_no_lock_error_and_never_a_partial_run(gates, tmp_path):
    before = reader_state(gates.paths)
    script, stop = tmp_path / "reader.py", tmp_path / "stop"
    script.write_text(READER)
    seen = {mode: tmp_path / f"{mode}.jsonl" for mode in ("held", "fresh")}
    readers = [
        subprocess.Popen([sys.executable, str(script), mode, str(stop), str(out), STATE_QUERY])
        for mode, out in seen.items()
    ]
    try:
        while not all(observations(out) for out in seen.values()):
            assert all(reader.poll() is None for reader in readers), "a reader died before it started"
            time.sleep(0.05)
        gates.run(gates.world.dates[1])
        after = reader_state(gates.paths)
        deadline = time.monotonic() + 60
        while not any(o.get("state") == after for o in observations(seen["fresh"])) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    held, fresh = (observations(seen[mode])[1:] for mode in ("held", "fresh"))
    assert [o["error"] for o in held + fresh if "error" in o] == []
    assert len(held) > 20 and len(fresh) > 20
    assert {json.dumps(o["state"]) for o in fresh} == {json.dumps(before), json.dumps(after)}
    # an open connection keeps its file, or the lake snapshot it attached
    assert {json.dumps(o["state"]) for o in held} == {json.dumps(before)}
    assert after[1] == gates.world.dates[1].isoformat() and after != before
    gates.states["day 1"] = warehouse_content(gates.paths)


def test_kill_9_during_load_and_during_dbt_then_a_rerun_equals_the_clean_run(gates):
    assert "day 1" in gates.states, "runs after the reader test, which publishes the clean day 1"
    day = gates.world.dates[1]
    assert newsdesk_cli(["rollback"]) == 0  # back to day 0: the rerun must rebuild day 1 from it
    assert warehouse_content(gates.paths) == gates.states["day 0"]
    rolled_back = published_mark(gates.paths)  # the lake publishes day 0 again as a snapshot of its own

    output = gates.run_until_killed(day, LOAD_STARTED)
    assert "[DAG TEST] end task task_id=load_raw" not in output
    assert published_mark(gates.paths) == rolled_back

    output = gates.run_until_killed(day, DBT_BUILDING_MODELS)
    assert "[DAG TEST] end task task_id=dbt_build" not in output
    assert published_mark(gates.paths) == rolled_back

    gates.run(day)

    rerun = warehouse_content(gates.paths)
    clean = gates.states["day 1"]
    assert rerun.keys() == clean.keys()
    assert {table for table in clean if table not in FETCH_HISTORY and rerun[table] != clean[table]} == set()
    # Every attempt is kept: the clean run's rows as they were, and one attempt per source for each of the
    # two killed runs (their extracts had finished) and the rerun.
    sources = gates.world.sources
    for table in FETCH_HISTORY:
        assert not Counter(clean[table]) - Counter(rerun[table]), table
    assert len(landing.attempts(gates.paths.landing, day)) == 4 * sources
    with read_published(gates.paths) as conn:
        assert (
            conn.execute("SELECT count(*) FROM ops.source_runs WHERE partition_date = ?", [day]).fetchone()[0]
            == 4 * sources
        )
    assert runs_published(gates.paths) == 3  # day 0, clean day 1, rerun day 1


def remove_titles(feed: Path, every: int = 5, drop: int = 2) -> None:
    """Empty the title of `drop` in every `every` items (40%) of an RSS or Atom feed."""
    text = feed.read_bytes().decode("latin-1")  # any encoding: only ASCII tags are matched, bytes round-trip
    items = list(re.finditer(r"<(item|entry)\b.*?</\1>", text, flags=re.DOTALL))
    for index, item in reversed(list(enumerate(items))):
        if index % every < drop:
            blanked = re.sub(r"<title\b[^>]*>.*?</title>", "<title></title>", item.group(0), count=1, flags=re.DOTALL)
            text = text[: item.start()] + blanked + text[item.end() :]
    feed.write_bytes(text.encode("latin-1"))


def test_a_bad_batch_fails_at_the_gate_and_publishes_nothing(gates):
    day = gates.world.dates[2]
    feeds = [f for f in (gates.world.out_dir / "site").glob(f"*/{day}/**/*.xml")]
    assert feeds
    for feed in feeds:
        remove_titles(feed)
    before = published_mark(gates.paths)

    with pytest.raises(AirflowRunError, match="quality_gate"):
        gates.run(day)

    assert published_mark(gates.paths) == before
    summary = json.loads((gates.paths.quality_reports / f"date={day}" / "raw_batch.summary.json").read_text())
    assert summary["success"] is False
    [share] = [o for o in summary["outcomes"] if o["column"] == "bad_item_share"]
    assert share["observed_value"] >= 0.4
    # The failed run's results are in the ledger, to be folded into ops.dq_results by the next publish.
    ledger_rows = [
        json.loads(line)
        for f in (gates.paths.ledger / "dq_results").glob("*.jsonl")
        for line in f.read_text().splitlines()
    ]
    assert any(
        row["partition_date"] == day.isoformat() and row["suite"] == "raw_batch" and not row["success"]
        for row in ledger_rows
    )
