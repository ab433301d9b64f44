"""Extract one source for one date into its landing partition.

`extract_source` fetches every feed of the source (and, where the registry
says so, each article page), turns the items into article records and writes
`landing/date=D/source=ID/` as docs/architecture.md lays it out. Everything is
written into a hidden sibling folder and swapped in at the end, so readers see
either the previous attempt or this one, whole. A failing feed or page is
logged in fetches.jsonl and the rest goes on. Never touches DuckDB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import requests

from newsdesk.fetch import Fetcher, FetchResult, make_session
from newsdesk.normalize import PAGE_FIELDS, ItemRejected, RecordBuilder, fill_from_page, utc_timestamp
from newsdesk.pages import PageError, read_page
from newsdesk.parse import FeedError, ParsedFeed, parse_feed
from newsdesk.registry import Feed, Source

log = logging.getLogger(__name__)

FEED_EXTENSIONS = {"jsonfeed": "json"}  # any other feed kind is XML


class ExtractError(RuntimeError):
    """Every feed of a source failed; its partition still holds the fetch log and raw payloads."""


class LandingPartition:
    """One source's folder for one date, built in a hidden sibling and swapped in whole.

    The loader lists `source=*` folders, so the `.source=ID.*` staging and
    retired folders are never read.
    """

    def __init__(self, landing_root: Path, day: date, source_id: str) -> None:
        self.path = Path(landing_root) / f"date={day.isoformat()}" / f"source={source_id}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.path.parent.glob(f".{self.path.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from an attempt that was killed
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.tmp-", dir=self.path.parent))
        (self.staging / "raw").mkdir()
        self.fetches: list[dict] = []

    def log_fetch(self, row: dict, payload: bytes, extension: str) -> None:
        """Append a fetches.jsonl row and keep its payload as raw/<row number>-<sha256-12>.<ext>.gz."""
        self.fetches.append(row)
        if payload:
            digest = hashlib.sha256(payload).hexdigest()[:12]
            name = f"{len(self.fetches):04d}-{digest}.{extension}.gz"
            _write(self.staging / "raw" / name, gzip.compress(payload, mtime=0))

    def commit(self, records: list[dict], rejects: list[dict], manifest: dict) -> None:
        """Write the JSONL files, then the manifest, then swap the folder into place."""
        for name, rows in (("records.jsonl", records), ("rejects.jsonl", rejects), ("fetches.jsonl", self.fetches)):
            _write(self.staging / name, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        _write(self.staging / "_manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        retired = None
        if self.path.exists():
            retired = self.path.with_name(f".{self.path.name}.old-{uuid.uuid4().hex}")
            os.replace(self.path, retired)
        os.replace(self.staging, self.path)
        _fsync_directory(self.path.parent)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _write(path: Path, data: bytes | str) -> None:
    """Write and fsync; text is UTF-8 (a lone surrogate, which UTF-8 cannot hold, becomes "?")."""
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fetch_row(source_id: str, result: FetchResult, *, items: int | None, error: tuple[str, str] | None) -> dict:
    """A fetches.jsonl row; `items` is null for article pages, `error` overrides the fetch's own."""
    error_class, error_message = error or (result.error_class, result.error_message)
    return {
        "source_id": source_id,
        "url": result.url,
        "status": "error" if error_class else "ok",
        "http_status": result.http_status,
        "bytes": len(result.content),
        "items": items,
        "duration_ms": round(result.elapsed_ms, 1),
        "error_class": error_class,
        "error_message": error_message,
        "fetched_at": utc_timestamp(result.fetched_at),
    }


