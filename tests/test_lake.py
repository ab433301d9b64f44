"""The DuckLake: a DuckDB warehouse migrates into it in one commit, and readers in other processes attach it.

Real parts: DuckDB files, DuckLakes with a SQLite catalog in tmp_path, the machine's PostgreSQL as a catalog
(skipped with a message where it does not answer), reader processes started with the SQL `attach_sql` prints.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from helpers.lake_state import read_in_another_process
from helpers.postgres import postgres_lake_catalog
from newsdesk.cli import main
from newsdesk.warehouse.lake import Lake, LakeError, attach_sql, connect, current_snapshot, sql_literal
from newsdesk.warehouse.lake_migrate import LakeNotEmpty, migrate
from newsdesk.warehouse.load import create_raw_schema

ARTICLES = 5_000


def _make_warehouse(path: Path, articles: int = ARTICLES) -> Path:
    """A DuckDB warehouse as today's code makes it: the raw schema with articles, a view on a view, and what a
    a macro, and a sequence (as older warehouses' search index had, which the migration leaves behind)."""
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        conn.execute(
            "INSERT INTO raw.articles (partition_date, source_id, url, title, body, published_at)"
            " SELECT DATE '2026-12-01' + (i % 3)::INTEGER, 'source-' || (i % 7), 'https://news.example/' || i,"
            " 'Title ' || i, repeat('word ', 50), TIMESTAMP '2026-12-01 06:00' + to_minutes(i::INTEGER)"
            " FROM range(?) AS t(i)",
            [articles],
        )
        conn.execute("CREATE SCHEMA staging")
        conn.execute(
            "CREATE VIEW staging.daily AS SELECT partition_date, count(*) AS articles FROM raw.articles GROUP BY 1"
        )
        conn.execute("CREATE VIEW main.busiest_day AS SELECT max(articles) AS articles FROM staging.daily")
        conn.execute("CREATE SCHEMA search")
        conn.execute("CREATE SEQUENCE search.document_ids")
        conn.execute("CREATE MACRO search.matching(q) AS TABLE SELECT url FROM raw.articles WHERE title = q")
    return path


@pytest.fixture
def lake(tmp_path) -> Lake:
    return Lake(catalog=f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}", data_path=str(tmp_path / "lake" / "data"))


def test_migrate_copies_every_table_and_view_in_one_commit(tmp_path, lake):
    warehouse = _make_warehouse(tmp_path / "newsdesk.duckdb")
    migrated = migrate(warehouse, lake)

    assert migrated.tables["raw.articles"] == ARTICLES
    assert set(migrated.views) == {"staging.daily", "main.busiest_day", "ops.rejected_items"}
    assert migrated.left == ["sequence search.document_ids: a lake holds none, and nothing uses it"]
    with connect(lake) as conn, duckdb.connect(str(warehouse), read_only=True) as original:
        for table, rows in migrated.tables.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows
            assert original.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows
        assert (
            conn.execute("SELECT * FROM busiest_day").fetchall()
            == original.execute("SELECT * FROM busiest_day").fetchall()
        )
        title = conn.execute("SELECT title FROM raw.articles LIMIT 1").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM search.matching(?)", [title]).fetchone()[0] >= 1  # came along
        assert (
            conn.execute("SELECT sum(hash(url, title, body)) FROM raw.articles").fetchone()
            == original.execute("SELECT sum(hash(url, title, body)) FROM raw.articles").fetchone()
        )
        commits = conn.execute("SELECT snapshot_id, commit_message FROM ducklake_snapshots('newsdesk')").fetchall()
    assert commits == [(0, None), (migrated.snapshot, f"migrated from {warehouse}")], (
        "one commit after the lake's creation"
    )
    assert list((tmp_path / "lake" / "data").rglob("*.parquet")), "the data is Parquet under the data path"


def test_migrate_refuses_a_lake_that_holds_tables_and_leaves_it_as_it_was(tmp_path, lake):
    migrate(_make_warehouse(tmp_path / "first.duckdb"), lake)
    with connect(lake) as conn:
        before = current_snapshot(conn)
    with pytest.raises(LakeNotEmpty, match=r"already holds \d+ tables; migrate into an empty lake"):
        migrate(_make_warehouse(tmp_path / "second.duckdb", articles=10), lake)
    with connect(lake) as conn:
        assert current_snapshot(conn) == before
        assert conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0] == ARTICLES


