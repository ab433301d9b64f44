"""Full-text search: the run's index over main.articles, and `newsdesk search` on the published warehouse."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from helpers.published import read_published
from helpers.search_index import SEARCH_INDEX_CONTENT
from newsdesk.cli import main
from newsdesk.warehouse import search as search_module
from newsdesk.warehouse.query import NothingPublished, run_query
from newsdesk.warehouse.search import (
    FTS_REFERENCE_INDEX_SQL,
    INDEX_SCHEMA,
    IndexUpdate,
    SearchError,
    search,
    update_search_index,
)

ARTICLES = [
    # article_id, source_id, source_name, country, language, title, summary, body, published_at
    (
        "a1",
        "nos",
        "NOS",
        "NL",
        "nl",
        "Brand in Zürich",
        "Grote brand in een loods",
        "De brandweer was er snel.",
        datetime(2026, 11, 20, 8),
    ),
    (
        "a2",
        "bbc",
        "BBC",
        "GB",
        "en",
        "Fire in Zurich warehouse",
        "A large fire",
        "Firefighters in Zurich came.",
        datetime(2026, 11, 21, 9),
    ),
    (
        "a3",
        "bbc",
        "BBC",
        "GB",
        "en",
        "Zurich fire: Zurich firefighters praised",
        "Zurich Zurich",
        "Zurich again.",
        datetime(2026, 11, 22, 9),
    ),
    ("a4", "dw", "DW", "DE", "de", "Wahl in Bayern", "Die Wahl", "Nichts über Feuer.", datetime(2026, 11, 22, 10)),
    ("a5", "nos", "NOS", "NL", "nl", "Undated note on Zurich", None, None, None),
]


# As the articles mart's content_hash: the kept version's title, summary and body.
HASH_TEXT = "UPDATE main.articles SET content_hash = sha256(concat_ws('|', title, summary, body))"


def make_warehouse(path: Path, rows=ARTICLES) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "CREATE TABLE main.articles (article_id VARCHAR, source_id VARCHAR, source_name VARCHAR, country VARCHAR,"
            " language VARCHAR, title VARCHAR, summary VARCHAR, body VARCHAR, published_at TIMESTAMP, url VARCHAR,"
            " content_hash VARCHAR)"
        )
        conn.executemany(
            "INSERT INTO main.articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'https://news.example/' || ?, NULL)",
            [(*row, row[0]) for row in rows],
        )
        conn.execute(HASH_TEXT)
    return path


@pytest.fixture
def indexed(tmp_path) -> Path:
    warehouse = make_warehouse(tmp_path / "newsdesk.duckdb")
    assert update_search_index(warehouse).documents == len(ARTICLES)
    return warehouse


def ids(hits) -> list[str]:
    return [hit.article_id for hit in hits]


def test_bm25_ranks_titles_summaries_and_bodies_ignoring_case_and_accents(indexed):
    hits = search(indexed, "zurich")
    assert hits[0].article_id == "a3"  # says Zurich five times
    assert set(ids(hits)) == {"a1", "a2", "a3", "a5"}  # "Zürich" matches too
    assert hits[0].score > hits[1].score >= hits[2].score > hits[3].score > 0
    assert (hits[0].source_name, hits[0].country, hits[0].url) == ("BBC", "GB", "https://news.example/a3")
    assert ids(search(indexed, "FIREFIGHTERS")) == ["a3", "a2"]
    assert ids(search(indexed, "brandweer")) == ["a1"]  # a body word


def test_every_word_of_the_query_must_occur(indexed):
    assert ids(search(indexed, "zurich warehouse")) == ["a2"]
    assert search(indexed, "zurich bayern") == []


def test_figures_and_other_scripts_are_words(tmp_path):
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        [
            ("n1", "s", "S", "NL", "nl", "Zeker 6.450 mensen ontheemd", None, None, None),
            ("n2", "s", "S", "NL", "nl", "Zeker 47.930 mensen ontheemd", None, None, None),
            ("g1", "s", "S", "GR", "el", "Ο Υπουργός είπε", None, None, None),
            ("j1", "s", "S", "JP", "ja", "東京 会議", None, None, None),
        ],
    )
    update_search_index(warehouse)
    assert ids(search(warehouse, "6.450 mensen")) == ["n1"]
    assert ids(search(warehouse, "“Zeker 47.930”, ")) == ["n2"]  # punctuation around the words is no word
    assert ids(search(warehouse, "Υπουργός")) == ["g1"]
    assert ids(search(warehouse, "会議")) == ["j1"]


def test_filters_narrow_the_hits(indexed):
    assert ids(search(indexed, "zurich", country="gb")) == ["a3", "a2"]
    assert set(ids(search(indexed, "zurich", language="NL"))) == {"a5", "a1"}
    assert ids(search(indexed, "zurich", source="nos", since=date(2026, 11, 20))) == ["a1"]  # undated: no date
    assert ids(search(indexed, "zurich", since=date(2026, 11, 21), until=date(2026, 11, 21))) == ["a2"]
    assert ids(search(indexed, "zurich", limit=1)) == ["a3"]


def test_bad_searches_say_why(indexed, tmp_path):
    for nothing in ("  ", "“…”"):
        with pytest.raises(SearchError, match="query is empty"):
            search(indexed, nothing)
    with pytest.raises(SearchError, match=r"since \(2026-11-22\) is after until \(2026-11-21\)"):
        search(indexed, "zurich", since=date(2026, 11, 22), until=date(2026, 11, 21))
    with pytest.raises(SearchError, match="limit must be at least 1"):
        search(indexed, "zurich", limit=0)
    with pytest.raises(SearchError, match="has no search index: a run builds it"):
        search(make_warehouse(tmp_path / "unindexed.duckdb"), "zurich")
    with pytest.raises(NothingPublished):
        search(tmp_path / "missing.duckdb", "zurich")


def test_an_update_indexes_new_and_changed_articles_and_drops_the_gone(indexed):
    with duckdb.connect(str(indexed)) as conn:
        conn.execute("DELETE FROM main.articles WHERE article_id = 'a3'")
        conn.execute("INSERT INTO main.articles (article_id, title, country) VALUES ('a6', 'Zurich once more', 'CH')")
        conn.execute("UPDATE main.articles SET body = 'Geneva, not Zurich.' WHERE article_id = 'a4'")
        conn.execute(HASH_TEXT)
    assert "a6" not in ids(search(indexed, "zurich"))  # the index is what the last run built
    assert update_search_index(indexed) == IndexUpdate(indexed=2, dropped=2, documents=len(ARTICLES))
    assert set(ids(search(indexed, "zurich"))) == {"a1", "a2", "a4", "a5", "a6"}
    assert search(indexed, "feuer") == []  # a4's old body
    assert update_search_index(indexed) == IndexUpdate(indexed=0, dropped=0, documents=len(ARTICLES))


def index_content(warehouse: Path) -> list[tuple]:
    """What the index says, by article: its text version, length, and each word's count."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(SEARCH_INDEX_CONTENT).fetchall()


