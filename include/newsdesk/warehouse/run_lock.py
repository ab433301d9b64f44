"""One writer per warehouse: a lock file under NEWSDESK_HOME that names whoever holds it.

A run of news_daily holds it for its whole write part: `load_raw` takes it
before it makes the build copy, `dbt_build`, `quality_gate` and `publish`
confirm they still hold it before they write, and `publish` lets it go once
the checked build is published. `newsdesk rollback` takes it while it puts a
snapshot back. Whoever finds it held gets an error naming the holder: its run
id, date, process id, host and since when. So two runs never share the build
copy, dbt's target folder or the published file, whatever process or machine
they run in, and a run never publishes a copy another run made.

The lock knows nothing of how the warehouse is stored: it guards "the write
part of a run", so it stays when the storage changes.

How it holds across processes: the file's content is the holder (JSON), and
every read-and-change of it happens under an exclusive `flock` of the file, so
two processes never both find it free. A holder stops holding when it lets go,
or when it is gone:

- on the holder's host, its process no longer runs (pid and start time). A
  run that runs all its tasks in one process (`airflow dags test`, which
  `newsdesk run` and the demo use) holds while that process runs, so a run
  killed half-way stops blocking the next at once;
- where a run's tasks each run in their own process (an executor), the
  process of the task that confirmed last ends between tasks: `is_active`
  (the run's state in Airflow, asked through the task's own API) decides then,
  and for a holder on another host. Without an answer, a holder on this host
  whose process is gone is stale, and one on another host holds.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from newsdesk import config

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Holder:
    """Who holds the warehouse: a run (`by` is its DAG id) or a command (`by` is its name)."""

    run_id: str
    by: str
    date: str | None
    pid: int
    host: str
    since: str
    pid_started: float
    one_process: bool = True  # every write of the holder happens in this process

    def describe(self) -> str:
        on_date = f"date {self.date}, " if self.date else ""
        return f"{self.by} run {self.run_id} ({on_date}pid {self.pid} on {self.host}, since {self.since})"


# Whether a holder's run is still active: True or False when known, None when not.
RunIsActive = Callable[[Holder], "bool | None"]


class WarehouseBusy(RuntimeError):
    """Another run or command holds the warehouse; the message names it."""

    def __init__(self, holder: Holder, waited: float):
        waited_text = f" after waiting {waited:.0f} s" if waited >= 1 else ""
        super().__init__(f"the warehouse is being written by {holder.describe()}{waited_text}; try again once it ends")
        self.holder = holder


class LockLost(RuntimeError):
    """A run went to write without holding the lock (another took it over, or it never took it)."""


def _process_started(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _this_process(run_id: str, by: str, date: str | None, one_process: bool, since: str | None = None) -> Holder:
    pid = os.getpid()
    return Holder(
        run_id=run_id,
        by=by,
        date=date,
        pid=pid,
        host=socket.gethostname(),
        since=since or datetime.now(UTC).isoformat(timespec="seconds"),
        pid_started=_process_started(pid) or 0.0,
        one_process=one_process,
    )


class WarehouseLock:
    """The writer lock of one warehouse, kept in the file at `path`."""

    def __init__(self, path: Path, *, is_active: RunIsActive | None = None):
        self.path = Path(path)
        self.is_active = is_active

    @contextmanager
    def _file(self) -> Iterator[int]:
        """The lock file, open and exclusively flocked for one read-and-change."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            os.close(fd)  # closing drops the flock

    def _read(self, fd: int) -> Holder | None:
        os.lseek(fd, 0, os.SEEK_SET)
        content = os.read(fd, 1 << 16).decode("utf-8", errors="replace").strip()
        if not content:
            return None
        try:
            return Holder(**json.loads(content))
        except (ValueError, TypeError):
            log.warning("ignoring the unreadable warehouse lock file %s: %r", self.path, content[:200])
            return None

    @staticmethod
    def _write(fd: int, holder: Holder | None) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        if holder is not None:
            os.write(fd, (json.dumps(asdict(holder)) + "\n").encode("utf-8"))
        os.fsync(fd)

    def _holds(self, holder: Holder) -> bool:
        """Whether `holder` still holds the lock (see the module's docstring)."""
        same_host = holder.host == socket.gethostname()
        if same_host:
            started = _process_started(holder.pid)
            if started is not None and abs(started - holder.pid_started) < 1.0:
                return True
            if holder.one_process:
                return False  # its one process is gone, and the run with it
        active = self.is_active(holder) if self.is_active else None
        if active is not None:
            return active
        return not same_host  # another host's process cannot be looked at: it holds until it lets go

    def _live_holder(self, fd: int) -> Holder | None:
        holder = self._read(fd)
        if holder is not None and not self._holds(holder):
            log.warning("the warehouse lock of %s is stale: that run or command has ended", holder.describe())
            return None
        return holder

    def holder(self) -> Holder | None:
        """Who holds the warehouse now, or None."""
        with self._file() as fd:
            return self._live_holder(fd)

    def acquire(
        self, run_id: str, *, by: str, date: str | None = None, wait: float = 0.0, one_process: bool = True
    ) -> Holder:
        """Take the lock for `run_id`, waiting up to `wait` seconds; raises WarehouseBusy naming the holder.

        `one_process`: the holder's later writes (confirm) come from this same
        process. Taking it again for the same run (a retried task) is allowed.
        """
        started = time.monotonic()
        announced = False
        while True:
            with self._file() as fd:
                current = self._live_holder(fd)
                if current is None or current.run_id == run_id:
                    mine = _this_process(run_id, by, date, one_process, since=current.since if current else None)
                    self._write(fd, mine)
                    return mine
            waited = time.monotonic() - started
            if waited >= wait:
                raise WarehouseBusy(current, waited)
            if not announced:
                log.info("waiting up to %.0f s for the warehouse: it is being written by %s", wait, current.describe())
                announced = True
            time.sleep(min(POLL_SECONDS, max(wait - waited, 0.01)))

    def confirm(self, run_id: str) -> Holder:
        """Before a write: check `run_id` still holds the lock and record this process as its holder."""
        with self._file() as fd:
            current = self._live_holder(fd)
            if current is None or current.run_id != run_id:
                held = f"it is held by {current.describe()}" if current else "nobody holds it"
                raise LockLost(
                    f"run {run_id} does not hold the warehouse lock ({held}): its build copy may have been"
                    " replaced, so it stops here; run the date again"
                )
            mine = _this_process(run_id, current.by, current.date, current.one_process, since=current.since)
            self._write(fd, mine)
            return mine

    def release(self, run_id: str) -> bool:
        """Let go of the lock if `run_id` holds it; returns whether it did."""
        with self._file() as fd:
            current = self._read(fd)
            if current is None or current.run_id != run_id:
                return False
            self._write(fd, None)
            return True

    @contextmanager
    def held(self, run_id: str, *, by: str, date: str | None = None, wait: float = 0.0) -> Iterator[Holder]:
        """Hold the lock for the block (a command such as rollback)."""
        holder = self.acquire(run_id, by=by, date=date, wait=wait)
        try:
            yield holder
        finally:
            self.release(run_id)


def airflow_run_in_one_process() -> bool:
    """Whether this task's run runs every task in this process: `airflow dags test` (DAG.test) does."""
    from airflow.sdk import get_current_context

    return get_current_context()["dag_run"].triggering_user_name == "dag_test"  # as DAG.test names its runs


def airflow_run_is_active(holder: Holder) -> bool | None:
    """Whether the holder's Airflow run is still queued or running, asked from inside a task; None if unknown."""
    from airflow.sdk import get_current_context

    try:
        state = get_current_context()["ti"].get_dagrun_state(dag_id=holder.by, run_id=holder.run_id)
    except Exception:  # not an Airflow run this Airflow knows, or not inside a task
        return None
    return getattr(state, "value", state) in {"queued", "running"}


def warehouse_lock(is_active: RunIsActive | None = None) -> WarehouseLock:
    """The writer lock of the warehouse under NEWSDESK_HOME."""
    return WarehouseLock(config.paths().writer_lock, is_active=is_active)
