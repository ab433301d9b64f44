"""What the news pages show, read from the published warehouse: an article as the seed page shows it, a story,
a source, and today's front page. Plain rows as dicts; newsdesk.ui.news renders them.

A source's rank is its rank in its country's daily ranking for the day the
article was first loaded (as the demo's featured article prints it).
"""

from __future__ import annotations

import duckdb

ARTICLE_SQL = """
SELECT
    articles.article_id, articles.title, articles.summary, articles.url, articles.category, articles.country,
    articles.language, articles.published_at, articles.author, articles.source_id, articles.source_name,
    articles.reading_time_summary_seconds, articles.reading_time_full_seconds, articles.quality_score,
    articles.cluster_id, sources.publisher_score, rankings.rank AS source_rank
FROM main.articles AS articles
JOIN main.sources AS sources ON articles.source_id = sources.source_id
LEFT JOIN main.source_rankings AS rankings
    ON rankings.source_id = articles.source_id
    AND rankings.period_type = 'day'
    AND rankings.scope = 'country'
    AND rankings.period_start = articles.first_partition_date
WHERE articles.article_id = ?
"""

SIMILAR_SQL = """
SELECT
    other.article_id, other.title, other.source_name, other.language, other.url,
    shown.match_kind, shown.score
FROM main.similar_articles AS shown
JOIN main.articles AS other ON other.article_id = shown.similar_article_id
WHERE shown.article_id = ?
ORDER BY shown.similarity_rank
"""

STORY_SQL = """
SELECT
    clusters.cluster_id, clusters.first_article_id, clusters.first_source_id, first_source.source_name AS
    first_source_name, clusters.first_published_at, clusters.last_published_at, clusters.span_hours,
    clusters.article_count, clusters.publisher_count, clusters.language_count
FROM main.story_clusters AS clusters
LEFT JOIN main.sources AS first_source ON first_source.source_id = clusters.first_source_id
WHERE clusters.cluster_id = ?
"""

STORY_ARTICLES_SQL = """
SELECT article_id, published_at, source_id, source_name, country, language, title
FROM main.articles
WHERE cluster_id = ?
ORDER BY published_at NULLS LAST, article_id
"""

SOURCE_SQL = """
SELECT
    source_id, source_name, country, language, homepage, article_count, publisher_score, mean_quality_score,
    originality_rate, reliability, fetch_success_rate, accepted_item_share, volume, score_window_start,
    score_window_end
FROM main.sources
WHERE source_id = ?
"""

RANK_HISTORY_SQL = """
SELECT period_start, coalesce(category, '') AS category, rank, score, article_count
FROM main.source_rankings
WHERE source_id = ? AND period_type = 'day'
ORDER BY category NULLS FIRST, period_start
"""

FETCH_HEALTH_SQL = """
SELECT
    partition_date,
    count(*) FILTER (WHERE attempt_id IS NOT NULL) AS attempts,
    count(*) FILTER (WHERE status = 'ok') AS ok,
    count(*) FILTER (WHERE status IN ('failed', 'partial', 'missing')) AS failed,
    sum(new_items) AS new_items,
    max(error_class) AS error_class
FROM ops.source_runs
WHERE source_id = ?
GROUP BY partition_date
ORDER BY partition_date DESC
"""

# The largest stories are chosen from story_clusters alone; only those few are then joined to their articles
# (a join of every recent cluster to the articles took 240 ms at 1M articles).
LARGEST_STORIES_SQL = """
WITH largest AS (
    SELECT
        cluster_id, first_article_id, first_source_id, article_count, publisher_count, language_count,
        first_published_at
    FROM main.story_clusters
    WHERE last_published_at >= (SELECT max(last_published_at) FROM main.story_clusters) - INTERVAL 2 DAY
    ORDER BY publisher_count DESC, article_count DESC, first_published_at DESC
    LIMIT ?
),
countries AS (
    SELECT cluster_id, list(DISTINCT country ORDER BY country) AS countries
    FROM main.articles SEMI JOIN largest USING (cluster_id)
    GROUP BY cluster_id
)
SELECT
    largest.cluster_id, largest.first_article_id, first_article.title, largest.first_source_id,
    first_article.source_name, largest.article_count, largest.publisher_count, largest.language_count,
    largest.first_published_at, countries.countries
FROM largest
JOIN main.articles AS first_article ON first_article.article_id = largest.first_article_id
JOIN countries ON countries.cluster_id = largest.cluster_id
ORDER BY largest.publisher_count DESC, largest.article_count DESC, largest.first_published_at DESC
"""

COUNTRY_RANKINGS_SQL = """
SELECT country, rank, source_id, source_name, score, article_count, rank_change, period_label
FROM main.source_rankings
WHERE period_type = 'week' AND scope = 'country'
  AND period_start = (SELECT max(period_start) FROM main.source_rankings WHERE period_type = 'week')
ORDER BY country, rank
"""


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> list[dict]:
    cursor = conn.execute(sql, parameters)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _one(conn: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> dict | None:
    rows = _rows(conn, sql, parameters)
    return rows[0] if rows else None


def article(conn: duckdb.DuckDBPyConnection, article_id: str) -> dict | None:
    """The article with its source's rank in its country, scores, reading times, and its Similar News."""
    found = _one(conn, ARTICLE_SQL, [article_id])
    if found is not None:
        found["similar"] = _rows(conn, SIMILAR_SQL, [article_id])
    return found


def story(conn: duckdb.DuckDBPyConnection, cluster_id: str) -> dict | None:
    """The story cluster, its first report and publisher, and its articles in publication order."""
    found = _one(conn, STORY_SQL, [cluster_id])
    if found is not None:
        found["articles"] = _rows(conn, STORY_ARTICLES_SQL, [cluster_id])
    return found


def source(conn: duckdb.DuckDBPyConnection, source_id: str) -> dict | None:
    """The source's scores and their components, its daily ranks (country, and per category), its fetches."""
    found = _one(conn, SOURCE_SQL, [source_id])
    if found is not None:
        found["ranks"] = _rows(conn, RANK_HISTORY_SQL, [source_id])
        found["fetches"] = _rows(conn, FETCH_HEALTH_SQL, [source_id])
    return found


def front_page(conn: duckdb.DuckDBPyConnection, stories: int = 10) -> dict:
    """The largest stories of the last two days across countries, and this week's ranking per country."""
    rankings: dict[str, list[dict]] = {}
    for row in _rows(conn, COUNTRY_RANKINGS_SQL, []):
        rankings.setdefault(row["country"], []).append(row)
    return {"stories": _rows(conn, LARGEST_STORIES_SQL, [stories]), "rankings": rankings}
