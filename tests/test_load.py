"""Loading date D's landing attempts into the raw schema: each URL's latest good version, replace, never append."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb
import pytest

from newsdesk.collect import landing
from newsdesk.collect.records import ARTICLE_COLUMNS
from newsdesk.collect.registry import Feed, Source
from newsdesk.warehouse.ledger import apply_ledger, record_source_runs
from newsdesk.warehouse.load import ExtractionIncomplete, LoadError, load_partition

DAY = date(2026, 11, 24)
SOURCES = [
    Source(
        id="alpha",
        name="Alpha",
        country="NL",
        language="nl",
        homepage="http://a.test/",
        feeds=(Feed("http://a.test/rss", "rss"),),
    ),
    Source(
        id="beta",
        name="Beta",
        country="DE",
        language="de",
        homepage="http://b.test/",
        feeds=(Feed("http://b.test/rss", "rss"),),
    ),
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


def reject(source_id: str, item_ref: str, reason: str = "missing title") -> dict:
    return {
        "source_id": source_id,
        "feed_url": f"http://{source_id}.test/rss",
        "item_ref": item_ref,
        "reason": reason,
        "detail": None,
    }


def jsonl(rows) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def write_attempt(
    landing_root: Path,
    source_id: str,
    records: list[dict],
    rejects: list[dict] = (),
    *,
    hour: int = 9,
    day: date = DAY,
    failed: bool = False,
    complete: bool = True,
    legacy: bool = False,
    run_id: str | None = None,
) -> Path:
    """One fetch attempt of `source_id` for `day`, started at `hour` UTC, as extract_source lands it.

    `legacy` writes the layout before attempts (the files directly in the source folder, a manifest
    without attempt fields); `complete=False` leaves the manifest out, as an extract that never finished.
    """
    folder = landing.source_dir(landing_root, day, source_id)
    started = datetime.combine(day, time(hour), tzinfo=UTC)
    attempt = {}
    if not legacy:
        attempt_id = landing.new_attempt_id(started)
        folder = folder / f"attempt={attempt_id}"
        attempt = {
            "attempt_id": attempt_id,
            "run_id": run_id or f"collect-{hour:02d}",
            "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.jsonl").write_text(jsonl(records), encoding="utf-8")
    (folder / "rejects.jsonl").write_text(jsonl(rejects), encoding="utf-8")
    fetch = {
        "source_id": source_id,
        "kind": "feed",
        "url": f"http://{source_id}.test/rss",
        "status": "error" if failed else "ok",
        "http_status": 503 if failed else 200,
        "bytes": 0 if failed else 1234,
        "items": None if failed else len(records) + len(rejects),
        "duration_ms": 12.5,
        "error_class": "HTTPError" if failed else None,
        "error_message": "HTTP 503" if failed else None,
        "fetched_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (folder / "fetches.jsonl").write_text(jsonl([fetch]), encoding="utf-8")
    if complete:
        manifest = {
            "source_id": source_id,
            "date": day.isoformat(),
            **attempt,
            "feeds_ok": 0 if failed else 1,
            "feeds_failed": 1 if failed else 0,
            "feeds_not_modified": 0,
            "pages_ok": 0,
            "pages_failed": 0,
            "bytes": 0 if failed else 1234,
            "items": len(records) + len(rejects),
            "records": len(records),
            "rejects": len(rejects),
            "duration_ms": 20.0,
            "feed_errors": ["http://x: HTTPError: HTTP 503"] if failed else [],
        }
        (folder / "_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def raw_rows(warehouse: Path, table: str, day: date = DAY) -> list[tuple]:
    """Every column of partition D of a raw table but the load time, in a stable order."""
    return query(
        warehouse, f"SELECT * EXCLUDE (loaded_at) FROM raw.{table} WHERE partition_date = ? ORDER BY ALL", [day]
    )


RUN_COLUMNS = "source_id, run_id, status, http_status, items, records, new_items, rejected_items, error_class"


def source_runs(tmp_path: Path, runs: list[dict], columns: str = RUN_COLUMNS) -> list[tuple]:
    """The ops.source_runs rows a publish makes of a load's source runs, through the run ledger."""
    ledger, published = tmp_path / "ledger", tmp_path / "published.duckdb"
    day = runs[0]["partition_date"]
    record_source_runs(ledger, partition_date=day, runs=runs)
    apply_ledger(published, ledger)
    return query(
        published,
        f"SELECT {columns} FROM ops.source_runs WHERE partition_date = ? ORDER BY source_id, started_at NULLS FIRST",
        [day],
    )


