"""Full-text search: the run's index over main.articles, and `newsdesk search` on the published warehouse."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from newsdesk.cli import main
from newsdesk.warehouse.query import NothingPublished
from newsdesk.warehouse.search import SearchError, build_search_index, search

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


def make_warehouse(path: Path, rows=ARTICLES) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "CREATE TABLE main.articles (article_id VARCHAR, source_id VARCHAR, source_name VARCHAR, country VARCHAR,"
            " language VARCHAR, title VARCHAR, summary VARCHAR, body VARCHAR, published_at TIMESTAMP, url VARCHAR)"
        )
        conn.executemany(
            "INSERT INTO main.articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'https://news.example/' || ?)",
            [(*row, row[0]) for row in rows],
        )
    return path


@pytest.fixture
def indexed(tmp_path) -> Path:
    warehouse = make_warehouse(tmp_path / "newsdesk.duckdb")
    assert build_search_index(warehouse) == len(ARTICLES)
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
    build_search_index(warehouse)
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


def test_a_rebuild_indexes_the_articles_as_they_are_now(indexed):
    with duckdb.connect(str(indexed)) as conn:
        conn.execute("DELETE FROM main.articles WHERE article_id = 'a3'")
        conn.execute("INSERT INTO main.articles (article_id, title, country) VALUES ('a6', 'Zurich once more', 'CH')")
    assert "a6" not in ids(search(indexed, "zurich"))  # the index is what the last run built
    assert build_search_index(indexed) == len(ARTICLES)
    assert set(ids(search(indexed, "zurich"))) == {"a1", "a2", "a5", "a6"}


def test_search_command_prints_hits_and_json(indexed, monkeypatch, capsys):
    published = indexed.parent / "home" / "published" / "newsdesk.duckdb"
    published.parent.mkdir(parents=True)
    indexed.rename(published)
    monkeypatch.setenv("NEWSDESK_HOME", str(published.parent.parent))
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
    with duckdb.connect(str(demo_published), read_only=True) as conn:
        articles = conn.execute("SELECT count(*) FROM main.articles").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM fts_main_articles.docs").fetchone()[0]
        sample = conn.execute(
            "SELECT article_id, title, country FROM main.articles WHERE published_at IS NOT NULL"
            " ORDER BY article_id LIMIT 25"
        ).fetchall()
    assert indexed == articles > 0
    for article_id, title, country in sample:
        hits = search(demo_published, title, limit=50)
        assert article_id in ids(hits), title
        assert {hit.country for hit in search(demo_published, title, country=country)} == {country}


def test_the_scores_are_fts_own_bm25(indexed):
    """The search scores from the index's tables what fts's match_bm25 scores row by row."""
    from newsdesk.warehouse.extensions import load_extension

    with duckdb.connect(str(indexed), read_only=True) as conn:
        load_extension(conn, "fts")
        for query in ("zurich", "zurich fire", "brandweer"):
            expected = conn.execute(
                "SELECT article_id, score FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?,"
                " conjunctive := 1) AS score FROM main.articles) WHERE score IS NOT NULL",
                [query],
            ).fetchall()
            found = {hit.article_id: hit.score for hit in search(indexed, query)}
            assert found.keys() == dict(expected).keys()
            assert all(found[article_id] == pytest.approx(score) for article_id, score in expected)
