"""`newsdesk migrate`: a published DuckDB warehouse into an empty DuckLake, in one published commit."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsdesk.warehouse.lake import LAKE_ALIAS, Lake, LakeError, connect, current_snapshot, sql_literal
from newsdesk.warehouse.lake_snapshots import mark_published

log = logging.getLogger(__name__)

_MIGRATING = "migrating"  # the DuckDB file being migrated, attached read-only beside the lake
_MACROS = (
    "SELECT schema_name, function_name, function_type = 'table_macro', parameters, macro_definition"
    " FROM duckdb_functions() WHERE database_name = ? AND NOT internal AND function_type IN ('macro', 'table_macro')"
)
# A sequence has no place in a lake, and nothing uses the one an older search index made.
_SEQUENCES = "SELECT schema_name || '.' || sequence_name FROM duckdb_sequences() WHERE database_name = ?"


class LakeNotEmpty(LakeError):
    """A migration into a lake that already holds tables: it would mix two warehouses."""


@dataclass(frozen=True)
class Migrated:
    """What a migration committed: rows per table (`schema.table`), the views, the lake snapshot; and what stayed
    behind with why."""

    tables: dict[str, int]
    views: list[str]
    snapshot: int
    left: list[str] = field(default_factory=list)


def migrate(warehouse: Path, lake: Lake) -> Migrated:
    """Copy every table and view of the DuckDB file `warehouse` into the empty `lake`, in one commit: a reader of
    the lake sees none of it or all of it, and a migration stopped half-way leaves the lake empty.

    Macros come along (the search index's BM25 macro). Left behind, and named in `Migrated.left`: sequences
    (`_SEQUENCES`), views that do not answer in the file itself and views the file holds no SQL for.
    """
    warehouse = Path(warehouse).resolve()
    if not warehouse.is_file():
        raise LakeError(f"no DuckDB warehouse to migrate at {warehouse}")
    with connect(lake, read_only=False) as conn:
        held = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", [LAKE_ALIAS]).fetchone()[0]
        if held:
            raise LakeNotEmpty(f"the lake {lake.shown} already holds {held} tables; migrate into an empty lake")
        conn.execute(f"ATTACH {sql_literal(str(warehouse))} AS {_MIGRATING} (READ_ONLY)")
        tables = conn.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY ALL", [_MIGRATING]
        ).fetchall()
        views, left = _views_that_answer(conn)
        macros = conn.execute(_MACROS, [_MIGRATING]).fetchall()
        left += [
            f"sequence {name}: a lake holds none, and nothing uses it"
            for (name,) in conn.execute(_SEQUENCES, [_MIGRATING]).fetchall()
        ]
        conn.execute("BEGIN TRANSACTION")
        try:
            for schema in sorted({entry[0] for entry in (*tables, *views, *macros)}):
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS {LAKE_ALIAS}."{schema}"')
            rows = {}
            for schema, table in tables:
                conn.execute(
                    f'CREATE TABLE {LAKE_ALIAS}."{schema}"."{table}" AS SELECT * FROM {_MIGRATING}."{schema}"."{table}"'
                )
                rows[f"{schema}.{table}"] = conn.execute(
                    f'SELECT count(*) FROM {LAKE_ALIAS}."{schema}"."{table}"'
                ).fetchone()[0]
            for _, _, sql in views:
                conn.execute(sql)
            for schema, name, is_table, parameters, definition in macros:  # the search index's BM25 macro
                conn.execute(
                    f'CREATE MACRO {LAKE_ALIAS}."{schema}"."{name}"({", ".join(parameters)})'
                    f" AS {'TABLE ' if is_table else ''}{definition}"
                )
            mark_published(conn, f"migrated from {warehouse}")
            conn.execute("COMMIT")
        except duckdb.Error as error:
            conn.execute("ROLLBACK")
            raise LakeError(
                f"migrating {warehouse} into {lake.shown} failed, the lake is unchanged: {error}"
            ) from error
        snapshot = current_snapshot(conn)
    log.info(
        "migrated %d tables and %d views of %s into %s (snapshot %d)",
        len(rows),
        len(views),
        warehouse,
        lake.shown,
        snapshot,
    )
    return Migrated(tables=rows, views=[f"{schema}.{view}" for schema, view, _ in views], snapshot=snapshot, left=left)


def _views_that_answer(conn: duckdb.DuckDBPyConnection) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The file's views that answer, as (schema, view, CREATE statement) in an order where each comes after the views
    it reads; and a line for each view that does not answer in the file either."""
    found = conn.execute(
        "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name = ? AND NOT internal ORDER BY ALL",
        [_MIGRATING],
    ).fetchall()
    answering, left = [], []
    for schema, view, sql in found:
        if not (sql or "").strip():  # as COPY FROM DATABASE writes a lake's views into a file
            left.append(f"view {schema}.{view}: the file holds no SQL for it to be made again from")
            continue
        try:
            conn.execute(f'SELECT * FROM {_MIGRATING}."{schema}"."{view}" LIMIT 0')
        except duckdb.Error as error:
            left.append(f"view {schema}.{view}: does not answer in the file either ({str(error).splitlines()[0]})")
            continue
        answering.append((schema, view, sql))
    ordered, placed = [], set()
    while answering:  # a view after the views its SQL names
        ready = [
            entry
            for entry in answering
            if not any(
                re.search(rf"\b{re.escape(other[1])}\b", entry[2]) and other[:2] not in placed
                for other in answering
                if other is not entry
            )
        ] or answering[:1]
        for entry in ready:
            ordered.append(entry)
            placed.add(entry[:2])
            answering.remove(entry)
    return ordered, left