# ---- one attempt per source ---------------------------------------------------------------


def test_the_load_reads_each_attempts_parquet_and_the_json_lines_of_attempts_landed_before_there_was_any(tmp_path):
    landing_root = tmp_path / "landing"
    alpha = write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2, title="Zwölf Äpfel")])
    write_attempt(landing_root, "beta", [record("beta", 1)], hour=10)  # landed before there was Parquet
    json_only = load_partition(tmp_path / "json.duckdb", landing_root, DAY, run_id="r", sources=SOURCES)
    for folder in landing.date_dir(landing_root, DAY).glob("source=alpha/attempt=*"):
        landing.write_typed_parquet(folder / landing.RECORDS, folder / landing.RECORDS_PARQUET, ARTICLE_COLUMNS)

    with_parquet = load_partition(tmp_path / "parquet.duckdb", landing_root, DAY, run_id="r", sources=SOURCES)

    assert with_parquet.rows == json_only.rows
    assert raw_rows(tmp_path / "parquet.duckdb", "articles") == raw_rows(tmp_path / "json.duckdb", "articles")
    # the Parquet is what the load read for alpha: a title changed only there arrives
    edited = tmp_path / "edited.jsonl"
    edited.write_text(jsonl([record("alpha", 1, title="Only in the Parquet"), record("alpha", 2)]), encoding="utf-8")
    landing.write_typed_parquet(edited, alpha / landing.RECORDS_PARQUET, ARTICLE_COLUMNS)
    load_partition(tmp_path / "parquet.duckdb", landing_root, DAY, run_id="r2", sources=SOURCES)
    assert ("Only in the Parquet",) in query(tmp_path / "parquet.duckdb", "SELECT title FROM raw.articles")


