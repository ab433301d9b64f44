"""Article HTML pages to the values a feed often lacks: body, author, image, dates.

Metadata comes from the publisher's own markup, first match wins: JSON-LD
(NewsArticle and its kin), then OpenGraph, then other meta tags. Dates also
come from JSON-LD objects of other types that carry them (a ClaimReview, a
WebPage), and, when the markup names none, from htmldate's reading of the
page; `published_source` says which. The body is the page's main text as
trafilatura extracts it (the JSON-LD articleBody when trafilatura finds
none). Values are returned raw; `normalize` cleans them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from newsdesk.collect.normalize import EARLIEST_ARTICLE_DATE, charset_from_content_type, decode_text, utc_datetime

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
    canonical_url: str | None = None  # <link rel=canonical>, else og:url, as written
    # where each date was found: page_json_ld, page_meta or page_htmldate
    published_source: str | None = None
    updated_source: str | None = None


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
    objects = list(_json_ld_objects(tree))
    article = next((node for node in objects if _types(node) & ARTICLE_TYPES), {})
    meta = _meta_values(tree)
    published, published_source = _page_date(objects, article, meta, "datePublished", PUBLISHED_META)
    updated, updated_source = _page_date(objects, article, meta, "dateModified", UPDATED_META)
    if published is None:  # htmldate reads the URL, the text and other markup for one
        published = htmldate.find_date(tree, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S")
        published_source = "page_htmldate" if published else None
    return PageInfo(
        body=_main_text(text, url) or _string(article.get("articleBody")),
        author=_person_names(article.get("author")) or _first(meta, AUTHOR_META, reject_urls=True),
        image_url=_image_url(article.get("image")) or _first(meta, IMAGE_META),
        published=published,
        updated=updated,
        canonical_url=_canonical_link(tree) or meta.get("og:url"),
        published_source=published_source,
        updated_source=updated_source,
    )


def _page_date(
    objects: list[dict], article: dict, meta: dict[str, str], key: str, meta_names: tuple[str, ...]
) -> tuple[str | None, str | None]:
    """(date text, where found): the first readable date since EARLIEST_ARTICLE_DATE in the
    article's JSON-LD, any JSON-LD object's, then the meta tags. Placeholders such as
    0001-01-01 (Gannett's pages) are passed over, so a later candidate still counts."""
    candidates = [(article.get(key), "page_json_ld")]
    candidates += [(node.get(key), "page_json_ld") for node in objects]
    candidates += [(meta.get(name), "page_meta") for name in meta_names]
    for value, where in candidates:
        moment = utc_datetime(_string(value))
        if moment is not None and moment >= EARLIEST_ARTICLE_DATE:
            return value, where
    return None, None


def _canonical_link(tree: lxml.html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return None


# trafilatura's precision mode with tables, unless it keeps almost nothing. Measured on the
# 121 pages of realdata/article-pages against their hand-marked bodies (token F1, the mean
# over pages; `newsdesk bench fields`): the defaults without tables 0.956; with tables
# 0.961 (league tables, election results are the article); precision mode with tables 0.967,
# as it drops teaser lists and blurbs after the article, but on one page (a reprint notice
# taken for the article) it kept 30 of 486 words; falling back to the default mode when
# precision keeps under 100 words and under 30% of the default's: 0.974, with a second
# extraction on 6 of the 121 pages.
SHORT_PRECISE_BODY_WORDS = 100
PRECISE_BODY_MIN_SHARE = 0.3


def _main_text(html: str, url: str) -> str | None:
    precise = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_precision=True)
    words = len(precise.split()) if precise else 0
    if words >= SHORT_PRECISE_BODY_WORDS:
        return precise
    default = trafilatura.extract(html, url=url, include_comments=False, include_tables=True)
    return default if default and words < PRECISE_BODY_MIN_SHARE * len(default.split()) else precise


# ---- JSON-LD ----------------------------------------------------------------


def _json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every object in the page's JSON-LD blocks: top-level, in lists, in @graph, and nested
    one level in the properties of another (a ClaimReview's itemReviewed)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            document = json.loads(script.text_content(), strict=False)
        except ValueError:
            continue
        yield from _objects_in(document)


def _objects_in(node: Any, depth: int = 0) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _objects_in(item, depth)
    elif isinstance(node, dict):
        yield node
        yield from _objects_in(node.get("@graph"), depth)
        if depth == 0:
            for key, value in node.items():
                if key != "@graph" and isinstance(value, (dict, list)):
                    yield from _objects_in(value, depth + 1)


def _types(node: dict) -> set[str]:
    types = node.get("@type")
    if isinstance(types, str):
        return {types}
    return {name for name in types if isinstance(name, str)} if isinstance(types, list) else set()


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
