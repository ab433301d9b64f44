"""Turn what feeds and pages say into article records (see docs/architecture.md).

Value rules, one function each: plain text from HTML, canonical URLs, UTC
timestamps, ISO 639-1 language codes, the content hash, and bytes to Unicode.
`RecordBuilder` applies them to parsed feed entries and enforces the item
rules of one source-run (title and link required, first copy of an item wins).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import charset_normalizer
import lxml.html
from lxml import etree

if TYPE_CHECKING:
    from newsdesk.pages import PageInfo
    from newsdesk.parse import FeedEntry
    from newsdesk.registry import Source

ARTICLE_FIELDS = (
    "source_id",
    "feed_url",
    "url",
    "guid",
    "title",
    "summary",
    "body",
    "author",
    "published_at",
    "updated_at",
    "language",
    "category",
    "image_url",
    "fetched_at",
    "content_hash",
)

# ---- URLs -------------------------------------------------------------------

DEFAULT_PORTS = {"http": 80, "https": 443}
# Click and campaign identifiers that never change which article a URL names.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "ocid", "cmpid", "ncid", "xtor", "smid", "at_medium", "at_campaign",
    }
)  # fmt: skip


def _is_tracking(param: str) -> bool:
    name = unquote_plus(param.split("=", 1)[0]).lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def absolute_url(value: str | None, base: str | None = None) -> str | None:
    """`value` resolved against `base`, if the result is an http(s) URL with a host."""
    if not value or not str(value).strip():
        return None
    url = urljoin(base, str(value).strip()) if base else str(value).strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in DEFAULT_PORTS and parts.hostname else None


def canonical_url(value: str | None, base: str | None = None) -> str | None:
    """The article URL without tracking parameters, fragment, credentials or default port.

    Scheme and host are lower-cased; path and the remaining query are kept byte
    for byte. Returns None for anything that is not an http(s) URL with a host.
    """
    url = absolute_url(value, base)
    if url is None:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


# ---- text -------------------------------------------------------------------

_MARKUP = re.compile(r"<[a-zA-Z!/?]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# C0/C1 controls, lone surrogates and non-characters: invalid in XML, HTML and UTF-8 output.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DROPPED_ELEMENTS = ("script", "style", "noscript", "template", "head", "svg")
_BLOCK_ELEMENTS = (
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "table", "tr", "section", "article", "header", "footer", "aside",
    "figure", "figcaption", "hr", "address", "main", "nav",
)  # fmt: skip
_HTML_PARSER = lxml.html.HTMLParser(no_network=True)


def _html_to_text(markup: str) -> str:
    """Text content of HTML: scripts, styles and <head> dropped, blocks on their own lines."""
    root = etree.fromstring(markup, parser=_HTML_PARSER)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROPPED_ELEMENTS, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in root.iter(*_BLOCK_ELEMENTS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for cell in root.iter("td", "th"):
        cell.tail = " " + (cell.tail or "")
    return root.text_content()


def clean_text(value: object, *, keep_paragraphs: bool = False) -> str | None:
    """Plain NFC text: markup and entities resolved, scripts dropped, whitespace collapsed.

    With keep_paragraphs, line breaks between blocks survive (one per break);
    otherwise the result is a single line. Empty results become None.
    """
    if value is None:
        return None
    text = _CONTROL_CHARS.sub("", str(value))
    if _MARKUP.search(text):
        text = _html_to_text(text)
    text = unicodedata.normalize("NFC", text)
    if keep_paragraphs:
        lines = (" ".join(line.split()) for line in text.splitlines())
        text = "\n".join(line for line in lines if line)
    else:
        text = " ".join(text.split())
    return text or None


def content_hash(title: str | None, summary: str | None, body: str | None) -> str:
    """sha256 hex of title, summary and body joined by newlines, nulls as empty."""
    joined = "\n".join(part or "" for part in (title, summary, body))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def language_code(value: object) -> str | None:
    """ISO 639-1 code of a language tag ("nl-NL" -> "nl"); None if it has none."""
    if not value:
        return None
    primary = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


# ---- dates ------------------------------------------------------------------


def _parse_date_text(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, time.struct_time):
        try:
            return datetime(*value[:5], min(value.tm_sec, 59), tzinfo=UTC)
        except (ValueError, OverflowError):
            return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return _parse_date_text(value)
    return None


def utc_timestamp(value: object) -> str | None:
    """ISO 8601 UTC `YYYY-MM-DDTHH:MM:SSZ` of a struct_time (UTC), datetime or date text.

    Date text is ISO 8601 or RFC 822; a value without a zone is taken as UTC.
    Impossible or unreadable dates (Feb 30, month 13) give None.
    """
    moment = _as_datetime(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        return None
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


# ---- bytes to Unicode -------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels servers use for a wider encoding (as in the WHATWG Encoding Standard).
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030"}


def charset_from_content_type(value: str | None) -> str | None:
    """The charset parameter of a Content-Type header value."""
    if not value:
        return None
    message = Message()
    message["content-type"] = value
    return message.get_content_charset()


def _codec_names(labels: Iterable[str | None]) -> list[str]:
    names: list[str] = []
    for label in labels:
        try:
            name = codecs.lookup(label.strip()).name if label else None
        except LookupError:
            continue
        for candidate in (_SUPERSETS.get(name), name):
            if candidate and candidate not in names:
                names.append(candidate)
    return names


# The encodings the WHATWG Encoding Standard allows on the web, as Python codecs;
# detection among all of Python's codecs picks DOS code pages for short texts.
WEB_ENCODINGS = (
    "utf_8", "utf_16_be", "utf_16_le", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gb18030", "big5", "euc_jp", "iso2022_jp",
    "shift_jis", "euc_kr",
)  # fmt: skip


def _guess_encoding(payload: bytes) -> str:
    """charset_normalizer's pick among web encodings; among equally clean candidates prefer
    windows-1252, the web's default for unlabelled Western text (short texts fool the detector)."""
    matches = charset_normalizer.from_bytes(payload, cp_isolation=list(WEB_ENCODINGS))
    best = matches.best()
    if best is None:
        return "cp1252"
    if any("cp1252" in match.could_be_from_charset for match in matches if match.chaos <= best.chaos):
        return "cp1252"
    return best.encoding


