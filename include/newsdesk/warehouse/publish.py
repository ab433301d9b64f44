"""Publish the checked warehouse: replace the analysts' file atomically, keep snapshots, roll back.

The build file is checkpointed (so no committed data sits only in its WAL),
copied next to the published file, flushed to disk, then renamed over it.
A reader that has the old file open keeps reading the old inode; a new reader
opens either the old or the new warehouse, never a half-written one.

Each publish also keeps a copy of the checked build under `snapshots/`.
Snapshots never share a file with the published warehouse or the build (a
hard link would: one more copy per publish is the price), and the next run's
build is copied from the current snapshot (named in `snapshots/CURRENT`), so a client that opens the published
file read-write changes neither the snapshots nor the next publish. The
newest `keep` snapshots are kept; `rollback` copies one of them back in place
the same atomic way."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SNAPSHOT_SUFFIX = ".duckdb"
CURRENT_POINTER = "CURRENT"  # in the snapshots folder: the name of the snapshot that is published


class RollbackError(RuntimeError):
    """The requested snapshot does not exist, or there is none before the current one."""


def checkpoint(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CHECKPOINT")


def publish(
    warehouse: Path,
    published: Path,
    *,
    snapshots: Path | None = None,
    label: str = "",
    keep: int = 7,
) -> Path:
    """Copy `warehouse` to `published` atomically; returns the published path.

    With `snapshots`, the checked build is also kept there as `<UTC time>__<label>.duckdb`
    and all but the newest `keep` snapshots are removed.
    """
    warehouse, published = Path(warehouse), Path(published)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse to publish at {warehouse}")
    checkpoint(warehouse)
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.incoming")
    shutil.copyfile(warehouse, staging)
    _replace_durably(staging, published)
    if snapshots is not None:
        kept = keep_snapshot(warehouse, Path(snapshots), label)
        _point_at(Path(snapshots), kept)
        prune_snapshots(Path(snapshots), keep)
    return published


def _replace_durably(staging: Path, target: Path) -> None:
    """fsync `staging`, rename it over `target`, fsync the folder: the rename survives a crash."""
    with open(staging, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def snapshot_name(label: str, when: datetime | None = None) -> str:
    """`<UTC time>__<label>.duckdb` with the label made filesystem-safe; names sort by publish time."""
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_")
    return f"{stamp}__{safe}{SNAPSHOT_SUFFIX}" if safe else f"{stamp}{SNAPSHOT_SUFFIX}"


def keep_snapshot(build: Path, snapshots: Path, label: str) -> Path:
    snapshots.mkdir(parents=True, exist_ok=True)
    target = snapshots / snapshot_name(label)
    staging = snapshots / f".{target.name}.incoming"
    shutil.copyfile(build, staging)
    _replace_durably(staging, target)
    return target


def _point_at(snapshots: Path, snapshot: Path) -> None:
    staging = snapshots / f".{CURRENT_POINTER}.incoming"
    staging.write_text(snapshot.name + "\n", encoding="utf-8")
    _replace_durably(staging, snapshots / CURRENT_POINTER)


def list_snapshots(snapshots: Path) -> list[Path]:
    """Snapshots, oldest first."""
    return sorted(Path(snapshots).glob(f"*{SNAPSHOT_SUFFIX}")) if Path(snapshots).is_dir() else []


def prune_snapshots(snapshots: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` snapshots; returns the removed ones."""
    removed = list_snapshots(snapshots)[:-keep] if keep > 0 else list_snapshots(snapshots)
    for path in removed:
        path.unlink()
    return removed


def current_snapshot(published: Path, snapshots: Path) -> Path | None:
    """The snapshot that was published last (by publish or rollback); in a home without the pointer, the one
    holding the same data as the published file (same inode, else same checksum)."""
    if not Path(published).is_file():
        return None
    candidates = list_snapshots(snapshots)
    pointer = Path(snapshots) / CURRENT_POINTER
    if pointer.is_file():
        named = Path(snapshots) / pointer.read_text(encoding="utf-8").strip()
        if named in candidates:
            return named
    published_stat = Path(published).stat()
    for path in reversed(candidates):
        if os.path.samestat(path.stat(), published_stat):
            return path
    digest = file_sha256(published)
    return next((path for path in reversed(candidates) if file_sha256(path) == digest), None)


def rollback(published: Path, snapshots: Path, to: str | None = None) -> Path:
    """Put a snapshot back as the published file, atomically; returns the snapshot restored.

    `to` names a snapshot (its file name, with or without `.duckdb`); by default
    the one before the current.
    """
    available = list_snapshots(snapshots)
    if to is not None:
        name = to if to.endswith(SNAPSHOT_SUFFIX) else to + SNAPSHOT_SUFFIX
        chosen = Path(snapshots) / Path(name).name
        if chosen not in available:
            raise RollbackError(f"no snapshot {name} in {snapshots} (newsdesk rollback --list shows them)")
    else:
        current = current_snapshot(published, snapshots)
        if current is None:
            raise RollbackError(f"the published file matches no snapshot in {snapshots}; name one with --to")
        earlier = available[: available.index(current)]
        if not earlier:
            raise RollbackError(f"no snapshot older than the current one ({current.name})")
        chosen = earlier[-1]
    staging = Path(published).with_name(f".{Path(published).name}.incoming")
    staging.unlink(missing_ok=True)
    shutil.copyfile(chosen, staging)  # a copy: the published file is the one file a client may open read-write
    _replace_durably(staging, Path(published))
    _point_at(Path(snapshots), chosen)
    return chosen


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