class _SourceRun:
    """The records, rejects and fetch outcomes of one source for one date."""

    def __init__(self, source: Source, fetcher: Fetcher, partition: LandingPartition) -> None:
        self.source = source
        self.fetcher = fetcher
        self.partition = partition
        self.builder = RecordBuilder(source)
        self.records: list[dict] = []
        self.rejects: list[dict] = []
        self.feed_errors: list[str] = []
        self.pages_ok = 0
        self.pages_failed = 0

    def extract_feed(self, feed: Feed, feed_url: str) -> None:
        result = self.fetcher.get(feed_url)
        items, error = None, None
        if result.ok:
            try:
                parsed = parse_feed(result.content, kind=feed.kind, headers=result.headers, url=result.final_url)
            except FeedError as exc:
                error = (type(exc).__name__, str(exc))
            else:
                items = len(parsed.entries)
                if parsed.warning:
                    log.warning("%s: %s", feed_url, parsed.warning)
                self._build_records(parsed, feed, feed_url, utc_timestamp(result.fetched_at))
        row = _fetch_row(self.source.id, result, items=items, error=error)
        self.partition.log_fetch(row, result.content, FEED_EXTENSIONS.get(feed.kind, "xml"))
        if row["status"] == "error":
            self.feed_errors.append(f"{feed_url}: {row['error_class']}: {row['error_message']}")
            log.warning("feed failed: %s", self.feed_errors[-1])

    def _build_records(self, parsed: ParsedFeed, feed: Feed, feed_url: str, fetched_at: str) -> None:
        for entry in parsed.entries:
            try:
                record = self.builder.build(
                    entry,
                    feed_url=feed_url,
                    feed_language=parsed.language,
                    category=feed.category,
                    fetched_at=fetched_at,
                )
            except ItemRejected as rejected:
                self.rejects.append(rejected.row(self.source.id, feed_url))
            else:
                self.records.append(record)

    def complete_from_page(self, record: dict) -> dict:
        """`record` with the fields its feed left empty filled from the article page."""
        if all(record[name] is not None for name in PAGE_FIELDS):
            return record
        result = self.fetcher.get(record["url"])
        error, page = None, None
        if result.ok:
            try:
                page = read_page(result.content, url=result.final_url, headers=result.headers)
            except PageError as exc:
                error = (type(exc).__name__, str(exc))
        row = _fetch_row(self.source.id, result, items=None, error=error)
        self.partition.log_fetch(row, result.content, "html")
        if page is None:
            self.pages_failed += 1
            return record
        self.pages_ok += 1
        return fill_from_page(record, page, page_url=result.final_url)


def extract_source(
    source: Source, day: date, landing_root: Path, *, session: requests.Session | None = None
) -> dict:
    """Fetch, parse and land one source for `day`; returns the partition's manifest.

    Raises ExtractError only when every feed failed, after writing the
    partition, so the fetch log and raw payloads are kept.
    """
    started = time.monotonic()
    fetcher = Fetcher(session or make_session(), allow_private=source.local)
    partition = LandingPartition(landing_root, day, source.id)
    try:
        run = _SourceRun(source, fetcher, partition)
        for feed in source.feeds:
            run.extract_feed(feed, feed.url_for(day))
        if source.fetch_pages:
            run.records = [run.complete_from_page(record) for record in run.records]
        manifest = {
            "source_id": source.id,
            "date": day.isoformat(),
            "feeds_ok": len(source.feeds) - len(run.feed_errors),
            "feeds_failed": len(run.feed_errors),
            "pages_ok": run.pages_ok,
            "pages_failed": run.pages_failed,
            "records": len(run.records),
            "rejects": len(run.rejects),
            "bytes": sum(row["bytes"] for row in partition.fetches),
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        partition.commit(run.records, run.rejects, manifest)
    except BaseException:
        partition.discard()
        raise
    finally:
        if session is None:
            fetcher.session.close()
    log.info("extracted %s for %s: %s", source.id, day, manifest)
    if manifest["feeds_ok"] == 0:
        raise ExtractError(
            f"source {source.id!r}: all {len(source.feeds)} feeds failed for {day}: " + "; ".join(run.feed_errors)
        )
    return manifest
