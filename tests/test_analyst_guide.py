"""Every query in docs/analysts.md runs, read-only, on a demo warehouse and returns rows.

The warehouse is conftest's `demo_published`: built once per session by real
`airflow dags test` runs of news_daily on a small sample world, for two
consecutive days (so day-over-day rank changes and "this week" have data), in
a NEWSDESK_HOME of its own.
"""

from __future__ import annotations

import duckdb
import pytest

from helpers.published import read_published
from newsdesk.warehouse.analyst_guide import guide_queries
from newsdesk.warehouse.query import attach_sql, run_query

pytestmark = pytest.mark.e2e

# Marts another change adds (the similarity models). Their queries run once the
# table exists in the warehouse and are skipped, naming the table, until then.
QUERIES_ON_SIMILARITY_MARTS = {
    "Today's biggest stories across publishers": "story_clusters",
    "Similar news for one article": "similar_articles",
    "Syndicated copies and where they came from": "article_similarity",
}


@pytest.fixture(scope="module")
def published(demo_published):
    return demo_published


def test_guide_has_at_least_eight_queries_each_under_a_heading():
    queries = guide_queries()
    assert len(queries) >= 8
    assert all(heading for heading, _ in queries)
    assert len({heading for heading, _ in queries}) == len(queries), "one query per heading, so test ids are unique"
    assert set(QUERIES_ON_SIMILARITY_MARTS) <= {heading for heading, _ in queries}


@pytest.mark.parametrize("heading, sql", guide_queries(), ids=[heading for heading, _ in guide_queries()])
def test_guide_query_returns_rows(published, heading, sql):
    with read_published(published) as conn:
        missing_table = QUERIES_ON_SIMILARITY_MARTS.get(heading)
        if missing_table is not None:
            exists = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?",
                [missing_table],
            ).fetchone()[0]
            if not exists:
                pytest.skip(f"table {missing_table} is not in the warehouse yet (the similarity marts add it)")
        rows = conn.execute(sql).fetchall()
    assert rows, f"{heading!r} returned no rows"


def test_every_view_reads_its_own_warehouse_wherever_it_is_opened(published):
    """dbt builds in build.duckdb; the views must answer once published (newsdesk.duckdb) and attached under any
    alias, so their SQL may not name the database they were built in."""
    with read_published(published) as conn:
        views = conn.execute("SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal").fetchall()
    assert {"stg_raw__fetches", "int_sources__daily_reliability"} <= {view for _, view, _ in views}
    assert not [view for _, view, sql in views if "build." in sql], "a view names the build database"
    with duckdb.connect() as client:
        client.execute(attach_sql(published, name="elsewhere"))
        for schema, view, _ in views:
            assert "count_star()" in run_query(published, f"SELECT count(*) FROM {schema}.{view}")
            client.execute(f"SELECT count(*) FROM elsewhere.{schema}.{view}").fetchone()
