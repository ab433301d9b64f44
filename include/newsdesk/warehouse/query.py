"""`newsdesk sql`: one query on the published warehouse, read-only in fact.

The connection opens the published file (or attaches the lake's last
published snapshot) read-only and with DuckDB's external access off, then
locks its configuration: no file is written (COPY TO, EXPORT,
ATTACH ... READ_ONLY false), no file outside the warehouse is read (read_csv,
read_text, glob, ATTACH), no extension is installed or loaded, and no
setting can turn any of that back on. A refused statement is one line naming why.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.warehouse.lake import CATALOG_EXTENSIONS, LAKE_ALIAS, Lake
from newsdesk.warehouse.lake import attach_sql as lake_attach_sql
from newsdesk.warehouse.lake_snapshots import last_published
from newsdesk.warehouse.storage import NothingPublished, Warehouse, open_published

if TYPE_CHECKING:
    import duckdb

FORMATS = ("table", "csv", "json")
READ_ONLY_SETTINGS = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


class QueryRefused(RuntimeError):
    """The statement would write, read outside the warehouse, load an extension or change a setting."""


def connect_read_only(published: Warehouse) -> duckdb.DuckDBPyConnection:
    """The published warehouse, read-only, with every way out of it closed (see the module's docstring).

    Connections to one file in one process share a database: the first one closes the doors for all, the
    others find them closed.
    """
    conn = open_published(published)
    if not conn.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        if isinstance(published, Lake):  # its Parquet files are the warehouse: the one folder left open
            conn.execute("SET allowed_directories = [?]", [published.data_path.rstrip("/") + "/"])
        for setting, value in READ_ONLY_SETTINGS.items():  # lock_configuration last: the dict keeps this order
            conn.execute(f"SET {setting} = {str(value).lower()}")
    return conn


@dataclass
class _Held:
    """A process's open connection to one published warehouse, and the requests using it now."""

    version: object  # see _version
    connection: duckdb.DuckDBPyConnection
    users: int = 0


_held: dict[Warehouse, _Held] = {}
_held_lock = threading.Lock()


def _version(published: Warehouse, conn: duckdb.DuckDBPyConnection | None) -> object:
    """What tells a published version from the next: the file's inode and modification time (a publish puts a new
    file at the path), or the lake's last published snapshot (read through `conn`, which attached the lake)."""
    if isinstance(published, Lake):
        with conn.cursor() as cursor:
            return last_published(cursor)
    try:
        stat = Path(published).stat()
    except FileNotFoundError:
        raise NothingPublished(f"nothing published yet at {published}") from None
    return (stat.st_ino, stat.st_mtime_ns)


@contextlib.contextmanager
def published_cursor(published: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the published warehouse (as `connect_read_only`) from a connection the process keeps open, so
    pages and searches read from a warm cache instead of opening the file cold each time (at 1M articles a cold
    search took twice as long).

    A publish puts a new file at the path, or a new published snapshot in the lake: the next request opens it,
    once no request uses the old one (DuckDB would hand a new connection the old file's database while any
    connection to it is open), so a request that overlaps a publish may still show the version before.
    """
    if not isinstance(published, Lake):
        published = Path(published)
    with _held_lock:
        held = _held.get(published)
        # A file's version is read before opening it: a publish in between makes the next request reopen.
        version = None if isinstance(published, Lake) else _version(published, None)
        if held is not None and held.users == 0 and held.version != (version or _version(published, held.connection)):
            held.connection.close()
            held = None
        if held is None:
            connection = connect_read_only(published)
            held = _held[published] = _Held(version or _version(published, connection), connection)
        held.users += 1
        cursor = held.connection.cursor()
        if isinstance(published, Lake):  # a cursor starts in the connection's own database, not the one it USEs
            cursor.execute(f"USE {LAKE_ALIAS}")
    try:
        yield cursor
    finally:
        with _held_lock:
            cursor.close()
            held.users -= 1


def attach_sql(published: Warehouse, name: str = "newsdesk") -> str:
    """The statements, separated by semicolons, that attach the published warehouse read-only in a DuckDB client
    (CLI, Python, DBeaver) and make it the default database. A client goes on reading the version it attached
    until it attaches again: publishing replaces the file by an atomic rename, and a lake's attach is pinned to
    its last published snapshot."""
    if isinstance(published, Lake):
        with open_published(published) as conn:
            snapshot = last_published(conn)
        extensions = ("ducklake", CATALOG_EXTENSIONS[published.kind])
        return "".join(f"INSTALL {ext};\nLOAD {ext};\n" for ext in extensions) + lake_attach_sql(
            published, name=name, snapshot=snapshot
        )
    published = Path(published).resolve()
    if not published.is_file():
        raise NothingPublished(f"nothing published yet at {published}")
    quoted = str(published).replace("'", "''")
    return f"ATTACH '{quoted}' AS {name} (READ_ONLY);\nUSE {name};"


def run_query(published: Warehouse, query: str, *, output_format: str = "table", max_rows: int = 40) -> str:
    """The result of `query` on the published warehouse as text in `output_format` (table, csv or json)."""
    import duckdb

    if output_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {output_format!r}")
    # A lake's reader may reach its data folder (its Parquet files are the warehouse), so a statement that writes
    # files is refused by its kind before it runs.
    writes_files = {duckdb.StatementType.COPY, duckdb.StatementType.EXPORT, duckdb.StatementType.COPY_DATABASE}
    try:
        kinds = {statement.type for statement in duckdb.extract_statements(query)}
    except duckdb.ParserException:
        kinds = set()  # the query itself says what is wrong with it, below
    if kinds & writes_files:
        raise QueryRefused(_refusal(duckdb.PermissionException("COPY and EXPORT write files")))
    with connect_read_only(published) as conn:
        try:
            relation = conn.sql(query)
            if relation is None:  # a statement, not a query: the ones that get this far change nothing
                return ""
            if output_format == "table":
                return _table(relation, max_rows)
            columns = relation.columns
            rows = relation.fetchall()
        except duckdb.PermissionException as error:
            raise QueryRefused(_refusal(error)) from None
        except duckdb.InvalidInputException as error:
            if not any(reason in str(error) for reason in ("read-only mode", "configuration has been locked")):
                raise
            raise QueryRefused(_refusal(error)) from None
    if output_format == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return text.getvalue()
    return json.dumps([dict(zip(columns, row)) for row in rows], default=_json_value, ensure_ascii=False, indent=1)


def _table(relation: duckdb.DuckDBPyRelation, max_rows: int) -> str:
    """DuckDB's box rendering, as the duckdb CLI prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        relation.show(max_rows=max_rows)
    return out.getvalue()


def _refusal(error: duckdb.Error) -> str:
    detail = str(error).strip().splitlines()[0]
    for prefix in ("Permission Error: ", "Invalid Input Error: "):
        detail = detail.removeprefix(prefix)
    return f"refused, the warehouse is read-only and nothing outside it can be reached: {detail}"


def _json_value(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return str(value)
