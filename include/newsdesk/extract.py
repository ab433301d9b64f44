"""Extract one source for one date into its landing partition, or replay one from it.

`extract_source` fetches every feed of the source (and, where the registry
says so, each article page), turns the items into article records and writes
`landing/date=D/source=ID/` as docs/architecture.md lays it out. Feeds and
pages are fetched by a few threads at once, within the fetcher's per-host
limits; parsing and record building then go in registry order, so a rerun
gives the same files. Everything is written into a hidden sibling folder and
swapped in at the end, so readers see either the previous attempt or this
one, whole. A failing feed or page is logged in fetches.jsonl and the rest
goes on. Never touches DuckDB.

`replay_source` runs the same code on the raw payloads a partition already
holds instead of the network, so a parser fix can be applied to past dates.
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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from newsdesk.fetch import Fetcher, FetchResult, FetchSettings, Validators
from newsdesk.normalize import PAGE_FIELDS, RecordBuilder, fill_from_page, utc_timestamp
from newsdesk.pages import PageError, read_page
from newsdesk.parse import FeedError, ParsedFeed, parse_feed
from newsdesk.registry import Feed, Source

log = logging.getLogger(__name__)

FEED_EXTENSIONS = {"jsonfeed": "json"}  # any other feed kind is XML
FETCH_THREADS = 8  # per source; the fetcher's per-host limit still applies


class ExtractError(RuntimeError):
    """Every feed of a source failed; its partition still holds the fetch log and raw payloads."""


class ReplayError(RuntimeError):
    """A partition cannot be replayed: it is missing or holds no fetch log."""


class PageFetcher(Protocol):
    def get(self, url: str, validators: Validators | None = None) -> FetchResult: ...


# ---- the landing partition ------------------------------------------------------


class LandingPartition:
    """One source's folder for one date, built in a hidden sibling and swapped in whole.

    The loader lists `source=*` folders, so the `.source=ID.*` staging and
    retired folders are never read.
    """

    def __init__(self, landing_root: Path, day: date, source_id: str) -> None:
        self.path = partition_path(landing_root, day, source_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in self.path.parent.glob(f".{self.path.name}.*"):
            shutil.rmtree(leftover, ignore_errors=True)  # from an attempt that was killed
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.tmp-", dir=self.path.parent))
        (self.staging / "raw").mkdir()
        self.fetches: list[dict] = []

    def log_fetch(self, row: dict, payload: bytes, extension: str) -> None:
        """Append a fetches.jsonl row and keep its payload as raw/<row number>-<sha256-12>.<ext>.gz."""
        row["payload_file"] = None
        if payload:
            digest = hashlib.sha256(payload).hexdigest()[:12]
            row["payload_file"] = f"raw/{len(self.fetches) + 1:04d}-{digest}.{extension}.gz"
            _write(self.staging / row["payload_file"], gzip.compress(payload, mtime=0))
        self.fetches.append(row)

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


def partition_path(landing_root: Path, day: date, source_id: str) -> Path:
    return Path(landing_root) / f"date={day.isoformat()}" / f"source={source_id}"


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


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---- conditional GET state --------------------------------------------------------


class ValidatorStore:
    """ETag / Last-Modified per feed URL of one source, kept between runs in a JSON file.

    Validators are sent only for a date later than the one they were stored
    for: a rerun or backfill of a date must see the feed's items again, since
    it replaces that date's partition, while the next day's run may rightly be
    told "not modified" and parse nothing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                self._entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable validator store %s: %s", path, exc)

    def for_day(self, url: str, day: date) -> Validators | None:
        entry = self._entries.get(url)
        if not entry or entry.get("date", "") >= day.isoformat():
            return None
        return Validators(etag=entry.get("etag"), last_modified=entry.get("last_modified"))

    def remember(self, url: str, day: date, validators: Validators) -> None:
        """Keep `validators` for `url`, unless a later date's are kept (a backfill must not
        make the next rerun of that later date skip its items)."""
        if self._entries.get(url, {}).get("date", "") > day.isoformat():
            return
        if validators.etag or validators.last_modified:
            self._entries[url] = {
                "etag": validators.etag,
                "last_modified": validators.last_modified,
                "date": day.isoformat(),
            }

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}")
        _write(staging, json.dumps(self._entries, indent=2, sort_keys=True))
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

    def __init__(self, source: Source, partition: LandingPartition) -> None:
        self.source = source
        self.partition = partition
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
                parsed = parse_feed(result.content, kind=feed.kind, headers=result.headers, url=result.final_url)
            except FeedError as exc:
                error = (type(exc).__name__, str(exc))
            else:
                items = len(parsed.entries)
                self.items += items
                if parsed.warning:
                    log.warning("%s: %s", fetched.url, parsed.warning)
                self._build_records(parsed, feed, fetched.url, utc_timestamp(result.fetched_at))
        row = _fetch_row(self.source.id, result, kind="feed", feed=feed, items=items, error=error)
        self.partition.log_fetch(row, result.content, FEED_EXTENSIONS.get(feed.kind, "xml"))
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
        self.partition.log_fetch(row, result.content, "html")
        if page is None:
            self.pages_failed += 1
            return record
        self.pages_ok += 1
        return fill_from_page(record, page, page_url=result.final_url)

    def manifest(self, day: date, started: float) -> dict:
        feeds = len(self.source.feeds)
        return {
            "source_id": self.source.id,
            "date": day.isoformat(),
            "feeds_ok": feeds - len(self.feed_errors),
            "feeds_failed": len(self.feed_errors),
            "feeds_not_modified": self.feeds_not_modified,
            "pages_ok": self.pages_ok,
            "pages_failed": self.pages_failed,
            "items": self.items,
            "records": len(self.records),
            "rejects": len(self.rejects),
            "bytes": sum(row["bytes"] for row in self.partition.fetches),
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "feed_errors": self.feed_errors,
        }


