"""The value rules of an article record (see docs/architecture.md), one function each.

Plain text from HTML, canonical URLs (tracking parameters and short links),
UTC timestamps, ISO 639-1 language codes (declared or detected), the content
hash, and bytes to Unicode. The parsers use them on what they read;
`newsdesk.collect.records` applies them to build records.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import mimetypes
import os
import pickle
import re
import time
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

import charset_normalizer
import lxml.html
from dateutil import parser as date_parser
from lxml import etree

from newsdesk import config

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier


# ---- URLs -------------------------------------------------------------------

DEFAULT_PORTS = {"http": 80, "https": 443}
# General link shorteners; a source's own (cnn.it) are in its registry entry.
SHORT_LINK_HOSTS = frozenset(
    {"bit.ly", "t.co", "ow.ly", "buff.ly", "dlvr.it", "trib.al", "tinyurl.com", "goo.gl", "is.gd", "lnkd.in"}
)  # fmt: skip


@functools.cache
def _clearurls_providers() -> tuple[tuple[re.Pattern, tuple[re.Pattern, ...], tuple[str, ...]], ...]:
    """(urlPattern, exceptions, parameter rules) of each ClearURLs provider with parameter rules.

    The rule set is the one the ClearURLs browser extension maintains, as the unalix-rev package
    ships it (its own additions included). Its `clear_url` is not used: importing it compiles every
    rule and sets up an HTTP client (0.5 s in every extract task), and it parses a URL once per
    provider (4 ms a URL).
    """
    spec = importlib.util.find_spec("unalix")  # finds the package's files without importing it
    folder = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "rulesets"
    providers = []
    for name in ("data.min.json", "unalix.json"):
        for provider in json.loads((folder / name).read_text(encoding="utf-8"))["providers"].values():
            rules = (*provider.get("rules", ()), *provider.get("referralMarketing", ()))
            if rules:
                exceptions = tuple(re.compile(e, re.IGNORECASE) for e in provider.get("exceptions", ()))
                providers.append((re.compile(provider["urlPattern"], re.IGNORECASE), exceptions, rules))
    return tuple(providers)


@functools.lru_cache(maxsize=4096)
def _tracking_pattern(origin: str) -> re.Pattern | None:
    """One pattern for the names of the query parameters the ClearURLs rules remove on `origin`
    (scheme://host), from the providers whose pattern, and none of whose exceptions, matches it.
    Exceptions for particular paths (login pages and the like) are left out this way."""
    address = origin + "/"
    rules = [
        rule
        for pattern, exceptions, provider_rules in _clearurls_providers()
        if pattern.match(address) and not any(exception.match(address) for exception in exceptions)
        for rule in provider_rules
    ]
    return re.compile("|".join(f"(?:{rule})" for rule in rules), re.IGNORECASE) if rules else None


def _without_tracking(query: str, origin: str, source_params: frozenset[str]) -> str:
    """`query` without the parameters the ClearURLs rules or the source's registry entry name."""
    if not query:
        return ""
    pattern = _tracking_pattern(origin)

    def is_tracking(name: str) -> bool:
        return unquote_plus(name).lower() in source_params or bool(pattern and pattern.fullmatch(name))

    return "&".join(param for param in query.split("&") if param and not is_tracking(param.split("=", 1)[0]))


def media_kind(url: str | None) -> str | None:
    """ "audio" or "video" when the URL's path names such a file (podcast episodes, clips), by its extension."""
    if not url:
        return None
    guessed, _ = mimetypes.guess_type(urlsplit(url).path)
    kind = (guessed or "").split("/", 1)[0]
    return kind if kind in ("audio", "video") else None


def is_short_link(url: str | None, prefixes: Iterable[str] = ()) -> bool:
    """Whether `url` is on a link shortener: a SHORT_LINK_HOSTS host or under one of the source's
    `short_links` prefixes ("cnn.it", or "127.0.0.1:8642/go/" for a shortener that is a path)."""
    if not url:
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    address = f"{parts.netloc.lower()}{parts.path}"
    return host in SHORT_LINK_HOSTS or any(
        address == prefix.rstrip("/")
        or address.startswith(prefix if prefix.endswith("/") else prefix + "/")
        or host == prefix
        for prefix in prefixes
    )


def absolute_url(value: str | None, base: str | None = None) -> str | None:
    """`value` resolved against `base`, if the result is an http(s) URL with a host."""
    if not value or not str(value).strip():
        return None
    url = str(value).strip()
    if base and not url.startswith(("http://", "https://")):  # urljoin keeps an absolute URL as it is
        url = urljoin(base, url)
    parts = urlsplit(url)
    return url if parts.scheme.lower() in DEFAULT_PORTS and parts.hostname else None


def canonical_url(value: str | None, base: str | None = None, tracking_params: Iterable[str] = ()) -> str | None:
    """The article URL without tracking parameters, fragment, credentials or default port.

    Tracking parameters are those the ClearURLs rules remove (as the
    unalix-rev package ships them: utm_*, fbclid, ref, ...) and `tracking_params`, a
    source's own (names, any case). Scheme and host are lower-cased; path and
    the remaining query are kept byte for byte. Returns None for anything that
    is not an http(s) URL with a host.
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
    query = _without_tracking(parts.query, f"{scheme}://{netloc}", frozenset(tracking_params))
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


# ---- language detection -----------------------------------------------------

# Used only when neither the item nor its feed declares a language, and trusted
# only above both thresholds; otherwise the registry's language stands.
#
# Thresholds measured on 6,137 item texts of known language: 4,000 items of 17
# English feeds (../shared/realdata/feeds-multi-publisher, without the four
# Philippine ones, which mix in Tagalog), 401 Dutch homepage teasers
# (realdata/dutch-homepages) and 1,736 sample-world items in nl, en and de
# (generate_world, 20 days of 30 stories); each text through detect_language
# and compared with its publisher's language. With 20 characters and 0.8
# confidence no answer was wrong and 98.5% of title + summary + body texts
# were detected (English 99.7%, Dutch teasers 79%, sample world 99.8-100%);
# titles alone: none wrong, 78% detected. Wrong answers came below 0.7
# confidence (a Dutch title read as Luxembourgish at 0.57) and from texts
# shorter than 20 characters ("Collignon", "Met Stef…").
#
# The model knows 140 labels, many without an ISO 639-1 code a record could
# hold (pcm, bcl, ...). Restricted to the ISO 639-1 ones, their share goes to
# the close language that has one: titles detected 65% -> 78%, and of the
# Philippine publishers' items 61 rather than 45 found Tagalog (tl). A short
# list of European languages was rejected: 99.7% detected, but it cannot say
# Tagalog: 371 of the 384 Philippine items, Tagalog ones included, came out English.
#
# Throughput on one core: about 3,000 texts of ~500 characters or 9,800 titles
# per second (the restriction costs 40%); RecordBuilder.build makes 16,600
# records/s with a declared language, 1,900/s when every record is detected.
# The model loads in about 1 s, once per process. Only the first 1,000
# characters are read: on 121 real article pages (realdata/article-pages,
# 4,900 characters on average) the answers were the same and 5 times faster.
MIN_DETECTION_CHARS = 20
MIN_DETECTION_CONFIDENCE = 0.8
DETECTION_SAMPLE_CHARS = 1000
# py3langid's class for numbers, codes and markup: kept, so such text is not forced into a language.
NOT_A_LANGUAGE = "zxx"


@functools.cache
def _language_identifier() -> LanguageIdentifier:
    """py3langid's model with probabilities in [0, 1], restricted to ISO 639-1 languages; loaded once.

    Unpacking the model (LZMA) takes 1.7 s, in every extract task, since every record's title is
    read; the restricted model is kept unpacked under NEWSDESK_HOME/cache (0.2 s to load).
    """
    cached = config.paths().cache / f"py3langid-{importlib.metadata.version('py3langid')}-iso639-1.pickle"
    try:
        with open(cached, "rb") as handle:
            return pickle.load(handle)  # written by this function, in Newsdesk's own home
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError):
        pass
    # Imported here: numpy and the model serve only language detection.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    iso_639_1 = [label for label in identifier.labels if language_code(label) == label]
    identifier.set_languages([*iso_639_1, NOT_A_LANGUAGE])
    with contextlib.suppress(OSError):  # a read-only home only costs the next task the unpacking
        cached.parent.mkdir(parents=True, exist_ok=True)
        staging = cached.with_name(f".{cached.name}.{os.getpid()}")
        staging.write_bytes(pickle.dumps(identifier, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(staging, cached)
    return identifier


def _classify(text: str | None) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of `text`; (None, 0) if it is too short or no language."""
    if not text or len(text) < MIN_DETECTION_CHARS:
        return None, 0.0
    language, confidence = _language_identifier().classify(text[:DETECTION_SAMPLE_CHARS])
    return language_code(language), confidence


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of the language of `text`; None if it is too short or the model unsure."""
    language, confidence = _classify(text)
    return language if confidence >= MIN_DETECTION_CONFIDENCE else None


# A declared language gives way to the text's only on this confidence. Measured on
# the 4,461 items of realdata/feeds-multi-publisher (`newsdesk bench fields`): of
# the 87 headlines with two or more Tagalog function words, 55 were labelled English
# when a declared language was trusted and the undeclared ones were read as title,
# summary and body together (GMA News declares en-us; its YouTube descriptions end
# in English boilerplate); with the title read first and this threshold, 1 is. The
# text overrode a declared language 11 times, each a Tagalog headline under en-us
# (read one by one), and on the sample world's titles (5 days) never.
OVERRIDE_CONFIDENCE = 0.9


def detect_item_language(
    title: str | None, summary: str | None, body: str | None, *, declared: str | None
) -> tuple[str | None, float]:
    """(language, confidence) of an item: its title's when the model is sure of it (and, below
    OVERRIDE_CONFIDENCE, it agrees with the declared language), else the surer of that and the
    answer for title and summary, or, when no language is declared, title, summary and body.

    The title goes first: it is written for the item alone, while summaries and bodies carry
    the feed's boilerplate, often in another language ("Subscribe to GMA News" under Tagalog
    headlines). A body is read only when nothing is declared: it costs ten times a title.
    """
    language, confidence = _classify(title)
    decided = confidence >= OVERRIDE_CONFIDENCE or (
        confidence >= MIN_DETECTION_CONFIDENCE and (declared is None or language == declared)
    )
    if language and decided:
        return language, confidence
    longer = _classify(" ".join(filter(None, (title, summary, None if declared else body))))
    return max((language, confidence), longer, key=lambda answer: answer[1])


# ---- dates ------------------------------------------------------------------

# Zone names that dates carry, in hours east of UTC. RFC 822's names keep their
# RFC 822 meaning: CST is US Central, not China Standard Time. BST is British
# Summer Time, not Bangladesh Standard Time. Ambiguous names are left out, so a
# date naming one is unreadable (None) rather than hours off: IST (India +5:30,
# Ireland +1, Israel +2), AST (Atlantic -4, Arabia +3), and RFC 822's military
# letters other than Z, whose signs RFC 822 got backwards (RFC 5322, 4.3);
# dateutil reads A and P after a time as a.m. and p.m.
_ZONE_HOURS = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "MEZ": 1, "MESZ": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "HKT": 8, "SGT": 8, "AWST": 8, "JST": 9, "KST": 9,
    "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
ZONE_OFFSETS = {name: round(hours * 3600) for name, hours in _ZONE_HOURS.items()}
# "GMT+2" means UTC+2 in feeds, but the POSIX UTC-2 to dateutil: keep only the offset.
_UTC_NAME_BEFORE_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)(?=[+-]\d)")
# Outside this window an article's date is a placeholder or a mistake: zero values
# (0001-01-01, 1899-12-30, the Unix epoch) predate news on the web, and a date more
# than a day after the fetch is beyond any clock or time-zone error of a publisher.
EARLIEST_ARTICLE_DATE = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_AFTER_FETCH = timedelta(days=1)


def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's tzinfos hook: seconds east of UTC of a date's zone, None if it gives none.

    Raises ValueError for a zone name not in ZONE_OFFSETS or contradicted by the
    numeric offset beside it ("-0500 (CET)").
    """
    if name is None:
        return offset
    named = ZONE_OFFSETS.get(name)
    if named is None or offset not in (None, named):
        raise ValueError(f"unknown or ambiguous time zone {name!r}")
    return named


