"""Load everything collected for one date into the warehouse's raw schema, and log it in ops.

Date D's landing zone holds every fetch attempt of D (newsdesk.collect.landing), and
the load reads them all: for each (source, URL) the version of the latest
attempt that passes the quarantine rules wins, so an article edited between
two fetches is updated, and a feed that moved on or failed leaves what the
earlier attempts found in place. Partition D of every raw table is then
replaced in one transaction, so a rerun of D gives the same raw tables, and a
load killed half-way leaves the previous state (DuckDB rolls back the open
transaction on the next open). Articles that partition D held before and no
longer holds (a replay after a parser fix, a changed rule) are written to
`raw.departed_articles`, so the incremental dbt models can drop them too.

Single bad records do not fail a run: a record without a title, whose URL is
not http(s), whose language is not an ISO 639-1 code, or whose published_at
lies outside the window around D (settings `published_window_days_*`; the
upper end counts from the later of D and the fetch's day, so a rerun of D
that meets a feed that moved on is not "from the future") goes to
`raw.quarantined_articles` with its reason instead of `raw.articles`, unless
another attempt holds a good version of it. Whether too many records went
there is the gate's call (the raw_batch suite).

Every load also reports D's source runs (`LoadResult.source_runs`, or the
`source_runs` of the LoadError it raises): a row per attempt of D, saying how
that fetch went (status, HTTP code, bytes, items, new items, rejects, duration,
first error), and a row with status `missing` for each registry source with no
attempt. The run writes them to its ledger (newsdesk.warehouse.ledger), which
publish folds into `ops.source_runs`, so the attempts of a run that publishes
nothing are listed too. When more than `max_failed_share` of the registry's
sources have no attempt of D with a working feed, nothing is loaded and
`ExtractionIncomplete` is raised, so a run that lost most of its sources
publishes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from newsdesk.collect import landing
from newsdesk.collect.languages import ISO_639_1
from newsdesk.collect.records import ARTICLE_COLUMNS
from newsdesk.collect.registry import Source
from newsdesk.config import value as setting
from newsdesk.warehouse.storage import Warehouse, open_warehouse

log = logging.getLogger(__name__)

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
LINEAGE_COLUMNS = {"partition_date": "DATE", "run_id": "VARCHAR", "loaded_at": "TIMESTAMP", "attempt_id": "VARCHAR"}
QUARANTINE_TABLE = "quarantined_articles"

# Why a record is quarantined: the first rule it breaks, in this order.
# Parameters: $languages (ISO 639-1 codes), $partition_date, $published_from, $days_after.
QUARANTINE_REASON_SQL = """
CASE
    WHEN nullif(trim(title), '') IS NULL THEN 'missing title'
    WHEN url IS NULL OR NOT regexp_matches(url, '^https?://') THEN 'url not http(s)'
    WHEN language IS NOT NULL AND NOT list_contains($languages, language) THEN 'language not ISO 639-1'
    WHEN published_at < $published_from
      OR published_at >= CAST(greatest($partition_date, CAST(fetched_at AS DATE)) AS TIMESTAMP) + to_days($days_after)
      THEN 'published_at outside window'
