"""Full-text search over the published articles: titles, summaries and bodies, ranked by BM25.

The run builds the index (`build_search_index`, on the build copy after dbt,
so it is checked and published with the tables it indexes); a search only
reads it. DuckDB's fts extension keeps the index as tables in the schema
`fts_main_articles`. Articles come in several languages, so words are not
stemmed and no stop-word list is applied: BM25's IDF already makes words
such as "de" or "the" count little. A word is a run of letters and digits in
any script (so "6,450" is 6 and 450; Chinese and Japanese text, written
without spaces, is not split into words); accents and case are ignored. Every word
of the query must occur in the article (conjunctive), as in a news search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from newsdesk.warehouse.extensions import load_extension
from newsdesk.warehouse.query import connect_read_only

INDEXED_FIELDS = ("title", "summary", "body")
INDEX_SCHEMA = "fts_main_articles"
# Words are runs of letters and digits in any script: fts's default keeps a-z only, which drops figures
# ("6,450"), and so any query that has one, and every word of Greek, Cyrillic or CJK text.
NOT_A_WORD = r"[^\p{L}\p{N}]+"


class SearchError(ValueError):
    """A search the published warehouse cannot answer: an empty query, a bad filter, no index."""


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float
    published_at: datetime | None
    source_id: str
    source_name: str
    country: str
    language: str | None
    title: str
    url: str


def build_search_index(warehouse: Path) -> int:
    """(Re)build the index over main.articles of `warehouse`; returns the articles indexed."""
    fields = ", ".join(f"'{field}'" for field in INDEXED_FIELDS)
    with duckdb.connect(str(warehouse)) as conn:
        load_extension(conn, "fts")
        conn.execute(
            f"PRAGMA create_fts_index('main.articles', 'article_id', {fields}, stemmer = 'none',"
            f" stopwords = 'none', ignore = '{NOT_A_WORD}', strip_accents = 1, lower = 1, overwrite = 1)"
        )
        return conn.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.docs").fetchone()[0]


def search(
    published: Path,
    query: str,
    *,
    country: str | None = None,
    language: str | None = None,
    source: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """The best `limit` articles for `query` that pass the filters (dates: published_at's UTC day)."""
    # fts splits the query as it split the text, but a query that starts or ends with punctuation
    # ("“A historic moment”") would add an empty word that no article has: pass the words alone.
    words = " ".join(re.findall(r"[^\W_]+", query))
    if not words:
        raise SearchError("the query is empty: give one or more words")
    if limit < 1:
        raise SearchError(f"limit must be at least 1, got {limit}")
    if since and until and since > until:
        raise SearchError(f"since ({since}) is after until ({until})")
    filters = {  # parameter -> (condition, value)
        "country": ("upper(country) = upper($country)", country),
        "language": ("lower(language) = lower($language)", language),
        "source": ("source_id = $source", source),
        "since": ("published_at::DATE >= $since", since),
        "until": ("published_at::DATE <= $until", until),
    }
    chosen = {name: (condition, value) for name, (condition, value) in filters.items() if value is not None}
    parameters = {"query": words, "limit": limit, **{name: value for name, (_, value) in chosen.items()}}
    where = "".join(f" AND {condition}" for condition, _ in chosen.values())
    with connect_read_only(published) as conn:
        indexed = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", [INDEX_SCHEMA]
        ).fetchone()[0]
        if not indexed:
            raise SearchError(f"{published} has no search index: a run builds it, so publish with this version first")
        rows = conn.execute(
            f"""
            SELECT article_id, score, published_at, source_id, source_name, country, language, title, url
            FROM (
                SELECT *, {INDEX_SCHEMA}.match_bm25(article_id, $query, conjunctive := 1) AS score
                FROM main.articles
            )
            WHERE score IS NOT NULL{where}
            ORDER BY score DESC, published_at DESC NULLS LAST, article_id
            LIMIT $limit
            """,
            parameters,
        ).fetchall()
    return [SearchHit(*row) for row in rows]
