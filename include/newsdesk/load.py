"""Load one date's landing partition into the warehouse's raw schema, and log the run in ops.

The whole date is replaced in one transaction: delete partition D from every
raw table, insert what the landing zone holds for D. A rerun of D therefore
gives the same raw tables, and a load killed half-way leaves the previous
state (DuckDB rolls back the open transaction on the next open).

Single bad records do not fail a run: a record without a title, whose URL is
not http(s), whose language is not an ISO 639-1 code, or whose published_at
lies outside the window around D (settings `published_window_days_*`) goes to
`raw.quarantined_articles` with its reason instead of `raw.articles`, so dbt
never sees it. Whether too many records went there is the gate's call
(the raw_batch suite).

Every load also writes one `ops.source_runs` row per registry source for the
run: how its extraction went (status, HTTP code, bytes, items, new items,
rejects, duration, first error). When more than `max_failed_share` of the
sources failed, only those rows are written and `ExtractionIncomplete` is
raised, so a run that lost most of its sources publishes nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb

from newsdesk.extract import read_jsonl
from newsdesk.gate_settings import setting
from newsdesk.languages import ISO_639_1
from newsdesk.registry import Source

log = logging.getLogger(__name__)

ARTICLE_COLUMNS = {
    "source_id": "VARCHAR",
    "feed_url": "VARCHAR",
    "url": "VARCHAR",
    "guid": "VARCHAR",
    "title": "VARCHAR",
    "summary": "VARCHAR",
    "body": "VARCHAR",
    "author": "VARCHAR",
    "published_at": "TIMESTAMP",
    "updated_at": "TIMESTAMP",
    "language": "VARCHAR",
    "category": "VARCHAR",
    "image_url": "VARCHAR",
    "fetched_at": "TIMESTAMP",
    "content_hash": "VARCHAR",
    "feed_link": "VARCHAR",
    "media_kind": "VARCHAR",
    "language_declared": "VARCHAR",
    "language_detected": "VARCHAR",
    "published_at_source": "VARCHAR",
    "body_source": "VARCHAR",
}
REJECT_COLUMNS = {
    "source_id": "VARCHAR",
    "feed_url": "VARCHAR",
    "item_ref": "VARCHAR",
    "reason": "VARCHAR",
    "detail": "VARCHAR",
}
FETCH_COLUMNS = {
    "source_id": "VARCHAR",
    "kind": "VARCHAR",
    "feed_kind": "VARCHAR",
    "category": "VARCHAR",
    "url": "VARCHAR",
    "final_url": "VARCHAR",
    "status": "VARCHAR",
    "http_status": "INTEGER",
    "content_type": "VARCHAR",
    "content_language": "VARCHAR",
    "etag": "VARCHAR",
    "last_modified": "VARCHAR",
    "bytes": "BIGINT",
    "items": "INTEGER",
    "duration_ms": "DOUBLE",
    "error_class": "VARCHAR",
    "error_message": "VARCHAR",
    "fetched_at": "TIMESTAMP",
    "payload_file": "VARCHAR",
}
LINEAGE_COLUMNS = {"partition_date": "DATE", "run_id": "VARCHAR", "loaded_at": "TIMESTAMP"}
QUARANTINE_TABLE = "quarantined_articles"

# Why a record is quarantined: the first rule it breaks, in this order.
# Parameters: $languages (ISO 639-1 codes), $published_from, $published_until.
QUARANTINE_REASON_SQL = """
CASE
    WHEN nullif(trim(title), '') IS NULL THEN 'missing title'
    WHEN url IS NULL OR NOT regexp_matches(url, '^https?://') THEN 'url not http(s)'
    WHEN language IS NOT NULL AND NOT list_contains($languages, language) THEN 'language not ISO 639-1'
    WHEN published_at < $published_from OR published_at >= $published_until THEN 'published_at outside window'
