"""Published snapshots of the DuckLake: mark a commit published, reset the lake to one, roll back, expire.

Every commit to a lake is a snapshot, but only some are checked: a commit
is published when its author is `newsdesk publish` (`mark_published`, which
also logs a row in `ops.publishes`, since a commit needs a change). Readers
attach a published snapshot; the commits a failed or killed run left after
the last published one are undone by `reset_to`, which writes one commit
whose changes are only the rows those commits touched: rows they added are
deleted, rows they deleted or updated are put back from the snapshot (DuckLake
keeps a row's id across snapshots), so no step rewrites the archive. A table
they dropped, recreated (dbt's table models) or altered is copied back whole
from the snapshot, as are views; what they created is dropped. `ops.publishes`,
the log of publishes, is never reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from newsdesk.warehouse.lake import LAKE_ALIAS, Lake, LakeError, attach_sql, connect, current_snapshot, sql_literal

PUBLISH_AUTHOR = "newsdesk publish"
RESET_AUTHOR = "newsdesk reset"
PUBLISHES_TABLE = "ops.publishes"
ROLLBACK_LABEL = "rollback to snapshot "  # how a rollback's publish is labelled, before the snapshot it restores
_METADATA = f"__ducklake_metadata_{LAKE_ALIAS}"


class SnapshotError(RuntimeError):
    """No such published snapshot, or none to roll back to."""


@dataclass(frozen=True)
class Published:
    snapshot: int
    at: datetime
    label: str


@dataclass(frozen=True)
class Reset:
    """What `reset_to` did: tables whose changed rows it undid, tables it copied back whole, objects it dropped."""

    snapshot: int | None  # the reset's commit; None when the lake was at the snapshot already
    rows_undone: dict[str, int]
    copied_back: list[str]
    dropped: list[str]


def mark_published(conn: duckdb.DuckDBPyConnection, label: str) -> None:
    """Within the caller's open transaction: make its commit a published snapshot named `label`."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PUBLISHES_TABLE} (label VARCHAR, published_at TIMESTAMP)")
    conn.execute(f"INSERT INTO {PUBLISHES_TABLE} VALUES (?, timezone('UTC', now()))", [label])
    conn.execute(
        f"CALL ducklake_set_commit_message({sql_literal(LAKE_ALIAS)}, {sql_literal(PUBLISH_AUTHOR)}, {sql_literal(label)})"
    )


def published_snapshots(conn: duckdb.DuckDBPyConnection) -> list[Published]:
    """The lake's published snapshots, oldest first."""
    return [
        Published(snapshot, at, label)
        for snapshot, at, label in conn.execute(
            "SELECT snapshot_id, snapshot_time, commit_message FROM ducklake_snapshots(?) WHERE author = ?"
            " ORDER BY snapshot_id",
            [LAKE_ALIAS, PUBLISH_AUTHOR],
        ).fetchall()
    ]


def connect_published(lake: Lake) -> duckdb.DuckDBPyConnection:
    """A read-only connection pinned to the lake's last published snapshot, so a run's later commits stay unseen
    however long it is kept; LakeError when nothing is published."""
    conn = connect(lake, read_only=True)
    try:
        snapshot = last_published(conn)
        if snapshot is None:
            raise LakeError(f"nothing published yet in the lake {lake.shown}")
        conn.execute(f"USE memory; DETACH {LAKE_ALIAS}")
        conn.execute(attach_sql(lake, read_only=True, snapshot=snapshot))
    except BaseException:
        conn.close()
        raise
    return conn