END
"""

# raw table -> (landing file name, its columns)
RAW_TABLES = {
    "articles": (landing.RECORDS, ARTICLE_COLUMNS),
    "rejected_items": ("rejects.jsonl", REJECT_COLUMNS),
    "fetches": ("fetches.jsonl", FETCH_COLUMNS),
}


class LoadError(RuntimeError):
    """The landing partition is missing or does not match the record contract.

    `source_runs` holds the date's source runs when the load got as far as reading the landing zone.
    """

    def __init__(self, message: str, *, source_runs: list[dict] | None = None) -> None:
        super().__init__(message)
        self.source_runs = source_runs or []


class ExtractionIncomplete(LoadError):
    """More sources failed to extract than the run may lose; the ops log says which."""


DEPARTED_COLUMNS = {
    "partition_date": "DATE",
    "source_id": "VARCHAR",
    "url": "VARCHAR",
    "run_id": "VARCHAR",
    "departed_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class LoadResult:
    partition_date: date
    sources: int
    rows: dict[str, int]
    source_status: dict[str, str]
    source_runs: list[dict]  # for the run ledger: a row per attempt of D, a `missing` row per source without one


def _ddl(table: str, columns: dict[str, str]) -> str:
    body = ", ".join(f"{name} {kind}" for name, kind in {**LINEAGE_COLUMNS, **columns}.items())
    return f"CREATE TABLE IF NOT EXISTS raw.{table} ({body})"


def create_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and ops schemas, adding columns a warehouse made by an older version lacks."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, (_, columns) in RAW_TABLES.items():
        conn.execute(_ddl(table, columns))
        for name, kind in {**LINEAGE_COLUMNS, **columns}.items():
            conn.execute(f"ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS {name} {kind}")
    quarantine_body = ", ".join(
        f"{name} {kind}" for name, kind in {**LINEAGE_COLUMNS, "reason": "VARCHAR", **ARTICLE_COLUMNS}.items()
    )
    conn.execute(f"CREATE TABLE IF NOT EXISTS raw.{QUARANTINE_TABLE} ({quarantine_body})")
    for lineage, kind in LINEAGE_COLUMNS.items():
        conn.execute(f"ALTER TABLE raw.{QUARANTINE_TABLE} ADD COLUMN IF NOT EXISTS {lineage} {kind}")
    departed = ", ".join(f"{name} {kind}" for name, kind in DEPARTED_COLUMNS.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS raw.departed_articles ({departed})")
    conn.execute("CREATE SCHEMA IF NOT EXISTS ops")
    conn.execute(
        "CREATE OR REPLACE VIEW ops.rejected_items AS SELECT partition_date, run_id, source_id, feed_url,"
        " item_ref, reason, detail FROM raw.rejected_items"
    )
    conn.execute(
        "CREATE TABLE IF NOT EXISTS raw.sources (source_id VARCHAR, name VARCHAR,"
        " country VARCHAR, language VARCHAR, homepage VARCHAR, local BOOLEAN, fetch_pages BOOLEAN,"
        " feed_count INTEGER, loaded_at TIMESTAMP)"
    )


def _select_landing(files: list[Path], columns: dict[str, str]) -> str:
    """SQL reading landing files, typed (newsdesk.collect.landing.typed_landing_sql).

    Each row also gets its attempt's id and `attempt_order`, which sorts the
    attempts of a source by start time with the legacy layout's first.
    """
    attempt = f"coalesce(nullif(regexp_extract(filename, '/attempt=([^/]+)/', 1), ''), '{landing.LEGACY_ATTEMPT_ID}')"
    return (
        f"SELECT * EXCLUDE (filename), {attempt} AS attempt_id,"
        f" CASE WHEN {attempt} = '{landing.LEGACY_ATTEMPT_ID}' THEN '' ELSE {attempt} END AS attempt_order"
        f" FROM ({landing.typed_landing_sql(files, columns)})"
    )


def load_partition(
    warehouse: Warehouse,
    landing_root: Path,
    day: date,
    *,
    run_id: str,
    sources: list[Source],
    max_failed_share: float = 1.0,
) -> LoadResult:
    """Replace partition D of every raw table with what all of D's landing attempts hold.

    Raises ExtractionIncomplete, loading nothing, when the share of registry
    sources without a working attempt of D exceeds `max_failed_share`.
    """
    if not sources:
        raise LoadError("the registry lists no sources")
    landed = landing.attempts(landing_root, day)
    manifests: dict[str, list[tuple[landing.Attempt, dict]]] = {}
    for attempt in landed:
        manifests.setdefault(attempt.source_id, []).append((attempt, attempt.manifest))
    statuses = {source.id: _day_status([m for _, m in manifests.get(source.id, [])]) for source in sources}
    failed = sorted(source_id for source_id, status in statuses.items() if status in ("failed", "missing"))
    load_raw = len(failed) / len(sources) <= max_failed_share and bool(landed)
    runs = _source_runs(day, sources, manifests)
    if not load_raw:
        raise ExtractionIncomplete(
            f"{len(failed)} of {len(sources)} sources have no working fetch for {day}"
            f" (more than the allowed share {max_failed_share:.0%}): {', '.join(failed)};"
            " raw data was not loaded, see ops.source_runs",
            source_runs=runs,
        )
    with open_warehouse(warehouse) as conn:
        conn.execute("BEGIN TRANSACTION")  # the schema too: on a lake, one commit (snapshot) for the whole load
        try:
            create_raw_schema(conn)
            rows = _replace_raw_partition(conn, day, run_id, landed)
            _replace_sources(conn, sources)
            _count_new_items(conn, day, landed, runs)
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise LoadError(f"loading {day} failed, nothing was changed: {exc}", source_runs=runs) from exc
    log.info("loaded %s from %d attempts of %d sources: %s", day, len(landed), len(manifests), rows)
    return LoadResult(partition_date=day, sources=len(manifests), rows=rows, source_status=statuses, source_runs=runs)


def attempt_status(manifest: dict) -> str:
    """ok (every feed answered), partial (some did), failed (none did)."""
    if manifest["feeds_failed"] == 0:
        return "ok"
    return "failed" if manifest["feeds_ok"] == 0 else "partial"


def _day_status(manifests: list[dict]) -> str:
    """A source's status for the date: missing without attempts, else its best attempt's."""
    if not manifests:
        return "missing"
    statuses = {attempt_status(manifest) for manifest in manifests}
    return next(status for status in ("ok", "partial", "failed") if status in statuses)


def _replace_raw_partition(
    conn: duckdb.DuckDBPyConnection, day: date, run_id: str, attempts: list[landing.Attempt]
) -> dict[str, int]:
    rows = {}
    for table, (file_name, columns) in RAW_TABLES.items():
        files = _landed_files(attempts, file_name)
        if table == "articles":
            _replace_articles(conn, day, run_id, _select_landing(files, columns) if files else None)
            rows[QUARANTINE_TABLE] = _partition_rows(conn, QUARANTINE_TABLE, day)
        else:
            conn.execute(f"DELETE FROM raw.{table} WHERE partition_date = ?", [day])
            if files:
                conn.execute(
                    f"INSERT INTO raw.{table} BY NAME SELECT ?::DATE AS partition_date, ? AS run_id,"
                    f" timezone('UTC', now()) AS loaded_at, * EXCLUDE (attempt_order)"
                    f" FROM ({_select_landing(files, columns)}) {_LATEST_ROW_OF.get(table, '')}",
                    [day, run_id],
                )
        rows[table] = _partition_rows(conn, table, day)
    return rows


def _landed_files(attempts: list[landing.Attempt], file_name: str) -> list[Path]:
    """Each attempt's non-empty `file_name`; its records as Parquet where it has them (typed when they landed, so
    the load parses no JSON again), as JSON lines where it was landed before there was Parquet."""
    files = []
    for attempt in attempts:
        chosen = attempt.file(file_name)
        if file_name == landing.RECORDS and attempt.file(landing.RECORDS_PARQUET).exists():
            chosen = attempt.file(landing.RECORDS_PARQUET)
        if chosen.exists() and chosen.stat().st_size:
            files.append(chosen)
    return files


# A rejected item seen by several attempts is one row: the latest attempt's.
_LATEST_ROW_OF = {
    "rejected_items": "QUALIFY row_number() OVER (PARTITION BY source_id, feed_url, item_ref, reason"
    " ORDER BY attempt_order DESC) = 1",
}


def _partition_rows(conn: duckdb.DuckDBPyConnection, table: str, day: date) -> int:
    return conn.execute(f"SELECT count(*) FROM raw.{table} WHERE partition_date = ?", [day]).fetchone()[0]


def published_window(day: date) -> tuple[datetime, int]:
    """The earliest published_at a record of date D may have (D - before, naive UTC), and the days after
    the later of D and its fetch's day that it may lie before."""
    midnight = datetime.combine(day, time.min)
    return midnight - timedelta(days=setting("published_window_days_before")), setting("published_window_days_after")


