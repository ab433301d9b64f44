"""`newsdesk bench pipeline`: every stage of a day's run at N articles, beside a baseline where one exists.

The day's run is the DAG's order: extract -> load_raw -> dbt_build ->
quality_gate -> publish, then the analysts' queries on the published
warehouse; on a DuckDB file (`storage="file"`) or on a DuckLake with its
catalog in SQLite (`storage="lake"`), as NEWSDESK_STORAGE picks for a run.

- **extract** and **parse**: `run_extract_bench` on the sample world's feeds
  served on loopback without injected latency (the DAG's extract tasks in 8
  worker processes against sequential requests + feedparser; parse_feed +
  RecordBuilder against feedparser, per CPU second). A sample world of N
  articles as feeds would take longer to render than to fetch, so the rate
  is measured on `extract_feeds` feeds and extrapolated to N, and said so.
- **load**: a sample corpus of N articles published on one day
  (``newsdesk.sample.corpus``) is landed as the extract tasks land it (one
  folder per source with records.jsonl and records.parquet, fetches.jsonl,
  rejects.jsonl and the manifest), then `load_partition` loads it into an
  empty warehouse (reading the Parquet). The baseline reads the records.jsonl files with json.loads and inserts
  them row by row (executemany, one transaction) into the same raw table; on
  the first `baseline_rows` rows only, its rate standing for all.
- **dbt build, the day**: the whole project on that warehouse, tests included,
  as the DAG's dbt_build task runs it.
- **search index**: the articles' full-text index the dbt_build task brings
  up to date after dbt (`update_search_index`; here every article is new),
  beside DuckDB's fts extension indexing the same articles
  (`create_fts_index`, with the same words), timed after publish.
- **similarity**: the similarity models' share of that build (dbt's own
  per-model timings), beside datasketch MinHash LSH on the same articles'
  text (`scored_datasketch` of the similarity bench), on the first
  `datasketch_limit` articles.
- **quality gate**: every Great Expectations suite of the gate on the build.
- **publish**: on a file, `publish` (checkpoint, copy, fsync, atomic
  rename, snapshot) beside a plain file copy; on the lake, `publish_to_lake`
  (the ledger folded in and the head marked published, one commit) beside a
  plain copy of the lake's data folder (what publishing by copying would
  cost), both in MiB of the lake's data per second.
- **incremental** (on the bench's storage: the corpus written to a DuckDB
  file and, for the lake, migrated into a lake of its own; not timed): a
  second corpus of `days` days at about `daily_articles` a day. Days 1 .. D-1 are built,
  day D is added and built incrementally, then the same warehouse is rebuilt
  with ``--full-refresh`` (the baseline).
  Day 1 is day D's articles alone in a new warehouse: the same volume, as
  the first day of a warehouse's life. The search index of days 1 .. D-1 is
  then brought up to day D (its new articles), beside building it over every
  article again.
- **analyst queries**: each ```sql block of docs/analysts.md on the
  published warehouse, the best of `query_repeats` runs.
- **news pages**: each page type of newsdesk.ui.news (article, story,
  source, today) and search, asked for `page_samples` times through the app
  in process with keys drawn from the day: p50 and p95, beside plain SQL
  (the page's main rows by key; for search, LIKE of every word over titles,
  summaries and bodies).

Time is wall clock; memory the peak resident set of this process and its
children (dbt runs as a child), sampled by the similarity bench's `measure`.
End to end is load through publish as measured, plus extract at its
measured rate for N articles.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

import duckdb
import psutil

from newsdesk import config
from newsdesk.bench.extract import machine, report_header, run_extract_bench
from newsdesk.bench.similarity import Measured, is_similarity_node, measure, scored_datasketch
from newsdesk.collect import landing as layout
from newsdesk.collect.registry import Feed, Source
from newsdesk.config import GATE_SUITES
from newsdesk.quality.gate import QualityGateFailed, run_gate
from newsdesk.sample.corpus import Corpus, generate_corpus, write_corpus
from newsdesk.warehouse.analyst_guide import guide_queries
from newsdesk.warehouse.extensions import load_extension
from newsdesk.warehouse.lake import Lake, sql_literal
from newsdesk.warehouse.lake_migrate import migrate
from newsdesk.warehouse.lake_publish import publish_to_lake
from newsdesk.warehouse.ledger import apply_ledger, record_source_runs
from newsdesk.warehouse.load import ARTICLE_COLUMNS, LINEAGE_COLUMNS, create_raw_schema, load_partition
from newsdesk.warehouse.publish import publish
from newsdesk.warehouse.search import FTS_REFERENCE_INDEX_SQL, INDEX_SCHEMA, INDEXED_FIELDS, update_search_index
from newsdesk.warehouse.storage import Warehouse, open_published, open_warehouse
from newsdesk.warehouse.transform import last_run_node_seconds, run_dbt_build

DEFAULT_EXTRACT_FEEDS = 200
DEFAULT_BASELINE_ROWS = 10_000  # row-by-row inserts run at a few thousand rows a second
DEFAULT_DATASKETCH_LIMIT = 20_000  # pure-Python MinHash: about a minute per 20,000 articles
DEFAULT_DAILY_ARTICLES = 10_000
DEFAULT_DAYS = 30
QUERY_REPEATS = 3
PAGE_SAMPLES = 40  # requests per page type: articles, stories and search words drawn from the day
RUN_ID = "bench-pipeline"
BENCH_ATTEMPT = "20000101T000000000000Z-bench000"  # the one landing attempt of a bench day
TIMESTAMP_COLUMNS = [name for name, kind in ARTICLE_COLUMNS.items() if kind == "TIMESTAMP"]

# Targets of a day's run on 2 cores and 24 GiB: first set at a million articles a day on one DuckDB file (15 min,
# 500k rows/s, day D within 1.3x day 1), made stricter when the warehouse became a lake (no step copies the archive).
TARGET_DAY_SECONDS = 10 * 60
TARGET_PEAK_MIB = 8 * 1024
TARGET_LOAD_ROWS_PER_SECOND = 1_000_000
TARGET_INCREMENTAL_RATIO = 1.2
TARGET_QUERY_MS = 200
TARGET_PAGE_P95_MS = 100
TARGET_SEARCH_P95_MS = 200


@dataclass(frozen=True)
class LandedDay:
    """A landed day: its date, its sources as the registry has them, the landing root."""

    day: date
    sources: list[Source]
    landing: Path


def run_pipeline_bench(
    articles: int = 100_000,
    *,
    days: int = DEFAULT_DAYS,
    daily_articles: int = DEFAULT_DAILY_ARTICLES,
    seed: int = 0,
    extract_feeds: int = DEFAULT_EXTRACT_FEEDS,
    baseline_rows: int = DEFAULT_BASELINE_ROWS,
    datasketch_limit: int = DEFAULT_DATASKETCH_LIMIT,
    query_repeats: int = QUERY_REPEATS,
    page_samples: int = PAGE_SAMPLES,
    storage: str = "lake",
    out: TextIO = sys.stdout,
) -> dict:
    """Measure every stage, print the table to `out` and return the figures.

    Returns {"machine", "parameters", "setup_seconds", "stages": [{stage, unit,
    ours, baseline, ratio, ours_seconds, baseline_seconds, ours_items,
    baseline_items, peak_mib, note}], "queries": [{query, ms, rows}],
    "pages": [{page, requests, p50_ms, p95_ms, baseline_p95_ms}], "end_to_end":
    {...}, "targets": [{target, value, met, note}]}; a stage without a
    baseline has None there.
    """
    if articles < 1 or days < 2 or daily_articles < 1:
        raise ValueError(
            f"need articles >= 1, days >= 2, daily_articles >= 1; got {articles}, {days}, {daily_articles}"
        )
    if storage not in ("file", "lake"):
        raise ValueError(f"storage is file or lake, got {storage!r}")
    measured_on = machine()
    parameters = {
        "articles": articles,
        "days": days,
        "daily_articles": daily_articles,
        "seed": seed,
        "extract_feeds": extract_feeds,
        "baseline_rows": baseline_rows,
        "datasketch_limit": datasketch_limit,
        "storage": storage,
    }
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-pipeline-") as folder:
        scratch = Path(folder)
        extract_stages = _extract_stages(extract_feeds, articles)
        with measure() as setup:
            landed = land_day(generate_corpus(articles, days=1, seed=seed), scratch / "landing")
        warehouse, published = _storage(storage, scratch)
        day_stages, queries, day_run = _day_run(
            landed, warehouse, published, scratch, baseline_rows, datasketch_limit, query_repeats
        )
        pages = _time_pages(published, scratch, page_samples)
        incremental_stages = _incremental_stages(daily_articles, days, seed, scratch, storage)
    stages = extract_stages + day_stages + incremental_stages
    result = {
        "machine": measured_on,
        "parameters": parameters,
        "setup_seconds": setup.seconds,
        "stages": stages,
        "queries": queries,
        "pages": pages,
        "end_to_end": _end_to_end(day_run, stages[0], articles),
    }
    result["targets"] = _targets(result)
    _print_report(result, out)
    return result


# ---- a stage's figures -------------------------------------------------------------------


def stage_figures(
    stage: str,
    unit: str,
    ours: Measured,
    ours_items: int,
    *,
    baseline: Measured | None = None,
    baseline_items: int | None = None,
    note: str = "",
) -> dict:
    """One row: items per second for ours and the baseline, and ours as a multiple of the baseline."""
    ours_rate = ours_items / ours.seconds
    baseline_rate = baseline_items / baseline.seconds if baseline is not None else None
    return {
        "stage": stage,
        "unit": unit,
        "ours": ours_rate,
        "baseline": baseline_rate,
        "ratio": ours_rate / baseline_rate if baseline_rate else None,
        "ours_seconds": ours.seconds,
        "baseline_seconds": baseline.seconds if baseline is not None else None,
        "ours_items": ours_items,
        "baseline_items": baseline_items,
        "peak_mib": max(ours.peak_bytes, baseline.peak_bytes if baseline else 0) / 2**20,
        "note": note,
    }


def _timed(seconds: float) -> Measured:
    return Measured(seconds=seconds, peak_bytes=0)


# ---- extract and parse ---------------------------------------------------------------------


def _extract_stages(feeds: int, articles: int) -> list[dict]:
    """Fetch (items/s, wall) and parse (items/CPU-s) from the extract bench, on loopback without latency."""
    with measure() as measured:
        figures = run_extract_bench(feeds=feeds, latency=0.0, realdata_dir=Path(os.devnull), out=io.StringIO())
    fetch, parse = figures["stages"][:2]
    fetch_note = (
        f"{fetch['ours_items']:,} items in {feeds} feeds, extract tasks in 8 processes; "
        f"{articles:,} articles at this rate: {articles * fetch['ours_seconds'] / fetch['ours_items']:.0f} s"
    )
    parse_note = f"CPU time on one core; {articles:,} articles on 2 cores: {articles / parse['ours'] / 2:.0f} s"
    return [
        stage_figures(
            "extract (fetch, parse, land)",
            "items/s",
            _timed(fetch["ours_seconds"]),
            fetch["ours_items"],
            baseline=_timed(fetch["baseline_seconds"]),
            baseline_items=fetch["baseline_items"],
            note=fetch_note,
        )
        | {"peak_mib": measured.peak_bytes / 2**20},
        stage_figures(
            "parse",
            "items/CPU-s",
            _timed(fetch["ours_items"] / parse["ours"]),
            fetch["ours_items"],
            baseline=_timed(fetch["baseline_items"] / parse["baseline"]),
            baseline_items=fetch["baseline_items"],
            note=parse_note,
        ),
    ]


# ---- the landing zone -------------------------------------------------------------------------


def land_day(corpus: Corpus, landing: Path) -> LandedDay:
    """Write the corpus's one day as the extract tasks land it: one attempt per source, the manifest last."""
    day = corpus.dates[-1]
    staging = landing.parent / "corpus.duckdb"
    write_corpus(corpus, staging, truth=False)
    date_dir = layout.date_dir(landing, day)
    date_dir.mkdir(parents=True)

    def attempt_of(source_id: str) -> Path:
        return layout.attempt_dir(landing, day, source_id, BENCH_ATTEMPT)

    with duckdb.connect(str(staging)) as conn:
        _copy_by_source(conn, _records_sql(), layout.RECORDS, attempt_of)
        _copy_by_source(conn, _fetches_sql(), layout.FETCHES, attempt_of)
        feeds = conn.execute(
            "SELECT source_id, list(DISTINCT feed_url ORDER BY feed_url), count(*) FROM raw.articles GROUP BY ALL"
        ).fetchall()
        sources = _sources(conn, {source_id: urls for source_id, urls, _ in feeds})
    for source_id, urls, items in feeds:
        folder = attempt_of(source_id)
        (folder / layout.REJECTS).touch()
        manifest = {
            "source_id": source_id,
            "date": day.isoformat(),
            "attempt_id": BENCH_ATTEMPT,
            "run_id": RUN_ID,
            "started_at": None,
            "feeds_ok": len(urls),
            "feeds_failed": 0,
            "feeds_not_modified": 0,
            "pages_ok": 0,
            "pages_failed": 0,
            "items": items,
            "records": items,
            "rejects": 0,
            "bytes": (folder / "records.jsonl").stat().st_size,
            "duration_ms": 0.0,
            "feed_errors": [],
        }
        # the records as Parquet too, typed, as the extract tasks write them (the load reads these)
        layout.write_typed_parquet(folder / layout.RECORDS, folder / layout.RECORDS_PARQUET, ARTICLE_COLUMNS)
        (folder / layout.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    staging.unlink()
    return LandedDay(day, sources, landing)


def _records_sql() -> str:
    """raw.articles as landing records: the loader's columns, timestamps as ISO 8601 UTC strings."""
    columns = [
        f"strftime({name}, '%Y-%m-%dT%H:%M:%SZ') AS {name}" if name in TIMESTAMP_COLUMNS else name
        for name in ARTICLE_COLUMNS
    ]
    return f"SELECT source_id AS landing_source, {', '.join(columns)} FROM raw.articles"


def _fetches_sql() -> str:
    """One successful feed fetch per feed the records came from."""
    return (
        "SELECT source_id AS landing_source, source_id, 'feed' AS kind, 'rss' AS feed_kind, category,"
        " feed_url AS url, feed_url AS final_url, 'ok' AS status, 200 AS http_status,"
        " 'application/rss+xml' AS content_type, count(*) AS items,"
        " strftime(max(fetched_at), '%Y-%m-%dT%H:%M:%SZ') AS fetched_at"
        " FROM raw.articles GROUP BY ALL"
    )


def _copy_by_source(conn: duckdb.DuckDBPyConnection, sql: str, name: str, attempt_of: Callable[[str], Path]) -> None:
    """COPY the rows as JSON lines, one file per source, into its source's attempt (DuckDB 1.5 cannot
    partition a JSON COPY, so one COPY per source)."""
    conn.execute(f"CREATE OR REPLACE TEMP TABLE landing_rows AS {sql}")
    for (source_id,) in conn.execute("SELECT DISTINCT landing_source FROM landing_rows ORDER BY 1").fetchall():
        target = attempt_of(source_id)
        target.mkdir(parents=True, exist_ok=True)
        conn.execute(
            f"COPY (SELECT * EXCLUDE (landing_source) FROM landing_rows WHERE landing_source = ?)"
            f" TO '{target / name}' (FORMAT json)",
            [source_id],
        )
    conn.execute("DROP TABLE landing_rows")


def _sources(conn: duckdb.DuckDBPyConnection, feeds: dict[str, list[str]]) -> list[Source]:
    """The corpus's publishers as registry sources, each with the feeds its records name."""
    rows = conn.execute("SELECT source_id, name, country, language, homepage FROM raw.sources ORDER BY 1").fetchall()
    return [
        Source(
            id=source_id,
            name=name,
            country=country,
            language=language,
            homepage=homepage,
            feeds=tuple(Feed(url=url, kind="rss") for url in feeds.get(source_id, [])),
        )
        for source_id, name, country, language, homepage in rows
    ]


# ---- the day's run: load, dbt build, gate, publish, queries ------------------------------------------


def _storage(storage: str, scratch: Path) -> tuple[Warehouse, Warehouse]:
    """What the day's run writes and what analysts then read: the build copy and the published file, or one
    lake (its head, then its last published snapshot)."""
    if storage == "lake":
        lake = _lake_in(scratch / "lake")
        return lake, lake
    return scratch / "build.duckdb", scratch / "published" / "newsdesk.duckdb"


def _lake_in(folder: Path) -> Lake:
    """A lake of the bench's own in `folder`: its SQLite catalog and its data beside each other, as a home's."""
    return Lake(catalog=f"sqlite:{folder / 'catalog.sqlite'}", data_path=str(folder / "data"))


def _day_run(
    landed: LandedDay,
    warehouse: Warehouse,
    published: Warehouse,
    scratch: Path,
    baseline_rows: int,
    datasketch_limit: int,
    query_repeats: int,
) -> tuple[list[dict], list[dict], Measured]:
    process_rss = psutil.Process().memory_info().rss
    with measure() as day_run:
        load = _load_stage(landed, warehouse, scratch / "ledger", scratch / "row-by-row.duckdb", baseline_rows)
        articles = load["ours_items"]
        built, timings = _dbt_build(warehouse, landed.day, scratch / "dbt")
        build = stage_figures("dbt build, the day", "articles/s", built, articles, note=_slowest_nodes(timings))
        with measure() as indexing:
            indexed = update_search_index(warehouse).indexed
        gate = _gate_stage(warehouse, landed.day, scratch / "quality")
        publish_stage = _publish_stage(warehouse, published, scratch / "ledger", scratch)
    day_run.peak_bytes += process_rss  # measure() counts from the process's size at the start
    with _fts_ready(warehouse, scratch) as conn, measure() as fts_indexing:
        fts_indexed = _fts_index(conn)
    index = stage_figures(
        "search index",
        "articles/s",
        indexing,
        indexed,
        baseline=fts_indexing,
        baseline_items=fts_indexed,
        note="titles, summaries, bodies; baseline: fts's create_fts_index, the same words",
    )
    similarity = _similarity_stage(warehouse, timings, articles, datasketch_limit)
    queries = _time_queries(published, query_repeats)
    return [load, build, index, similarity, gate, publish_stage], queries, day_run


@contextlib.contextmanager
def _fts_ready(warehouse: Warehouse, scratch: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose main.articles fts may index: the warehouse file's own, or a DuckDB file in `scratch`
    holding the lake's articles' ids and indexed fields (fts's index tables have columns of a type a lake cannot
    hold; in memory, a million articles' index took the machine's 24 GiB), made before the timing starts."""
    if not isinstance(warehouse, Lake):
        with open_warehouse(warehouse) as conn:
            yield conn
        return
    fields = ", ".join(["article_id", *INDEXED_FIELDS])
    with open_warehouse(warehouse, read_only=True) as conn:
        conn.execute(f"ATTACH {sql_literal(str(scratch / 'fts.duckdb'))} AS fts_copy")
        conn.execute(f"CREATE TABLE fts_copy.main.articles AS SELECT {fields} FROM main.articles; USE fts_copy")
        conn.execute(f"SET memory_limit = '{config.value('duckdb_memory_limit')}'")
        yield conn


def _fts_index(conn: duckdb.DuckDBPyConnection) -> int:
    """DuckDB's fts index over main.articles with the search index's words (then dropped); the articles indexed."""
    load_extension(conn, "fts")
    conn.execute(FTS_REFERENCE_INDEX_SQL)
    indexed = conn.execute("SELECT count(*) FROM fts_main_articles.docs").fetchone()[0]
    conn.execute("PRAGMA drop_fts_index('main.articles')")
    return indexed


def _load_stage(
    landed: LandedDay, warehouse: Warehouse, ledger: Path, baseline_warehouse: Path, baseline_rows: int
) -> dict:
    with measure() as ours:  # as news_daily's load step: the raw tables, and the source runs to the ledger
        result = load_partition(warehouse, landed.landing, landed.day, run_id=RUN_ID, sources=landed.sources)
        record_source_runs(ledger, partition_date=landed.day, runs=result.source_runs)
    files = [attempt.file(layout.RECORDS) for attempt in layout.attempts(landed.landing, landed.day)]
    with measure() as baseline:
        inserted = _insert_row_by_row(files, baseline_warehouse, landed.day, baseline_rows)
    quarantined = result.rows["quarantined_articles"]
    return stage_figures(
        "load into raw",
        "rows/s",
        ours,
        result.rows["articles"] + quarantined,
        baseline=baseline,
        baseline_items=inserted,
        note=f"{result.rows['articles']:,} articles and {quarantined:,} quarantined by load_partition; "
        f"baseline: json.loads + executemany of the first {inserted:,} rows",
    )


def _insert_row_by_row(files: list[Path], warehouse: Path, day: date, limit: int) -> int:
    """The naive loader: each record parsed in Python and inserted with its own INSERT, in one transaction."""
    columns = [*LINEAGE_COLUMNS, *ARTICLE_COLUMNS]
    insert = f"INSERT INTO raw.articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    rows = []
    for record in _records(files, limit):
        for name in TIMESTAMP_COLUMNS:
            if record.get(name):
                record[name] = datetime.fromisoformat(record[name]).replace(tzinfo=None)
        rows.append((day, RUN_ID, datetime.now(), BENCH_ATTEMPT, *(record.get(name) for name in ARTICLE_COLUMNS)))
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        conn.execute("BEGIN TRANSACTION")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
        return conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0]


def _records(files: list[Path], limit: int) -> Iterator[dict]:
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if count == limit:
                    return
                count += 1
                yield json.loads(line)


def _dbt_build(
    warehouse: Warehouse, day: date, work_dir: Path, *, full_refresh: bool = False
) -> tuple[Measured, dict[str, float]]:
    """dbt build as the DAG runs it; how long, and each node's own seconds from dbt's run results (dbt's
    target/ in `work_dir`, so the bench reads its own run's)."""
    with measure() as measured:
        run_dbt_build(warehouse, vars={"run_date": day.isoformat()}, full_refresh=full_refresh, work_dir=work_dir)
    return measured, last_run_node_seconds(work_dir)


def _slowest_nodes(timings: dict[str, float], count: int = 3) -> str:
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:count]
    return "slowest nodes: " + ", ".join(f"{name.split('.')[2]} {seconds:.1f} s" for name, seconds in slowest)


def _similarity_stage(warehouse: Warehouse, timings: dict[str, float], articles: int, limit: int) -> dict:
    """Our similarity models' share of the build, beside datasketch MinHash LSH on the first `limit` articles."""
    ours = _timed(
        sum(
            seconds
            for unique_id, seconds in timings.items()
            if unique_id.startswith("model.") and is_similarity_node(unique_id)
        )
    )
    with open_warehouse(warehouse, read_only=True) as conn:  # reading is not the baseline's work
        texts = [
            text
            for (text,) in conn.execute(
                "SELECT concat_ws(' ', title, summary, body) FROM raw.articles ORDER BY url LIMIT ?", [limit]
            ).fetchall()
        ]
    with measure() as baseline:
        candidates = len(scored_datasketch(texts)[0])
    return stage_figures(
        "similarity",
        "articles/s",
        ours,
        articles,
        baseline=baseline,
        baseline_items=len(texts),
        note=f"ours: the similarity models' time in the build; datasketch MinHash LSH on the first "
        f"{len(texts):,} articles, {candidates:,} candidate pairs scored",
    )


def _gate_stage(warehouse: Warehouse, day: date, report_dir: Path) -> dict:
    suites = list(GATE_SUITES)
    with measure() as ours:
        try:
            results = run_gate(warehouse, suites, partition_date=day, report_dir=report_dir)
        except QualityGateFailed as failed:
            results = failed.results
    failed_suites = [result.suite for result in results if not result.success]
    note = f"{len(results) - len(failed_suites)} of {len(results)} suites passed" + (
        f"; failed: {', '.join(failed_suites)}" if failed_suites else ""
    )
    return stage_figures("quality gate", "suites/s", ours, len(results), note=note) | {"failed_suites": failed_suites}


def _publish_stage(warehouse: Warehouse, published: Warehouse, ledger: Path, scratch: Path) -> dict:
    """news_daily's publish step beside a plain copy of what it publishes, in MiB/s: on a file, the ledger folded
    into ops then publish(), beside a copy of the file; on the lake, its publish commit, beside a copy of its data
    folder."""
    if isinstance(warehouse, Lake):
        data = Path(warehouse.data_path)
        mib = sum(path.stat().st_size for path in data.rglob("*") if path.is_file()) / 2**20
        with measure() as ours:
            publish_to_lake(warehouse, ledger, RUN_ID, keep_days=config.value("lake_keep_days"))
        with measure() as baseline:
            shutil.copytree(data, scratch / "plain-copy")
        shutil.rmtree(scratch / "plain-copy")
        note = (
            f"{mib:,.0f} MiB of Parquet in the lake; ours: one commit (ledger folded, head marked published);"
            " baseline: a copy of the lake's data folder"
        )
    else:
        mib = warehouse.stat().st_size / 2**20
        with measure() as ours:
            apply_ledger(warehouse, ledger)
            publish(warehouse, published, snapshots=scratch / "snapshots", label=RUN_ID)
        with measure() as baseline:
            shutil.copyfile(warehouse, scratch / "plain-copy.duckdb")
        (scratch / "plain-copy.duckdb").unlink()
        note = f"{mib:,.0f} MiB; ours checkpoints, fsyncs, renames and keeps a snapshot; baseline: a file copy"
    return stage_figures("publish", "MiB/s", ours, mib, baseline=baseline, baseline_items=mib, note=note)


def _time_queries(published: Warehouse, repeats: int) -> list[dict]:
    """Each analyst query's best time of `repeats` runs on the published warehouse, read-only."""
    timings = []
    with open_published(published) as conn:
        for heading, sql in guide_queries():
            best, rows = float("inf"), 0
            for _ in range(repeats):
                with measure() as run:
                    rows = len(conn.execute(sql).fetchall())
                best = min(best, run.seconds)
            timings.append({"query": heading, "ms": best * 1000, "rows": rows})
    return timings


# Plain SQL beside each news page: the page's main rows by key, no index beyond DuckDB's own; for search a
# case-insensitive LIKE of every word over titles, summaries and bodies.
PAGE_BASELINES = {
    "article": "SELECT * FROM articles WHERE article_id = ?",
    "story": "SELECT * FROM articles WHERE cluster_id = ? ORDER BY published_at",
    "source": "SELECT * FROM source_rankings WHERE source_id = ? ORDER BY period_start",
    "today": "SELECT * FROM story_clusters ORDER BY publisher_count DESC LIMIT 10",
}


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _time_pages(published: Warehouse, scratch: Path, samples: int) -> list[dict]:
    """Each news page type and search asked for through the app in process (as the browser asks, login
    granted), `samples` times with keys drawn from the day; p50 and p95 in ms, beside plain SQL's p95."""
    from fastapi.testclient import TestClient

    from newsdesk.ui.app import create_app
    from newsdesk.ui.login import require_login

    app = create_app(reports_dir=scratch / "no-reports", quality_dir=scratch / "no-quality", published=published)
    app.dependency_overrides[require_login] = lambda: None
    client = TestClient(app)
    with open_published(published) as conn:
        articles = conn.execute(
            "SELECT article_id, title FROM articles ORDER BY article_id LIMIT ?", [samples]
        ).fetchall()
        clusters = [
            row[0]
            for row in conn.execute(
                "SELECT cluster_id FROM story_clusters ORDER BY cluster_id LIMIT ?", [samples]
            ).fetchall()
        ]
        sources = [row[0] for row in conn.execute("SELECT source_id FROM sources ORDER BY source_id").fetchall()]
    words = [" ".join(sorted(re.findall(r"[^\W\d_]{4,}", title), key=len, reverse=True)[:2]) for _, title in articles]
    asked = {
        "article": [(f"/news/articles/{article_id}", [article_id]) for article_id, _ in articles],
        "story": [(f"/news/stories/{cluster_id}", [cluster_id]) for cluster_id in clusters],
        "source": [(f"/news/sources/{source_id}", [source_id]) for source_id in (sources * samples)[:samples]],
        "today": [("/news/", [])] * samples,
        "search": [(f"/news/search?q={quote(query)}", query.split()) for query in words if query],
    }
    rows = []
    with open_published(published) as conn:
        for page, requests in asked.items():
            if not requests:
                continue
            ours, plain = [], []
            for path, keys in requests:
                started = time.perf_counter()
                response = client.get(path)
                ours.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
                sql, parameters = PAGE_BASELINES.get(page), keys
                if page == "search":
                    text = "(title || ' ' || coalesce(summary, '') || ' ' || coalesce(body, ''))"
                    sql = (
                        f"SELECT article_id FROM articles WHERE {' AND '.join([f'{text} ILIKE ?'] * len(keys))}"
                        " ORDER BY published_at DESC LIMIT 20"
                    )
                    parameters = [f"%{key}%" for key in keys]
                started = time.perf_counter()
                conn.execute(sql, parameters).fetchall()
                plain.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "page": page,
                    "requests": len(requests),
                    "p50_ms": _p(ours, 0.5),
                    "p95_ms": _p(ours, 0.95),
                    "baseline_p95_ms": _p(plain, 0.95),
                }
            )
    return rows


