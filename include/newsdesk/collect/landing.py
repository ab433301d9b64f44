"""The landing zone's layout, in one place: every fetch attempt of a date, kept.

    landing/date=D/source=ID/attempt=<UTC time>-<8 hex>/
        raw/<n>-<sha256-12>.<ext>.gz    each fetched payload, as received
        fetches.jsonl                   one row per feed or page fetched
        records.jsonl, rejects.jsonl    the article records and the rejected items
        records.parquet                 the records again, typed, for a load that registers files as they are
        _manifest.json                  written last: the attempt is complete

An attempt is written into a hidden sibling folder and renamed into place
whole, so readers see complete attempts only. Attempts are never replaced by
a later fetch: a rerun, a backfill or an hourly collection adds one, and a
failed fetch leaves the good ones before it in place. Only `replay` rewrites
an attempt, from that attempt's own raw payloads.

Attempt names sort by the time they were started. A source folder that holds
a `_manifest.json` itself (the layout before attempts) counts as one attempt,
`legacy`, older than any other; replaying it writes `attempt=legacy/`, which
then stands in for it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

MANIFEST = "_manifest.json"
RECORDS = "records.jsonl"
RECORDS_PARQUET = "records.parquet"
REJECTS = "rejects.jsonl"
FETCHES = "fetches.jsonl"
RAW_DIR = "raw"
LEGACY_ATTEMPT_ID = "legacy"


def date_dir(landing_root: Path, day: date) -> Path:
    return Path(landing_root) / f"date={day.isoformat()}"


def source_dir(landing_root: Path, day: date, source_id: str) -> Path:
    return date_dir(landing_root, day) / f"source={source_id}"


def attempt_dir(landing_root: Path, day: date, source_id: str, attempt_id: str) -> Path:
    return source_dir(landing_root, day, source_id) / f"attempt={attempt_id}"


def new_attempt_id(now: datetime | None = None) -> str:
    """`<UTC time to the microsecond>-<8 hex>`: sorts by start time, unique across processes."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Attempt:
    """One complete fetch attempt of one source for one date."""

    source_id: str
    attempt_id: str
    path: Path

    @property
    def manifest(self) -> dict:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    def file(self, name: str) -> Path:
        return self.path / name


def attempts(landing_root: Path, day: date, source_id: str | None = None) -> list[Attempt]:
    """The complete attempts of date D (of one source, or of all), oldest first per source."""
    folders = (
        [source_dir(landing_root, day, source_id)]
        if source_id
        else sorted(date_dir(landing_root, day).glob("source=*"))
    )
    found = []
    for folder in folders:
        owner = folder.name.removeprefix("source=")
        named = {
            path.name.removeprefix("attempt="): path
            for path in sorted(folder.glob("attempt=*"))
            if (path / MANIFEST).exists()
        }
        legacy = named.pop(LEGACY_ATTEMPT_ID, folder if (folder / MANIFEST).exists() else None)
        if legacy is not None:
            found.append(Attempt(owner, LEGACY_ATTEMPT_ID, legacy))
        found += [Attempt(owner, attempt_id, path) for attempt_id, path in named.items()]
    return found


