"""A hand-made raw schema for the dbt project: four sources, two days of articles worked out by hand.

The rows follow docs/architecture.md's raw contract, inserted through the
loader's own DDL; tests/test_dbt_models.py gives the expected values.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from newsdesk.warehouse.load import create_raw_schema

DAY_1 = date(2025, 4, 10)
DAY_2 = date(2025, 4, 11)
RUN_1 = "scheduled__2025-04-10T00:00:00+00:00"
RUN_2 = "scheduled__2025-04-11T00:00:00+00:00"

SOURCES = [
    ("nos", "NOS", "nl", "nl", "https://nos.nl/", False, False, 2),
    ("spiegel", "Der Spiegel", "DE", "de", "https://www.spiegel.de/", False, True, 1),
    ("wire", "Example Wire", "GB", "en", "https://wire.example/", True, False, 1),
    ("quiet", "Quiet Times", "BE", "fr", "https://quiet.example/", False, False, 1),
]

NOS_SUMMARY = (
    "Sommige Russische soldaten zijn moegestreden of hebben gewetensbezwaren gekregen,"
    " zien mensenrechtenorganisaties. 'Ze willen zich geen kanonnenvlees voelen.'"
)  # 11 + 6 = 17 words
NOS_BODY = "\n\n".join(["Het Russische leger probeert extra militairen te werven."] * 30)  # 8 x 30 = 240 words
SPIEGEL_BODY = " ".join(["Der Haushaltsausschuss berät am Donnerstag über den Entwurf."] * 50)  # 8 x 50 = 400 words
WIRE_BODY = " ".join(["Shares rose sharply in early trading."] * 100)  # 6 x 100 = 600 words


def article(**fields) -> dict:
    defaults = {
        "source_id": None,
        "feed_url": None,
        "url": None,
        "guid": None,
        "title": None,
        "summary": None,
        "body": None,
        "author": None,
        "published_at": None,
        "updated_at": None,
        "language": None,
        "category": None,
        "image_url": None,
        "fetched_at": None,
        "content_hash": None,
        "partition_date": None,
        "run_id": None,
        "loaded_at": None,
    }
    unknown = fields.keys() - defaults.keys()
    assert not unknown, f"not raw.articles columns: {unknown}"
    return {**defaults, **fields}


def day_1(**fields) -> dict:
    return article(partition_date=DAY_1, run_id=RUN_1, loaded_at=datetime(2025, 4, 10, 9, 30), **fields)


def day_2(**fields) -> dict:
    return article(partition_date=DAY_2, run_id=RUN_2, loaded_at=datetime(2025, 4, 11, 9, 30), **fields)


ARTICLES = [
    # Two versions of one NOS article: day 2 adds the body and an updated_at.
    day_1(
        source_id="nos",
        feed_url="https://feeds.nos.nl/nosnieuwsalgemeen",
        url="https://nos.nl/artikel/1",
        guid="nos-1",
        title="Sinds invasie Oekraïne willen meer beroepsmilitairen het Russische leger uit",
        summary=NOS_SUMMARY,
        language="nl",
        category="Nederland Nieuws",
        published_at=datetime(2025, 4, 10, 8, 0),
        fetched_at=datetime(2025, 4, 10, 9, 0),
        content_hash="a" * 64,
    ),
    day_2(
        source_id="nos",
        feed_url="https://feeds.nos.nl/nosnieuwsalgemeen",
        url="https://nos.nl/artikel/1",
        guid="nos-1",
        title="Sinds invasie Oekraïne willen meer beroepsmilitairen het Russische leger uit",
        summary=NOS_SUMMARY,
        body=NOS_BODY,
        language="nl",
        category="Nederland Nieuws",
        image_url="https://nos.nl/img/1.jpg",
        author="NOS Nieuws",
        published_at=datetime(2025, 4, 10, 8, 0),
        updated_at=datetime(2025, 4, 11, 6, 0),
        fetched_at=datetime(2025, 4, 11, 9, 0),
        content_hash="b" * 64,
    ),
    # No body, untidy whitespace, an empty author.
    day_2(
        source_id="nos",
        feed_url="https://feeds.nos.nl/nosnieuwsbuitenland",
        url="https://nos.nl/artikel/2",
        title="  Politicus in  Moskou\u00a0krijgt zeven jaar cel ",
        summary="  Politicus in  Moskou krijgt zeven jaar cel wegens kritiek op oorlog  ",  # 11 words
        author="",
        language="nl",
        category="Buitenland",
        published_at=datetime(2025, 4, 11, 7, 30),
        fetched_at=datetime(2025, 4, 11, 9, 0),
        content_hash="c" * 64,
    ),
    # German, with an upper-case language code.
    day_2(
        source_id="spiegel",
        url="https://www.spiegel.de/politik/haushalt",
        title="Mehr Geld für die Bundeswehr",
        summary="Die Bundesregierung will die Ausgaben für Verteidigung deutlich erhöhen.",  # 9 words
        body=SPIEGEL_BODY,
        language="DE",
        category="Politik",
        published_at=datetime(2025, 4, 11, 6, 0),
        fetched_at=datetime(2025, 4, 11, 9, 5),
        content_hash="d" * 64,
    ),
    # A language without a reading speed of its own (Esperanto): the default speed.
    day_2(
        source_id="wire",
        url="https://wire.example/eo/klimato",
        title="Nova leĝo",
        summary="La registaro anoncis novan leĝon pri klimato.",  # 7 words
        language="eo",
        category="world",
        published_at=datetime(2025, 4, 11, 5, 0),
        fetched_at=datetime(2025, 4, 11, 9, 10),
        content_hash="e" * 64,
    ),
    # No language on the item: the source's (English).
    day_2(
        source_id="wire",
        url="https://wire.example/markets",
        title="Markets rally",
        summary="Markets rallied on Friday after the central bank's decision.",  # 9 words
        body=WIRE_BODY,
        category="world",
        published_at=datetime(2025, 4, 11, 4, 0),
        fetched_at=datetime(2025, 4, 11, 9, 10),
        content_hash="f" * 64,
    ),
    # A publisher that has since left the registry.
    day_1(
        source_id="gone",
        url="https://gone.example/1",
        title="Au revoir",
        summary="Au revoir.",
        language="fr",
        published_at=datetime(2025, 4, 10, 3, 0),
        fetched_at=datetime(2025, 4, 10, 9, 0),
        content_hash="0" * 64,
    ),
]


def create_raw_warehouse(path: Path, articles: list[dict]) -> Path:
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)  # the loader's own DDL: these tests follow the raw contract as it is
        conn.executemany(
            "INSERT INTO raw.sources (source_id, name, country, language, homepage, local, fetch_pages, feed_count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            SOURCES,
        )
        insert_raw_articles(conn, articles)
        conn.execute(
            "INSERT INTO raw.fetches (source_id, kind, url, status, http_status, bytes, items, duration_ms,"
            " fetched_at, partition_date, run_id, loaded_at) VALUES ('nos', 'feed',"
            " 'https://feeds.nos.nl/nosnieuwsalgemeen', 'ok', 200, 5120, 1, 84.5, TIMESTAMP '2025-04-11 09:00:00',"
            " DATE '2025-04-11', ?, TIMESTAMP '2025-04-11 09:30:00')",
            [RUN_2],
        )
        conn.execute(
            "INSERT INTO raw.rejected_items (source_id, feed_url, item_ref, reason, detail, partition_date, run_id,"
            " loaded_at) VALUES ('nos', 'https://feeds.nos.nl/nosnieuwsalgemeen', 'item 7',"
            " 'missing_title', 'item has no title', DATE '2025-04-11', ?, TIMESTAMP '2025-04-11 09:30:00')",
            [RUN_2],
        )
    return path


def insert_raw_articles(conn: duckdb.DuckDBPyConnection, articles: list[dict]) -> None:
    columns = list(articles[0])
    conn.executemany(
        f"INSERT INTO raw.articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [[row[column] for column in columns] for row in articles],
    )


def rows_as_dicts(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = conn.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