def _replace_articles(conn: duckdb.DuckDBPyConnection, day: date, run_id: str, landing_sql: str | None) -> None:
    """Each (source, URL)'s latest good version into raw.articles; the URLs with no good version into
    raw.quarantined_articles with the reason of their latest; the URLs partition D loses into
    raw.departed_articles."""
    published_from, days_after = published_window(day)
    if landing_sql is None:
        conn.execute(  # no records at all: every article of D departs
            "CREATE OR REPLACE TEMP TABLE landed_versions AS SELECT NULL::VARCHAR AS quarantine_reason,"
            " * EXCLUDE (partition_date, run_id, loaded_at) FROM raw.articles WHERE false"
        )
    else:
        # The latest good version of each (source, URL) first; a guid that moved to another URL follows it.
        conn.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE landed_versions AS
            WITH versions AS (
                SELECT {QUARANTINE_REASON_SQL} AS quarantine_reason, * FROM ({landing_sql})
            ),
            by_url AS (
                SELECT * FROM versions
                QUALIFY row_number() OVER (
                    PARTITION BY source_id, url
                    ORDER BY quarantine_reason IS NULL DESC, attempt_order DESC, fetched_at DESC, content_hash
                ) = 1
            )
            SELECT * EXCLUDE (attempt_order) FROM by_url
            QUALIFY guid IS NULL OR row_number() OVER (
                PARTITION BY source_id, guid
                ORDER BY quarantine_reason IS NULL DESC, attempt_order DESC, fetched_at DESC, url
            ) = 1
            """,
            {
                "languages": sorted(ISO_639_1),
                "partition_date": day,
                "published_from": published_from,
                "days_after": days_after,
            },
        )
    conn.execute(
        """
        INSERT INTO raw.departed_articles
        SELECT partition_date, source_id, url, $run_id, timezone('UTC', now())
        FROM raw.articles AS before
        WHERE partition_date = $day AND NOT EXISTS (
            SELECT 1 FROM landed_versions AS now
            WHERE now.quarantine_reason IS NULL AND now.source_id = before.source_id AND now.url = before.url
        )
        """,
        {"day": day, "run_id": run_id},
    )
    conn.execute("DELETE FROM raw.articles WHERE partition_date = ?", [day])
    conn.execute(f"DELETE FROM raw.{QUARANTINE_TABLE} WHERE partition_date = ?", [day])
    lineage = "SELECT ?::DATE AS partition_date, ? AS run_id, timezone('UTC', now()) AS loaded_at"
    conn.execute(
        f"INSERT INTO raw.articles BY NAME {lineage}, * EXCLUDE (quarantine_reason)"
        " FROM landed_versions WHERE quarantine_reason IS NULL",
        [day, run_id],
    )
    conn.execute(
        f"INSERT INTO raw.{QUARANTINE_TABLE} BY NAME {lineage}, quarantine_reason AS reason,"
        " * EXCLUDE (quarantine_reason) FROM landed_versions WHERE quarantine_reason IS NOT NULL",
        [day, run_id],
    )
    conn.execute("DROP TABLE landed_versions")


def _first_feed_error(attempt: landing.Attempt) -> tuple[int | None, str | None, str | None]:
    """HTTP status, error class and message of the attempt's first failed feed (else its first feed's status)."""
    fetches = landing.read_jsonl(attempt.file(landing.FETCHES))
    feeds = [row for row in fetches if row.get("kind", "feed") == "feed"]
    failed = [row for row in feeds if row["status"] == "error"]
    if failed:
        return failed[0]["http_status"], failed[0]["error_class"], failed[0]["error_message"]
    return (feeds[0]["http_status"] if feeds else None), None, None


# ops.source_runs column <- the attempt manifest's key
_MANIFEST_COUNTS = {
    "feeds_ok": "feeds_ok",
    "feeds_failed": "feeds_failed",
    "feeds_not_modified": "feeds_not_modified",
    "pages_ok": "pages_ok",
    "pages_failed": "pages_failed",
    "bytes": "bytes",
    "items": "items",
    "records": "records",
    "rejected_items": "rejects",
    "duration_ms": "duration_ms",
}


def _source_runs(
    day: date, sources: list[Source], manifests: dict[str, list[tuple[landing.Attempt, dict]]]
) -> list[dict]:
    """D's source runs: a row per attempt, a `missing` row per source without one; new items not yet counted."""
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    runs = []
    for source in sources:
        for attempt, manifest in manifests.get(source.id, []):
            http_status, error_class, error_message = _first_feed_error(attempt)
            runs.append(
                {
                    "partition_date": day,
                    "run_id": manifest.get("run_id"),
                    "attempt_id": attempt.attempt_id,
                    "source_id": source.id,
                    "status": attempt_status(manifest),
                    "http_status": http_status,
                    "feeds": len(source.feeds),
                    **{column: manifest.get(key) for column, key in _MANIFEST_COUNTS.items()},
                    "new_items": None,
                    "error_class": error_class,
                    "error_message": error_message,
                    "started_at": manifest.get("started_at"),
                    "loaded_at": loaded_at,
                }
            )
        if source.id not in manifests:
            runs.append(
                {
                    "partition_date": day,
                    "source_id": source.id,
                    "status": "missing",
                    "feeds": len(source.feeds),
                    "error_class": "NotLanded",
                    "error_message": "no fetch attempt of this source landed for the date",
                    "loaded_at": loaded_at,
                }
            )
    return runs


