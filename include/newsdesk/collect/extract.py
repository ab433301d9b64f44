"""Extract one source for one date into a new landing attempt, or replay a date's attempts.

`extract_source` fetches every feed of the source (and, where the registry
says so, each article page), turns the items into article records and adds
one attempt to `landing/date=D/source=ID/` (the layout: newsdesk.collect.landing).
Feeds and pages are fetched by a few threads at once, within the fetcher's
per-host limits; parsing and record building then go in registry order. A
failing feed or page is logged in fetches.jsonl and the rest goes on. Never
touches DuckDB. Earlier attempts are never touched: what a fetch that failed
or a feed that moved on did not give is still in them.

`replay_source` runs the same code on the raw payloads each attempt holds
instead of the network, so a parser fix can be applied to past dates.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from newsdesk.collect import landing
from newsdesk.collect.fetch import Fetcher, FetchResult, FetchSettings, Validators
from newsdesk.collect.landing import AttemptWriter, read_jsonl
from newsdesk.collect.normalize import utc_timestamp
from newsdesk.collect.pages import PageError, read_page
from newsdesk.collect.parse import FeedError, ParsedFeed, parse_feed
from newsdesk.collect.records import ARTICLE_COLUMNS, RecordBuilder, needs_page
from newsdesk.collect.registry import Feed, Source

log = logging.getLogger(__name__)

FEED_EXTENSIONS = {"jsonfeed": "json"}  # any other feed kind is XML
FETCH_THREADS = 8  # per source; the fetcher's per-host limit still applies

__all__ = ["ExtractError", "ReplayError", "extract_source", "read_jsonl", "replay_source"]


class ExtractError(RuntimeError):
    """Every feed of a source failed; its attempt (`manifest`) still holds the fetch log and raw payloads."""

    def __init__(self, message: str, manifest: dict) -> None:
        super().__init__(message)
        self.manifest = manifest


class ReplayError(RuntimeError):
    """A date cannot be replayed: nothing landed, or an attempt holds no fetch log."""


class PageFetcher(Protocol):
    def get(self, url: str, validators: Validators | None = None) -> FetchResult: ...


# ---- one attempt's files --------------------------------------------------------------


class _AttemptFiles:
    """The raw payloads and JSONL files of one attempt, written through an AttemptWriter."""

    def __init__(self, writer: AttemptWriter) -> None:
        self.writer = writer
        self.fetches: list[dict] = []

    def log_fetch(self, row: dict, payload: bytes, extension: str) -> None:
        """Append a fetches.jsonl row and keep its payload as raw/<row number>-<sha256-12>.<ext>.gz."""
        row["payload_file"] = None
        if payload:
            digest = hashlib.sha256(payload).hexdigest()[:12]
            row["payload_file"] = f"{landing.RAW_DIR}/{len(self.fetches) + 1:04d}-{digest}.{extension}.gz"
            self.writer.write(row["payload_file"], gzip.compress(payload, mtime=0))
        self.fetches.append(row)

    def commit(self, records: list[dict], rejects: list[dict], manifest: dict) -> None:
        """Write the JSONL files and the records as Parquet, then the manifest, then rename the attempt into place."""
        for name, rows in ((landing.RECORDS, records), (landing.REJECTS, rejects), (landing.FETCHES, self.fetches)):
            self.writer.write(name, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
        self.writer.write_typed_parquet(landing.RECORDS, landing.RECORDS_PARQUET, ARTICLE_COLUMNS)
        self.writer.write(landing.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        self.writer.commit()


# ---- conditional GET state --------------------------------------------------------


class ValidatorStore:
    """ETag / Last-Modified per feed URL of one source, kept between runs in a JSON file.

    The latest fetch's validators are sent whatever date a run is for: a feed
    that has not changed since then holds nothing that is not already in an
    attempt of some date, and every attempt is kept.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                self._entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable validator store %s: %s", path, exc)

    def get(self, url: str) -> Validators | None:
        entry = self._entries.get(url)
        if not entry:
            return None
        return Validators(etag=entry.get("etag"), last_modified=entry.get("last_modified"))

    def remember(self, url: str, validators: Validators) -> None:
        if validators.etag or validators.last_modified:
            self._entries[url] = {"etag": validators.etag, "last_modified": validators.last_modified}
        else:
            self._entries.pop(url, None)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}")
        landing.write_durably(staging, json.dumps(self._entries, indent=2, sort_keys=True))
        os.replace(staging, self.path)


# ---- one source-run -----------------------------------------------------------------


