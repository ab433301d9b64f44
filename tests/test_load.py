"""Loading a landing partition into the raw schema: replace, never append."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from newsdesk.load import LoadError, load_partition
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


def write_partition(landing: Path, source_id: str, records: list[dict], rejects: list[dict] = (), complete: bool = True) -> Path:
    folder = landing / f"date={DAY.isoformat()}" / f"source={source_id}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    (folder / "rejects.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rejects), encoding="utf-8")
    (folder / "fetches.jsonl").write_text(
        json.dumps({"source_id": source_id, "url": f"http://{source_id}.test/rss", "status": "ok", "http_status": 200,
                    "bytes": 1234, "items": len(records), "duration_ms": 12.5, "error_class": None,
                    "error_message": None, "fetched_at": "2026-11-24T09:00:00Z"}) + "\n",
        encoding="utf-8",
    )
    if complete:
        (folder / "_manifest.json").write_text("{}", encoding="utf-8")
    return folder


def test_load_replaces_partition_and_keeps_unicode(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_partition(landing, "alpha", [record("alpha", 1), record("alpha", 2, published_at="2026-11-24T10:00:00+02:00")],
                    rejects=[{"source_id": "alpha", "feed_url": "x", "item_ref": "#3", "reason": "missing title", "detail": None}])
    write_partition(landing, "beta", [record("beta", 1)])
    write_partition(landing, "gamma", [record("gamma", 1)], complete=False)  # an extract that never finished

    first = load_partition(warehouse, landing, DAY, run_id="run-1", sources=SOURCES)
    second = load_partition(warehouse, landing, DAY, run_id="run-2", sources=SOURCES)

    assert first.rows == second.rows == {"articles": 3, "rejected_items": 1, "fetches": 2}
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
    with pytest.raises(LoadError, match="no complete landing partition for 2026-11-24"):
        load_partition(tmp_path / "wh.duckdb", tmp_path / "landing", DAY, run_id="r", sources=SOURCES)