def landed_sources(landing_root: Path, day: date) -> list[str]:
    """Ids of the sources with at least one complete attempt for date D."""
    return sorted({attempt.source_id for attempt in attempts(landing_root, day)})


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class AttemptWriter:
    """Builds one attempt in a hidden sibling folder; `commit` renames it into place whole.

    `attempt_id` names an existing attempt to rewrite (replay); by default a new one.
    """

    def __init__(self, landing_root: Path, day: date, source_id: str, attempt_id: str | None = None) -> None:
        self.attempt_id = attempt_id or new_attempt_id()
        self.path = attempt_dir(landing_root, day, source_id, self.attempt_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.tmp-", dir=self.path.parent))
        (self.staging / RAW_DIR).mkdir()

    def write(self, relative: str, data: bytes | str) -> None:
        write_durably(self.staging / relative, data)

    def write_typed_parquet(self, jsonl: str, parquet: str, columns: dict[str, str]) -> None:
        """The attempt's JSON-lines file `jsonl`, typed by `columns`, also as the Parquet file `parquet`."""
        write_typed_parquet(self.staging / jsonl, self.staging / parquet, columns)

    def commit(self) -> None:
        """Rename the staging folder into place (over the attempt it rewrites, if any)."""
        retired = None
        if self.path.exists():
            retired = self.path.with_name(f".{self.path.name}.old-{uuid.uuid4().hex}")
            os.replace(self.path, retired)
        os.replace(self.staging, self.path)
        fsync_directory(self.path.parent)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def sql_file_list(files: list[Path]) -> str:
    """`files` as a SQL list of string literals, for DuckDB's readers."""
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def typed_jsonl_sql(files: list[Path], columns: dict[str, str]) -> str:
    """SQL reading JSON-lines landing files as text, then typing each column as `columns` says (ISO 8601
    timestamps as naive UTC), with each row's file in `filename`."""
    file_list = sql_file_list(files)
    as_text = ", ".join(f"'{name}': 'VARCHAR'" for name in columns)
    typed = ", ".join(
        f"timezone('UTC', CAST({name} AS TIMESTAMPTZ)) AS {name}"
        if kind == "TIMESTAMP"
        else f"CAST({name} AS {kind}) AS {name}"
        for name, kind in columns.items()
    )
    return (
        f"SELECT {typed}, filename"
        f" FROM read_json({file_list}, columns={{{as_text}}}, format='newline_delimited', filename=true)"
    )


def typed_landing_sql(files: list[Path], columns: dict[str, str]) -> str:
    """SQL reading landing files typed as `columns` say, with each row's file in `filename`: Parquet files as they
    are (typed when they landed: nothing to parse again), JSON-lines files through `typed_jsonl_sql`."""
    parquet = [f for f in files if f.suffix == ".parquet"]
    parts = [typed_jsonl_sql(jsonl, columns)] if (jsonl := [f for f in files if f.suffix != ".parquet"]) else []
    if parquet:
        parts.insert(
            0,
            f"SELECT {', '.join(columns)}, filename"
            f" FROM read_parquet({sql_file_list(parquet)}, filename=true, hive_partitioning=false, union_by_name=true)",
        )
    return " UNION ALL BY NAME ".join(parts)


def write_typed_parquet(jsonl: Path, parquet: Path, columns: dict[str, str]) -> None:
    """`jsonl` typed by `columns` as the Parquet file `parquet`, written and fsynced."""
    target = str(parquet).replace("'", "''")
    with _process_duckdb().cursor() as cursor:
        cursor.execute(
            f"COPY (SELECT * EXCLUDE (filename) FROM ({typed_jsonl_sql([jsonl], columns)}))"
            f" TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
        )
    with open(parquet, "rb") as handle:
        os.fsync(handle.fileno())


_duckdb_by_process: dict[int, duckdb.DuckDBPyConnection] = {}
_duckdb_lock = threading.Lock()
os.register_at_fork(after_in_child=lambda: globals().update(_duckdb_lock=threading.Lock()))


def _process_duckdb() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process for writing attempts' Parquet (opening one costs about 9 ms, three times the
    write of a feed's records); threads each take a cursor. A forked child opens its own, as a connection does not
    survive a fork; the parent's stays referenced, since closing it would wait for threads the child does not have."""
    with _duckdb_lock:
        if os.getpid() not in _duckdb_by_process:
            _duckdb_by_process[os.getpid()] = duckdb.connect()
        return _duckdb_by_process[os.getpid()]


def write_durably(path: Path, data: bytes | str) -> None:
    """Write and fsync; text is UTF-8 (a lone surrogate, which UTF-8 cannot hold, becomes "?")."""
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
