"""Full-text search over the published articles: titles, summaries and bodies, ranked by BM25.

The run keeps the index (`update_search_index`, on the build copy after dbt,
so it is checked and published with the tables it indexes); a search only
reads it. The index is two tables in the schema `search`, kept up to date
article by article: `documents` (an article's text version, by its
`content_hash`, and its length in words) and `postings` (each word's count
in each article, stored in word order so a search reads only its words'
stretch). A run re-indexes only the articles that are new or whose text
changed, and drops those no longer published, so its cost follows the day,
not the archive (DuckDB's fts extension can only rebuild its index over the
whole table). The table macro `search.matching(query)` scores the articles
that hold every word of the query; analysts can call it in SQL too.

Articles come in several languages, so words are not stemmed and no
stop-word list is applied: BM25's IDF already makes words such as "de" or
"the" count little. A word is a run of letters and digits in any script (so
"6,450" is 6 and 450; Chinese and Japanese text, written without spaces, is
not split into words); accents and case are ignored. Every word of the query
must occur in the article (conjunctive), as in a news search. The score is
Okapi BM25 as fts's `match_bm25` computes it (k 1.2, b 0.75, its IDF), so the
two agree (tests/test_search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from newsdesk import config
from newsdesk.warehouse.query import connect_read_only
from newsdesk.warehouse.storage import Warehouse, open_warehouse

INDEXED_FIELDS = ("title", "summary", "body")
INDEX_SCHEMA = "search"
BATCH_ARTICLES = 200_000  # articles indexed at a time: a batch's words and their sort stay within memory
# Words are runs of letters and digits in any script: fts's default keeps a-z only, which drops figures
# ("6,450"), and so any query that has one, and every word of Greek, Cyrillic or CJK text.
NOT_A_WORD = r"[^\p{L}\p{N}]+"


def words_sql(text: str) -> str:
    """SQL for the list of words of the SQL expression `text`, as the index cuts them: lower case, no accents."""
    return f"list_filter(regexp_split_to_array(lower(strip_accents({text})), '{NOT_A_WORD}'), word -> word <> '')"


# DuckDB's fts index over the same articles with the same words: the reference the scores are tested against and
# the bench's baseline (its schema fts_main_articles; the extension must be loaded).
FTS_REFERENCE_INDEX_SQL = (
    f"PRAGMA create_fts_index('main.articles', 'article_id', {', '.join(map(repr, INDEXED_FIELDS))},"
    f" stemmer = 'none', stopwords = 'none', ignore = '{NOT_A_WORD}', strip_accents = 1, lower = 1)"
)

INDEX_TABLES_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {INDEX_SCHEMA};
CREATE TABLE IF NOT EXISTS {INDEX_SCHEMA}.documents (
    document_id BIGINT NOT NULL, article_id VARCHAR NOT NULL, content_hash VARCHAR, word_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS {INDEX_SCHEMA}.postings (word VARCHAR NOT NULL, document_id BIGINT NOT NULL, count INTEGER NOT NULL);
CREATE OR REPLACE MACRO {INDEX_SCHEMA}.matching(query) AS TABLE
WITH query_words AS (
    SELECT DISTINCT unnest({words_sql("query")}) AS word
),
hits AS (  -- each query word's count in each article that has it
    SELECT word, document_id, count FROM {INDEX_SCHEMA}.postings SEMI JOIN query_words USING (word)
),
document_frequency AS (
    SELECT word, count(*) AS df FROM hits GROUP BY word
),
totals AS (
    SELECT count(*) AS documents, avg(word_count) AS mean_word_count FROM {INDEX_SCHEMA}.documents
),
scored AS (  -- Okapi BM25 with fts's k = 1.2, b = 0.75 and IDF, as its match_bm25
    SELECT
        hits.document_id,
        sum(
            log10((totals.documents - document_frequency.df + 0.5) / (document_frequency.df + 0.5) + 1)
            * hits.count * 2.2
            / (hits.count + 1.2 * (0.25 + 0.75 * documents.word_count / totals.mean_word_count))
        ) AS score,
        count(*) AS words
    FROM hits
    JOIN document_frequency USING (word)
    JOIN {INDEX_SCHEMA}.documents AS documents USING (document_id)
    CROSS JOIN totals
    GROUP BY hits.document_id
)
-- article ids joined after the grouping: grouping by them as well took a third longer at 1M articles
SELECT documents.article_id, scored.score
FROM scored
JOIN {INDEX_SCHEMA}.documents AS documents USING (document_id)
WHERE scored.words = (SELECT count(*) FROM query_words);
"""


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


@dataclass(frozen=True)
class IndexUpdate:
    """What a run did to the index: articles (re-)indexed, dropped (gone or changed), and indexed in all."""

    indexed: int
    dropped: int
    documents: int


