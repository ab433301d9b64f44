"""Loading a landing partition into the raw schema: replace, never append."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from newsdesk.load import ExtractionIncomplete, LoadError, load_partition
from newsdesk.registry import Feed, Source

DAY = date(2026, 11, 24)
SOURCES = [
    Source(id="alpha", name="Alpha", country="NL", language="nl", homepage="http://a.test/", feeds=(Feed("http://a.test/rss", "rss"),)),
    Source(id="beta", name="Beta", country="DE", language="de", homepage="http://b.test/", feeds=(Feed("http://b.test/rss", "rss"),)),
]


def record(source_id: str, n: int, **overrides) -> dict:
    base = {
        "source_id": source_id,
        "feed_url": f"http://{source_id}.test/rss",
        "url": f"http://{source_id}.test/{n}",
        "guid": f"{source_id}-{n}",
        "title": f"Titel {n} – Oekraïne",
        "summary": "kort",
        "body": None,
        "author": None,
        "published_at": "2026-11-24T08:30:00Z",
        "updated_at": None,
        "language": "nl",
        "category": "politics",
        "image_url": None,
        "fetched_at": "2026-11-24T09:00:00Z",
        "content_hash": f"hash{n}",
    }
    return {**base, **overrides}


def write_partition(landing: Path, source_id: str, records: list[dict], rejects: list[dict] = (), complete: bool = True,
                    day: date = DAY, failed: bool = False) -> Path:
    folder = landing / f"date={day.isoformat()}" / f"source={source_id}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    (folder / "rejects.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rejects), encoding="utf-8")
    (folder / "fetches.jsonl").write_text(
        json.dumps({"source_id": source_id, "kind": "feed", "url": f"http://{source_id}.test/rss",
                    "status": "error" if failed else "ok", "http_status": 503 if failed else 200,
                    "bytes": 0 if failed else 1234, "items": None if failed else len(records), "duration_ms": 12.5,
                    "error_class": "HTTPError" if failed else None, "error_message": "HTTP 503" if failed else None,
                    "fetched_at": "2026-11-24T09:00:00Z"}) + "\n",
        encoding="utf-8",
    )
    if complete:
        manifest = {"feeds_ok": 0 if failed else 1, "feeds_failed": 1 if failed else 0, "feeds_not_modified": 0,
                    "pages_ok": 0, "pages_failed": 0, "bytes": 0 if failed else 1234, "items": len(records) + len(rejects),
                    "records": len(records), "rejects": len(rejects), "duration_ms": 20.0}
        (folder / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_load_replaces_partition_and_keeps_unicode(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_partition(landing, "alpha", [record("alpha", 1), record("alpha", 2, published_at="2026-11-24T10:00:00+02:00")],
                    rejects=[{"source_id": "alpha", "feed_url": "x", "item_ref": "#3", "reason": "missing title", "detail": None}])
    write_partition(landing, "beta", [record("beta", 1)])
    write_partition(landing, "gamma", [record("gamma", 1)], complete=False)  # an extract that never finished

    first = load_partition(warehouse, landing, DAY, run_id="run-1", sources=SOURCES)
    second = load_partition(warehouse, landing, DAY, run_id="run-2", sources=SOURCES)

    assert first.rows == second.rows == {"articles": 3, "quarantined_articles": 0, "rejected_items": 1, "fetches": 2}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT count(*), min(run_id), max(run_id) FROM raw.articles").fetchone() == (3, "run-2", "run-2")
        assert conn.execute("SELECT published_at FROM raw.articles WHERE url = 'http://alpha.test/2'").fetchone()[0] == datetime(2026, 11, 24, 8, 0)
        assert conn.execute("SELECT title FROM raw.articles WHERE url = 'http://alpha.test/1'").fetchone()[0] == "Titel 1 – Oekraïne"
        assert conn.execute("SELECT reason FROM raw.rejected_items").fetchall() == [("missing title",)]
        assert conn.execute("SELECT source_id FROM raw.sources ORDER BY 1").fetchall() == [("alpha",), ("beta",)]


def test_other_dates_are_untouched(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_partition(landing, "alpha", [record("alpha", 1)])
    load_partition(warehouse, landing, DAY, run_id="r", sources=SOURCES)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("UPDATE raw.articles SET partition_date = DATE '2026-11-23'")
    load_partition(warehouse, landing, DAY, run_id="r", sources=SOURCES)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT partition_date::VARCHAR, count(*) FROM raw.articles GROUP BY 1 ORDER BY 1").fetchall() == [
            ("2026-11-23", 1), ("2026-11-24", 1)]


def test_broken_landing_file_fails_and_changes_nothing(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    folder = write_partition(landing, "alpha", [record("alpha", 1)])
    load_partition(warehouse, landing, DAY, run_id="good", sources=SOURCES)
    (folder / "records.jsonl").write_text('{"source_id": "alpha", "url": \n', encoding="utf-8")
    with pytest.raises(LoadError, match="nothing was changed"):
        load_partition(warehouse, landing, DAY, run_id="bad", sources=SOURCES)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT count(*), max(run_id) FROM raw.articles").fetchone() == (1, "good")


def test_missing_partition_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionIncomplete, match="2 of 2 sources have no working fetch for 2026-11-24"):
        load_partition(tmp_path / "wh.duckdb", tmp_path / "landing", DAY, run_id="r", sources=SOURCES)


def source_runs(warehouse: Path, run_id: str) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "SELECT source_id, status, http_status, items, records, new_items, rejected_items, error_class"
            " FROM ops.source_runs WHERE run_id = ? ORDER BY source_id", [run_id]).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_source_runs_count_new_items_against_earlier_dates(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    yesterday = date(2026, 11, 23)
    write_partition(landing, "alpha", [record("alpha", 1), record("alpha", 2)], day=yesterday)
    write_partition(landing, "beta", [record("beta", 1)], day=yesterday)
    load_partition(warehouse, landing, yesterday, run_id="d1", sources=SOURCES)
    write_partition(landing, "alpha", [record("alpha", 2), record("alpha", 3), record("alpha", 4)],
                    rejects=[{"source_id": "alpha", "feed_url": "x", "item_ref": "#9", "reason": "missing title", "detail": None}])
    write_partition(landing, "beta", [], failed=True)

    result = load_partition(warehouse, landing, DAY, run_id="d2", sources=SOURCES, max_failed_share=0.5)

    assert result.source_status == {"alpha": "ok", "beta": "failed"}
    assert source_runs(warehouse, "d1") == {
        "alpha": ("ok", 200, 2, 2, 2, 0, None), "beta": ("ok", 200, 1, 1, 1, 0, None)}
    assert source_runs(warehouse, "d2") == {
        "alpha": ("ok", 200, 4, 3, 2, 1, None), "beta": ("failed", 503, 0, 0, 0, 0, "HTTPError")}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT source_id, reason FROM ops.rejected_items WHERE run_id = 'd2'").fetchall() == [
            ("alpha", "missing title")]


def test_too_many_failed_sources_stop_the_load_but_are_logged(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_partition(landing, "alpha", [record("alpha", 1)])
    load_partition(warehouse, landing, DAY, run_id="good", sources=SOURCES, max_failed_share=0.5)
    write_partition(landing, "alpha", [], failed=True)

    with pytest.raises(ExtractionIncomplete, match=r"2 of 2 sources .* \(more than the allowed share 50%\): alpha, beta"):
        load_partition(warehouse, landing, DAY, run_id="bad", sources=SOURCES, max_failed_share=0.5)

    assert source_runs(warehouse, "bad") == {
        "alpha": ("failed", 503, 0, 0, None, 0, "HTTPError"), "beta": ("missing", None, None, None, None, None, "NotLanded")}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT count(*), max(run_id) FROM raw.articles").fetchone() == (1, "good")


def test_single_bad_records_are_quarantined_with_their_reason(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write_partition(landing, "alpha", [
        record("alpha", 1),
        record("alpha", 2, title="   "),
        record("alpha", 3, url="javascript:alert(1)"),
        record("alpha", 4, language="eng"),
        record("alpha", 5, published_at="2026-11-10T08:00:00Z"),  # before D-7
        record("alpha", 6, published_at="2026-11-26T00:00:00Z"),  # D+2 00:00, the window's open end
        record("alpha", 7, language=None, published_at=None),  # unknown is not wrong
    ])
    write_partition(landing, "beta", [record("beta", 1, language="de")])

    result = load_partition(warehouse, landing, DAY, run_id="run-1", sources=SOURCES)

    assert (result.rows["articles"], result.rows["quarantined_articles"]) == (3, 5)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        quarantined = conn.execute(
            "SELECT guid, reason, title, run_id FROM raw.quarantined_articles ORDER BY guid").fetchall()
        kept = conn.execute("SELECT guid FROM raw.articles ORDER BY guid").fetchall()
    assert quarantined == [
        ("alpha-2", "missing title", "   ", "run-1"),
        ("alpha-3", "url not http(s)", "Titel 3 – Oekraïne", "run-1"),
        ("alpha-4", "language not ISO 639-1", "Titel 4 – Oekraïne", "run-1"),
        ("alpha-5", "published_at outside window", "Titel 5 – Oekraïne", "run-1"),
        ("alpha-6", "published_at outside window", "Titel 6 – Oekraïne", "run-1"),
    ]
    assert kept == [("alpha-1",), ("alpha-7",), ("beta-1",)]


def test_published_window_follows_the_settings(tmp_path, monkeypatch):
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write_partition(landing, "alpha", [record("alpha", 1, published_at="2026-11-10T08:00:00Z")])
    monkeypatch.setenv("NEWSDESK_PUBLISHED_WINDOW_DAYS_BEFORE", "30")

    assert load_partition(warehouse, landing, DAY, run_id="r", sources=SOURCES[:1]).rows["quarantined_articles"] == 0


def test_language_set_is_the_raw_suites_set():
    from newsdesk.config import EXPECTATIONS_DIR
    from newsdesk.languages import ISO_639_1

    suite = json.loads((EXPECTATIONS_DIR / "raw_articles.json").read_text())
    [language_check] = [e for e in suite["expectations"] if e["kwargs"].get("column") == "language"]
    assert set(language_check["kwargs"]["value_set"]) == ISO_639_1
