"""The warehouse as a DuckLake: a catalog database and Parquet data files.

The catalog lists tables, files and snapshots; every commit is one snapshot,
across any number of tables, and a reader in another process reads the
snapshot it attached while a writer commits (DuckDB's own file takes one
writing process and no reader beside it). The embedded default keeps the
catalog in SQLite and the data under NEWSDESK_HOME, with no server; many
machines point `NEWSDESK_LAKE_CATALOG` at PostgreSQL and
`NEWSDESK_LAKE_DATA_PATH` at a volume they share (docs/deploy.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsdesk import config
from newsdesk.warehouse.extensions import load_extension

LAKE_ALIAS = "newsdesk"
# The catalog's kind -> the DuckDB extension that reads and writes it.
CATALOG_EXTENSIONS = {"sqlite": "sqlite", "postgres": "postgres"}
SQLITE_BUSY_TIMEOUT_MS = 10_000  # how long a SQLite catalog's user waits for a lock before "database is locked"


class LakeError(RuntimeError):
    """The lake cannot be opened or written as asked."""


class NoLake(LakeError):
    """No lake at the catalog's place yet: no run has written one."""


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

    @property
    def shown(self) -> str:
        """The catalog as messages, logs and pages show it: a PostgreSQL connection string's password left out."""
        return re.sub(r"password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", "password=...", self.catalog)


def configured_lake(paths: config.Paths | None = None) -> Lake:
    """The lake the settings name: NEWSDESK_LAKE_CATALOG and NEWSDESK_LAKE_DATA_PATH, by default SQLite and Parquet
    under the home's `lake` folder (`paths`, by default NEWSDESK_HOME's)."""
    paths = paths or config.paths()
    return Lake(
        catalog=config.value("lake_catalog") or f"sqlite:{paths.lake / 'catalog.sqlite'}",
        data_path=config.value("lake_data_path") or str(paths.lake / "data"),
    )


def sql_literal(text: str) -> str:
    """`text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def attach_sql(lake: Lake, *, name: str = LAKE_ALIAS, read_only: bool = True, snapshot: int | None = None) -> str:
    """The statements that attach the lake in any DuckDB client with the ducklake extension (and sqlite or
    postgres for its catalog) and make it the default database; `snapshot` pins a snapshot."""
    options = [f"DATA_PATH {sql_literal(lake.data_path.rstrip('/') + '/')}"]
    if lake.kind == "sqlite":
        # A reader's query during a run's commit met "database is locked" in SQLite's default journal mode. In WAL
        # mode (set by a writer, kept by the file) readers go on while a commit is written; the busy timeout
        # waits out the moments SQLite still locks the file (the last connection checkpointing as it closes).
        options.append(f"META_BUSY_TIMEOUT {SQLITE_BUSY_TIMEOUT_MS}")
        if not read_only:
            options.append("META_JOURNAL_MODE 'WAL'")
    if read_only:
        options.append("READ_ONLY")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    return f"ATTACH {sql_literal('ducklake:' + lake.catalog)} AS {name} ({', '.join(options)});\nUSE {name};"


def _load_extensions(conn: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    for extension in ("ducklake", CATALOG_EXTENSIONS[lake.kind]):
        load_extension(conn, extension)


def install_extensions() -> None:
    """Install DuckLake's extension and every catalog's from their wheels, for a client that loads them by name
    (dbt's lake target)."""
    with duckdb.connect() as conn:
        for extension in ("ducklake", *CATALOG_EXTENSIONS.values()):
            load_extension(conn, extension)


def spill_folder() -> Path:
    """Where a lake's DuckDB, in memory, spills (NEWSDESK_HOME's `spill`, made if missing): without one it would
    spill into the working folder."""
    spill = config.paths().spill
    spill.mkdir(parents=True, exist_ok=True)
    return spill


def connect(lake: Lake, *, read_only: bool = True, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as `newsdesk` and used; a writer's creates the catalog and the
    data folder of a new embedded lake."""
    if lake.kind == "sqlite":
        catalog_file = Path(lake.location)
        if read_only and not catalog_file.is_file():
            raise NoLake(
                f"no lake at {catalog_file} yet (a run makes it; `newsdesk migrate` moves a published DuckDB file in)"
            )
        catalog_file.parent.mkdir(parents=True, exist_ok=True)
    if "://" not in lake.data_path:
        Path(lake.data_path).mkdir(parents=True, exist_ok=True)
    # set when the database opens, as dbt's lake target does: DuckDB refuses to move it once a query has spilled
    conn = duckdb.connect(config={"temp_directory": str(spill_folder())})
    try:
        _load_extensions(conn, lake)
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute(attach_sql(lake, read_only=read_only, snapshot=snapshot))
    except duckdb.Error as error:
        conn.close()
        raise LakeError(f"cannot open the lake {lake.shown}: {error}") from error
    return conn


def current_snapshot(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute(f"SELECT max(snapshot_id) FROM ducklake_snapshots({sql_literal(LAKE_ALIAS)})").fetchone()[0]