def decode_text(payload: bytes, declared: Iterable[str | None] = ()) -> tuple[str, str]:
    """Decode `payload`, returning (text, encoding used).

    Order: a byte-order mark; a declared UTF-16/32; valid UTF-8 (declarations
    of single-byte charsets on UTF-8 bytes are a common server mistake and
    UTF-8 does not validate by accident); the declared charsets in order
    (HTTP header first); finally detection with charset_normalizer.
    """
    for bom, encoding in _BOMS:
        if payload.startswith(bom):
            return payload.decode(encoding, errors="replace"), encoding
    names = _codec_names(declared)
    candidates = [name for name in names if name.startswith(("utf-16", "utf-32"))]
    if b"\x00" not in payload:
        candidates.append("utf-8")
    candidates += names
    for encoding in candidates:
        try:
            return payload.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    encoding = _guess_encoding(payload)
    return payload.decode(encoding, errors="replace"), encoding


# ---- records ----------------------------------------------------------------


class ItemRejected(Exception):
    """A feed item that does not become a record, with the reason it is logged under."""

    def __init__(self, reason: str, detail: str, item_ref: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.item_ref = item_ref

    def row(self, source_id: str, feed_url: str) -> dict:
        """The item's line in rejects.jsonl."""
        return {
            "source_id": source_id,
            "feed_url": feed_url,
            "item_ref": self.item_ref,
            "reason": self.reason,
            "detail": self.detail,
        }


class RecordBuilder:
    """Builds the article records of one source-run from its feeds' entries.

    Remembers every canonical URL and guid it has accepted, so an item seen
    again later in the run (same feed or another feed of the source) is
    rejected as a duplicate and the first copy is kept.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        self._first_seen: dict[tuple[str, str], str] = {}

    def build(
        self,
        entry: FeedEntry,
        *,
        feed_url: str,
        feed_language: str | None,
        category: str | None,
        fetched_at: str,
    ) -> dict:
        """The record for `entry`; raises ItemRejected for an item that cannot be one."""
        item_ref = (entry.guid or "").strip() or (entry.link or "").strip() or f"position {entry.position}"
        title = clean_text(entry.title)
        if not title:
            raise ItemRejected("missing title", f"item at position {entry.position} has no title", item_ref)
        url = canonical_url(entry.link, base=feed_url)
        if url is None:
            found = f"link {entry.link.strip()!r} is not an http(s) URL" if (entry.link or "").strip() else "no link"
            raise ItemRejected("missing link", f"{found} (title: {title[:80]!r})", item_ref)
        guid = (entry.guid or "").strip() or None
        keys = [("url", url)] + ([("guid", guid)] if guid else [])
        for kind, key in keys:
            if (kind, key) in self._first_seen:
                first = self._first_seen[(kind, key)]
                raise ItemRejected("duplicate item", f"same {kind} as the earlier item {first}", item_ref)
        for kind_key in keys:
            self._first_seen[kind_key] = f"{item_ref} in {feed_url}"
        summary = clean_text(entry.summary)
        body = clean_text(entry.body, keep_paragraphs=True)
        published = utc_timestamp(entry.published)
        updated = utc_timestamp(entry.updated)
        record = {
            "source_id": self.source.id,
            "feed_url": feed_url,
            "url": url,
            "guid": guid,
            "title": title,
            "summary": summary,
            "body": body,
            "author": clean_text(entry.author),
            # RSS 1.0 dc:date and Atom's <updated> are often an item's only date.
            "published_at": published or updated,
            "updated_at": updated,
            "language": language_code(entry.language) or feed_language or self.source.language,
            "category": clean_text(entry.category) or category,
            "image_url": absolute_url(entry.image_url, base=feed_url),
            "fetched_at": fetched_at,
            "content_hash": content_hash(title, summary, body),
        }
        return record


PAGE_FIELDS = ("body", "author", "image_url", "published_at", "updated_at")


def fill_from_page(record: dict, page: PageInfo, *, page_url: str) -> dict:
    """`record` with its missing page fields taken from the article page; hash recomputed."""
    found = {
        "body": clean_text(page.body, keep_paragraphs=True),
        "author": clean_text(page.author),
        "image_url": absolute_url(page.image_url, base=page_url),
        "published_at": utc_timestamp(page.published),
        "updated_at": utc_timestamp(page.updated),
    }
    filled = dict(record)
    for field in PAGE_FIELDS:
        if filled[field] is None:
            filled[field] = found[field]
    filled["content_hash"] = content_hash(filled["title"], filled["summary"], filled["body"])
    return filled
