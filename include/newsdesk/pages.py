"""Article HTML pages to the values a feed often lacks: body, author, image, dates.

Metadata comes from the publisher's own markup, first match wins: JSON-LD
(NewsArticle and its kin), then OpenGraph, then other meta tags. The body is
the page's main text as trafilatura extracts it (the JSON-LD articleBody when
trafilatura finds none). Values are returned raw; `normalize` cleans them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from newsdesk.normalize import charset_from_content_type, decode_text

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
        "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "BlogPosting", "Report",
    }
)  # fmt: skip
# Meta tag names (name, property or itemprop, lower-cased), most specific first.
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author")
IMAGE_META = ("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src")
PUBLISHED_META = (
    "article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "parsely-pub-date", "sailthru.date", "date",
)  # fmt: skip
UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(encoding="utf-8", no_network=True)


class PageError(ValueError):
    """The payload is no readable HTML page."""


@dataclass(frozen=True)
class PageInfo:
    body: str | None = None
    author: str | None = None
    image_url: str | None = None
    published: str | None = None
    updated: str | None = None


def read_page(payload: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> PageInfo:
    """What the article page at `url` says about itself; raises PageError for a non-page."""
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    meta_charset = _META_CHARSET.search(payload[:4096])
    declared = [charset_from_content_type(headers.get("content-type"))]
    declared.append(meta_charset.group(1).decode() if meta_charset else None)
    text, _ = decode_text(payload, declared)
    if not text.strip():
        raise PageError("the page is empty")
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"not readable as HTML: {exc}") from exc
    article = next(_json_ld_articles(tree), {})
    meta = _meta_values(tree)
    return PageInfo(
        body=_main_text(text, url) or _string(article.get("articleBody")),
        author=_person_names(article.get("author")) or _first(meta, AUTHOR_META, reject_urls=True),
        image_url=_image_url(article.get("image")) or _first(meta, IMAGE_META),
        published=_string(article.get("datePublished")) or _first(meta, PUBLISHED_META),
        updated=_string(article.get("dateModified")) or _first(meta, UPDATED_META),
    )


def _main_text(html: str, url: str) -> str | None:
    return trafilatura.extract(html, url=url, include_comments=False, include_tables=False)


# ---- JSON-LD ----------------------------------------------------------------


def _json_ld_articles(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Article objects in the page's JSON-LD blocks, top-level, in lists or in @graph."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            document = json.loads(script.text_content(), strict=False)
        except ValueError:
            continue
        yield from _articles_in(document)


def _articles_in(node: Any) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _articles_in(item)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
        if types & ARTICLE_TYPES:
            yield node
        yield from _articles_in(node.get("@graph"))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _person_names(value: Any) -> str | None:
    """Author names from a string, a Person/Organization object, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = [_string(item) or (_string(item.get("name")) if isinstance(item, dict) else None) for item in items]
    names = [name.strip() for name in names if name]
    return ", ".join(dict.fromkeys(names)) or None


def _image_url(value: Any) -> str | None:
    """URL of a JSON-LD image: a string, an ImageObject, or the first of a list."""
    for item in value if isinstance(value, list) else [value]:
        url = _string(item) or (_string(item.get("url") or item.get("contentUrl")) if isinstance(item, dict) else None)
        if url:
            return url
    return None


# ---- meta tags --------------------------------------------------------------


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """First content of every meta tag, keyed by its lower-cased name, property or itemprop."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and content:
                values.setdefault(key, content)
    return values


def _first(meta: dict[str, str], names: tuple[str, ...], *, reject_urls: bool = False) -> str | None:
    for name in names:
        value = meta.get(name)
        if value and not (reject_urls and value.startswith(("http://", "https://"))):
            return value
    return None
