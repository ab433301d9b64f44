"""What a run built, read from the published warehouse (read-only)."""

from __future__ import annotations

from pathlib import Path

import duckdb

SUMMARY_TABLES = [
    ("raw", "articles"),
    ("raw", "quarantined_articles"),
    ("raw", "rejected_items"),
    ("raw", "fetches"),
    ("main", "stg_raw__articles"),
    ("main", "articles"),
    ("main", "sources"),
    ("ops", "dq_results"),
]


def table_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    existing = {
        (schema, name)
        for schema, name in conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
        ).fetchall()
    }
    return [
        (f"{schema}.{name}", conn.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0])
        for schema, name in SUMMARY_TABLES
        if (schema, name) in existing
    ]


def top_sources_per_country(conn: duckdb.DuckDBPyConnection, per_country: int = 3) -> list[tuple]:
    return conn.execute(
        """
        SELECT country, source_name, article_count
        FROM (
            SELECT country, source_name, article_count,
                   row_number() OVER (PARTITION BY country ORDER BY article_count DESC, source_id) AS place
            FROM main.sources
        )
        WHERE place <= ?
        ORDER BY country, place
        """,
        [per_country],
    ).fetchall()


def render_summary(published: Path) -> str:
    with duckdb.connect(str(published), read_only=True) as conn:
        lines = ["Rows per table:"]
        lines += [f"  {name:<28} {count:>8}" for name, count in table_counts(conn)]
        lines.append("Top sources per country (articles):")
        current = None
        for country, name, count in top_sources_per_country(conn):
            if country != current:
                lines.append(f"  {country}")
                current = country
            lines.append(f"    {name:<30} {count:>6}")
    lines.append(f"Published warehouse: {published}")
    lines.append(
        "Try: newsdesk sql \"SELECT source_name, title FROM articles ORDER BY published_at DESC LIMIT 5\""
    )
    return "\n".join(lines)