def _parse_written_date(text: str) -> datetime | None:
    """RFC 822 and other written dates ("2 Nov 2026 08:15 CET"), if the text alone fixes the moment.

    dateutil completes what a text leaves out from a default date and guesses
    whether "02/11" is day-first; reading the text twice, with other defaults
    and the other guess, and requiring the same answer refuses both: "Nov 2026",
    "10:00" and "02/11/2026" give None, "13/11/2026" is read. Year-first dates
    are year-month-day everywhere, so they are never read day-first.
    """
    year_first = text[:4].isdigit()
    try:
        readings = {
            date_parser.parse(text, default=default, dayfirst=dayfirst, tzinfos=_zone_offset)
            for default, dayfirst in ((datetime(2001, 1, 1), False), (datetime(2002, 2, 2), not year_first))
        }
    except (ValueError, OverflowError):
        return None
    return readings.pop() if len(readings) == 1 else None


# RFC 822 dates with a numeric zone or GMT/UT, most feeds' dates, are read by the
# standard library ten times faster than by dateutil (which reads every text twice).
_RFC822_PLAIN_ZONE = re.compile(r"(?:[+-]\d{4}|\b(?:GMT|UT))$")


def _parse_date_text(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    text = _UTC_NAME_BEFORE_OFFSET.sub("", text)
    if _RFC822_PLAIN_ZONE.search(text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return _parse_written_date(text)


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


def utc_datetime(value: object) -> datetime | None:
    """The aware UTC datetime of a struct_time (UTC), datetime or date text; None if unreadable."""
    moment = _as_datetime(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def _iso_utc(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def utc_timestamp(value: object) -> str | None:
    """ISO 8601 UTC `YYYY-MM-DDTHH:MM:SSZ` of a struct_time (UTC), datetime or date text.

    Date text is ISO 8601, RFC 822 or another written date with its zone as an
    offset or a name from ZONE_OFFSETS; a value without a zone is taken as UTC,
    a date without a time as midnight.
    Impossible, incomplete, ambiguous or unreadable dates (Feb 30, month 13,
    "Nov 2026", "02/11/2026", an unknown zone name such as IST) give None.
    """
    moment = utc_datetime(value)
    return None if moment is None else _iso_utc(moment)


def article_timestamp(value: object, fetched_at: str) -> str | None:
    """utc_timestamp of an article's published or updated date, fetched at `fetched_at`.

    Also None for an implausible date: before EARLIEST_ARTICLE_DATE, or more
    than LATEST_AFTER_FETCH after the fetch.
    """
    moment = utc_datetime(value)
    latest = datetime.fromisoformat(fetched_at) + LATEST_AFTER_FETCH
    if moment is None or not EARLIEST_ARTICLE_DATE <= moment <= latest:
        return None
    return _iso_utc(moment)


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