def last_published(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The lake's last published snapshot, None before the first publish."""
    return conn.execute(
        "SELECT max(snapshot_id) FROM ducklake_snapshots(?) WHERE author = ?", [LAKE_ALIAS, PUBLISH_AUTHOR]
    ).fetchone()[0]


def _alive(kind: str, snapshot: int) -> str:
    """SQL for the metadata rows of `kind` (table, view) alive at `snapshot`: schema, name, id, and the view's SQL."""
    sql = "v.sql" if kind == "view" else "NULL"
    return (
        f"SELECT s.schema_name, v.{kind}_name AS name, v.{kind}_id AS id, {sql} AS sql"
        f" FROM {_METADATA}.ducklake_{kind} AS v JOIN {_METADATA}.ducklake_schema AS s USING (schema_id)"
        f" WHERE v.begin_snapshot <= {snapshot} AND coalesce(v.end_snapshot > {snapshot}, true)"
        f" AND s.begin_snapshot <= {snapshot} AND coalesce(s.end_snapshot > {snapshot}, true)"
    )


def _objects(conn: duckdb.DuckDBPyConnection, kind: str, snapshot: int) -> dict[tuple[str, str], tuple[int, str]]:
    return {(schema, name): (id_, sql) for schema, name, id_, sql in conn.execute(_alive(kind, snapshot)).fetchall()}


def _columns(conn: duckdb.DuckDBPyConnection, table_id: int, snapshot: int) -> list[tuple]:
    return conn.execute(
        f"SELECT column_order, column_name, column_type FROM {_METADATA}.ducklake_column WHERE table_id = ?"
        " AND begin_snapshot <= ? AND coalesce(end_snapshot > ?, true) ORDER BY ALL",
        [table_id, snapshot, snapshot],
    ).fetchall()


def _schemas(conn: duckdb.DuckDBPyConnection, snapshot: int) -> set[str]:
    return {
        name
        for (name,) in conn.execute(
            f"SELECT schema_name FROM {_METADATA}.ducklake_schema"
            " WHERE begin_snapshot <= ? AND coalesce(end_snapshot > ?, true)",
            [snapshot, snapshot],
        ).fetchall()
    }


def reset_to(conn: duckdb.DuckDBPyConnection, snapshot: int, *, published_as: str | None = None) -> Reset:
    """Make the lake's head hold what `snapshot` held, in one commit (see the module's docstring); with
    `published_as`, that commit is published under that label even when nothing had to be undone."""
    head = current_snapshot(conn)
    kept = {row[0] for row in conn.execute("SELECT snapshot_id FROM ducklake_snapshots(?)", [LAKE_ALIAS]).fetchall()}
    if snapshot not in kept or snapshot > head:
        raise SnapshotError(f"the lake has no snapshot {snapshot} (it has {min(kept)} to {head})")
    then_tables, now_tables = _objects(conn, "table", snapshot), _objects(conn, "table", head)
    then_views, now_views = _objects(conn, "view", snapshot), _objects(conn, "view", head)
    then_schemas, now_schemas = _schemas(conn, snapshot), _schemas(conn, head)
    undone: dict[str, int] = {}
    copied, dropped = [], []
    conn.execute("BEGIN TRANSACTION")
    try:
        for (schema, view), (view_id, _) in now_views.items():
            if then_views.get((schema, view), (None,))[0] != view_id:
                conn.execute(f'DROP VIEW "{schema}"."{view}"')
                dropped.append(f"view {schema}.{view}")
        for schema in sorted(then_schemas - now_schemas):
            conn.execute(f'CREATE SCHEMA "{schema}"')
        for schema, table in now_tables:
            if (schema, table) not in then_tables:
                conn.execute(f'DROP TABLE "{schema}"."{table}"')
                dropped.append(f"table {schema}.{table}")
        for (schema, table), (table_id, _) in then_tables.items():
            if f"{schema}.{table}" == PUBLISHES_TABLE:  # the log of every publish, rollbacks included, stays whole
                continue
            name = f'"{schema}"."{table}"'
            same = now_tables.get((schema, table), (None,))[0] == table_id
            if same and _columns(conn, table_id, snapshot) == _columns(conn, table_id, head):
                rows = _undo_rows(conn, schema, table, snapshot, head)
                if rows:
                    undone[f"{schema}.{table}"] = rows
            else:
                conn.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name} AT (VERSION => {snapshot})")
                copied.append(f"{schema}.{table}")
        for (schema, view), (view_id, sql) in then_views.items():
            if now_views.get((schema, view), (None,))[0] != view_id:
                conn.execute(f'CREATE VIEW "{schema}"."{view}" AS {sql}')
        for schema in sorted(now_schemas - then_schemas):
            conn.execute(f'DROP SCHEMA "{schema}"')
            dropped.append(f"schema {schema}")
        changed = bool(undone or copied or dropped or then_views.keys() - now_views.keys())
        if published_as is not None:
            mark_published(conn, published_as)
        elif changed:
            conn.execute(
                f"CALL ducklake_set_commit_message({sql_literal(LAKE_ALIAS)}, {sql_literal(RESET_AUTHOR)},"
                f" {sql_literal(f'back to snapshot {snapshot}')})"
            )
        conn.execute("COMMIT")
    except duckdb.Error:
        conn.execute("ROLLBACK")
        raise
    after = current_snapshot(conn)
    return Reset(after if after != head else None, undone, copied, dropped)


