"""Feed payloads to entries: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, news sitemaps.

Every payload is decoded to Unicode first (`normalize.decode_text`), so a
wrong charset in the HTTP header or the XML declaration does not garble the
text, and XML is screened with defusedxml before any parser sees it: a
payload that declares entities (billion laughs, quadratic blowup, external
entities) is refused whole rather than parsed. Entries keep the feed's raw
values; `normalize` turns them into records.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_etree
import feedparser
from defusedxml import DefusedXmlException
from feedparser.namespaces.mediarss import Namespace as MediaRssNamespace

from newsdesk.collect.normalize import charset_from_content_type, decode_text, language_code, utc_datetime


class FeedError(ValueError):
    """The payload cannot be read as a feed; the class name is the logged error_class."""


class EmptyPayload(FeedError):
    """The response body is empty or whitespace."""


class HostileXML(FeedError):
    """The XML declares entities or external references, which are never expanded."""


class NotAFeed(FeedError):
    """The payload parses but is no feed of a known format."""


@dataclass(frozen=True)
class FeedEntry:
    """One item as the feed gives it: text may hold HTML, dates are struct_time (UTC) or text."""

    position: int
    link: str | None = None
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    author: str | None = None
    published: Any = None
    updated: Any = None
    language: str | None = None
    category: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    format: str
    encoding: str
    language: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")


def parse_feed(payload: bytes, *, kind: str = "rss", headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Entries of a feed payload of registry kind `kind` (rss, atom, rdf, jsonfeed, sitemap).

    `headers` are the HTTP response headers (their charset and language are
    used). Links stay as the feed writes them (xml:base applied); RecordBuilder
    resolves them against the feed's URL. Raises a FeedError subclass naming
    the reason a payload is refused.
    """
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    if not payload.strip():
        raise EmptyPayload("the response body is empty")
    declared = [charset_from_content_type(headers.get("content-type"))]
    if kind != "jsonfeed":
        match = _XML_ENCODING.match(payload[:512])
        declared.append(match.group(1).decode("ascii") if match else None)
    text, encoding = decode_text(payload, declared)
    header_language = language_code(headers.get("content-language"))
    if kind == "jsonfeed":
        return _parse_json_feed(text, encoding, header_language)
    document = _XML_DECLARATION.sub("", text.lstrip(), count=1).lstrip().encode("utf-8")
    screen_xml(document)
    if kind == "sitemap":
        return _parse_news_sitemap(document, encoding)
    return _parse_syndication_feed(document, encoding, header_language)


def screen_xml(document: bytes) -> None:
    """Raise HostileXML if the XML declares entities or refers to external resources.

    Only the prolog is parsed: the DTD, the one place entities are declared,
    precedes the root element. XML too broken to reach the root is refused if
    it holds an entity declaration anywhere, else left to feedparser's lenient
    parser.
    """
    try:
        for _event in safe_etree.iterparse(io.BytesIO(document), events=("start",)):
            break
    except DefusedXmlException as exc:
        raise HostileXML(
            f"unsafe XML refused (entity declarations and external references are not allowed): {exc}"
        ) from exc
    except ParseError:
        if b"<!ENTITY" in document:
            raise HostileXML("unsafe XML refused: ill-formed XML that declares entities") from None


# ---- RSS, Atom, RDF ---------------------------------------------------------


def _start_media_description(parser: Any, _attrs: Mapping[str, str]) -> None:
    parser.push("media_description", 1)


def _end_media_description(parser: Any) -> None:
    parser.pop("media_description")


# feedparser reads media:description as a second <description>: after the item's
# own it becomes the entry's content, so a picture's caption passed for the
# article's body (feedparser issue #53, open). Kept apart as `media_description`
# instead, as feedparser keeps media:credit; media:text is never content either.
MediaRssNamespace._start_media_description = _start_media_description
MediaRssNamespace._end_media_description = _end_media_description


def _parse_syndication_feed(document: bytes, encoding: str, header_language: str | None) -> ParsedFeed:
    # The document is UTF-8 now; the header says so, so feedparser does not re-guess. No base
    # URL is given: feedparser would join it with every link and URI attribute (a third of its
    # time); RecordBuilder resolves the few values a record keeps against the feed URL, after
    # feedparser applied any xml:base of the feed.
    result = feedparser.parse(
        io.BytesIO(document),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,  # text fields are reduced to plain text later; nothing is rendered
        resolve_relative_uris=False,
    )
    problem = result.get("bozo_exception")
    if not result.get("version") and not result.entries:
        raise NotAFeed(f"no RSS, Atom or RDF feed found{f': {problem}' if problem else ''}")
    return ParsedFeed(
        format=result.get("version") or "unknown",
        encoding=encoding,
        language=language_code(result.feed.get("language")) or header_language,
        entries=tuple(_feedparser_entry(position, entry) for position, entry in enumerate(result.entries, 1)),
        warning=f"parsed leniently: {problem}" if problem else None,
    )


_ENDS_IN_ZONE_NAME = re.compile(r"\d\s*\(?[A-Za-z]{1,5}\)?\s*$")


def _feed_date(text: str | None, parsed: Any) -> Any:
    """The item's date as normalize reads its text, with zone names (feedparser takes an unknown
    zone name such as CEST for UTC); feedparser's reading only for text in a format normalize
    cannot read (Korean, Greek, partial dates) that ends in no zone name."""
    if not text:
        return parsed
    moment = utc_datetime(text)
    if moment is not None or _ENDS_IN_ZONE_NAME.search(text):
        return moment
    return parsed


