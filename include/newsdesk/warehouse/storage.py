"""Where the warehouse lives, and the one way every step opens it.

Two kinds (setting NEWSDESK_STORAGE):

- `file`: one DuckDB file. A run builds a copy of the published file
  (newsdesk.warehouse.build_copy) and publish puts the checked copy in its
  place (newsdesk.warehouse.publish).
- `lake`: the DuckLake (newsdesk.warehouse.lake). A run writes to the lake's
  head; publish is a commit (newsdesk.warehouse.lake_snapshots), and readers
  attach the last published snapshot, so no step copies the archive.

A `Warehouse` is the file's path or the `Lake`; `open_warehouse` gives a
connection with it as the default database either way, so the load, dbt,
the search index, the gate and the ledger are the same code on both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from newsdesk import config
from newsdesk.warehouse.lake import Lake, LakeError, configured_lake, connect
from newsdesk.warehouse.lake_snapshots import connect_published

if TYPE_CHECKING:
    from newsdesk.config import Paths

Warehouse = Path | Lake


class NothingPublished(FileNotFoundError):
    """No published warehouse to read yet."""


def on_lake() -> bool:
    return config.value("storage") == "lake"


def build_target(paths: Paths) -> Warehouse:
    """What a run writes: the build copy of the file, or the lake's head."""
    return configured_lake(paths) if on_lake() else paths.warehouse


def published_target(paths: Paths) -> Warehouse:
    """What analysts read: the published file, or the lake (its last published snapshot)."""
    return configured_lake(paths) if on_lake() else paths.published


def published_uri(paths: Paths) -> str:
    """A URI naming what analysts read, for the publish task's Airflow asset: the published file, or the lake's
    data folder."""
    published = published_target(paths)
    if isinstance(published, Lake):
        data = published.data_path
        return data if "://" in data else Path(data).resolve().as_uri()
    return Path(published).resolve().as_uri()


def open_warehouse(warehouse: Warehouse, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse as it is now (a lake's head), the warehouse its default database."""
    if isinstance(warehouse, Lake):
        return connect(warehouse, read_only=read_only)
    if read_only and not Path(warehouse).is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}")
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(warehouse), read_only=read_only)


def open_published(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    """A read-only connection to what analysts see: the published file, or the lake's last published snapshot."""
    if isinstance(warehouse, Lake):
        try:
            return connect_published(warehouse)
        except LakeError as error:
            raise NothingPublished(str(error)) from None
    if not Path(warehouse).is_file():
        raise NothingPublished(f"nothing published yet at {warehouse}")
    return duckdb.connect(str(warehouse), read_only=True)


def describe(warehouse: Warehouse) -> str:
    """Where the warehouse is, for a person: the file's path, or the lake's catalog and data."""
    if isinstance(warehouse, Lake):
        return f"the lake {warehouse.shown} (data in {warehouse.data_path})"
    return str(warehouse)