def test_load_replaces_partition_and_keeps_unicode(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(
        landing_root,
        "alpha",
        [record("alpha", 1), record("alpha", 2, published_at="2026-11-24T10:00:00+02:00")],
        rejects=[reject("alpha", "#3")],
    )
    write_attempt(landing_root, "beta", [record("beta", 1)])
    write_attempt(landing_root, "beta", [record("beta", 99)], hour=10, complete=False)  # never finished: not read
    write_attempt(landing_root, "gamma", [record("gamma", 1)], complete=False)
    staging = landing.source_dir(landing_root, DAY, "alpha") / ".attempt=20261124T110000000000Z-0badc0de.tmp-x"
    staging.mkdir()
    (staging / "records.jsonl").write_text(jsonl([record("alpha", 98)]), encoding="utf-8")
    (staging / "_manifest.json").write_text("{}", encoding="utf-8")  # a hidden staging folder is never an attempt

    first = load_partition(warehouse, landing_root, DAY, run_id="run-1", sources=SOURCES)
    second = load_partition(warehouse, landing_root, DAY, run_id="run-2", sources=SOURCES)

    assert first.rows == second.rows == {"articles": 3, "quarantined_articles": 0, "rejected_items": 1, "fetches": 2}
    assert second.source_status == {"alpha": "ok", "beta": "ok"}
    assert query(warehouse, "SELECT count(*), min(run_id), max(run_id) FROM raw.articles") == [(3, "run-2", "run-2")]
    assert query(warehouse, "SELECT url FROM raw.articles ORDER BY url") == [
        ("http://alpha.test/1",),
        ("http://alpha.test/2",),
        ("http://beta.test/1",),
    ]
    assert query(warehouse, "SELECT published_at FROM raw.articles WHERE url = 'http://alpha.test/2'") == [
        (datetime(2026, 11, 24, 8, 0),)
    ]
    assert query(warehouse, "SELECT title FROM raw.articles WHERE url = 'http://alpha.test/1'") == [
        ("Titel 1 – Oekraïne",)
    ]
    assert query(warehouse, "SELECT reason FROM raw.rejected_items") == [("missing title",)]
    assert query(warehouse, "SELECT source_id FROM raw.sources ORDER BY 1") == [("alpha",), ("beta",)]
    assert query(warehouse, "SELECT count(*) FROM raw.departed_articles") == [(0,)]


def test_other_dates_are_untouched(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(landing_root, "alpha", [record("alpha", 1)])
    load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("UPDATE raw.articles SET partition_date = DATE '2026-11-23'")
    load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)
    assert query(warehouse, "SELECT partition_date::VARCHAR, count(*) FROM raw.articles GROUP BY 1 ORDER BY 1") == [
        ("2026-11-23", 1),
        ("2026-11-24", 1),
    ]


def test_broken_landing_file_fails_and_changes_nothing(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    folder = write_attempt(landing_root, "alpha", [record("alpha", 1)])
    load_partition(warehouse, landing_root, DAY, run_id="good", sources=SOURCES)
    (folder / "records.jsonl").write_text('{"source_id": "alpha", "url": \n', encoding="utf-8")
    with pytest.raises(LoadError, match="nothing was changed"):
        load_partition(warehouse, landing_root, DAY, run_id="bad", sources=SOURCES)
    assert query(warehouse, "SELECT count(*), max(run_id) FROM raw.articles") == [(1, "good")]
    assert query(warehouse, "SELECT count(*) FROM raw.departed_articles") == [(0,)]


def test_missing_partition_is_a_clear_error(tmp_path):
    with pytest.raises(ExtractionIncomplete, match="2 of 2 sources have no working fetch for 2026-11-24"):
        load_partition(tmp_path / "wh.duckdb", tmp_path / "landing", DAY, run_id="r", sources=SOURCES)


def test_the_legacy_layout_loads_as_the_oldest_attempt(tmp_path):
    """A source folder holding _manifest.json itself (the layout before attempts) is one attempt, `legacy`."""
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2, title="Oud")], legacy=True)
    newer = write_attempt(
        landing_root, "alpha", [record("alpha", 2, title="Nieuw", content_hash="new"), record("alpha", 3)], hour=7
    )  # earlier hour, still later attempt
    write_attempt(landing_root, "beta", [record("beta", 1)], legacy=True)

    assert [(a.source_id, a.attempt_id) for a in landing.attempts(landing_root, DAY)] == [
        ("alpha", "legacy"),
        ("alpha", newer.name.removeprefix("attempt=")),
        ("beta", "legacy"),
    ]
    result = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)

    assert result.rows["articles"] == 4
    assert query(warehouse, "SELECT url, title, attempt_id FROM raw.articles ORDER BY url") == [
        ("http://alpha.test/1", "Titel 1 – Oekraïne", "legacy"),
        ("http://alpha.test/2", "Nieuw", newer.name.removeprefix("attempt=")),
        ("http://alpha.test/3", "Titel 3 – Oekraïne", newer.name.removeprefix("attempt=")),
        ("http://beta.test/1", "Titel 1 – Oekraïne", "legacy"),
    ]
    assert source_runs(tmp_path, result.source_runs, "source_id, attempt_id, run_id, status, new_items") == [
        ("alpha", "legacy", None, "ok", 2),
        ("alpha", newer.name.removeprefix("attempt="), "collect-07", "ok", 1),
        ("beta", "legacy", None, "ok", 1),
    ]


# ---- several attempts of one source -------------------------------------------------------


