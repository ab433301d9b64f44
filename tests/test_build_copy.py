"""Each run's build copy starts from the published warehouse and inherits nothing else."""

from __future__ import annotations

import duckdb

from newsdesk.warehouse.build_copy import fresh_build_copy, wal_path
from newsdesk.warehouse.publish import file_sha256, publish


def test_without_a_published_file_the_build_starts_empty(tmp_path):
    build = fresh_build_copy(tmp_path / "published" / "newsdesk.duckdb", tmp_path / "warehouse" / "build.duckdb")

    with duckdb.connect(str(build), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] == 0


def test_the_build_is_a_copy_of_the_published_file_and_leftovers_are_gone(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "newsdesk.duckdb"
    with duckdb.connect(str(build)) as conn:
        conn.execute("CREATE TABLE t AS SELECT 1 AS good")
    publish(build, published)
    # A failed run's partition, and a WAL as a killed writer leaves it.
    with duckdb.connect(str(build)) as conn:
        conn.execute("INSERT INTO t VALUES (666)")
    wal_path(build).write_bytes(b"half a transaction")

    fresh_build_copy(published, build)

    assert not wal_path(build).exists()
    assert file_sha256(build) == file_sha256(published)
    with duckdb.connect(str(build)) as conn:
        assert conn.execute("SELECT * FROM t").fetchall() == [(1,)]
        conn.execute("INSERT INTO t VALUES (2)")  # the copy is writable; the published file stays as it was
    with duckdb.connect(str(published), read_only=True) as conn:
        assert conn.execute("SELECT * FROM t").fetchall() == [(1,)]