def test_a_failed_migration_leaves_the_lake_empty(tmp_path, lake):
    warehouse = _make_warehouse(tmp_path / "newsdesk.duckdb")
    with duckdb.connect(str(warehouse)) as conn:  # a column type DuckLake refuses, in the last table copied
        conn.execute("CREATE TABLE staging.z_unmigratable AS SELECT union_value(n := 1) AS value")
    with pytest.raises(LakeError, match="the lake is unchanged"):
        migrate(warehouse, lake)
    with connect(lake) as conn:
        assert conn.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'newsdesk'").fetchone()[0] == 0
        assert current_snapshot(conn) == 0


def test_opening_a_lake_that_does_not_exist_read_only_names_the_command_that_makes_one(lake):
    with pytest.raises(LakeError, match="a run makes it; `newsdesk migrate` moves a published DuckDB file in"):
        connect(lake)


def test_a_catalog_that_is_neither_sqlite_nor_postgres_is_refused():
    with pytest.raises(LakeError, match="sqlite:<file> or postgres:<connection string>"):
        Lake(catalog="mysql:host=db", data_path="/data")


def test_a_reader_in_another_process_attaches_the_lake_read_only_with_the_printed_sql(tmp_path, lake):
    migrate(_make_warehouse(tmp_path / "newsdesk.duckdb"), lake)
    read = read_in_another_process(attach_sql(lake))
    assert read["rows"] == ARTICLES
    assert "read-only" in read["refused"] or "read only" in read["refused"]


REPEATED_READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    from newsdesk.warehouse.extensions import load_extension
    seen, errors, deadline = [], [], time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        conn = duckdb.connect()
        try:
            for name in ("ducklake", "sqlite"):
                load_extension(conn, name)
            conn.execute(sys.argv[1])
            tables = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'newsdesk'").fetchone()[0]
            rows = conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0] if tables else 0
            seen.append([tables, rows])
        except duckdb.Error as error:
            errors.append(str(error).splitlines()[0])
        finally:
            conn.close()
    print(json.dumps({"seen": seen, "errors": errors}))
    """
)


def test_a_reader_during_a_migration_sees_no_table_or_all_of_them_and_never_an_error(tmp_path, lake):
    warehouse = _make_warehouse(tmp_path / "newsdesk.duckdb", articles=300_000)
    connect(lake, read_only=False).close()  # the empty lake the reader attaches to from the start
    reader = subprocess.Popen(
        [sys.executable, "-c", REPEATED_READER, attach_sql(lake), "8"], stdout=subprocess.PIPE, text=True
    )
    migrated = migrate(warehouse, lake)
    out, _ = reader.communicate(timeout=120)
    result = json.loads(out)

    assert result["errors"] == []
    with connect(lake) as conn:  # the migrated tables and the log of publishes
        tables = conn.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'newsdesk'").fetchone()[0]
    assert tables == len(migrated.tables) + 1
    everything = [tables, 300_000]
    assert {tuple(seen) for seen in result["seen"]} <= {(0, 0), tuple(everything)}
    assert result["seen"][-1] == everything, "the reader went on past the commit"


def test_newsdesk_migrate_moves_the_published_file_and_prints_the_attach_sql(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEWSDESK_LAKE_CATALOG", raising=False)
    monkeypatch.delenv("NEWSDESK_LAKE_DATA_PATH", raising=False)
    (tmp_path / "home" / "published").mkdir(parents=True)
    _make_warehouse(tmp_path / "home" / "published" / "newsdesk.duckdb")

    assert main(["migrate"]) == 0
    out = capsys.readouterr().out
    assert "views of" in out and "left: sequence search.document_ids" in out
    attach = out[out.index("ATTACH") :].strip()
    assert attach == attach_sql(
        Lake(f"sqlite:{tmp_path / 'home' / 'lake' / 'catalog.sqlite'}", str(tmp_path / "home" / "lake" / "data"))
    )
    assert read_in_another_process(attach)["rows"] == ARTICLES


@pytest.fixture
def postgres_catalog():
    """A fresh PostgreSQL database as the lake's catalog, dropped afterwards."""
    with postgres_lake_catalog() as catalog:
        yield catalog


def test_a_lake_with_its_catalog_in_postgresql_migrates_and_serves_another_process(tmp_path, postgres_catalog):
    lake = Lake(catalog=postgres_catalog, data_path=str(tmp_path / "shared-volume"))
    migrated = migrate(_make_warehouse(tmp_path / "newsdesk.duckdb"), lake)
    assert migrated.tables["raw.articles"] == ARTICLES
    assert read_in_another_process(attach_sql(lake))["rows"] == ARTICLES


