"""Publishing replaces the analysts' file atomically; open readers keep their view."""

from __future__ import annotations

import duckdb
import pytest

from newsdesk.publish import file_sha256, publish


def make_warehouse(path, rows: int) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE OR REPLACE TABLE t AS SELECT range AS i FROM range(?)", [rows])


def test_publish_copies_committed_data_and_replaces(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "pub" / "newsdesk.duckdb"
    make_warehouse(build, 10)
    publish(build, published)
    reader = duckdb.connect(str(published), read_only=True)
    make_warehouse(build, 25)
    publish(build, published)

    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 10  # the open reader keeps the old file
    reader.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM t").fetchone()[0] == 25
    assert not list(published.parent.glob(".*incoming"))


def test_publish_without_build_fails_and_keeps_published(tmp_path):
    published = tmp_path / "newsdesk.duckdb"
    make_warehouse(published, 3)
    before = file_sha256(published)
    with pytest.raises(FileNotFoundError):
        publish(tmp_path / "missing.duckdb", published)
    assert file_sha256(published) == before
