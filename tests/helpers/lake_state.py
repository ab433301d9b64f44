"""What a DuckLake holds, to compare two of its states: every table's and view's rows."""

from __future__ import annotations

import duckdb

from newsdesk.warehouse.lake_snapshots import PUBLISHES_TABLE


def lake_state(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every table's and view's rows of the lake attached as `newsdesk`, sorted; the log of publishes left out
    (it keeps every publish, whatever state the lake is in)."""
    names = conn.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = 'newsdesk'"
        " UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = 'newsdesk'"
    ).fetchall()
    return {
        name: sorted(map(repr, conn.execute(f"SELECT * FROM {name}").fetchall()))
        for (name,) in names
        if name != PUBLISHES_TABLE
    }
