"""What a run built, read from the published warehouse (read-only)."""

from __future__ import annotations

import duckdb

from newsdesk.warehouse.storage import Warehouse, describe, open_published

SUMMARY_TABLES = [
    ("raw", "articles"),
    ("raw", "quarantined_articles"),
    ("raw", "rejected_items"),
    ("raw", "fetches"),
    ("main", "stg_raw__articles"),
    ("main", "articles"),
    ("main", "sources"),
    ("main", "source_rankings"),
    ("main", "article_similarity"),
    ("main", "story_clusters"),
    ("ops", "dq_results"),
]

# The latest day's article whose story the most publishers tell (ties: the
# better article, then its id), with what an aggregator page prints beside it.
FEATURED_ARTICLE_SQL = """
WITH latest_day AS (
    SELECT max(first_partition_date) AS day FROM main.articles
),
story_publishers AS (
    SELECT cluster_id, count(DISTINCT source_id) AS publisher_count
    FROM main.articles
    WHERE cluster_id IS NOT NULL
    GROUP BY cluster_id
)
SELECT
    articles.article_id,
    articles.title,
    articles.source_name,
    articles.country,
    rankings.rank,
    articles.reading_time_summary_seconds,
    articles.reading_time_full_seconds,
    articles.quality_score,
    sources.publisher_score
FROM main.articles AS articles
JOIN latest_day ON articles.first_partition_date = latest_day.day
JOIN main.sources AS sources ON articles.source_id = sources.source_id
LEFT JOIN story_publishers ON articles.cluster_id = story_publishers.cluster_id
LEFT JOIN main.source_rankings AS rankings
    ON rankings.source_id = articles.source_id
    AND rankings.period_type = 'day'
    AND rankings.scope = 'country'
    AND rankings.period_start = articles.first_partition_date
WHERE articles.country IS NOT NULL
ORDER BY coalesce(story_publishers.publisher_count, 1) DESC, articles.quality_score DESC, articles.article_id
LIMIT 1
"""


# "Similar News" under the article: its top similar articles from other publishers.
SIMILAR_NEWS_SQL = """
SELECT other.title, other.source_name, similar_articles.match_kind, similar_articles.score
FROM main.similar_articles AS similar_articles
JOIN main.articles AS other ON other.article_id = similar_articles.similar_article_id
WHERE similar_articles.article_id = ?
ORDER BY similar_articles.similarity_rank
"""


def table_counts(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    existing = {
        (schema, name)
        for schema, name in conn.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    }
    return [
        (f"{schema}.{name}", conn.execute(f"SELECT count(*) FROM {schema}.{name}").fetchone()[0])
        for schema, name in SUMMARY_TABLES
        if (schema, name) in existing
    ]


def top_sources_per_country(conn: duckdb.DuckDBPyConnection, per_country: int = 3) -> list[tuple]:
    """The best-ranked sources of each country in the latest ISO week: country, rank, name, score, articles."""
    return conn.execute(
        """
        SELECT country, rank, source_name, score, article_count
        FROM main.source_rankings
        WHERE period_type = 'week' AND scope = 'country'
          AND period_start = (SELECT max(period_start) FROM main.source_rankings WHERE period_type = 'week')
          AND rank <= ?
        ORDER BY country, rank
        """,
        [per_country],
    ).fetchall()


def format_duration(seconds: int | None) -> str:
    """Reading time as an aggregator page prints it: "26 sec." under a minute, else whole minutes, "2 min."."""
    if seconds is None:
        return "n/a"
    if seconds < 60:
        return f"{seconds} sec."
    return f"{int(seconds / 60 + 0.5)} min."  # half up: 90 s is 2 min.


def format_percent(score: float | None) -> str:
    return "n/a" if score is None else f"{int(score + 0.5)}%"


def featured_article_line(conn: duckdb.DuckDBPyConnection) -> str | None:
    """One article as the seed page shows it: source, its rank in its country, reading times, scores."""
    row = conn.execute(FEATURED_ARTICLE_SQL).fetchone()
    if row is None:
        return None
    article_id, title, source_name, country, rank, summary_seconds, full_seconds, quality, publisher = row
    place = f"🏆 {rank}. in {country}" if rank is not None else f"unranked in {country}"
    lines = [
        title,
        f"  {source_name} {place} · Reading time: {format_duration(summary_seconds)} here, "
        f"{format_duration(full_seconds)} at publisher · "
        f"Quality: News {format_percent(quality)}, Publisher {format_percent(publisher)}",
    ]
    similar = conn.execute(SIMILAR_NEWS_SQL, [article_id]).fetchall()
    if similar:
        lines.append("  Similar News:")
        lines += [
            f"    {title} ({source} · {kind.replace('_', ' ')}, {score:.2f})" for title, source, kind, score in similar
        ]
    return "\n".join(lines)


def render_summary(published: Warehouse) -> str:
    with open_published(published) as conn:
        lines = ["Rows per table:"]
        lines += [f"  {name:<28} {count:>8}" for name, count in table_counts(conn)]
        lines.append("Top sources per country this week (rank, publisher score, articles):")
        current = None
        for country, rank, name, score, count in top_sources_per_country(conn):
            if country != current:
                lines.append(f"  {country}")
                current = country
            lines.append(f"    {rank}. {name:<38} {score:>5.1f} {count:>6}")
        featured = featured_article_line(conn)
        if featured:
            lines.append("One article, as an aggregator page shows it:")
            lines += [f"  {line}" for line in featured.splitlines()]
    lines.append(f"Published warehouse: {describe(published)}")
    lines.append('Try: newsdesk sql "SELECT source_name, title FROM articles ORDER BY published_at DESC LIMIT 5"')
    lines.append("More queries: docs/analysts.md")
    return "\n".join(lines)