END
"""

# raw table -> (landing file name, its columns)
RAW_TABLES = {
    "articles": ("records.jsonl", ARTICLE_COLUMNS),
    "rejected_items": ("rejects.jsonl", REJECT_COLUMNS),
    "fetches": ("fetches.jsonl", FETCH_COLUMNS),
}


class LoadError(RuntimeError):
    """The landing partition is missing or does not match the record contract."""


class ExtractionIncomplete(LoadError):
    """More sources failed to extract than the run may lose; the ops log says which."""


SOURCE_RUN_COLUMNS = {
    "partition_date": "DATE",
    "run_id": "VARCHAR",
    "source_id": "VARCHAR",
    "status": "VARCHAR",  # ok | partial | failed | missing
    "http_status": "INTEGER",
    "feeds": "INTEGER",
    "feeds_ok": "INTEGER",
    "feeds_failed": "INTEGER",
    "feeds_not_modified": "INTEGER",
    "pages_ok": "INTEGER",
    "pages_failed": "INTEGER",
    "bytes": "BIGINT",
    "items": "INTEGER",
    "records": "INTEGER",
    "new_items": "INTEGER",
    "rejected_items": "INTEGER",
    "duration_ms": "DOUBLE",
    "error_class": "VARCHAR",
    "error_message": "VARCHAR",
    "loaded_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class LoadResult:
    partition_date: date
    sources: int
    rows: dict[str, int]
    source_status: dict[str, str]


def _ddl(table: str, columns: dict[str, str]) -> str:
    body = ", ".join(f"{name} {kind}" for name, kind in {**LINEAGE_COLUMNS, **columns}.items())
    return f"CREATE TABLE IF NOT EXISTS raw.{table} ({body})"


def create_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and ops schemas, adding columns a warehouse made by an older version lacks."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, (_, columns) in RAW_TABLES.items():
        conn.execute(_ddl(table, columns))
        for name, kind in columns.items():
            conn.execute(f"ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    quarantine_body = ", ".join(
        f"{name} {kind}" for name, kind in {**LINEAGE_COLUMNS, "reason": "VARCHAR", **ARTICLE_COLUMNS}.items()
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS raw.{QUARANTINE_TABLE} ({quarantine_body})")
    conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
    body = ", ".join(f"{name} {kind}" for name, kind in SOURCE_RUN_COLUMNS.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS ops.source_runs ({body})")
    conn.execute(
        "CREATE OR REPLACE VIEW ops.rejected_items AS SELECT partition_date, run_id, source_id, feed_url,"
        " item_ref, reason, detail FROM raw.rejected_items"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS raw.sources (source_id VARCHAR PRIMARY KEY, name VARCHAR,"
        " country VARCHAR, language VARCHAR, homepage VARCHAR, local BOOLEAN, fetch_pages BOOLEAN,"
        " feed_count INTEGER, loaded_at TIMESTAMP)"
    )


def complete_partitions(landing_root: Path, day: date) -> list[Path]:
    """Source folders of date D whose extract finished (the manifest is written last)."""
    date_dir = Path(landing_root) / f"date={day.isoformat()}"
    return sorted(p for p in date_dir.glob("source=*") if (p / "_manifest.json").exists())


def _select_landing(files: list[Path], columns: dict[str, str]) -> str:
    """SQL reading landing JSONL files as text, then typing them; timestamps are UTC."""
    file_list = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    as_text = ", ".join(f"'{name}': 'VARCHAR'" for name in columns)
    typed = []
    for name, kind in columns.items():
        if kind == "TIMESTAMP":
            typed.append(f"timezone('UTC', CAST({name} AS TIMESTAMPTZ)) AS {name}")
        else:
            typed.append(f"CAST({name} AS {kind}) AS {name}")
    return (
        f"SELECT {', '.join(typed)} FROM read_json({file_list}, columns={{{as_text}}},"
        " format='newline_delimited')"
    )


def load_partition(
    warehouse: Path,
    landing_root: Path,
    day: date,
    *,
    run_id: str,
    sources: list[Source],
    max_failed_share: float = 1.0,
) -> LoadResult:
    """Replace partition D of every raw table with the landing zone's files for D.

    Raises ExtractionIncomplete, after logging the source runs in ops, when
    the share of registry sources that failed or never landed exceeds
    `max_failed_share`.
    """
    if not sources:
        raise LoadError("the registry lists no sources")
    partitions = {path.name.removeprefix("source="): path for path in complete_partitions(landing_root, day)}
    manifests = {source_id: json.loads((path / "_manifest.json").read_text()) for source_id, path in partitions.items()}
    statuses = {source.id: _source_status(manifests.get(source.id)) for source in sources}
    failed = sorted(source_id for source_id, status in statuses.items() if status in ("failed", "missing"))
    load_raw = len(failed) / len(sources) <= max_failed_share and bool(partitions)
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        conn.execute("BEGIN TRANSACTION")
        try:
            if load_raw:
                rows = _replace_raw_partition(conn, day, run_id, list(partitions.values()))
                _replace_sources(conn, sources)
            _log_source_runs(conn, day, run_id, sources, partitions, manifests, statuses, new_items_known=load_raw)
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise LoadError(f"loading {day} failed, nothing was changed: {exc}") from exc
    if not load_raw:
        raise ExtractionIncomplete(
            f"{len(failed)} of {len(sources)} sources failed or did not land for {day}"
            f" (more than the allowed share {max_failed_share:.0%}): {', '.join(failed)};"
            " raw data was not loaded, see ops.source_runs"
        )
    log.info("loaded %s from %d sources: %s", day, len(partitions), rows)
    return LoadResult(partition_date=day, sources=len(partitions), rows=rows, source_status=statuses)


def _source_status(manifest: dict | None) -> str:
    if manifest is None:
        return "missing"
    if manifest["feeds_failed"] == 0:
        return "ok"
    return "failed" if manifest["feeds_ok"] == 0 else "partial"


def _replace_raw_partition(
    conn: duckdb.DuckDBPyConnection, day: date, run_id: str, partitions: list[Path]
) -> dict[str, int]:
    rows = {}
    for table, (file_name, columns) in RAW_TABLES.items():
        conn.execute(f"DELETE FROM raw.{table} WHERE partition_date = ?", [day])
        files = [p / file_name for p in partitions if (p / file_name).stat().st_size > 0]
        if table == "articles":
            conn.execute(f"DELETE FROM raw.{QUARANTINE_TABLE} WHERE partition_date = ?", [day])
            if files:
                _load_articles_with_quarantine(conn, day, run_id, _select_landing(files, columns))
            rows[QUARANTINE_TABLE] = _partition_rows(conn, QUARANTINE_TABLE, day)
        elif files:
            conn.execute(
                f"INSERT INTO raw.{table} BY NAME SELECT ?::DATE AS partition_date, ? AS run_id,"
                f" timezone('UTC', now()) AS loaded_at, * FROM ({_select_landing(files, columns)})",
                [day, run_id],
            )
        rows[table] = _partition_rows(conn, table, day)
    return rows


def _partition_rows(conn: duckdb.DuckDBPyConnection, table: str, day: date) -> int:
    return conn.execute(f"SELECT count(*) FROM raw.{table} WHERE partition_date = ?", [day]).fetchone()[0]


def published_window(day: date) -> tuple[datetime, datetime]:
    """The published_at range a record of date D may have: [D - before, D + after), naive UTC."""
    midnight = datetime.combine(day, time.min)
    return (
        midnight - timedelta(days=setting("published_window_days_before")),
        midnight + timedelta(days=setting("published_window_days_after")),
    )


def _load_articles_with_quarantine(conn: duckdb.DuckDBPyConnection, day: date, run_id: str, landing_sql: str) -> None:
    """Good records into raw.articles, the others into raw.quarantined_articles with their reason."""
    published_from, published_until = published_window(day)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE landed_articles AS"
        f" SELECT {QUARANTINE_REASON_SQL} AS quarantine_reason, * FROM ({landing_sql})",
        {"languages": sorted(ISO_639_1), "published_from": published_from, "published_until": published_until},
    )
    lineage = "SELECT ?::DATE AS partition_date, ? AS run_id, timezone('UTC', now()) AS loaded_at"
    conn.execute(
        f"INSERT INTO raw.articles BY NAME {lineage}, * EXCLUDE (quarantine_reason)"
        " FROM landed_articles WHERE quarantine_reason IS NULL",
        [day, run_id],
    )
    conn.execute(
        f"INSERT INTO raw.{QUARANTINE_TABLE} BY NAME {lineage}, quarantine_reason AS reason,"
        " * EXCLUDE (quarantine_reason) FROM landed_articles WHERE quarantine_reason IS NOT NULL",
        [day, run_id],
    )
    conn.execute("DROP TABLE landed_articles")


def _first_feed_error(partition: Path | None) -> tuple[int | None, str | None, str | None]:
    """HTTP status, error class and message of the source's first failed feed (else its first feed's status)."""
    feeds = [row for row in read_jsonl(partition / "fetches.jsonl") if row.get("kind", "feed") == "feed"] if partition else []
    failed = [row for row in feeds if row["status"] == "error"]
    if failed:
        return failed[0]["http_status"], failed[0]["error_class"], failed[0]["error_message"]
    return (feeds[0]["http_status"] if feeds else None), None, None


def _log_source_runs(
    conn: duckdb.DuckDBPyConnection,
    day: date,
    run_id: str,
    sources: list[Source],
    partitions: dict[str, Path],
    manifests: dict[str, dict],
    statuses: dict[str, str],
    *,
    new_items_known: bool,
) -> None:
    """One ops.source_runs row per registry source for this run; new_items from raw when it was loaded."""
    conn.execute("DELETE FROM ops.source_runs WHERE partition_date = ? AND run_id = ?", [day, run_id])
    rows = []
    for source in sources:
        manifest = manifests.get(source.id, {})
        http_status, error_class, error_message = _first_feed_error(partitions.get(source.id))
        if statuses[source.id] == "missing":
            error_class, error_message = "NotLanded", "the extract step wrote no complete partition for this source"
        rows.append(
            (day, run_id, source.id, statuses[source.id], http_status, len(source.feeds))
            + tuple(manifest.get(key) for key in ("feeds_ok", "feeds_failed", "feeds_not_modified", "pages_ok",
                                                  "pages_failed", "bytes", "items", "records", "rejects",
                                                  "duration_ms"))
            + (error_class, error_message)
        )
    conn.executemany(
        "INSERT INTO ops.source_runs (partition_date, run_id, source_id, status, http_status, feeds, feeds_ok,"
        " feeds_failed, feeds_not_modified, pages_ok, pages_failed, bytes, items, records, rejected_items,"
        " duration_ms, error_class, error_message, loaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, timezone('UTC', now()))",
        rows,
    )
    if new_items_known:
        # An article is new when no earlier date's partition holds its URL for the same source.
        conn.execute(
            """
            UPDATE ops.source_runs AS runs SET new_items = coalesce(counted.new_items, 0)
            FROM (
                SELECT s.source_id, count(DISTINCT a.url) FILTER (WHERE NOT EXISTS (
                    SELECT 1 FROM raw.articles AS earlier
                    WHERE earlier.source_id = a.source_id AND earlier.url = a.url
                      AND earlier.partition_date < a.partition_date)) AS new_items
                FROM (SELECT DISTINCT source_id FROM ops.source_runs WHERE partition_date = $day AND run_id = $run)
                     AS s
                LEFT JOIN raw.articles AS a ON a.source_id = s.source_id AND a.partition_date = $day
                GROUP BY s.source_id
            ) AS counted
            WHERE runs.source_id = counted.source_id AND runs.partition_date = $day AND runs.run_id = $run
            """,
            {"day": day, "run": run_id},
        )


def _replace_sources(conn: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    conn.execute("DELETE FROM raw.sources")
    conn.executemany(
        "INSERT INTO raw.sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, timezone('UTC', now()))",
        [
            (s.id, s.name, s.country, s.language, s.homepage, s.local, s.fetch_pages, len(s.feeds))
            for s in sources
        ],
    )
