"""Published snapshots of a DuckLake: reset undoes only what came after, rollback publishes an earlier state,
expiry keeps the published history, and a writer killed with SIGKILL before its commit changes nothing.

Real DuckLakes (SQLite catalog, Parquet data) in tmp_path; the killed writer is a real process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import duckdb
import pytest

from helpers.lake_state import lake_state, read_in_another_process
from newsdesk.warehouse.lake import Lake, attach_sql, connect, current_snapshot
from newsdesk.warehouse.lake_snapshots import (
    PUBLISHES_TABLE,
    SnapshotError,
    expire,
    mark_published,
    published_snapshots,
    reset_to,
    reset_to_published,
    rollback,
)

ARCHIVE_ROWS = 100_000


@pytest.fixture
def lake(tmp_path) -> Lake:
    return Lake(catalog=f"sqlite:{tmp_path / 'catalog.sqlite'}", data_path=str(tmp_path / "data"))


def _publish(conn: duckdb.DuckDBPyConnection, label: str, *statements: str) -> int:
    conn.execute("BEGIN TRANSACTION")
    for statement in statements:
        conn.execute(statement)
    mark_published(conn, label)
    conn.execute("COMMIT")
    return current_snapshot(conn)


def _published_archive(conn: duckdb.DuckDBPyConnection) -> int:
    return _publish(
        conn,
        "day 1",
        "CREATE SCHEMA raw",
        f"CREATE TABLE raw.articles AS SELECT i AS id, 'title ' || i AS title FROM range({ARCHIVE_ROWS}) AS t(i)",
        "CREATE TABLE main.rankings AS SELECT 'a' AS source, 1 AS rank",
        "CREATE TABLE main.altered AS SELECT 1 AS x",
        "CREATE TABLE main.doomed AS SELECT 42 AS answer",
        "CREATE VIEW main.article_count AS SELECT count(*) AS n FROM raw.articles",
    )


def _a_failed_run(conn: duckdb.DuckDBPyConnection) -> None:
    """What a run may commit before its gate fails: every kind of change, each its own commit as dbt makes them."""
    for statement in (
        "INSERT INTO raw.articles SELECT i, 'new ' || i FROM range(100000, 110000) AS t(i)",
        "DELETE FROM raw.articles WHERE id IN (1, 2, 3)",
        "UPDATE raw.articles SET title = 'edited' WHERE id = 5",
        "CREATE OR REPLACE TABLE main.rankings AS SELECT 'b' AS source, 9 AS rank",  # a dbt table model, rebuilt
        "ALTER TABLE main.altered ADD COLUMN y INTEGER",
        "DROP TABLE main.doomed",
        "CREATE SCHEMA scratch",
        "CREATE TABLE scratch.half_built AS SELECT 1 AS x",
        "DROP VIEW main.article_count",
        "CREATE VIEW main.new_view AS SELECT 1 AS one",
    ):
        conn.execute(statement)


def test_reset_undoes_every_kind_of_change_and_rewrites_only_the_changed_rows(lake):
    with connect(lake, read_only=False) as conn:
        published = _published_archive(conn)
        before = lake_state(conn)
        _a_failed_run(conn)
        assert lake_state(conn) != before

        reset = reset_to_published(conn)

        assert lake_state(conn) == before
        # Deleted: the 10,000 added and the update's new version; put back: the 3 deleted and the update's old version.
        assert reset.rows_undone == {"raw.articles": 10_000 + 1 + 3 + 1}
        assert sorted(reset.copied_back) == ["main.altered", "main.doomed", "main.rankings"]
        assert sorted(reset.dropped) == ["schema scratch", "table scratch.half_built", "view main.new_view"]
        # The reset's commit wrote the archive's changed rows only, not its 100,000.
        written = conn.execute(
            "SELECT count(*) FROM ducklake_table_changes('newsdesk', 'raw', 'articles', ?, ?)",
            [reset.snapshot, reset.snapshot],
        ).fetchone()[0]
        assert written == 10_000 + 1 + 3 + 1
        assert published_snapshots(conn)[-1].snapshot == published, "a reset publishes nothing"
        assert reset_to_published(conn).snapshot is None, "at the published snapshot already: no commit"


def test_a_reader_pinned_to_the_published_snapshot_sees_it_during_a_failed_run_and_its_reset(lake):
    with connect(lake, read_only=False) as conn:
        published = _published_archive(conn)
        with connect(lake, snapshot=published) as reader:
            expected = lake_state(reader)
            _a_failed_run(conn)
            assert lake_state(reader) == expected
            reset_to_published(conn)
            assert lake_state(reader) == expected


def test_rollback_publishes_the_earlier_state_in_one_commit_and_can_go_forward_again(lake):
    with connect(lake, read_only=False) as conn:
        first = _published_archive(conn)
        day_one = lake_state(conn)
        second = _publish(conn, "day 2", "INSERT INTO raw.articles VALUES (-1, 'day two')", "DELETE FROM main.doomed")
        day_two = lake_state(conn)

        back = rollback(conn)
        assert back.label == f"rollback to snapshot {first} (day 1)"
        assert back.snapshot == current_snapshot(conn) == second + 1
        assert lake_state(conn) == day_one

        forward = rollback(conn, to=second)
        assert lake_state(conn) == day_two
        assert [entry.snapshot for entry in published_snapshots(conn)] == [
            first,
            second,
            back.snapshot,
            forward.snapshot,
        ]
        assert conn.execute(f"SELECT count(*) FROM {PUBLISHES_TABLE}").fetchone()[0] == 4
        with pytest.raises(SnapshotError, match=f"snapshot {second + 100} is not a published snapshot"):
            rollback(conn, to=second + 100)


def test_expiry_keeps_what_rollback_needs_then_drops_the_old_snapshots_and_their_files(lake, tmp_path):
    with connect(lake, read_only=False) as conn:
        first = _published_archive(conn)
        day_one = lake_state(conn)
        _a_failed_run(conn)
        reset_to_published(conn)
        _publish(conn, "day 2", "INSERT INTO raw.articles VALUES (-1, 'day two')")

        assert expire(conn, keep_days=7) == [], "every snapshot is younger than a week"
        back = rollback(conn)
        assert lake_state(conn) == day_one
        files_before = len(list((tmp_path / "data").rglob("*.parquet")))

        expired = expire(conn, keep_days=0)

        assert expired == list(range(back.snapshot)), "all but the last published snapshot"
        assert [entry.snapshot for entry in published_snapshots(conn)] == [back.snapshot]
        assert len(list((tmp_path / "data").rglob("*.parquet"))) < files_before, "the failed run's file is gone"
        assert lake_state(conn) == day_one
        with pytest.raises(SnapshotError, match="no published snapshot before the last one"):
            rollback(conn)
        with pytest.raises(SnapshotError, match=f"the lake has no snapshot {first}"):
            reset_to(conn, first)


WRITER = textwrap.dedent(
    """
    import sys, time
    from newsdesk.warehouse.lake import Lake, connect
    conn = connect(Lake(sys.argv[1], sys.argv[2]), read_only=False)
    conn.execute("BEGIN TRANSACTION")
    conn.execute("INSERT INTO raw.articles SELECT i, 'never published' FROM range(200000, 1200000) AS t(i)")
    conn.execute("DELETE FROM raw.articles WHERE id < 50000")
    print("written, not committed", flush=True)
    time.sleep(60)
    """
)


def test_a_writer_killed_before_its_commit_leaves_the_published_snapshot_as_it_was(lake):
    with connect(lake, read_only=False) as conn:
        published = _published_archive(conn)
        before = lake_state(conn)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, lake.catalog, lake.data_path], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "written, not committed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)

    with connect(lake, read_only=False) as conn:
        assert current_snapshot(conn) == published
        assert lake_state(conn) == before
    assert read_in_another_process(attach_sql(lake))["rows"] == ARCHIVE_ROWS