def update_search_index(warehouse: Warehouse) -> IndexUpdate:
    """Bring the index of `warehouse` up to main.articles: index the new and changed articles, drop the rest.

    Only the articles' ids and content hashes are compared; only new and changed articles' text is read.
    New articles are indexed `BATCH_ARTICLES` at a time, each batch's postings appended in word order, so a
    word's rows are one stretch a batch and memory stays bounded on a first build over a whole archive.
    """
    fields = ", ".join(INDEXED_FIELDS)
    with open_warehouse(warehouse) as conn:
        conn.execute(f"SET memory_limit = '{config.value('duckdb_memory_limit')}'")  # a checked size, as dbt's
        conn.execute(INDEX_TABLES_SQL)
        conn.execute("BEGIN")
        conn.execute(
            f"""
            CREATE TEMP TABLE stale AS
            SELECT document_id FROM {INDEX_SCHEMA}.documents AS documents
            ANTI JOIN main.articles AS articles
                ON articles.article_id = documents.article_id
                AND articles.content_hash IS NOT DISTINCT FROM documents.content_hash
            """
        )
        dropped = conn.execute("SELECT count(*) FROM stale").fetchone()[0]
        if dropped:
            for table in ("postings", "documents"):
                conn.execute(f"DELETE FROM {INDEX_SCHEMA}.{table} WHERE document_id IN (SELECT document_id FROM stale)")
        conn.execute(
            f"""
            CREATE TEMP TABLE fresh AS
            SELECT row_number() OVER () - 1 AS position, article_id, content_hash
            FROM main.articles AS articles
            ANTI JOIN {INDEX_SCHEMA}.documents AS documents USING (article_id)
            """
        )
        indexed = conn.execute("SELECT count(*) FROM fresh").fetchone()[0]
        # Ids follow the largest in use (a lake holds no sequence); an id freed by a dropped article may come back.
        first_id = conn.execute(f"SELECT coalesce(max(document_id), -1) + 1 FROM {INDEX_SCHEMA}.documents").fetchone()[
            0
        ]
        for start in range(0, indexed, BATCH_ARTICLES):
            conn.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE batch AS
                SELECT
                    $first_id + fresh.position AS document_id, fresh.article_id, fresh.content_hash,
                    {words_sql(f"concat_ws(' ', {fields})")} AS words
                FROM fresh JOIN main.articles AS articles USING (article_id)
                WHERE fresh.position >= $start AND fresh.position < $start + {BATCH_ARTICLES}
                """,
                {"start": start, "first_id": first_id},
            )
            conn.execute(
                f"INSERT INTO {INDEX_SCHEMA}.documents SELECT document_id, article_id, content_hash, len(words) FROM batch"
            )
            conn.execute(
                f"""
                INSERT INTO {INDEX_SCHEMA}.postings
                SELECT word, document_id, count(*) FROM (SELECT document_id, unnest(words) AS word FROM batch)
                GROUP BY word, document_id
                ORDER BY word, document_id
                """
            )
        documents = conn.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.documents").fetchone()[0]
        conn.execute("DROP TABLE stale; DROP TABLE fresh; DROP TABLE IF EXISTS batch; COMMIT")
    return IndexUpdate(indexed=indexed, dropped=dropped, documents=documents)


def search(published: Warehouse, query: str, **filters) -> list[SearchHit]:
    """`search_on` the published warehouse at `published`, opened read-only for this search."""
    with connect_read_only(published) as conn:
        return search_on(conn, query, **filters)


def search_on(
    conn: duckdb.DuckDBPyConnection,
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
    words = " ".join(re.findall(r"[^\W_]+", query))  # a query of punctuation alone has no word to find
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
    # The schema comes with its tables and macro (INDEX_TABLES_SQL); asking duckdb_functions() took 11 ms.
    indexed = conn.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", [INDEX_SCHEMA]).fetchone()[0]
    if not indexed:
        raise SearchError(
            "the published warehouse has no search index: a run builds it, so publish with this version first"
        )
    # The best `limit` are chosen on the filters' narrow columns; only they are joined for their titles and
    # URLs, so no text column is read for the other matching articles.
    rows = conn.execute(
        f"""
        WITH best AS (
            SELECT article_id, matching.score, published_at
            FROM {INDEX_SCHEMA}.matching($query) AS matching
            JOIN main.articles AS articles USING (article_id)
            WHERE true{where}
            ORDER BY matching.score DESC, published_at DESC NULLS LAST, article_id
            LIMIT $limit
        )
        SELECT best.article_id, best.score, best.published_at, source_id, source_name, country, language, title, url
        FROM best
        JOIN main.articles AS articles USING (article_id)
        ORDER BY best.score DESC, best.published_at DESC NULLS LAST, best.article_id
        """,
        parameters,
    ).fetchall()
    return [SearchHit(*row) for row in rows]