# ---- incremental: day D against day 1 at the same daily volume ------------------------------------


def _incremental_stages(daily: int, days: int, seed: int, scratch: Path, storage: str) -> list[dict]:
    corpus = generate_corpus(daily * days, days=days, seed=seed)
    written = scratch / "history-written.duckdb"
    write_corpus(corpus, written, truth=False)
    last = corpus.dates[-1]
    day_one_written = scratch / "day-one-written.duckdb"
    day_one_rows = _copy_day(written, day_one_written, last)
    history = _in_storage(written, storage, scratch / "history")
    day_one = _in_storage(day_one_written, storage, scratch / "day-one")
    day_one_build, day_one_timings = _dbt_build(day_one, last, scratch / "dbt")
    last_rows = _build_all_but_last_day(history, corpus.dates[-2], last, scratch / "dbt")
    update_search_index(history)
    incremental, incremental_timings = _dbt_build(history, last, scratch / "dbt")
    with measure() as index_update:
        update = update_search_index(history)
    with open_warehouse(history) as conn:
        conn.execute(f"DROP SCHEMA {INDEX_SCHEMA} CASCADE")
    with measure() as index_rebuild:
        rebuilt = update_search_index(history)
    full_refresh, _ = _dbt_build(history, last, scratch / "dbt", full_refresh=True)
    return [
        stage_figures(
            "dbt build, day 1",
            "articles/s",
            day_one_build,
            day_one_rows,
            note=f"day {days}'s {day_one_rows:,} articles alone in a new warehouse; {_slowest_nodes(day_one_timings)}",
        ),
        stage_figures(
            f"dbt build, day {days} incremental",
            "articles/s",
            incremental,
            last_rows,
            baseline=full_refresh,
            baseline_items=last_rows,
            note=f"{last_rows:,} new articles, {corpus.article_count:,} in all; baseline: the same build with"
            f" --full-refresh; {_slowest_nodes(incremental_timings)}",
        ),
        stage_figures(
            f"search index, day {days} update",
            "articles/s",
            index_update,
            last_rows,
            baseline=index_rebuild,
            baseline_items=last_rows,
            note=f"{update.indexed:,} articles (re-)indexed, {update.dropped:,} dropped; baseline: the index built"
            f" again over all {rebuilt.documents:,}",
        ),
    ]