def test_updates_day_by_day_equal_one_build_from_scratch(tmp_path):
    """Articles arriving, edited and leaving over three updates leave the index a fresh build makes."""
    updated = make_warehouse(tmp_path / "updated.duckdb", ARTICLES[:2])
    update_search_index(updated)
    changes = [
        ["INSERT INTO main.articles SELECT * FROM fresh WHERE article_id IN ('a3', 'a4')"],
        [
            "UPDATE main.articles SET title = 'Zurich: the fire is out' WHERE article_id = 'a2'",
            "DELETE FROM main.articles WHERE article_id = 'a1'",
            "INSERT INTO main.articles SELECT * FROM fresh WHERE article_id = 'a5'",
        ],
    ]
    source = make_warehouse(tmp_path / "fresh.duckdb")
    for statements in changes:
        with duckdb.connect(str(updated)) as conn:
            conn.execute(f"ATTACH '{source}' AS fresh_db (READ_ONLY)")
            conn.execute("CREATE TEMP VIEW fresh AS SELECT * FROM fresh_db.main.articles")
            for statement in statements:
                conn.execute(statement)
            conn.execute(HASH_TEXT)
        update_search_index(updated)
    scratch = tmp_path / "scratch.duckdb"
    with duckdb.connect(str(scratch)) as conn:
        conn.execute(f"ATTACH '{updated}' AS updated (READ_ONLY)")
        conn.execute("CREATE TABLE main.articles AS SELECT * FROM updated.main.articles")
    update_search_index(scratch)
    assert index_content(updated) == index_content(scratch)
    assert {row[0] for row in index_content(updated)} == {"a2", "a3", "a4", "a5"}


