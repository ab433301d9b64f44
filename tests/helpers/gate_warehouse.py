"""Small hand-made warehouses for the quality gate: a raw.articles partition and the marts the suites read."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from newsdesk.quality.gate import SuiteResult

DAY = date(2026, 11, 20)
SOURCES = ["nos", "bbc"]

RAW_ARTICLES_DDL = """
CREATE TABLE raw.articles (
    partition_date DATE, run_id VARCHAR, loaded_at TIMESTAMP,
    source_id VARCHAR, feed_url VARCHAR, url VARCHAR, guid VARCHAR, title VARCHAR,
    summary VARCHAR, body VARCHAR, author VARCHAR, published_at TIMESTAMP, updated_at TIMESTAMP,
    language VARCHAR, category VARCHAR, image_url VARCHAR, fetched_at TIMESTAMP, content_hash VARCHAR,
    feed_link VARCHAR, media_kind VARCHAR, language_declared VARCHAR, language_detected VARCHAR,
    published_at_source VARCHAR, body_source VARCHAR
)"""
MART_SOURCES_DDL = "CREATE TABLE main.sources (source_id VARCHAR, name VARCHAR, country VARCHAR)"
MART_ARTICLES_DDL = """
CREATE TABLE main.articles (
    article_id VARCHAR, source_id VARCHAR, url VARCHAR, title VARCHAR, language VARCHAR,
    reading_time_summary_seconds INTEGER, reading_time_full_seconds INTEGER,
    word_count_summary INTEGER, word_count_full INTEGER
)"""


def raw_article(index: int, **overrides) -> dict:
    source_id = SOURCES[index % 2]
    title = f"Kabinet valt over Oekraïne-steun, deel {index}"
    row = {
        "partition_date": DAY,
        "run_id": "scheduled__2026-11-20",
        "loaded_at": datetime(2026, 11, 21, 0, 5),
        "source_id": source_id,
        "feed_url": f"https://{source_id}.example/feed.xml",
        "url": f"https://{source_id}.example/artikel/{index}",
        "guid": f"{source_id}-{index}",
        "title": title,
        "summary": "Het kabinet is gevallen.",
        "body": None,
        "author": None,
        "published_at": datetime(2026, 11, 20, 6, 0) + timedelta(minutes=index),
        "updated_at": None,
        "language": "nl" if source_id == "nos" else "en",
        "category": "politiek",
        "image_url": None,
        "fetched_at": datetime(2026, 11, 20, 23, 0),
        "content_hash": hashlib.sha256(f"{title}\nHet kabinet is gevallen.\n".encode()).hexdigest(),
    }
    return {**row, **overrides}


def good_raw_batch(count: int = 10) -> list[dict]:
    """`count` valid rows; the last two have no guid (allowed, and not duplicates of each other)."""
    rows = [raw_article(i) for i in range(count)]
    rows[-1]["guid"] = rows[-2]["guid"] = None
    rows[-1]["source_id"] = rows[-2]["source_id"] = "nos"
    rows[-1]["language"] = None
    return rows


def mart_rows_for(raw_rows: list[dict]) -> list[dict]:
    return [
        {
            "article_id": hashlib.sha256(row["url"].encode()).hexdigest()[:16],
            "source_id": row["source_id"],
            "url": row["url"],
            "title": row["title"],
            "language": row["language"],
            "reading_time_summary_seconds": 2,
            "reading_time_full_seconds": None,
            "word_count_summary": 4,
            "word_count_full": None,
        }
        for row in raw_rows
    ]


def insert(conn: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if rows:
        columns = list(rows[0])
        placeholders = ", ".join("?" for _ in columns)
        conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
            [[row[c] for c in columns] for row in rows],
        )


def build_warehouse(
    path: Path,
    raw_rows: list[dict],
    mart_rows: list[dict] | None = None,
    *,
    raw_ddl: str = RAW_ARTICLES_DDL,
    with_marts: bool = True,
) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA raw")
        conn.execute(raw_ddl)
        insert(conn, "raw.articles", raw_rows)
        if with_marts:
            conn.execute(MART_SOURCES_DDL)
            conn.execute(MART_ARTICLES_DDL)
            insert(conn, "main.sources", [{"source_id": s, "name": s.upper(), "country": "NL"} for s in SOURCES])
            insert(conn, "main.articles", mart_rows_for(raw_rows) if mart_rows is None else mart_rows)
    return path


def failures(results: list[SuiteResult]) -> dict[tuple[str, str, str | None], object]:
    """(suite, expectation, column) -> observed value, for every failed expectation."""
    return {
        (outcome.suite, outcome.expectation, outcome.column): outcome.observed_value
        for result in results
        for outcome in result.failed_outcomes
    }