def test_a_view_the_file_holds_without_its_sql_is_left_behind_and_named(tmp_path, lake):
    """COPY FROM DATABASE writes a lake's views into a file without their SQL: such a view cannot be made again,
    and the migration says so instead of counting it migrated."""
    source = Lake(catalog=f"sqlite:{tmp_path / 'source' / 'catalog.sqlite'}", data_path=str(tmp_path / "source"))
    migrate(_make_warehouse(tmp_path / "newsdesk.duckdb"), source)
    copied = tmp_path / "copied.duckdb"
    with connect(source) as conn:
        conn.execute(f"ATTACH {sql_literal(str(copied))} AS copied")
        conn.execute("COPY FROM DATABASE newsdesk TO copied")
    migrated = migrate(copied, lake)
    assert migrated.views == []
    assert [line.split(":")[0] for line in migrated.left if line.startswith("view")] == [
        "view main.busiest_day",
        "view ops.rejected_items",
        "view staging.daily",
    ]
    assert migrated.tables["raw.articles"] == ARTICLES


def test_a_reader_reads_while_another_process_holds_the_sqlite_catalogs_write_lock(tmp_path, lake):
    """A run's commit locks the SQLite catalog; a reader in another process then read "database is locked" (found
    by the end-to-end reader test). The catalog is in WAL mode once a writer opened it, so readers go on."""
    migrate(_make_warehouse(tmp_path / "newsdesk.duckdb"), lake)
    holder = sqlite3.connect(lake.location, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as a writer's commit holds it
    try:
        assert read_in_another_process(attach_sql(lake))["rows"] == ARTICLES
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_pages_cursor_keeps_a_published_snapshot_until_the_next_publish(lake):
    """`published_cursor` (the news pages' and search's connection) on a lake: the snapshot published when it
    opened, through unpublished commits, then the next published one; `newsdesk sql` reads nothing outside it."""
    from newsdesk.warehouse.lake_snapshots import mark_published
    from newsdesk.warehouse.query import QueryRefused, published_cursor, run_query
    from newsdesk.warehouse.storage import NothingPublished

    def published_rows() -> int:
        with published_cursor(lake) as cursor:
            return cursor.execute("SELECT count(*) FROM articles").fetchone()[0]

    with connect(lake, read_only=False) as writer:
        writer.execute("CREATE TABLE articles AS SELECT range AS id FROM range(3000)")
        with pytest.raises(NothingPublished):
            published_rows()
        writer.execute("BEGIN TRANSACTION")
        mark_published(writer, "first")
        writer.execute("COMMIT")
        assert published_rows() == 3000
        writer.execute("INSERT INTO articles SELECT range FROM range(10)")  # a run's commit, not published
        assert published_rows() == 3000
        writer.execute("BEGIN TRANSACTION")
        mark_published(writer, "second")
        writer.execute("COMMIT")
    assert published_rows() == 3010
    with pytest.raises(QueryRefused, match="read-only"):
        run_query(lake, "SELECT * FROM read_csv('/etc/passwd')")
    junk = Path(lake.data_path) / "junk.csv"  # the data folder is open to the reader: writing there is refused
    with pytest.raises(QueryRefused, match="COPY and EXPORT write files"):
        run_query(lake, f"COPY (SELECT 1 AS x) TO '{junk}'")
    assert not junk.exists()


def test_a_lake_connection_spills_under_newsdesk_home_not_in_the_working_folder(tmp_path, lake, monkeypatch):
    """An in-memory DuckDB spills to `.tmp` in the working folder by default: a 1M-article build on the lake
    filled the disk of the folder it was started from (and left gigabytes there when killed)."""
    home, working = tmp_path / "home", tmp_path / "working"
    working.mkdir()
    monkeypatch.setenv("NEWSDESK_HOME", str(home))
    monkeypatch.chdir(working)
    with connect(lake, read_only=False) as conn:
        conn.execute("SET memory_limit = '40MB'; SET threads = 1")
        conn.execute("CREATE TEMP TABLE hashes AS SELECT md5(range::VARCHAR) AS hash FROM range(2000000)")
        conn.execute("SELECT hash FROM hashes ORDER BY hash").fetchmany(1)
        assert not list(working.iterdir())
        spilled = sorted(path.name for path in (home / "spill").iterdir())
    assert spilled and all(name.startswith("duckdb_temp_storage") for name in spilled)


@pytest.mark.parametrize(
    "catalog",
    [
        "postgres:dbname=newsdesk_lake host=postgres user=airflow password=s3cret-value",
        "postgres:dbname=newsdesk_lake password = 's3cret value' host=postgres",
    ],
)
def test_a_catalogs_password_is_left_out_of_what_messages_and_pages_show(catalog):
    from newsdesk.warehouse.storage import describe

    lake = Lake(catalog=catalog, data_path="/volume/lake")
    for shown in (lake.shown, describe(lake)):
        assert "s3cret" not in shown and "password=..." in shown and "dbname=newsdesk_lake" in shown
    assert "s3cret" in attach_sql(lake)  # the attach statements need it