def _undo_rows(conn: duckdb.DuckDBPyConnection, schema: str, table: str, snapshot: int, head: int) -> int:
    """Undo the rows of one table that the commits after `snapshot` added, deleted or updated; returns how many."""
    if head == snapshot:
        return 0
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE lake_changes AS SELECT rowid AS row_id, change_type"
        " FROM ducklake_table_changes(?, ?, ?, ?, ?)",
        [LAKE_ALIAS, schema, table, snapshot + 1, head],
    )
    name = f'"{schema}"."{table}"'
    added, taken = conn.execute(
        "SELECT count(*) FILTER (WHERE change_type IN ('insert', 'update_postimage')),"
        " count(*) FILTER (WHERE change_type IN ('delete', 'update_preimage')) FROM lake_changes"
    ).fetchone()
    removed = restored = 0
    if added:
        removed = conn.execute(
            f"DELETE FROM {name} WHERE rowid IN"
            " (SELECT row_id FROM lake_changes WHERE change_type IN ('insert', 'update_postimage'))"
        ).fetchone()[0]
    if taken:  # scanning the snapshot for them costs a read of the table's row ids: only when some were taken
        restored = conn.execute(
            f"INSERT INTO {name} SELECT * FROM {name} AT (VERSION => {snapshot}) WHERE rowid IN"
            " (SELECT row_id FROM lake_changes WHERE change_type IN ('delete', 'update_preimage'))"
        ).fetchone()[0]
    conn.execute("DROP TABLE lake_changes")
    return removed + restored


def reset_to_published(conn: duckdb.DuckDBPyConnection) -> Reset:
    """Undo whatever was committed after the last published snapshot (a run that failed at the gate, or was killed).

    The base is the last commit that holds what was published: the publish itself, or a reset back to it (its tables
    copied back have new ids there, so a second reset starts from it and finds nothing to do); before any publish,
    the empty lake (snapshot 0)."""
    clean = conn.execute(
        "SELECT coalesce(max(snapshot_id), 0) FROM ducklake_snapshots(?) WHERE author IN (?, ?)",
        [LAKE_ALIAS, PUBLISH_AUTHOR, RESET_AUTHOR],
    ).fetchone()[0]
    return reset_to(conn, clean)


def rollback(conn: duckdb.DuckDBPyConnection, to: int | None = None) -> Published:
    """Publish again what an earlier published snapshot held (`to`, by default the one before the last): one commit
    that resets the lake to it and is itself published."""
    published = published_snapshots(conn)
    if to is None:
        if len(published) < 2:
            raise SnapshotError("no published snapshot before the last one")
        chosen = published[-2]
    else:
        chosen = next((entry for entry in published if entry.snapshot == to), None)
        if chosen is None:
            raise SnapshotError(
                f"snapshot {to} is not a published snapshot of the lake ({', '.join(str(p.snapshot) for p in published)})"
            )
    reset_to(conn, chosen.snapshot, published_as=f"{ROLLBACK_LABEL}{chosen.snapshot} ({chosen.label})")
    return published_snapshots(conn)[-1]


def expire(conn: duckdb.DuckDBPyConnection, *, keep_days: float) -> list[int]:
    """Expire the snapshots older than `keep_days`, but never the last published one or any after it, then delete
    the files no remaining snapshot uses. Returns the expired snapshot ids.

    Only the oldest snapshots go, so every snapshot after a kept one is kept and `reset_to` a kept published
    snapshot can undo row by row."""
    published = published_snapshots(conn)
    if not published:
        return []
    versions = [
        snapshot
        for (snapshot,) in conn.execute(
            "SELECT snapshot_id FROM ducklake_snapshots(?)"
            " WHERE snapshot_id < ? AND snapshot_time < now() - to_seconds(? * 86400.0) ORDER BY 1",
            [LAKE_ALIAS, published[-1].snapshot, keep_days],
        ).fetchall()
    ]
    if versions:
        conn.execute(f"CALL ducklake_expire_snapshots({sql_literal(LAKE_ALIAS)}, versions => ?)", [versions])
        conn.execute(f"CALL ducklake_cleanup_old_files({sql_literal(LAKE_ALIAS)}, cleanup_all => true)")
    return versions