def _in_storage(written: Path, storage: str, folder: Path) -> Warehouse:
    """The raw tables the corpus was written to, as the bench's storage holds them: the DuckDB file itself, or a
    lake in `folder` they were migrated into (in one commit, as `newsdesk migrate` moves a file; not timed)."""
    if storage == "file":
        return written
    lake = _lake_in(folder)
    migrate(written, lake)
    written.unlink()
    return lake


def _copy_day(history: Path, day_one: Path, day: date) -> int:
    """A new warehouse holding one day's raw articles and the sources: that day as a first day; its articles."""
    with duckdb.connect(str(day_one)) as conn:
        create_raw_schema(conn)
        conn.execute(f"ATTACH '{history}' AS history (READ_ONLY)")
        conn.execute("INSERT INTO raw.sources SELECT * FROM history.raw.sources")
        conn.execute("INSERT INTO raw.articles SELECT * FROM history.raw.articles WHERE partition_date = ?", [day])
        conn.execute("DETACH history")
        return conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0]


def _build_all_but_last_day(history: Warehouse, before_last: date, last: date, work_dir: Path) -> int:
    """Build every day but the last (the state a day-D run starts from), then land the last; its article count."""
    with open_warehouse(history) as conn:
        conn.execute("CREATE TABLE raw.held_last_day AS SELECT * FROM raw.articles WHERE partition_date = ?", [last])
        conn.execute("DELETE FROM raw.articles WHERE partition_date = ?", [last])
    run_dbt_build(history, vars={"run_date": before_last.isoformat()}, work_dir=work_dir)
    with open_warehouse(history) as conn:
        conn.execute("INSERT INTO raw.articles SELECT * FROM raw.held_last_day")
        conn.execute("DROP TABLE raw.held_last_day")
        return conn.execute("SELECT count(*) FROM raw.articles WHERE partition_date = ?", [last]).fetchone()[0]