def _feedparser_entry(position: int, entry: Mapping[str, Any]) -> FeedEntry:
    details = [entry.get("title_detail"), entry.get("summary_detail"), *(entry.get("content") or [])]
    tags = entry.get("tags") or []
    return FeedEntry(
        position=position,
        link=entry.get("link"),
        guid=entry.get("id"),
        title=entry.get("title"),
        # feedparser copies the content into `summary` when an item has none of its own. A video
        # feed's only text is its media description (YouTube): the summary, never the body.
        summary=entry.get("summary") if "summary_detail" in entry else entry.get("media_description"),
        body=next((content.get("value") for content in entry.get("content") or [] if content.get("value")), None),
        author=_author_name(entry.get("author")),
        published=_feed_date(entry.get("published"), entry.get("published_parsed")),
        # FeedParserDict.get falls back to published; dict.get does not
        updated=_feed_date(dict.get(entry, "updated"), dict.get(entry, "updated_parsed")),
        language=next((detail.get("language") for detail in details if detail and detail.get("language")), None),
        category=next(filter(None, (tag.get("term") or tag.get("label") for tag in tags)), None),
        image_url=_feedparser_image(entry),
    )


def _author_name(author: str | None) -> str | None:
    """The name in an RSS author such as "desk@example.com (Jan de Vries)", else the text as given."""
    if author and "@" in author:
        name, _address = parseaddr(author)
        return name or author
    return author


def _feedparser_image(entry: Mapping[str, Any]) -> str | None:
    """media:content image, media:thumbnail, an image enclosure, or the item's image."""
    for media in entry.get("media_content") or []:
        medium, media_type = media.get("medium"), str(media.get("type") or "")
        if media.get("url") and (medium == "image" or media_type.startswith("image/") or not (medium or media_type)):
            return media["url"]
    for thumbnail in entry.get("media_thumbnail") or []:
        if thumbnail.get("url"):
            return thumbnail["url"]
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type") or "").startswith("image/") and link.get("href"):
            return link["href"]
    return (entry.get("image") or {}).get("href")


# ---- JSON Feed --------------------------------------------------------------


def _string(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


def _parse_json_feed(text: str, encoding: str, header_language: str | None) -> ParsedFeed:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise NotAFeed(f"not valid JSON: {exc}") from exc
    version = document.get("version") if isinstance(document, dict) else None
    if not str(version).startswith("https://jsonfeed.org/version/"):
        raise NotAFeed("not a JSON Feed: no https://jsonfeed.org/version/ in 'version'")
    items = document.get("items")
    if not isinstance(items, list):
        raise NotAFeed("JSON Feed without an 'items' list")
    return ParsedFeed(
        format="jsonfeed",
        encoding=encoding,
        language=language_code(document.get("language")) or header_language,
        entries=tuple(_json_feed_entry(position, item) for position, item in enumerate(items, 1)),
    )


def _json_feed_entry(position: int, item: Any) -> FeedEntry:
    if not isinstance(item, dict):
        return FeedEntry(position=position)
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return FeedEntry(
        position=position,
        link=_string(item.get("url")) or _string(item.get("external_url")),
        guid=_string(item.get("id")),
        title=_string(item.get("title")),
        summary=_string(item.get("summary")),
        body=_string(item.get("content_html")) or _string(item.get("content_text")),
        author=next((_string(a.get("name")) for a in authors if isinstance(a, dict) and _string(a.get("name"))), None),
        published=_string(item.get("date_published")),
        updated=_string(item.get("date_modified")),
        language=_string(item.get("language")),
        category=next((_string(tag) for tag in tags if _string(tag)), None),
        image_url=_string(item.get("image")) or _string(item.get("banner_image")),
    )


# ---- news sitemaps ----------------------------------------------------------

SITEMAP_NAMESPACES = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}


def _parse_news_sitemap(document: bytes, encoding: str) -> ParsedFeed:
    try:
        root = safe_etree.fromstring(document)
    except ParseError as exc:
        raise NotAFeed(f"sitemap is not well-formed XML: {exc}") from exc
    if root.tag == f"{{{SITEMAP_NAMESPACES['sm']}}}sitemapindex":
        raise NotAFeed("a sitemap index, not a sitemap: list its news sitemaps in the registry instead")
    if root.tag != f"{{{SITEMAP_NAMESPACES['sm']}}}urlset":
        raise NotAFeed(f"not a sitemap: root element is {root.tag!r}")
    urls = root.findall("sm:url", SITEMAP_NAMESPACES)
    entries = tuple(_sitemap_entry(position, url) for position, url in enumerate(urls, 1))
    return ParsedFeed(format="sitemap", encoding=encoding, language=None, entries=entries)


def _sitemap_entry(position: int, url: Element) -> FeedEntry:
    def text(path: str) -> str | None:
        return url.findtext(path, namespaces=SITEMAP_NAMESPACES)

    keywords = (text("news:news/news:keywords") or "").split(",")
    return FeedEntry(
        position=position,
        link=text("sm:loc"),
        title=text("news:news/news:title"),
        published=text("news:news/news:publication_date"),
        updated=text("sm:lastmod"),
        language=text("news:news/news:publication/news:language"),
        category=keywords[0].strip() or None,
        image_url=text("image:image/image:loc"),
    )
