"""What format a payload is, judged from its content, and the article records in it.

`sniff_format` never looks at a file name or a Content-Type: markup is told by
its root element, JSON is taken for a JSON Feed, and plain text for an
aggregator page when it carries that page's markers. gzip is undone first,
with a cap against gzip bombs. `records_from_payload` then runs the existing
parser for the format and `records.RecordBuilder`, so a file obeys the same
item rules as a fetched feed. `parse_main` is the `newsdesk parse` command.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import string
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import trafilatura

from newsdesk.collect.aggregator import has_aggregator_markers, parse_aggregator_page
from newsdesk.collect.fetch import FetchSettings
from newsdesk.collect.normalize import absolute_url, decode_text, utc_timestamp
from newsdesk.collect.pages import PageError, read_page
from newsdesk.collect.parse import EmptyPayload, FeedEntry, FeedError, parse_feed
from newsdesk.collect.records import RecordBuilder
from newsdesk.collect.registry import Source

# The fetcher's body cap, so a file is held to what a fetch would be; also the cap once
# decompressed. `newsdesk parse --max-bytes` raises it for one run.
MAX_PAYLOAD_BYTES = FetchSettings.max_bytes
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# Root element (local name) -> parse_feed kind. Any other XML is "xml": parse_feed
# still screens it for hostile constructs, and feedparser has the last word.
FEED_KIND_BY_ROOT = {"rss": "rss", "RDF": "rdf", "feed": "atom", "urlset": "sitemap", "sitemapindex": "sitemap"}

_PROLOG_PART = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE)
_ROOT_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html\b", re.IGNORECASE)
# Byte-order marks as Latin-1 characters, and whitespace, ahead of the first markup.
_LEADING_NOISE = "\xef\xbb\xbf\xfe\xff" + string.whitespace


class UnrecognizedFormat(FeedError):
    """The content is no feed, article page or aggregator page."""


class CorruptGzip(FeedError):
    """The payload starts like gzip but does not decompress."""


class PayloadTooLarge(FeedError):
    """The payload, decompressed where it was gzip, exceeds MAX_PAYLOAD_BYTES."""


def sniff_format(payload: bytes) -> str:
    """The payload's format, with "+gzip" appended when it came compressed.

    One of rss, rdf, atom, jsonfeed, sitemap (news sitemap), html (article
    page), aggregator (aggregator text page) and xml (XML of no feed format;
    parse_feed screens it and refuses it with a reason).
    """
    content, suffix = _uncompressed(payload)
    return _content_format(content) + suffix


def decompress_gzip(payload: bytes, *, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """The decompressed payload; stops reading past `limit` bytes, so a gzip bomb costs no more than that."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            content = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptGzip(f"not readable as gzip: {exc}") from exc
    if len(content) > limit:
        raise PayloadTooLarge(f"more than {limit} bytes once decompressed")
    return content


def records_from_payload(
    payload: bytes,
    *,
    source_id: str,
    url: str | None,
    fetched_at: str | None = None,
    source: Source | None = None,
    max_bytes: int = MAX_PAYLOAD_BYTES,
) -> tuple[str, list[dict], list[dict]]:
    """(format name, article records, rejects rows) of a payload whose origin is only `url`.

    `url` is where the payload came from: the records' feed_url and the base of
    relative links (only http(s) bases resolve them; None leaves feed_url
    null). The format name is feedparser's version for RSS and Atom ("rss20",
    "rss092", "rss10", "atom10", "atom03"), else the sniffed format, plus
    "+gzip". The source is known by id only, so no registry value fills a
    field: language is the payload's own or what RecordBuilder detects in its
    text. `source`, a registry entry, replaces that: its language, category
    and per-source rules apply. An article page's record takes the page's own
    canonical address when it names one on its site (`feed_link` keeps `url`).
    `fetched_at` defaults to now. A payload over
    `max_bytes`, before or after gzip, is refused (PayloadTooLarge). Raises a FeedError or PageError
    subclass for a payload that cannot be read.
    """
    content, suffix = _uncompressed(payload, max_bytes)
    kind = _content_format(content)
    fetched_at = fetched_at or utc_timestamp(datetime.now(UTC))
    feed_language = None
    if kind == "aggregator":
        format_name, entries = kind, [parse_aggregator_page(decode_text(content)[0]).feed_entry(url)]
    elif kind == "html":
        format_name, entries = kind, [_article_page_entry(content, url)]
    else:
        parsed = parse_feed(content, kind="rss" if kind == "xml" else kind)
        format_name = kind if parsed.format == "unknown" else parsed.format
        entries, feed_language = list(parsed.entries), parsed.language
    builder = RecordBuilder(source or _unknown_source(source_id))
    records, rejects = builder.build_all(
        entries, feed_url=url, feed_language=feed_language, category=None, fetched_at=fetched_at
    )
    if kind == "html":  # the costly main-text extraction only for a page that makes a record
        records = [builder.fill_from_page(r, read_page(content, url=r["url"]), page_url=r["url"]) for r in records]
    return format_name + suffix, records, rejects