# ---- end to end and the targets -----------------------------------------------------------------


def _end_to_end(day_run: Measured, extract: dict, articles: int) -> dict:
    """Load through publish as measured, plus extract at its measured rate; the peak RSS of load through publish."""
    extract_seconds = articles / extract["ours"]
    return {
        "measured_seconds": day_run.seconds,
        "extract_seconds_at_rate": extract_seconds,
        "seconds": day_run.seconds + extract_seconds,
        "peak_mib": day_run.peak_bytes / 2**20,
    }


def _targets(result: dict) -> list[dict]:
    stages = {stage["stage"]: stage for stage in result["stages"]}
    day_one = stages["dbt build, day 1"]
    incremental = next(stage for name, stage in stages.items() if name.endswith("incremental"))
    end_to_end = result["end_to_end"]
    slowest_query = max(result["queries"], key=lambda query: query["ms"])
    slowest_page = max((page for page in result["pages"] if page["page"] != "search"), key=lambda p: p["p95_ms"])
    search_page = next(page for page in result["pages"] if page["page"] == "search")
    articles = result["parameters"]["articles"]
    return [
        {
            "target": f"day's run within {TARGET_DAY_SECONDS // 60} min",
            "value": f"{end_to_end['seconds']:.0f} s at {articles:,} articles",
            "met": end_to_end["seconds"] <= TARGET_DAY_SECONDS,
        },
        {
            "target": "peak RSS within 8 GiB",
            "value": f"{end_to_end['peak_mib']:,.0f} MiB",
            "met": end_to_end["peak_mib"] <= TARGET_PEAK_MIB,
        },
        {
            "target": f"load >= {TARGET_LOAD_ROWS_PER_SECOND:,} rows/s",
            "value": f"{stages['load into raw']['ours']:,.0f} rows/s",
            "met": stages["load into raw"]["ours"] >= TARGET_LOAD_ROWS_PER_SECOND,
        },
        {
            "target": f"day-{result['parameters']['days']} incremental within {TARGET_INCREMENTAL_RATIO}x day 1",
            "value": f"{incremental['ours_seconds'] / day_one['ours_seconds']:.2f}x",
            "met": incremental["ours_seconds"] <= TARGET_INCREMENTAL_RATIO * day_one["ours_seconds"],
        },
        {
            "target": f"news page p95 within {TARGET_PAGE_P95_MS} ms",
            "value": f"slowest p95 {slowest_page['p95_ms']:.0f} ms ({slowest_page['page']}) at {articles:,} articles",
            "met": slowest_page["p95_ms"] <= TARGET_PAGE_P95_MS,
        },
        {
            "target": f"search p95 within {TARGET_SEARCH_P95_MS} ms",
            "value": f"{search_page['p95_ms']:.0f} ms at {articles:,} articles",
            "met": search_page["p95_ms"] <= TARGET_SEARCH_P95_MS,
        },
        {
            "target": f"each analyst query within {TARGET_QUERY_MS} ms",
            "value": f"slowest {slowest_query['ms']:.0f} ms ({slowest_query['query']}) at {articles:,} articles",
            "met": slowest_query["ms"] <= TARGET_QUERY_MS,
        },
    ]


