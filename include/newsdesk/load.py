"""Load one date's landing partition into the warehouse's raw schema.

The whole date is replaced in one transaction: delete partition D from every
raw table, insert what the landing zone holds for D. A rerun of D therefore
gives the same raw tables, and a load killed half-way leaves the previous
state (DuckDB rolls back the open transaction on the next open).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

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
    "url": "VARCHAR",
    "status": "VARCHAR",
    "http_status": "INTEGER",
    "bytes": "BIGINT",
    "items": "INTEGER",
    "duration_ms": "DOUBLE",
    "error_class": "VARCHAR",
    "error_message": "VARCHAR",
    "fetched_at": "TIMESTAMP",
}
LINEAGE_COLUMNS = {"partition_date": "DATE", "run_id": "VARCHAR", "loaded_at": "TIMESTAMP"}

# raw table -> (landing file name, its columns)
RAW_TABLES = {
    "articles": ("records.jsonl", ARTICLE_COLUMNS),
    "rejected_items": ("rejects.jsonl", REJECT_COLUMNS),
    "fetches": ("fetches.jsonl", FETCH_COLUMNS),
}


class LoadError(RuntimeError):
    """The landing partition is missing or does not match the record contract."""


@dataclass(frozen=True)
class LoadResult:
    partition_date: date
    sources: int
    rows: dict[str, int]


def _ddl(table: str, columns: dict[str, str]) -> str:
    body = ", ".join(f"{name} {kind}" for name, kind in {**LINEAGE_COLUMNS, **columns}.items())
    return f"CREATE TABLE IF NOT EXISTS raw.{table} ({body})"


def create_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, (_, columns) in RAW_TABLES.items():
        conn.execute(_ddl(table, columns))
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


def load_partition(warehouse: Path, landing_root: Path, day: date, *, run_id: str, sources: list[Source]) -> LoadResult:
    """Replace partition D of every raw table with the landing zone's files for D."""
    partitions = complete_partitions(landing_root, day)
    if not partitions:
        raise LoadError(f"no complete landing partition for {day} under {landing_root}")
    Path(warehouse).parent.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        conn.execute("BEGIN TRANSACTION")
        try:
            for table, (file_name, columns) in RAW_TABLES.items():
                conn.execute(f"DELETE FROM raw.{table} WHERE partition_date = ?", [day])
                files = [p / file_name for p in partitions if (p / file_name).stat().st_size > 0]
                if files:
                    conn.execute(
                        f"INSERT INTO raw.{table} BY NAME SELECT ?::DATE AS partition_date, ? AS run_id,"
                        f" timezone('UTC', now()) AS loaded_at, * FROM ({_select_landing(files, columns)})",
                        [day, run_id],
                    )
                rows[table] = conn.execute(
                    f"SELECT count(*) FROM raw.{table} WHERE partition_date = ?", [day]
                ).fetchone()[0]
            _replace_sources(conn, sources)
            conn.execute("COMMIT")
        except duckdb.Error as exc:
            conn.execute("ROLLBACK")
            raise LoadError(f"loading {day} failed, nothing was changed: {exc}") from exc
    log.info("loaded %s from %d sources: %s", day, len(partitions), rows)
    return LoadResult(partition_date=day, sources=len(partitions), rows=rows)


def _replace_sources(conn: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    conn.execute("DELETE FROM raw.sources")
    conn.executemany(
        "INSERT INTO raw.sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, timezone('UTC', now()))",
        [
            (s.id, s.name, s.country, s.language, s.homepage, s.local, s.fetch_pages, len(s.feeds))
            for s in sources
        ],
    )