def parse_main(
    paths: Sequence[str],
    *,
    source_id: str | None,
    url: str | None,
    stdout: TextIO,
    stderr: TextIO,
    max_bytes: int = MAX_PAYLOAD_BYTES,
) -> int:
    """`newsdesk parse FILE... [--source-id ID] [--url URL] [--max-bytes N]`: article records as JSON Lines on stdout.

    The format of each file is guessed from its content. stdout holds only
    records, one JSON object per line. stderr gets one line per file that
    cannot be read, `newsdesk parse: FILE: ErrorClass: reason`, and one per
    rejected item, `newsdesk parse: FILE: rejected: ITEM: reason: detail`.
    The other files are still parsed. Exit status: 0 when every file
    was read, 1 when a file's content was refused, 2 when a file cannot be
    opened (or none is given).

    source_id defaults to the file name up to its first dot. Without --url a
    file's feed_url is its file:// URI; article URLs must be http(s), so items
    with links relative to the file are rejected as 'missing link' (give --url
    to resolve them), and so is an aggregator page, which has no link of its own.
    A file larger than `max_bytes` (default the fetcher's cap) is refused
    without reading more of it than that.
    """
    if not paths:
        print("newsdesk parse: no FILE given", file=stderr)
        return 2
    fetched_at = utc_timestamp(datetime.now(UTC))
    status = 0
    for name in paths:
        path = Path(name)
        try:
            with path.open("rb") as handle:
                payload = handle.read(max_bytes + 1)  # one byte more tells "too large"
        except OSError as exc:
            _report(stderr, name, type(exc).__name__, exc.strerror or str(exc))
            status = max(status, 2)
            continue
        try:
            _format, records, rejects = records_from_payload(
                payload,
                source_id=source_id or source_id_for_file(path),
                url=url or path.resolve().as_uri(),
                fetched_at=fetched_at,
                max_bytes=max_bytes,
            )
        except (FeedError, PageError) as exc:
            hint = " (--max-bytes raises the cap)" if isinstance(exc, PayloadTooLarge) else ""
            _report(stderr, name, type(exc).__name__, f"{exc}{hint}")
            status = max(status, 1)
            continue
        for record in records:
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        for reject in rejects:
            _report(stderr, name, "rejected", f"{reject['item_ref']}: {reject['reason']}: {reject['detail']}")
    return status


def source_id_for_file(path: Path) -> str:
    """A registry-style id from the file name up to its first dot ("BBC News.xml.gz" -> "bbc-news")."""
    stem = re.sub(r"[^a-z0-9_-]+", "-", path.name.split(".", 1)[0].lower()).strip("-_")
    return stem or "file"


def _report(stderr: TextIO, name: str, label: str, message: str) -> None:
    print(f"newsdesk parse: {name}: {label}: {' '.join(message.split())}", file=stderr)


# ---- sniffing ---------------------------------------------------------------


def _uncompressed(payload: bytes, limit: int = MAX_PAYLOAD_BYTES) -> tuple[bytes, str]:
    """(content, "+gzip" or ""); refuses payloads over `limit` bytes, before and after decompression."""
    if len(payload) > limit:
        raise PayloadTooLarge(f"more than {limit} bytes")
    if payload.startswith(GZIP_MAGIC):
        return decompress_gzip(payload, limit=limit), "+gzip"
    return payload, ""


def _content_format(content: bytes) -> str:
    if not content.strip():
        raise EmptyPayload("the payload is empty")
    head = _markup_head(content)
    if head.startswith("<"):
        return _markup_format(head)
    if head.startswith(("{", "[")):
        return "jsonfeed"  # parse_feed names what is missing when it is other JSON
    if has_aggregator_markers(decode_text(content)[0]):
        return "aggregator"
    raise UnrecognizedFormat(f"no feed, article page or aggregator page; the content starts {content[:24]!r}")


def _markup_head(content: bytes) -> str:
    """The first bytes, read well enough to see the markup.

    Markup is ASCII in every encoding feeds use: Latin-1 maps each byte to one
    character, and dropping NULs makes UTF-16 and UTF-32 legible as well.
    """
    return content[:SNIFF_BYTES].decode("latin-1").replace("\x00", "").lstrip(_LEADING_NOISE)


def _markup_format(head: str) -> str:
    position = 0
    while match := _PROLOG_PART.match(head, position):
        position = match.end()
    prolog, root = head[:position], _ROOT_TAG.match(head, position)
    # Entity declarations make it XML whatever the root: parse_feed refuses them.
    # A prolog too long for the head (a quadratic blowup) leaves no root found: XML too.
    if root is None or "<!ENTITY" in prolog:
        return "xml"
    local_name = root.group(1).rpartition(":")[2]
    if local_name in FEED_KIND_BY_ROOT:  # before the doctype: some feeds carry an XHTML one
        return FEED_KIND_BY_ROOT[local_name]
    return "html" if local_name.lower() == "html" or _HTML_DOCTYPE.search(prolog) else "xml"


# ---- records ----------------------------------------------------------------


def _unknown_source(source_id: str) -> Source:
    """A registry entry for a payload from outside the registry: only the id is known.

    Country, homepage and language stay None; a language would become every
    record's fallback language, which for a file would be a guess.
    """
    return Source(id=source_id, name=source_id, country=None, language=None, homepage=None)


def _article_page_entry(html: bytes, url: str | None) -> FeedEntry:
    """An article page as a feed entry: title, description and lang from its markup.

    The link is `url` when that is http(s), else the page's canonical link
    (a file's own address is no article URL).
    """
    tree = trafilatura.load_html(html)
    if tree is None:
        raise PageError("not readable as HTML")
    metadata = trafilatura.extract_metadata(tree)
    return FeedEntry(
        position=1,
        link=url if absolute_url(url) else metadata.url,
        title=metadata.title,
        summary=metadata.description,
        language=tree.get("lang") or tree.get("xml:lang"),
    )
