"""The warehouse's writer lock across real processes: one holder, named to whoever finds it held."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager

import pytest

from newsdesk import config
from newsdesk.cli import main
from newsdesk.warehouse.publish import file_sha256, publish
from newsdesk.warehouse.run_lock import LockLost, WarehouseBusy, WarehouseLock

HOLD = textwrap.dedent(
    """
    import sys
    from newsdesk.warehouse.run_lock import WarehouseLock
    WarehouseLock(sys.argv[1]).acquire(sys.argv[2], by="news_daily", date="2026-11-24", one_process=sys.argv[3] == "1")
    print("held", flush=True)
    sys.stdin.read()  # holds until the test closes stdin
    if sys.argv[4] == "release":
        WarehouseLock(sys.argv[1]).release(sys.argv[2])
    """
)


@contextmanager
def holder_process(lock_path, run_id, *, one_process=True, then="release"):
    """Another process holding the lock for `run_id` until the block ends; yields its Popen."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(lock_path), run_id, "1" if one_process else "0", then],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "held"
        yield process
    finally:
        if process.poll() is None:
            if not process.stdin.closed:
                process.stdin.close()
            process.wait(timeout=30)


def test_a_second_writer_is_refused_with_the_holder_named(tmp_path):
    lock = WarehouseLock(tmp_path / "warehouse.lock")
    with holder_process(lock.path, "scheduled__2026-11-24T00:00:00+00:00") as holder:
        with pytest.raises(WarehouseBusy) as busy:
            lock.acquire("manual__other", by="news_daily", date="2026-11-23")
        message = str(busy.value)
        for part in (
            "news_daily run scheduled__2026-11-24T00:00:00+00:00",
            "date 2026-11-24",
            f"pid {holder.pid} on {socket.gethostname()}",
            "since ",
        ):
            assert part in message
        with pytest.raises(LockLost, match="does not hold the warehouse lock .* held by news_daily run scheduled__"):
            lock.confirm("manual__other")
        assert lock.holder().pid == holder.pid
    assert lock.holder() is None  # released
    assert lock.acquire("manual__other", by="news_daily").run_id == "manual__other"


def test_a_waiting_writer_gets_the_lock_once_the_holder_lets_go(tmp_path):
    lock = WarehouseLock(tmp_path / "warehouse.lock")
    with holder_process(lock.path, "manual__first") as holder:
        with pytest.raises(WarehouseBusy, match="after waiting 1 s"):
            lock.acquire("manual__second", by="news_daily", wait=1.0)
        started = time.monotonic()
        threading.Timer(1.5, holder.stdin.close).start()  # the first run ends its write part 1.5 s from now
        got = lock.acquire("manual__second", by="news_daily", wait=30)
        waited = time.monotonic() - started
    assert got.run_id == "manual__second" and got.pid == os.getpid()
    assert 1.4 <= waited < 30


def test_a_killed_holder_blocks_nobody(tmp_path):
    lock = WarehouseLock(tmp_path / "warehouse.lock")
    with holder_process(lock.path, "manual__killed", then="keep") as holder:
        holder.send_signal(signal.SIGKILL)  # no release: as a run killed half-way
        holder.wait(timeout=30)
        assert json.loads(lock.path.read_text())["run_id"] == "manual__killed"  # the file still names it
        assert lock.holder() is None
        assert lock.acquire("manual__next", by="news_daily").run_id == "manual__next"


@pytest.mark.parametrize("active, held", [(True, True), (False, False), (None, False)])
def test_between_tasks_of_an_executor_run_airflow_says_whether_it_still_holds(tmp_path, active, held):
    """A run whose tasks run in separate processes: the last task's process is gone, the run may not be."""
    path = tmp_path / "warehouse.lock"
    with holder_process(path, "scheduled__x", one_process=False, then="keep") as holder:
        pass  # its task ended, leaving the lock to the run
    asked = []
    lock = WarehouseLock(path, is_active=lambda h: asked.append(h.run_id) or active)
    if held:
        with pytest.raises(WarehouseBusy, match=f"scheduled__x .*pid {holder.pid}"):
            lock.acquire("manual__y", by="news_daily")
    else:
        lock.acquire("manual__y", by="news_daily")
    assert asked == ["scheduled__x"]


def test_a_holder_on_another_host_holds_until_it_lets_go(tmp_path):
    path = tmp_path / "warehouse.lock"
    path.write_text(
        json.dumps(
            {
                "run_id": "scheduled__x",
                "by": "news_daily",
                "date": "2026-11-24",
                "pid": 1,
                "host": "worker-7",
                "since": "2026-11-25T00:10:00+00:00",
                "pid_started": 0.0,
                "one_process": False,
            }
        )
    )
    with pytest.raises(WarehouseBusy, match="pid 1 on worker-7, since 2026-11-25T00:10:00"):
        WarehouseLock(path).acquire("manual__y", by="news_daily")
    assert WarehouseLock(path, is_active=lambda holder: False).acquire("manual__y", by="news_daily")


def test_the_same_run_takes_it_again_and_only_the_holder_releases_it(tmp_path):
    lock = WarehouseLock(tmp_path / "warehouse.lock")
    first = lock.acquire("manual__a", by="news_daily", date="2026-11-24")
    assert lock.acquire("manual__a", by="news_daily", date="2026-11-24").since == first.since  # a retried load_raw
    assert lock.confirm("manual__a").run_id == "manual__a"
    assert lock.release("manual__b") is False and lock.holder().run_id == "manual__a"
    assert lock.release("manual__a") is True and lock.holder() is None
    with pytest.raises(LockLost, match="nobody holds it"):
        lock.confirm("manual__a")


def test_rollback_waits_for_no_run_and_names_the_one_writing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")  # its published file must not change
    paths = config.paths()
    import duckdb

    for value in (1, 2):
        build = tmp_path / "build.duckdb"
        with duckdb.connect(str(build)) as conn:
            conn.execute(f"CREATE OR REPLACE TABLE t AS SELECT {value} AS v")
        publish(build, paths.published, snapshots=paths.snapshots, label=str(value))
        time.sleep(0.01)  # snapshot names sort by time
    before = file_sha256(paths.published)

    with holder_process(paths.writer_lock, "manual__2026-12-06T12:00:00+00:00"):
        assert main(["rollback"]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("newsdesk rollback: the warehouse is being written by news_daily run manual__2026-12-06")
        assert len(err.splitlines()) == 1
        assert file_sha256(paths.published) == before

    assert main(["rollback"]) == 0  # once the run is done
    with duckdb.connect(str(paths.published), read_only=True) as conn:
        assert conn.execute("SELECT v FROM t").fetchall() == [(1,)]
    assert WarehouseLock(paths.writer_lock).holder() is None
