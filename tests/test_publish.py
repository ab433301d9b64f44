"""Publishing replaces the analysts' file atomically; open readers keep their view."""

from __future__ import annotations

import re

import duckdb
import pytest

from newsdesk.warehouse.build_copy import fresh_build_copy
from newsdesk.warehouse.publish import RollbackError, current_snapshot, file_sha256, list_snapshots, publish, rollback


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


def publish_rows(tmp_path, counts, keep=7):
    build, published, snapshots = tmp_path / "build.duckdb", tmp_path / "pub" / "newsdesk.duckdb", tmp_path / "snaps"
    for index, rows in enumerate(counts):
        make_warehouse(build, rows)
        publish(
            build,
            published,
            snapshots=snapshots,
            label=f"2026-11-2{index}__manual__2026-11-2{index}T00:00:00+00:00",
            keep=keep,
        )
    return published, snapshots


def rows_in(path) -> int:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]


def test_publish_keeps_the_newest_snapshots_with_safe_names(tmp_path):
    published, snapshots = publish_rows(tmp_path, [1, 2, 3, 4], keep=3)

    kept = list_snapshots(snapshots)
    assert [rows_in(path) for path in kept] == [2, 3, 4]
    assert all(
        re.fullmatch(r"\d{8}T\d{12}Z__2026-11-2\d__manual__2026-11-2\dT00_00_00_00_00\.duckdb", p.name) for p in kept
    )
    assert current_snapshot(published, snapshots) == kept[-1]
    assert file_sha256(kept[-1]) == file_sha256(published)


def test_rollback_restores_the_one_before_the_current_then_a_named_one(tmp_path):
    published, snapshots = publish_rows(tmp_path, [1, 2, 3])
    oldest, middle, newest = list_snapshots(snapshots)
    reader = duckdb.connect(str(published), read_only=True)

    assert rollback(published, snapshots) == middle
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 3  # an open reader keeps its file
    # (close it first: DuckDB would hand this process the same open database again)
    reader.close()
    assert rows_in(published) == 2
    assert rollback(published, snapshots) == oldest  # again: the one before the now current
    assert rows_in(published) == 1
    with pytest.raises(RollbackError, match="no snapshot older"):
        rollback(published, snapshots)
    assert rollback(published, snapshots, to=newest.stem) == newest
    assert rows_in(published) == 3
    with pytest.raises(RollbackError, match="no snapshot nowhere"):
        rollback(published, snapshots, to="nowhere")
    assert [rows_in(path) for path in list_snapshots(snapshots)] == [1, 2, 3]  # snapshots are never written


def test_rollback_command_lists_and_restores(tmp_path, monkeypatch, capsys):
    from newsdesk import config
    from newsdesk.cli import main

    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")
    paths = config.paths()
    for rows in (5, 6):
        make_warehouse(tmp_path / "build.duckdb", rows)
        publish(tmp_path / "build.duckdb", paths.published, snapshots=paths.snapshots, label=f"run-{rows}")
    first, second = list_snapshots(paths.snapshots)

    assert main(["rollback", "--list"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"  {first.stem}", f"* {second.stem}"]
    assert main(["rollback"]) == 0
    assert capsys.readouterr().out.strip() == f"restored {first.stem} as {paths.published}"
    assert rows_in(paths.published) == 5
    assert main(["rollback", "--to", "missing"]) == 1


def test_a_read_write_client_on_the_published_file_reaches_no_snapshot_and_no_later_publish(tmp_path):
    build, published, snapshots = tmp_path / "build.duckdb", tmp_path / "pub" / "newsdesk.duckdb", tmp_path / "snaps"
    make_warehouse(build, 5)
    publish(build, published, snapshots=snapshots, label="day-1")
    [snapshot] = list_snapshots(snapshots)

    with duckdb.connect(str(published)) as client:  # an analyst's client opened without read_only
        client.execute("CREATE TABLE scratch AS SELECT 42 AS answer")
        client.execute("DELETE FROM t WHERE i < 3")

    assert rows_in(snapshot) == 5 and not tables_in(snapshot) - {"t"}
    assert current_snapshot(published, snapshots) == snapshot
    fresh_build_copy(published, build, snapshots)  # the next run's build starts from the snapshot
    assert rows_in(build) == 5 and tables_in(build) == {"t"}
    publish(build, published, snapshots=snapshots, label="day-2")
    assert rows_in(published) == 5 and tables_in(published) == {"t"}
    assert all(tables_in(path) == {"t"} for path in list_snapshots(snapshots))

    with duckdb.connect(str(published)) as client:  # after a rollback too: the restored file is a copy
        assert rollback(published, snapshots) == snapshot
    with duckdb.connect(str(published)) as client:
        client.execute("CREATE TABLE scratch AS SELECT 42 AS answer")
    assert tables_in(snapshot) == {"t"}
    assert current_snapshot(published, snapshots) == snapshot


def tables_in(path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return {name for (name,) in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