def test_an_item_the_feed_moved_past_stays_and_an_edited_item_takes_the_later_title(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    first = write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2)], hour=9)
    second = write_attempt(
        landing_root,
        "alpha",
        [
            record("alpha", 2, title="Titel 2, bijgewerkt", content_hash="hash2b", fetched_at="2026-11-24T12:00:00Z"),
            record("alpha", 3, fetched_at="2026-11-24T12:00:00Z"),
        ],
        hour=12,
    )
    write_attempt(landing_root, "beta", [record("beta", 1)])

    result = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)

    first_id, second_id = first.name.removeprefix("attempt="), second.name.removeprefix("attempt=")
    assert result.rows["articles"] == 4
    assert query(
        warehouse,
        "SELECT url, title, content_hash, attempt_id, fetched_at FROM raw.articles"
        " WHERE source_id = 'alpha' ORDER BY url",
    ) == [
        (
            "http://alpha.test/1",
            "Titel 1 – Oekraïne",
            "hash1",
            first_id,
            datetime(2026, 11, 24, 9),
        ),  # only in the first
        ("http://alpha.test/2", "Titel 2, bijgewerkt", "hash2b", second_id, datetime(2026, 11, 24, 12)),  # edited
        ("http://alpha.test/3", "Titel 3 – Oekraïne", "hash3", second_id, datetime(2026, 11, 24, 12)),
    ]
    assert query(warehouse, "SELECT count(*) FROM raw.quarantined_articles") == [(0,)]


def test_a_good_earlier_version_beats_a_quarantined_later_one(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    first = write_attempt(
        landing_root, "alpha", [record("alpha", 1), record("alpha", 2, title="  "), record("alpha", 3)], hour=9
    )
    second = write_attempt(
        landing_root,
        "alpha",
        [
            record("alpha", 1, title=""),  # the feed lost the title: the good version of 09:00 stays
            record("alpha", 2, title="Titel 2 na herstel"),  # a bad version repaired later: the later one wins
            record("alpha", 3, language="english"),  # only bad versions later: the good one stays
            record("alpha", 4, title=""),  # never good: quarantined with its reason
        ],
        hour=12,
    )

    result = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES[:1])

    assert (result.rows["articles"], result.rows["quarantined_articles"]) == (3, 1)
    assert query(
        warehouse,
        "SELECT url, title, language, attempt_id = ? FROM raw.articles ORDER BY url",
        [first.name.removeprefix("attempt=")],
    ) == [
        ("http://alpha.test/1", "Titel 1 – Oekraïne", "nl", True),
        ("http://alpha.test/2", "Titel 2 na herstel", "nl", False),
        ("http://alpha.test/3", "Titel 3 – Oekraïne", "nl", True),
    ]
    assert query(warehouse, "SELECT url, reason, attempt_id FROM raw.quarantined_articles") == [
        ("http://alpha.test/4", "missing title", second.name.removeprefix("attempt="))
    ]


def test_a_failed_later_attempt_leaves_the_earlier_articles(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2)], hour=9)
    write_attempt(landing_root, "beta", [record("beta", 1)], hour=9)
    load_partition(warehouse, landing_root, DAY, run_id="first-load", sources=SOURCES, max_failed_share=0.0)
    write_attempt(landing_root, "alpha", [], hour=12, failed=True)  # every feed answered 503
    write_attempt(landing_root, "beta", [], hour=12, failed=True)

    result = load_partition(warehouse, landing_root, DAY, run_id="second-load", sources=SOURCES, max_failed_share=0.0)

    assert result.source_status == {"alpha": "ok", "beta": "ok"}  # a source's day is its best attempt's
    assert result.rows == {"articles": 3, "quarantined_articles": 0, "rejected_items": 0, "fetches": 4}
    assert query(warehouse, "SELECT url, run_id FROM raw.articles ORDER BY url") == [
        ("http://alpha.test/1", "second-load"),
        ("http://alpha.test/2", "second-load"),
        ("http://beta.test/1", "second-load"),
    ]
    assert query(warehouse, "SELECT count(*) FROM raw.departed_articles") == [(0,)]
    assert source_runs(tmp_path, result.source_runs) == [
        ("alpha", "collect-09", "ok", 200, 2, 2, 2, 0, None),
        ("alpha", "collect-12", "failed", 503, 0, 0, 0, 0, "HTTPError"),
        ("beta", "collect-09", "ok", 200, 1, 1, 1, 0, None),
        ("beta", "collect-12", "failed", 503, 0, 0, 0, 0, "HTTPError"),
    ]