def _fetch_row(
    source_id: str,
    result: FetchResult,
    *,
    kind: str,
    feed: Feed | None,
    items: int | None,
    error: tuple[str, str] | None,
) -> dict:
    """A fetches.jsonl row; `items` is null for article pages, `error` overrides the fetch's own."""
    error_class, error_message = error or (result.error_class, result.error_message)
    status = "error" if error_class else "not_modified" if result.not_modified else "ok"
    return {
        "source_id": source_id,
        "kind": kind,
        "feed_kind": feed.kind if feed else None,
        "category": feed.category if feed else None,
        "url": result.url,
        "final_url": result.final_url,
        "status": status,
        "http_status": result.http_status,
        "content_type": result.headers.get("content-type"),
        "content_language": result.headers.get("content-language"),
        "etag": result.headers.get("etag"),
        "last_modified": result.headers.get("last-modified"),
        "bytes": len(result.content),
        "items": items,
        "duration_ms": round(result.elapsed_ms, 1),
        "error_class": error_class,
        "error_message": error_message,
        "fetched_at": utc_timestamp(result.fetched_at),
    }


@dataclass(frozen=True)
class _FeedFetch:
    feed: Feed
    url: str
    result: FetchResult


class _SourceRun:
    """The records, rejects and fetch outcomes of one source for one date."""

    def __init__(self, source: Source, files: _AttemptFiles) -> None:
        self.source = source
        self.files = files
        self.builder = RecordBuilder(source)
        self.records: list[dict] = []
        self.rejects: list[dict] = []
        self.items = 0
        self.feed_errors: list[str] = []
        self.feeds_not_modified = 0
        self.pages_ok = 0
        self.pages_failed = 0

    def take_feed(self, fetched: _FeedFetch) -> bool:
        """Parse one fetched feed into records; True when it was parsed (not for a 304 or an error)."""
        result, feed = fetched.result, fetched.feed
        items, error = None, None
        if result.not_modified:
            items = 0
            self.feeds_not_modified += 1
        elif result.ok:
            try:
                parsed = parse_feed(result.content, kind=feed.kind, headers=result.headers)
            except FeedError as exc:
                error = (type(exc).__name__, str(exc))
            else:
                items = len(parsed.entries)
                self.items += items
                if parsed.warning:
                    log.warning("%s: %s", fetched.url, parsed.warning)
                self._build_records(parsed, feed, fetched.url, utc_timestamp(result.fetched_at))
        row = _fetch_row(self.source.id, result, kind="feed", feed=feed, items=items, error=error)
        self.files.log_fetch(row, result.content, FEED_EXTENSIONS.get(feed.kind, "xml"))
        if row["status"] == "error":
            self.feed_errors.append(f"{fetched.url}: {row['error_class']}: {row['error_message']}")
            log.warning("feed failed: %s", self.feed_errors[-1])
        return items is not None and not result.not_modified

    def _build_records(self, parsed: ParsedFeed, feed: Feed, feed_url: str, fetched_at: str) -> None:
        records, rejects = self.builder.build_all(
            parsed.entries,
            feed_url=feed_url,
            feed_language=parsed.language,
            category=feed.category,
            fetched_at=fetched_at,
        )
        self.records += records
        self.rejects += rejects

    def take_page(self, record: dict, result: FetchResult | None) -> dict:
        """`record` with the fields its feed left empty filled from its fetched article page."""
        if result is None:
            return record
        error, page = None, None
        if result.ok:
            try:
                page = read_page(result.content, url=result.final_url, headers=result.headers)
            except PageError as exc:
                error = (type(exc).__name__, str(exc))
        row = _fetch_row(self.source.id, result, kind="page", feed=None, items=None, error=error)
        self.files.log_fetch(row, result.content, "html")
        if page is None:
            self.pages_failed += 1
            return record
        self.pages_ok += 1
        return self.builder.fill_from_page(record, page, page_url=result.final_url)

    def manifest(self, day: date, started: float, attempt: dict) -> dict:
        feeds = len(self.source.feeds)
        return {
            "source_id": self.source.id,
            "date": day.isoformat(),
            **attempt,
            "feeds_ok": feeds - len(self.feed_errors),
            "feeds_failed": len(self.feed_errors),
            "feeds_not_modified": self.feeds_not_modified,
            "pages_ok": self.pages_ok,
            "pages_failed": self.pages_failed,
            "items": self.items,
            "records": len(self.records),
            "rejects": len(self.rejects),
            "bytes": sum(row["bytes"] for row in self.files.fetches),
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "feed_errors": self.feed_errors,
        }


def _extract(
    source: Source,
    day: date,
    writer: AttemptWriter,
    fetcher: PageFetcher,
    validators_for: Callable[[str], Validators | None],
    attempt: dict,
) -> tuple[dict, list[_FeedFetch], list[dict]]:
    """Fetch (or replay), parse and land one attempt; its manifest, the feeds parsed and the records."""
    started = time.monotonic()
    files = _AttemptFiles(writer)
    try:
        run = _SourceRun(source, files)
        urls = [feed.url_for(day) for feed in source.feeds]
        with ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix=f"fetch-{source.id}") as pool:
            results = pool.map(lambda url: fetcher.get(url, validators_for(url)), urls)
            fetched = [_FeedFetch(feed, url, result) for feed, url, result in zip(source.feeds, urls, results)]
            parsed = [feed_fetch for feed_fetch in fetched if run.take_feed(feed_fetch)]
            if any(needs_page(record, source) for record in run.records):
                pages = pool.map(lambda r: fetcher.get(r["url"]) if needs_page(r, source) else None, run.records)
                run.records = [run.take_page(record, page) for record, page in zip(run.records, pages)]
        manifest = run.manifest(day, started, attempt)
        files.commit(run.records, run.rejects, manifest)
    except BaseException:
        writer.discard()
        raise
    log.info("landed %s for %s: %s", source.id, day, {k: v for k, v in manifest.items() if k != "feed_errors"})
    return manifest, parsed, run.records