# ---- report ----------------------------------------------------------------------------------------


def _print_report(result: dict, out: TextIO) -> None:
    parameters = result["parameters"]
    lines = [
        *report_header("newsdesk bench pipeline", result["machine"], parameters),
        f"setup: corpus of {parameters['articles']:,} articles generated and landed as JSON lines in "
        f"{result['setup_seconds']:.1f} s (not part of the run)",
        "",
        f"{'stage':<36} {'ours':>12} {'baseline':>12} {'ratio':>7}  {'unit':<12} {'ours s':>8} {'base s':>8}"
        f" {'peak MiB':>9}",
    ]
    for stage in result["stages"]:
        lines.append(
            f"{stage['stage']:<36} {stage['ours']:>12,.1f} {_figure(stage['baseline'], ',.1f'):>12}"
            f" {_figure(stage['ratio'], '.2f'):>7}  {stage['unit']:<12} {stage['ours_seconds']:>8.1f}"
            f" {_figure(stage['baseline_seconds'], '.1f'):>8} {stage['peak_mib']:>9,.0f}"
        )
    lines.append("")
    lines += [f"{stage['stage']}: {stage['note']}" for stage in result["stages"] if stage["note"]]
    end_to_end = result["end_to_end"]
    lines += [
        "",
        f"end to end: {end_to_end['seconds']:.1f} s = load through publish {end_to_end['measured_seconds']:.1f} s"
        f" + extract at its rate {end_to_end['extract_seconds_at_rate']:.1f} s;"
        f" peak RSS {end_to_end['peak_mib']:,.0f} MiB (process and children)",
        "",
        f"analyst queries on the published warehouse ({parameters['articles']:,} articles), best of runs:",
    ]
    lines += [f"  {query['ms']:>8.1f} ms {query['rows']:>7,} rows  {query['query']}" for query in result["queries"]]
    lines += [
        "",
        f"news pages through the app, {parameters['articles']:,} articles (ms; plain SQL: the page's main rows by"
        " key, for search LIKE on every word):",
        f"  {'page':<10} {'requests':>8} {'p50':>8} {'p95':>8} {'plain SQL p95':>14}",
    ]
    lines += [
        f"  {page['page']:<10} {page['requests']:>8} {page['p50_ms']:>8.1f} {page['p95_ms']:>8.1f}"
        f" {page['baseline_p95_ms']:>14.1f}"
        for page in result["pages"]
    ]
    lines += ["", "targets:"]
    lines += [
        f"  {'met    ' if target['met'] else 'NOT met'}  {target['target']}: {target['value']}"
        for target in result["targets"]
    ]
    print("\n".join(lines), file=out)


def _figure(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)