def _count_new_items(
    conn: duckdb.DuckDBPyConnection, day: date, attempts: list[landing.Attempt], runs: list[dict]
) -> None:
    """An attempt's new items: URLs of its records that no earlier attempt of D and no earlier date held."""
    files = _landed_files(attempts, landing.RECORDS)
    counted = {}
    if files:
        counted = dict(
            ((source_id, attempt_id), new_items)
            for source_id, attempt_id, new_items in conn.execute(
                f"""
                SELECT source_id, attempt_id, count(*) AS new_items
                FROM (
                    SELECT source_id, url, arg_min(attempt_id, attempt_order) AS attempt_id
                    FROM ({_select_landing(files, {"source_id": "VARCHAR", "url": "VARCHAR"})})
                    GROUP BY source_id, url
                ) AS first_seen
                WHERE NOT EXISTS (
                    SELECT 1 FROM raw.articles AS earlier
                    WHERE earlier.source_id = first_seen.source_id AND earlier.url = first_seen.url
                      AND earlier.partition_date < $day
                )
                GROUP BY source_id, attempt_id
                """,
                {"day": day},
            ).fetchall()
        )
    for run in runs:
        if run.get("attempt_id") is not None:
            run["new_items"] = counted.get((run["source_id"], run["attempt_id"]), 0)


def _replace_sources(conn: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    conn.execute("DELETE FROM raw.sources")
    conn.executemany(
        "INSERT INTO raw.sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, timezone('UTC', now()))",
        [(s.id, s.name, s.country, s.language, s.homepage, s.local, s.fetch_pages, len(s.feeds)) for s in sources],
    )
