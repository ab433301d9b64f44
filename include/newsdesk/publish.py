"""Publish the checked warehouse: replace the analysts' file atomically.

The build file is checkpointed (so no committed data sits only in its WAL),
copied next to the published file, flushed to disk, then renamed over it.
A reader that has the old file open keeps reading the old inode; a new reader
opens either the old or the new warehouse, never a half-written one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb


def checkpoint(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("CHECKPOINT")


def publish(warehouse: Path, published: Path) -> Path:
    """Copy `warehouse` to `published` atomically; returns the published path."""
    warehouse, published = Path(warehouse), Path(published)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse to publish at {warehouse}")
    checkpoint(warehouse)
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.incoming")
    shutil.copyfile(warehouse, staging)
    with open(staging, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return published


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