def test_loading_the_same_attempts_twice_gives_identical_raw_rows(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(
        landing_root,
        "alpha",
        [record("alpha", 1), record("alpha", 2), record("alpha", 5, title="")],
        rejects=[reject("alpha", "#7")],
        hour=9,
    )
    write_attempt(
        landing_root,
        "alpha",
        [record("alpha", 2, title="Nieuw", content_hash="n"), record("alpha", 3)],
        rejects=[reject("alpha", "#7")],
        hour=12,
    )
    write_attempt(landing_root, "beta", [record("beta", 1)], hour=10)
    tables = ("articles", "quarantined_articles", "rejected_items", "fetches")

    first = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)
    before = {table: raw_rows(warehouse, table) for table in tables}
    runs_before = source_runs(tmp_path, first.source_runs)
    second = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES)

    assert {table: raw_rows(warehouse, table) for table in tables} == before
    assert source_runs(tmp_path, second.source_runs) == runs_before
    assert [len(before[table]) for table in tables] == [4, 1, 1, 3]
    assert query(warehouse, "SELECT count(*) FROM raw.departed_articles") == [(0,)]


def test_articles_partition_d_no_longer_holds_are_departed(tmp_path):
    """A replay after a parser fix rewrites the only attempt: what left the partition is written down."""
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    folder = write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2), record("alpha", 3)])
    load_partition(warehouse, landing_root, DAY, run_id="load-1", sources=SOURCES[:1])
    (folder / "records.jsonl").write_text(jsonl([record("alpha", 1), record("alpha", 3, title=" ")]), encoding="utf-8")

    load_partition(warehouse, landing_root, DAY, run_id="load-2", sources=SOURCES[:1])

    assert query(warehouse, "SELECT url FROM raw.articles") == [("http://alpha.test/1",)]
    assert query(warehouse, "SELECT url FROM raw.quarantined_articles") == [("http://alpha.test/3",)]
    departed = query(
        warehouse, "SELECT partition_date, source_id, url, run_id, departed_at FROM raw.departed_articles ORDER BY url"
    )
    assert [row[:4] for row in departed] == [
        (DAY, "alpha", "http://alpha.test/2", "load-2"),  # gone from the landing
        (DAY, "alpha", "http://alpha.test/3", "load-2"),  # now quarantined
    ]
    assert all(isinstance(row[4], datetime) for row in departed)

    load_partition(warehouse, landing_root, DAY, run_id="load-3", sources=SOURCES[:1])  # nothing more leaves
    assert query(warehouse, "SELECT count(*) FROM raw.departed_articles") == [(2,)]


def test_a_guid_that_moved_to_another_url_is_one_article_the_later_url(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    write_attempt(landing_root, "alpha", [record("alpha", 1)], hour=9)
    write_attempt(landing_root, "alpha", [record("alpha", 1, url="http://alpha.test/1-bijgewerkt")], hour=12)

    load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES[:1])

    assert query(warehouse, "SELECT guid, url FROM raw.articles") == [("alpha-1", "http://alpha.test/1-bijgewerkt")]


def test_rejects_are_one_row_per_item_and_reason_and_fetches_keep_every_attempt(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    first = write_attempt(
        landing_root, "alpha", [record("alpha", 1)], rejects=[reject("alpha", "#1"), reject("alpha", "#2")], hour=9
    )
    second = write_attempt(
        landing_root,
        "alpha",
        [record("alpha", 1)],
        rejects=[reject("alpha", "#1"), reject("alpha", "#1", "duplicate in feed")],
        hour=12,
    )

    result = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES[:1])

    first_id, second_id = first.name.removeprefix("attempt="), second.name.removeprefix("attempt=")
    assert (result.rows["rejected_items"], result.rows["fetches"]) == (3, 2)
    assert query(
        warehouse, "SELECT item_ref, reason, attempt_id FROM raw.rejected_items ORDER BY item_ref, reason"
    ) == [("#1", "duplicate in feed", second_id), ("#1", "missing title", second_id), ("#2", "missing title", first_id)]
    assert query(warehouse, "SELECT attempt_id, fetched_at FROM raw.fetches ORDER BY fetched_at") == [
        (first_id, datetime(2026, 11, 24, 9)),
        (second_id, datetime(2026, 11, 24, 12)),
    ]


# ---- ops.source_runs ------------------------------------------------------------------------