def _needs_page(record: dict) -> bool:
    return any(record[name] is None for name in PAGE_FIELDS)


def _extract(
    source: Source,
    day: date,
    landing_root: Path,
    fetcher: PageFetcher,
    validators_for: Callable[[str], Validators | None],
) -> tuple[dict, list[_FeedFetch]]:
    """Fetch (or replay), parse and land one source; the manifest and the feeds that were parsed."""
    started = time.monotonic()
    partition = LandingPartition(landing_root, day, source.id)
    try:
        run = _SourceRun(source, partition)
        urls = [feed.url_for(day) for feed in source.feeds]
        with ThreadPoolExecutor(max_workers=FETCH_THREADS, thread_name_prefix=f"fetch-{source.id}") as pool:
            results = pool.map(lambda url: fetcher.get(url, validators_for(url)), urls)
            fetched = [_FeedFetch(feed, url, result) for feed, url, result in zip(source.feeds, urls, results)]
            parsed = [feed_fetch for feed_fetch in fetched if run.take_feed(feed_fetch)]
            if source.fetch_pages:
                pages = pool.map(lambda r: fetcher.get(r["url"]) if _needs_page(r) else None, run.records)
                run.records = [run.take_page(record, page) for record, page in zip(run.records, pages)]
        manifest = run.manifest(day, started)
        partition.commit(run.records, run.rejects, manifest)
    except BaseException:
        partition.discard()
        raise
    log.info("landed %s for %s: %s", source.id, day, {k: v for k, v in manifest.items() if k != "feed_errors"})
    return manifest, parsed


def _raise_if_all_feeds_failed(source: Source, day: date, manifest: dict) -> None:
    if source.feeds and manifest["feeds_ok"] == 0:
        raise ExtractError(
            f"source {source.id!r}: all {len(source.feeds)} feeds failed for {day}: "
            + "; ".join(manifest["feed_errors"])
        )


def extract_source(
    source: Source,
    day: date,
    landing_root: Path,
    *,
    settings: FetchSettings | None = None,
    state_dir: Path | None = None,
) -> dict:
    """Fetch, parse and land one source for `day`; returns the partition's manifest.

    With `state_dir`, feeds are fetched conditionally from the validators of
    an earlier date's fetch (`ValidatorStore`), and a 304 costs no parse.
    Raises ExtractError only when every feed failed, after writing the
    partition, so the fetch log and raw payloads are kept.
    """
    store = ValidatorStore(state_dir / f"{source.id}.json" if state_dir else None)
    with Fetcher(settings or FetchSettings(), local=source.local) as fetcher:
        manifest, parsed = _extract(source, day, landing_root, fetcher, lambda url: store.for_day(url, day))
    for feed_fetch in parsed:  # a feed that failed to parse must be fetched whole again next time
        store.remember(feed_fetch.url, day, feed_fetch.result.validators)
    store.save()
    _raise_if_all_feeds_failed(source, day, manifest)
    return manifest


# ---- replay ---------------------------------------------------------------------------


class LandedFetches:
    """A partition's recorded fetches served as fetch results: the network, replayed.

    A fetch that returned a body with a 2xx status is served as a success
    even if its parse failed then, so a fixed parser gets another go at it.
    A URL the partition never fetched comes back as an error.
    """

    def __init__(self, path: Path) -> None:
        if not (path / "_manifest.json").exists():
            raise ReplayError(f"no complete landing partition at {path}")
        if not (path / "fetches.jsonl").exists():
            raise ReplayError(f"{path} has no fetches.jsonl, so its payloads cannot be matched to their URLs")
        rows = read_jsonl(path / "fetches.jsonl")
        self._path = path
        self._rows = {row["url"]: row for row in rows}  # a URL fetched twice: the last answer

    def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        row = self._rows.get(url)
        if row is None:
            return FetchResult(
                url=url, final_url=url, http_status=None, headers={}, content=b"", elapsed_ms=0.0,
                fetched_at=datetime.now(UTC), error_class="NotInLanding",
                error_message=f"{url} was not fetched in the landed run being replayed",
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


def replay_source(source: Source, day: date, landing_root: Path) -> dict:
    """Rebuild a landed partition's records from its raw payloads, without the network.

    The partition is replaced whole, as by an extract; returns the new manifest.
    """
    landed = LandedFetches(partition_path(landing_root, day, source.id))
    manifest, _ = _extract(source, day, landing_root, landed, lambda url: None)
    return manifest