def _raise_if_all_feeds_failed(source: Source, day: date, manifest: dict) -> None:
    if source.feeds and manifest["feeds_ok"] == 0:
        raise ExtractError(
            f"source {source.id!r}: all {len(source.feeds)} feeds failed for {day}: "
            + "; ".join(manifest["feed_errors"]),
            manifest,
        )


def extract_source(
    source: Source,
    day: date,
    landing_root: Path,
    *,
    settings: FetchSettings | None = None,
    state_dir: Path | None = None,
    run_id: str | None = None,
) -> dict:
    """Fetch, parse and land one new attempt of `source` for `day`; returns its manifest.

    With `state_dir`, feeds are fetched conditionally with the validators of
    the source's last fetch (`ValidatorStore`), and a 304 costs no parse.
    Raises ExtractError only when every feed failed, after writing the
    attempt, so the fetch log and raw payloads are kept.
    """
    store = ValidatorStore(state_dir / f"{source.id}.json" if state_dir else None)
    writer = AttemptWriter(landing_root, day, source.id)
    attempt = {"attempt_id": writer.attempt_id, "run_id": run_id, "started_at": utc_timestamp(datetime.now(UTC))}
    with Fetcher(settings or FetchSettings(), local=source.local) as fetcher:
        manifest, parsed, _ = _extract(source, day, writer, fetcher, store.get, attempt)
    for feed_fetch in parsed:  # a feed that failed to parse must be fetched whole again next time
        store.remember(feed_fetch.url, feed_fetch.result.validators)
    store.save()
    _raise_if_all_feeds_failed(source, day, manifest)
    return manifest


# ---- replay ---------------------------------------------------------------------------


class LandedFetches:
    """An attempt's recorded fetches served as fetch results: the network, replayed.

    A fetch that returned a body with a 2xx status is served as a success
    even if its parse failed then, so a fixed parser gets another go at it.
    A URL the attempt never fetched comes back as an error.
    """

    def __init__(self, attempt: landing.Attempt) -> None:
        path = attempt.path
        if not (path / landing.FETCHES).exists():
            raise ReplayError(f"{path} has no {landing.FETCHES}, so its payloads cannot be matched to their URLs")
        self._path = path
        self._rows = {row["url"]: row for row in read_jsonl(path / landing.FETCHES)}  # fetched twice: the last answer

    def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        row = self._rows.get(url)
        if row is None:
            return FetchResult(
                url=url,
                final_url=url,
                http_status=None,
                headers={},
                content=b"",
                elapsed_ms=0.0,
                fetched_at=datetime.now(UTC),
                error_class="NotInLanding",
                error_message=f"{url} was not fetched in the landed attempt being replayed",
            )
        content = b""
        if row.get("payload_file"):
            content = gzip.decompress((self._path / row["payload_file"]).read_bytes())
        status = row.get("http_status")
        served_ok = bool(content) and status is not None and 200 <= status < 300
        headers = {
            name: row[key]
            for name, key in (
                ("content-type", "content_type"),
                ("content-language", "content_language"),
                ("etag", "etag"),
                ("last-modified", "last_modified"),
            )
            if row.get(key)
        }
        return FetchResult(
            url=url,
            final_url=row.get("final_url") or url,
            http_status=status,
            headers=headers,
            content=content,
            elapsed_ms=row.get("duration_ms") or 0.0,
            fetched_at=datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00")),
            error_class=None if served_ok or status == 304 else row.get("error_class"),
            error_message=None if served_ok or status == 304 else row.get("error_message"),
        )


def replay_source(source: Source, day: date, landing_root: Path) -> list[dict]:
    """Rebuild the records of every attempt of `source` for `day` from its own raw payloads, without the network.

    Each attempt is rewritten in place, whole, keeping its id, run and start
    time; returns the new manifests, oldest attempt first.
    """
    landed = landing.attempts(landing_root, day, source.id)
    if not landed:
        raise ReplayError(f"nothing landed for {source.id!r} on {day} under {landing_root}")
    manifests = []
    for attempt in landed:
        recorded, fetches = attempt.manifest, LandedFetches(attempt)  # before the writer: it makes a folder
        writer = AttemptWriter(landing_root, day, source.id, attempt_id=attempt.attempt_id)
        meta = {
            "attempt_id": attempt.attempt_id,
            "run_id": recorded.get("run_id"),
            "started_at": recorded.get("started_at"),
        }
        manifest, _, _ = _extract(source, day, writer, fetches, lambda url: None, meta)
        manifests.append(manifest)
    return manifests