def test_indexing_in_batches_says_what_one_batch_says(tmp_path, monkeypatch):
    whole = make_warehouse(tmp_path / "whole.duckdb")
    update_search_index(whole)
    batched = make_warehouse(tmp_path / "batched.duckdb")
    monkeypatch.setattr(search_module, "BATCH_ARTICLES", 2)
    assert update_search_index(batched) == IndexUpdate(indexed=len(ARTICLES), dropped=0, documents=len(ARTICLES))
    assert index_content(batched) == index_content(whole)


def test_search_command_prints_hits_and_json(indexed, monkeypatch, capsys):
    published = indexed.parent / "home" / "published" / "newsdesk.duckdb"
    published.parent.mkdir(parents=True)
    indexed.rename(published)
    monkeypatch.setenv("NEWSDESK_HOME", str(published.parent.parent))
    monkeypatch.setenv("NEWSDESK_STORAGE", "file")  # the command on a lake: tests/test_lake_runs.py
    assert main(["search", "zurich", "--country", "GB"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[1:4] == ["2026-11-22", "BBC", "(GB,"] and lines[0].endswith("Zurich firefighters praised")
    assert lines[1].strip() == "https://news.example/a3" and len(lines) == 4
    assert main(["search", "zurich", "--language", "nl", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [(hit["article_id"], hit["published_at"]) for hit in printed] == [
        ("a5", None),
        ("a1", "2026-11-20 08:00:00"),
    ]
    assert main(["search", "zurich bayern"]) == 0
    assert capsys.readouterr().out == "no article has every word of the query\n"
    assert main(["search", ""]) == 1
    assert "newsdesk search: the query is empty" in capsys.readouterr().err


def test_the_run_indexes_the_published_articles(demo_published):
    """news_daily builds the index with the marts: every published article is found by its own title."""
    with read_published(demo_published) as conn:
        articles = conn.execute("SELECT count(*) FROM main.articles").fetchone()[0]
        indexed = conn.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.documents").fetchone()[0]
        sample = conn.execute(
            "SELECT article_id, title, country FROM main.articles WHERE published_at IS NOT NULL"
            " ORDER BY article_id LIMIT 25"
        ).fetchall()
    assert indexed == articles > 0
    for article_id, title, country in sample:
        hits = search(demo_published, title, limit=50)
        assert article_id in ids(hits), title
        assert {hit.country for hit in search(demo_published, title, country=country)} == {country}
    # Analysts reach the same scores in SQL through the index's table macro, read-only.
    best = search(demo_published, sample[0][1], limit=1)[0]
    printed = run_query(
        demo_published,
        f"SELECT article_id, score FROM search.matching('{sample[0][1].replace(chr(39), chr(39) * 2)}')"
        " ORDER BY score DESC, article_id LIMIT 1",
        output_format="json",
    )
    assert json.loads(printed)[0]["score"] == pytest.approx(best.score)


def test_the_scores_are_fts_own_bm25(indexed):
    """The index scores as DuckDB's fts extension's match_bm25 does over an fts index of the same articles."""
    from newsdesk.warehouse.extensions import load_extension

    with duckdb.connect(str(indexed)) as conn:
        load_extension(conn, "fts")
        conn.execute(FTS_REFERENCE_INDEX_SQL)
    with duckdb.connect(str(indexed), read_only=True) as conn:
        load_extension(conn, "fts")
        for query in ("zurich", "zurich fire", "brandweer", "Zürich"):
            expected = conn.execute(
                "SELECT article_id, score FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?,"
                " conjunctive := 1) AS score FROM main.articles) WHERE score IS NOT NULL",
                [query],
            ).fetchall()
            found = {hit.article_id: hit.score for hit in search(indexed, query)}
            assert found.keys() == dict(expected).keys() and found
            assert all(found[article_id] == pytest.approx(score) for article_id, score in expected)
