"""What analysts read, whichever storage a home uses (NEWSDESK_STORAGE): a connection to the published warehouse,
and a mark that changes with each publish and with nothing else."""

from __future__ import annotations

from pathlib import Path

import duckdb

from newsdesk.config import Paths
from newsdesk.warehouse.lake import Lake, connect
from newsdesk.warehouse.lake_snapshots import ROLLBACK_LABEL, last_published, mark_published, published_snapshots
from newsdesk.warehouse.publish import current_snapshot, file_sha256, list_snapshots
from newsdesk.warehouse.storage import Warehouse, open_published, published_target


def read_published(where: Paths | Warehouse) -> duckdb.DuckDBPyConnection:
    """A read-only connection to what analysts see of a home (its `Paths`) or of a warehouse."""
    return open_published(published_target(where) if isinstance(where, Paths) else where)


def published_mark(paths: Paths) -> object:
    """The published file's checksum, or the lake's last published snapshot: equal marks, equal published data (a
    reader of the lake is pinned to that snapshot, whose files no later commit changes)."""
    published = published_target(paths)
    if isinstance(published, Lake):
        with connect(published, read_only=True) as conn:
            return ("snapshot", last_published(conn))
    return ("sha256", file_sha256(Path(published)))


def runs_published(paths: Paths) -> int:
    """How many runs' publishes the home keeps to roll back to: the file's snapshots, or the lake's published
    snapshots but those a rollback published."""
    published = published_target(paths)
    if isinstance(published, Lake):
        with connect(published, read_only=True) as conn:
            return sum(not entry.label.startswith(ROLLBACK_LABEL) for entry in published_snapshots(conn))
    return len(list_snapshots(paths.snapshots))


def change_what_runs_start_from(paths: Paths, sql: str) -> None:
    """Run `sql` on what the next run builds from: the file's current snapshot, or the lake, as a published commit."""
    published = published_target(paths)
    if isinstance(published, Lake):
        with connect(published, read_only=False) as conn:
            conn.execute("BEGIN TRANSACTION")
            conn.execute(sql)
            mark_published(conn, "changed by a test")
            conn.execute("COMMIT")
        return
    with duckdb.connect(str(current_snapshot(paths.published, paths.snapshots))) as conn:
        conn.execute(sql)
