"""What a DuckLake holds: every table's and view's rows, to compare two of its states; and what a reader in
another process reads."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb

from newsdesk.warehouse.lake import Lake
from newsdesk.warehouse.lake_snapshots import PUBLISHES_TABLE


def lake_state(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every table's and view's rows of the lake attached as `newsdesk`, sorted; the log of publishes left out
    (it keeps every publish, whatever state the lake is in)."""
    names = conn.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = 'newsdesk'"
        " UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = 'newsdesk'"
    ).fetchall()
    return {
        name: sorted(map(repr, conn.execute(f"SELECT * FROM {name}").fetchall()))
        for (name,) in names
        if name != PUBLISHES_TABLE
    }


READER = textwrap.dedent(
    """
    import json, sys, duckdb
    from newsdesk.warehouse.extensions import load_extension
    conn = duckdb.connect()
    for name in ("ducklake", "sqlite", "postgres"):
        load_extension(conn, name)
    conn.execute(sys.argv[1])
    rows = conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0]
    try:
        conn.execute("DELETE FROM raw.articles")
        refused = None
    except duckdb.Error as error:
        refused = str(error).splitlines()[0]
    print(json.dumps({"rows": rows, "refused": refused}))
    """
)


def read_in_another_process(sql: str) -> dict:
    """Run the attach statements `sql` in a new Python process: raw.articles' row count, and the error a
    DELETE there met (None if it went through)."""
    done = subprocess.run([sys.executable, "-c", READER, sql], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


LOOPING_READER = textwrap.dedent(
    """
    import json, pathlib, sys, time
    from newsdesk.warehouse.lake import Lake
    from newsdesk.warehouse.lake_snapshots import connect_published
    lake, stop = Lake(sys.argv[1], sys.argv[2]), pathlib.Path(sys.argv[3])
    seen, errors = [], []
    while True:
        stopping = stop.exists()  # asked before the read, so the last read begins after the block's end
        try:
            with connect_published(lake) as conn:
                seen.append(conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0])
        except Exception as error:
            errors.append(str(error).splitlines()[0])
        if stopping:
            break
        time.sleep(0.05)  # leaves the run most of the machine
    print(json.dumps({"seen": seen, "errors": errors}))
    """
)


@contextlib.contextmanager
def reading_in_another_process(lake: Lake, folder: Path) -> Iterator[dict]:
    """A process that attaches the lake's last published snapshot again and again, counting raw.articles, until
    one read begun after the block ended; the dict yielded then holds every count it read (`seen`) and every error
    it met (`errors`)."""
    stop = folder / "stop-reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", LOOPING_READER, lake.catalog, lake.data_path, str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    result: dict = {}
    try:
        yield result
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    result.update(json.loads(out.splitlines()[-1]))  # DuckDB may print a progress bar before it


PUBLISH_THEN_HANG = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from newsdesk import config, daily
    from newsdesk.warehouse import lake_publish
    from newsdesk.warehouse.run_lock import warehouse_lock

    marked = lake_publish.mark_published

    def mark_then_hang(conn, label):
        marked(conn, label)
        print("inside the publish's transaction", flush=True)  # its COMMIT comes next
        time.sleep(600)

    lake_publish.mark_published = mark_then_hang
    day, run_id = date.fromisoformat(sys.argv[1]), sys.argv[2]
    lock = warehouse_lock()
    lock.acquire(run_id, by="news_daily", date=day.isoformat())
    daily.publish(day, run_id, config.paths(), lock)
    """
)


def kill_during_publish(day: str, run_id: str) -> None:
    """news_daily's publish of the built run `run_id` in a new process (the home of NEWSDESK_HOME), killed with
    SIGKILL once it has folded the ledger and marked the commit published, before that commit."""
    publisher = subprocess.Popen(
        [sys.executable, "-c", PUBLISH_THEN_HANG, day, run_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = publisher.stdout.readline()
        assert line.strip() == "inside the publish's transaction", (line, publisher.stderr.read())
    finally:
        os.kill(publisher.pid, signal.SIGKILL)
        publisher.communicate(timeout=60)
