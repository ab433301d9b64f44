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
The score is fts's BM25 (`match_bm25`), computed from the index's tables
for the articles that hold the query's words only, instead of for every
article as `match_bm25` does.
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
    """(Re)build the index over main.articles of `warehouse`; returns the articles indexed.

    The term table is then stored in term order, so a search reads only the stretch of its words
    (DuckDB skips the rest by each row group's min and max): at 100,000 articles a search's p95 went from
    179 ms to 34 ms, for 5 s of sorting beside the 56 s of indexing (docs/benchmarks.md).
    """
    fields = ", ".join(f"'{field}'" for field in INDEXED_FIELDS)
    with duckdb.connect(str(warehouse)) as conn:
        load_extension(conn, "fts")
        conn.execute(
            f"PRAGMA create_fts_index('main.articles', 'article_id', {fields}, stemmer = 'none',"
            f" stopwords = 'none', ignore = '{NOT_A_WORD}', strip_accents = 1, lower = 1, overwrite = 1)"
        )
        conn.execute(
            f"CREATE OR REPLACE TABLE {INDEX_SCHEMA}.terms AS SELECT * FROM {INDEX_SCHEMA}.terms ORDER BY termid, docid"
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
            WITH query_terms AS (
                SELECT termid, df FROM {INDEX_SCHEMA}.dict
                WHERE term IN (SELECT unnest({INDEX_SCHEMA}.tokenize($query)))
            ),
            hits AS (  -- each query word's count in each article that has it
                SELECT docid, termid, count(*) AS tf
                FROM {INDEX_SCHEMA}.terms SEMI JOIN query_terms USING (termid)
                GROUP BY ALL
            ),
            scored AS (  -- Okapi BM25 with fts's k = 1.2 and b = 0.75, as its match_bm25
                SELECT
                    hits.docid,
                    sum(
                        log10((stats.num_docs - query_terms.df + 0.5) / (query_terms.df + 0.5) + 1)
                        * hits.tf * 2.2 / (hits.tf + 1.2 * (0.25 + 0.75 * docs.len / stats.avgdl))
                    ) AS score,
                    count(*) AS words
                FROM hits
                JOIN query_terms USING (termid)
                JOIN {INDEX_SCHEMA}.docs AS docs USING (docid)
                CROSS JOIN {INDEX_SCHEMA}.stats AS stats
                GROUP BY hits.docid
            )
            SELECT
                articles.article_id, scored.score, published_at, source_id, source_name, country, language,
                title, url
            FROM scored
            JOIN {INDEX_SCHEMA}.docs AS docs USING (docid)
            JOIN main.articles AS articles ON articles.article_id = docs.name
            WHERE scored.words = (SELECT count(DISTINCT word) FROM unnest({INDEX_SCHEMA}.tokenize($query)) AS t(word)){where}
            ORDER BY scored.score DESC, published_at DESC NULLS LAST, articles.article_id
            LIMIT $limit
            """,
            parameters,
        ).fetchall()
    return [SearchHit(*row) for row in rows]
