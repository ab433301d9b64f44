"""Write-audit-publish: every run works on a fresh copy of the published warehouse.

The published warehouse is the only state that outlives a run. Each run starts
by replacing the build copy with a copy of its current snapshot (the file the
last publish or rollback put in place, which no client opens read-write), or
of the published file in a home without snapshots, or with an empty warehouse
when nothing was published yet; so a run that failed at the gate, or was
killed half-way through the load or dbt, leaves nothing a later run could
inherit, and neither does an analyst's read-write client.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)


def wal_path(warehouse: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return Path(warehouse).with_name(Path(warehouse).name + ".wal")


def fresh_build_copy(published: Path, build: Path, snapshots: Path | None = None) -> Path:
    """Replace `build` with a copy of the current snapshot in `snapshots`, else of `published` (or an empty
    warehouse); returns `build`.

    The copy is written beside `build` and renamed over it, and the build's
    WAL is removed first: a killed run's WAL must not be replayed into the new copy.
    """
    from newsdesk.warehouse.publish import current_snapshot

    current = current_snapshot(published, snapshots) if snapshots is not None else None
    origin, build = Path(current or published), Path(build)
    build.parent.mkdir(parents=True, exist_ok=True)
    incoming = build.with_name(f".{build.name}.incoming")
    incoming.unlink(missing_ok=True)
    wal_path(incoming).unlink(missing_ok=True)
    if origin.is_file():
        # Snapshots and published files are never written by a run after their rename, so a plain copy is consistent.
        shutil.copyfile(origin, incoming)
        source = str(origin)
    else:
        duckdb.connect(str(incoming)).close()
        source = "an empty warehouse (nothing published yet)"
    wal_path(build).unlink(missing_ok=True)
    os.replace(incoming, build)
    log.info("build copy %s made from %s", build, source)
    return build