def test_source_runs_have_a_row_per_attempt_and_count_new_items_per_attempt(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    yesterday = date(2026, 11, 23)
    write_attempt(landing_root, "alpha", [record("alpha", 1)], day=yesterday, run_id="daily-23")
    write_attempt(landing_root, "beta", [record("beta", 1)], day=yesterday, run_id="daily-23")
    day_before = load_partition(warehouse, landing_root, yesterday, run_id="daily-23", sources=SOURCES)
    first = write_attempt(landing_root, "alpha", [record("alpha", 1), record("alpha", 2)], hour=9)
    write_attempt(
        landing_root,
        "alpha",
        [record("alpha", 2), record("alpha", 3), record("alpha", 4)],
        rejects=[reject("alpha", "#9")],
        hour=12,
    )
    write_attempt(landing_root, "alpha", [record("alpha", 3)], hour=15, run_id="daily-24")
    write_attempt(landing_root, "beta", [], failed=True)

    result = load_partition(warehouse, landing_root, DAY, run_id="daily-24", sources=SOURCES, max_failed_share=0.5)

    assert result.source_status == {"alpha": "ok", "beta": "failed"}
    assert source_runs(tmp_path, day_before.source_runs) == [
        ("alpha", "daily-23", "ok", 200, 1, 1, 1, 0, None),
        ("beta", "daily-23", "ok", 200, 1, 1, 1, 0, None),
    ]
    assert source_runs(tmp_path, result.source_runs) == [
        ("alpha", "collect-09", "ok", 200, 2, 2, 1, 0, None),  # alpha/1 was already loaded for the 23rd
        ("alpha", "collect-12", "ok", 200, 4, 3, 2, 1, None),  # alpha/2 was first seen at 09:00
        ("alpha", "daily-24", "ok", 200, 1, 1, 0, 0, None),
        ("beta", "collect-09", "failed", 503, 0, 0, 0, 0, "HTTPError"),
    ]
    assert source_runs(tmp_path, result.source_runs, "attempt_id, started_at")[0] == (
        first.name.removeprefix("attempt="),
        datetime(2026, 11, 24, 9),
    )
    assert query(warehouse, "SELECT source_id, reason FROM ops.rejected_items WHERE partition_date = ?", [DAY]) == [
        ("alpha", "missing title")
    ]


def test_too_many_failed_sources_stop_the_load_but_are_logged(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    yesterday = date(2026, 11, 23)
    write_attempt(landing_root, "alpha", [record("alpha", 1)], day=yesterday)
    load_partition(warehouse, landing_root, yesterday, run_id="good", sources=SOURCES, max_failed_share=0.5)
    write_attempt(landing_root, "alpha", [], hour=9, failed=True)
    write_attempt(landing_root, "alpha", [], hour=12, failed=True)

    with pytest.raises(
        ExtractionIncomplete, match=r"2 of 2 sources .* \(more than the allowed share 50%\): alpha, beta"
    ) as stopped:
        load_partition(warehouse, landing_root, DAY, run_id="bad", sources=SOURCES, max_failed_share=0.5)

    assert source_runs(tmp_path, stopped.value.source_runs) == [
        ("alpha", "collect-09", "failed", 503, 0, 0, None, 0, "HTTPError"),
        ("alpha", "collect-12", "failed", 503, 0, 0, None, 0, "HTTPError"),
        ("beta", None, "missing", None, None, None, None, None, "NotLanded"),
    ]
    assert query(warehouse, "SELECT partition_date, count(*), max(run_id) FROM raw.articles GROUP BY 1") == [
        (yesterday, 1, "good")
    ]
    assert query(warehouse, "SELECT count(*) FROM raw.fetches WHERE partition_date = ?", [DAY]) == [(0,)]


# ---- quarantine rules -----------------------------------------------------------------------


def test_single_bad_records_are_quarantined_with_their_reason(tmp_path):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write_attempt(
        landing_root,
        "alpha",
        [
            record("alpha", 1),
            record("alpha", 2, title="   "),
            record("alpha", 3, url="javascript:alert(1)"),
            record("alpha", 4, language="eng"),
            record("alpha", 5, published_at="2026-11-10T08:00:00Z"),  # before D-7
            record("alpha", 6, published_at="2026-11-26T00:00:00Z"),  # D+2 00:00, the window's open end
            record("alpha", 7, language=None, published_at=None),  # unknown is not wrong
        ],
    )
    write_attempt(landing_root, "beta", [record("beta", 1, language="de")])

    result = load_partition(warehouse, landing_root, DAY, run_id="run-1", sources=SOURCES)

    assert (result.rows["articles"], result.rows["quarantined_articles"]) == (3, 5)
    assert query(warehouse, "SELECT guid, reason, title, run_id FROM raw.quarantined_articles ORDER BY guid") == [
        ("alpha-2", "missing title", "   ", "run-1"),
        ("alpha-3", "url not http(s)", "Titel 3 – Oekraïne", "run-1"),
        ("alpha-4", "language not ISO 639-1", "Titel 4 – Oekraïne", "run-1"),
        ("alpha-5", "published_at outside window", "Titel 5 – Oekraïne", "run-1"),
        ("alpha-6", "published_at outside window", "Titel 6 – Oekraïne", "run-1"),
    ]
    assert query(warehouse, "SELECT guid FROM raw.articles ORDER BY guid") == [("alpha-1",), ("alpha-7",), ("beta-1",)]


def test_the_published_windows_upper_end_counts_from_the_fetch_day(tmp_path):
    """A rerun of D fetched two days later meets items published after D: not "from the future"."""
    landing_root, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    two_days_later = "2026-11-26T09:00:00Z"
    write_attempt(
        landing_root,
        "alpha",
        [
            record("alpha", 1, published_at="2026-11-27T08:00:00Z", fetched_at=two_days_later),  # D+3, fetch day+1
            record("alpha", 2, published_at="2026-11-27T23:59:59Z", fetched_at=two_days_later),  # just inside
            record(
                "alpha", 3, published_at="2026-11-28T00:00:00Z", fetched_at=two_days_later
            ),  # fetch day+2: the open end
            record(
                "alpha", 4, published_at="2026-12-01T09:00:00Z", fetched_at=two_days_later
            ),  # 5 days after its fetch
            record("alpha", 5, published_at="2026-11-27T08:00:00Z"),  # D+3 fetched on D: outside
            record(
                "alpha", 6, published_at="2026-11-17T00:00:00Z", fetched_at=two_days_later
            ),  # D-7: the lower end is D's
            record("alpha", 7, published_at="2026-11-16T23:59:59Z", fetched_at=two_days_later),
        ],
        hour=12,
    )

    result = load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES[:1])

    assert (result.rows["articles"], result.rows["quarantined_articles"]) == (3, 4)
    assert query(warehouse, "SELECT guid FROM raw.articles ORDER BY guid") == [("alpha-1",), ("alpha-2",), ("alpha-6",)]
    assert query(warehouse, "SELECT guid, reason FROM raw.quarantined_articles ORDER BY guid") == [
        ("alpha-3", "published_at outside window"),
        ("alpha-4", "published_at outside window"),
        ("alpha-5", "published_at outside window"),
        ("alpha-7", "published_at outside window"),
    ]


def test_published_window_follows_the_settings(tmp_path, monkeypatch):
    landing_root, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write_attempt(
        landing_root,
        "alpha",
        [
            record("alpha", 1, published_at="2026-11-10T08:00:00Z"),
            record("alpha", 2, published_at="2026-11-29T08:00:00Z"),
        ],
    )
    monkeypatch.setenv("NEWSDESK_PUBLISHED_WINDOW_DAYS_BEFORE", "30")
    monkeypatch.setenv("NEWSDESK_PUBLISHED_WINDOW_DAYS_AFTER", "6")

    assert (
        load_partition(warehouse, landing_root, DAY, run_id="r", sources=SOURCES[:1]).rows["quarantined_articles"] == 0
    )


def test_language_set_is_the_raw_suites_set():
    from newsdesk.collect.languages import ISO_639_1
    from newsdesk.config import EXPECTATIONS_DIR

    suite = json.loads((EXPECTATIONS_DIR / "raw_articles.json").read_text())
    [language_check] = [e for e in suite["expectations"] if e["kwargs"].get("column") == "language"]
    assert set(language_check["kwargs"]["value_set"]) == ISO_639_1
