"""The warehouse as a DuckLake: a catalog database and Parquet data files.

The catalog lists tables, files and snapshots; every commit is one snapshot,
across any number of tables, and a reader in another process reads the
snapshot it attached while a writer commits (DuckDB's own file takes one
writing process and no reader beside it). The embedded default keeps the
catalog in SQLite and the data under NEWSDESK_HOME, with no server; many
machines point `NEWSDESK_LAKE_CATALOG` at PostgreSQL and
`NEWSDESK_LAKE_DATA_PATH` at a volume they share (docs/deploy.md).

`migrate` moves a published DuckDB file into an empty lake in one commit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsdesk import config
from newsdesk.warehouse.extensions import load_extension

log = logging.getLogger(__name__)

LAKE_ALIAS = "newsdesk"
# The catalog's kind -> the DuckDB extension that reads and writes it.
CATALOG_EXTENSIONS = {"sqlite": "sqlite", "postgres": "postgres"}
_MIGRATING = "migrating"  # the DuckDB file being migrated, attached read-only beside the lake
# What a DuckDB file may hold that a DuckLake cannot: each is rebuilt by the run that owns it.
_NOT_IN_A_LAKE = "SELECT 'macro ' || schema_name || '.' || function_name FROM duckdb_functions() WHERE database_name = $db AND NOT internal AND function_type IN ('macro', 'table_macro') UNION ALL SELECT 'sequence ' || schema_name || '.' || sequence_name FROM duckdb_sequences() WHERE database_name = $db"  # noqa: E501


class LakeError(RuntimeError):
    """The lake cannot be opened or written as asked."""


class LakeNotEmpty(LakeError):
    """A migration into a lake that already holds tables: it would mix two warehouses."""


@dataclass(frozen=True)
class Lake:
    """Where the lake lives: `catalog` is `sqlite:<file>` or `postgres:<libpq connection string>`, `data_path` the
    folder (or shared volume) of its Parquet files."""

    catalog: str
    data_path: str

    def __post_init__(self) -> None:
        if self.kind not in CATALOG_EXTENSIONS:
            raise LakeError(f"a lake catalog is sqlite:<file> or postgres:<connection string>, got {self.catalog!r}")

    @property
    def kind(self) -> str:
        return self.catalog.split(":", 1)[0]

    @property
    def location(self) -> str:
        return self.catalog.split(":", 1)[1]


def configured_lake() -> Lake:
    """The lake the settings name: NEWSDESK_LAKE_CATALOG and NEWSDESK_LAKE_DATA_PATH, by default SQLite and Parquet
    under NEWSDESK_HOME/lake."""
    paths = config.paths()
    return Lake(
        catalog=config.value("lake_catalog") or f"sqlite:{paths.lake / 'catalog.sqlite'}",
        data_path=config.value("lake_data_path") or str(paths.lake / "data"),
    )


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach_sql(lake: Lake, *, name: str = LAKE_ALIAS, read_only: bool = True, snapshot: int | None = None) -> str:
    """The statements that attach the lake in any DuckDB client with the ducklake extension (and sqlite or
    postgres for its catalog) and make it the default database; `snapshot` pins a snapshot."""
    options = [f"DATA_PATH {_quoted(lake.data_path.rstrip('/') + '/')}"]
    if read_only:
        options.append("READ_ONLY")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    return f"ATTACH {_quoted('ducklake:' + lake.catalog)} AS {name} ({', '.join(options)});\nUSE {name};"


def _load_extensions(conn: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    for extension in ("ducklake", CATALOG_EXTENSIONS[lake.kind]):
        load_extension(conn, extension)


def install_extensions() -> None:
    """Install DuckLake's extension and every catalog's from their wheels, for a client that loads them by name
    (dbt's lake target)."""
    with duckdb.connect() as conn:
        for extension in ("ducklake", *CATALOG_EXTENSIONS.values()):
            load_extension(conn, extension)


def connect(lake: Lake, *, read_only: bool = True, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as `newsdesk` and used; a writer's creates the catalog and the
    data folder of a new embedded lake."""
    if lake.kind == "sqlite":
        catalog_file = Path(lake.location)
        if read_only and not catalog_file.is_file():
            raise LakeError(f"no lake at {catalog_file}: `newsdesk migrate` makes one from a published warehouse")
        catalog_file.parent.mkdir(parents=True, exist_ok=True)
    if "://" not in lake.data_path:
        Path(lake.data_path).mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect()
    try:
        _load_extensions(conn, lake)
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute(attach_sql(lake, read_only=read_only, snapshot=snapshot))
    except duckdb.Error as error:
        conn.close()
        raise LakeError(f"cannot open the lake {lake.catalog}: {error}") from error
    return conn


def current_snapshot(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute(f"SELECT max(snapshot_id) FROM ducklake_snapshots({_quoted(LAKE_ALIAS)})").fetchone()[0]


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

    Left behind, and named in `Migrated.left`: macros and sequences (a lake holds neither; the run that made
    them makes them again) and views that do not answer in the file itself.
    """
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise LakeError(f"no DuckDB warehouse to migrate at {warehouse}")
    with connect(lake, read_only=False) as conn:
        held = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ?", [LAKE_ALIAS]).fetchone()[0]
        if held:
            raise LakeNotEmpty(f"the lake {lake.catalog} already holds {held} tables; migrate into an empty lake")
        conn.execute(f"ATTACH {_quoted(str(warehouse))} AS {_MIGRATING} (READ_ONLY)")
        tables = conn.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY ALL", [_MIGRATING]
        ).fetchall()
        views, left = _views_that_answer(conn)
        left += [
            f"{what}: a lake holds none" for (what,) in conn.execute(_NOT_IN_A_LAKE, {"db": _MIGRATING}).fetchall()
        ]
        conn.execute("BEGIN TRANSACTION")
        try:
            for schema in sorted({schema for schema, _ in tables} | {schema for schema, _, _ in views}):
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
            conn.execute(
                f"CALL ducklake_set_commit_message({_quoted(LAKE_ALIAS)}, 'newsdesk migrate',"
                f" {_quoted(f'migrated from {warehouse}')})"
            )
            conn.execute("COMMIT")
        except duckdb.Error as error:
            conn.execute("ROLLBACK")
            raise LakeError(
                f"migrating {warehouse} into {lake.catalog} failed, the lake is unchanged: {error}"
            ) from error
        snapshot = current_snapshot(conn)
    log.info(
        "migrated %d tables and %d views of %s into %s (snapshot %d)",
        len(rows),
        len(views),
        warehouse,
        lake.catalog,
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
