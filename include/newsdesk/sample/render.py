"""Turn articles and feed entries into RSS 2.0, Atom 1.0 and HTML pages.

Everything is built with plain string joins (no DOM), because the generator
must write hundreds of thousands of files quickly. Dates are formatted by hand,
never with locale-dependent ``strftime`` names, so the output is the same on
every machine.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html import escape

from newsdesk.sample.language import PageChrome
from newsdesk.sample.model import Article, FeedEntry, Publisher

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Declared in the XML prolog; the names a feed reader knows for Python's codecs.
_XML_ENCODING_NAMES = {"utf-8": "utf-8", "cp1252": "windows-1252"}

STYLESHEET = """body{font-family:Georgia,serif;margin:0 auto;max-width:46rem;padding:0 1rem;color:#222}
.site-header{display:flex;justify-content:space-between;border-bottom:3px solid #222}
.main-nav ul,.site-footer ul{list-style:none;display:flex;gap:1rem;padding:0}
.cookie-banner{background:#ffd;padding:.5rem}.kicker{text-transform:uppercase;color:#a00}
.related,.newsletter{border-top:1px solid #ccc;margin-top:2rem}
"""


def text(value: str) -> str:
    """Escape for XML/HTML element content."""
    return escape(value, quote=False)


def attribute(value: str) -> str:
    return escape(value, quote=True)


def _clock(moment: datetime) -> str:
    # f-strings rather than strftime: this runs for every item and page.
    return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"


def _day(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def iso_utc(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{_day(utc)}T{_clock(utc)}Z"


def iso_local(moment: datetime, publisher: Publisher) -> str:
    """RFC 3339 in the publisher's zone: ``Z`` for UTC, else ``+01:00``."""
    local = moment.astimezone(publisher.tz)
    zone = publisher.time_zone
    suffix = "Z" if publisher.writes_utc else f"{zone[:3]}:{zone[3:]}"
    return f"{_day(local)}T{_clock(local)}{suffix}"


def rfc822(moment: datetime, publisher: Publisher) -> str:
    local = moment.astimezone(publisher.tz)
    return (
        f"{_WEEKDAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1]} {local.year} "
        f"{_clock(local)} {publisher.time_zone}"
    )


def body_html(paragraphs: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"<p>{text(p)}</p>" for p in paragraphs)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _encode(document: str, publisher: Publisher) -> bytes:
    # Characters the feed's codec lacks become character references, which any
    # XML parser turns back into the right character.
    return document.encode(publisher.feed_encoding, errors="xmlcharrefreplace")


def _prolog(publisher: Publisher) -> str:
    return f'<?xml version="1.0" encoding="{_XML_ENCODING_NAMES[publisher.feed_encoding]}"?>\n'


def _rss_item(entry: FeedEntry, publisher: Publisher) -> str:
    parts = ["<item>\n"]
    if entry.title is not None:
        parts.append(f"<title>{text(entry.title)}</title>\n")
    if entry.link is not None:
        parts.append(f"<link>{text(entry.link)}</link>\n")
    permalink = "true" if entry.guid_is_link else "false"
    parts.append(f'<guid isPermaLink="{permalink}">{text(entry.guid)}</guid>\n')
    if entry.published is not None:
        parts.append(f"<pubDate>{rfc822(entry.published, publisher)}</pubDate>\n")
    if entry.updated is not None:
        parts.append(f"<dc:date>{iso_local(entry.updated, publisher)}</dc:date>\n")
    if entry.author is not None:
        parts.append(f"<dc:creator>{text(entry.author)}</dc:creator>\n")
    if entry.category is not None:
        parts.append(f"<category>{text(entry.category)}</category>\n")
    parts.append(f"<description>{text(entry.summary)}</description>\n")
    if entry.content_html is not None:
        # CDATA cannot hold the character references a non-UTF-8 feed needs.
        content = _cdata(entry.content_html) if publisher.feed_encoding == "utf-8" else text(entry.content_html)
        parts.append(f"<content:encoded>{content}</content:encoded>\n")
    if entry.image_url is not None:
        parts.append(f'<enclosure url="{attribute(entry.image_url)}" type="image/jpeg" length="0"/>\n')
    if entry.image_caption is not None:
        parts.append(f'<media:content url="{attribute(entry.image_url)}" medium="image"/>\n')
        parts.append(f"<media:description>{text(entry.image_caption)}</media:description>\n")
    parts.append("</item>\n")
    return "".join(parts)


def render_rss(
    publisher: Publisher, feed_url: str, homepage: str, title: str, day: date, entries: list[FeedEntry]
) -> bytes:
    end_of_day = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
    items = "".join(_rss_item(entry, publisher) for entry in entries)
    return rss_document(publisher, feed_url, homepage, title, end_of_day, items)


def rss_document(
    publisher: Publisher, feed_url: str, homepage: str, title: str, built: datetime, items_xml: str
) -> bytes:
    """An RSS 2.0 feed around items already rendered (feed_item), last built at `built`."""
    head = (
        _prolog(publisher) + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/">\n'
        "<channel>\n"
        f"<title>{text(title)}</title>\n"
        f"<link>{text(homepage)}</link>\n"
        f"<description>{text(publisher.name)}: {built.date().isoformat()}</description>\n"
        f"<language>{publisher.declared_language or f'{publisher.language}-{publisher.country}'}</language>\n"
        f"<lastBuildDate>{rfc822(built, publisher)}</lastBuildDate>\n"
        f'<atom:link href="{attribute(feed_url)}" rel="self" type="application/rss+xml"/>\n'
    )
    return _encode(head + items_xml + "</channel>\n</rss>\n", publisher)


def feed_item(entry: FeedEntry, publisher: Publisher, kind: str) -> str:
    """One item (RSS) or entry (Atom), as rss_document and atom_document take them."""
    return _rss_item(entry, publisher) if kind == "rss" else _atom_entry(entry, publisher)


def feed_document(
    publisher: Publisher, kind: str, feed_url: str, homepage: str, title: str, built: datetime, items_xml: str
) -> bytes:
    document = rss_document if kind == "rss" else atom_document
    return document(publisher, feed_url, homepage, title, built, items_xml)


def _atom_entry(entry: FeedEntry, publisher: Publisher) -> str:
    kind = "html" if entry.markup else "text"
    parts = ["<entry>\n"]
    if entry.title is not None:
        parts.append(f'<title type="{kind}">{text(entry.title)}</title>\n')
    if entry.link is not None:
        parts.append(f'<link rel="alternate" type="text/html" href="{attribute(entry.link)}"/>\n')
    parts.append(f"<id>{text(entry.guid)}</id>\n")
    if entry.published is not None:
        parts.append(f"<published>{iso_local(entry.published, publisher)}</published>\n")
    if entry.updated is not None:
        parts.append(f"<updated>{iso_local(entry.updated, publisher)}</updated>\n")
    if entry.author is not None:
        parts.append(f"<author><name>{text(entry.author)}</name></author>\n")
    if entry.category is not None:
        parts.append(f'<category term="{attribute(entry.category)}"/>\n')
    parts.append(f'<summary type="{kind}">{text(entry.summary)}</summary>\n')
    if entry.content_html is not None:
        parts.append(f'<content type="html">{text(entry.content_html)}</content>\n')
    if entry.image_url is not None:
        parts.append(f'<link rel="enclosure" type="image/jpeg" length="0" href="{attribute(entry.image_url)}"/>\n')
    parts.append("</entry>\n")
    return "".join(parts)


def render_atom(
    publisher: Publisher, feed_url: str, homepage: str, title: str, day: date, entries: list[FeedEntry]
) -> bytes:
    end_of_day = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)
    entries_xml = "".join(_atom_entry(entry, publisher) for entry in entries)
    return atom_document(publisher, feed_url, homepage, title, end_of_day, entries_xml)


def atom_document(
    publisher: Publisher, feed_url: str, homepage: str, title: str, built: datetime, entries_xml: str
) -> bytes:
    """An Atom 1.0 feed around entries already rendered (feed_item), updated at `built`."""
    head = (
        _prolog(publisher) + f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{publisher.language}">\n'
        f"<title>{text(title)}</title>\n"
        f"<id>{text(feed_url)}</id>\n"
        f"<updated>{iso_local(built, publisher)}</updated>\n"
        f'<link rel="self" type="application/atom+xml" href="{attribute(feed_url)}"/>\n'
        f'<link rel="alternate" type="text/html" href="{attribute(homepage)}"/>\n'
    )
    return _encode(head + entries_xml + "</feed>\n", publisher)


def _json_ld(article: Article, homepage: str) -> str:
    publisher = article.publisher
    final = article.final
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": final.title,
        "description": final.summary,
        "inLanguage": publisher.language,
        "url": article.url,
        "mainEntityOfPage": article.url,
        "articleSection": article.category,
        "publisher": {"@type": "Organization", "name": publisher.name, "url": homepage},
    }
    dated = data
    if publisher.dated_in_json_ld_only:  # the dates on the page object of a graph, as many CMSs write them
        dated = {"@type": "WebPage", "@id": article.url, "url": article.url}
    if article.published is not None:
        dated["datePublished"] = iso_local(article.published, publisher)
    if final.updated is not None:
        dated["dateModified"] = iso_local(final.updated, publisher)
    if article.author is not None:
        # Wire copy is credited to the agency, not to a person.
        kind = "Organization" if publisher.wire or article.syndicated_from else "Person"
        data["author"] = {"@type": kind, "name": article.author}
    if article.image_url is not None:
        data["image"] = [article.image_url]
    if dated is not data:
        data = {"@context": data.pop("@context"), "@graph": [dated, data]}
    # "</" inside a script element would end it early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def render_page(
    article: Article,
    homepage: str,
    chrome: PageChrome,
    nav_categories: list[str],
    related: list[Article],
) -> bytes:
    """The article page: metadata in head, body as <article><p>…</p></article>, chrome around it."""
    publisher = article.publisher
    final = article.final
    title = attribute(final.title)
    summary = attribute(final.summary)
    label = chrome.category_labels[article.category]
    meta = [
        f'<link rel="canonical" href="{attribute(article.url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{attribute(publisher.name)}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:description" content="{summary}">',
        f'<meta property="og:url" content="{attribute(article.url)}">',
    ]
    if article.image_url is not None:
        meta.append(f'<meta property="og:image" content="{attribute(article.image_url)}">')
    meta_dates = not publisher.dated_in_json_ld_only
    if article.published is not None and meta_dates:
        meta.append(f'<meta property="article:published_time" content="{iso_local(article.published, publisher)}">')
    if final.updated is not None and meta_dates:
        meta.append(f'<meta property="article:modified_time" content="{iso_local(final.updated, publisher)}">')
    meta.append(f'<meta property="article:section" content="{attribute(label)}">')
    if article.author is not None:
        meta.append(f'<meta name="author" content="{attribute(article.author)}">')

    byline = []
    if article.author is not None:
        byline.append(f'{chrome.by} <span class="author">{text(article.author)}</span>')
    if article.published is not None and meta_dates:
        shown = article.published.astimezone(publisher.tz).strftime(chrome.date_format)
        byline.append(f'<time datetime="{iso_local(article.published, publisher)}">{shown}</time>')
    figure = (
        f'<figure class="lead-image"><img src="{attribute(article.image_url)}" alt="{title}" width="1200" height="675">'
        f"<figcaption>{chrome.photo}: {text(article.author or publisher.name)}</figcaption></figure>\n"
        if article.image_url is not None
        else ""
    )
    nav = "".join(
        f'<li><a href="{attribute(homepage)}#{c}">{text(chrome.category_labels[c])}</a></li>' for c in nav_categories
    )
    related_items = "".join(
        f'<li><a href="{attribute(other.url)}">{text(other.final.title)}</a></li>' for other in related
    )
    year = article.versions[0].feed_date.year
    page = (
        f'<!DOCTYPE html>\n<html lang="{publisher.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(final.title)} | {text(publisher.name)}</title>\n"
        f'<meta name="description" content="{summary}">\n'
        + "\n".join(meta)
        + f'\n<script type="application/ld+json">{_json_ld(article, homepage)}</script>\n'
        '<link rel="stylesheet" href="/static/site.css">\n</head>\n<body>\n'
        f'<div class="cookie-banner" role="dialog"><p>{text(chrome.cookie_notice)}</p>'
        f'<button type="button">{text(chrome.accept)}</button></div>\n'
        f'<header class="site-header"><a class="logo" href="{attribute(homepage)}">{text(publisher.name)}</a>\n'
        f'<nav class="main-nav"><ul><li><a href="{attribute(homepage)}">{text(chrome.home)}</a></li>{nav}</ul></nav>\n'
        "</header>\n<main>\n"
        f'<div class="article-head">\n<p class="kicker">{text(label)}</p>\n<h1>{text(final.title)}</h1>\n'
        f'<p class="byline">{" · ".join(byline)}</p>\n</div>\n'
        f"{figure}"
        f"<article>\n{body_html(final.paragraphs)}\n</article>\n"
        f'<div class="share"><span>{text(chrome.share)}</span> <a href="#share-mail">E-mail</a> '
        '<a href="#share-facebook">Facebook</a> <a href="#share-x">X</a> <a href="#share-linkedin">LinkedIn</a></div>\n'
        f'<section class="related"><h2>{text(chrome.more_news)}</h2><ul>{related_items}</ul></section>\n'
        f'<aside class="newsletter"><h2>{text(chrome.newsletter_title)}</h2><p>{text(chrome.newsletter_text)}</p>'
        '<form action="#newsletter"><input type="email" name="email">'
        f'<button type="submit">{text(chrome.subscribe)}</button></form></aside>\n'
        "</main>\n"
        f'<footer class="site-footer"><p>© {year} {text(publisher.name)}. {text(chrome.rights)}</p>'
        f'<ul><li><a href="#privacy">{text(chrome.privacy)}</a></li>'
        f'<li><a href="#contact">{text(chrome.contact)}</a></li>'
        f'<li><a href="{attribute(homepage)}">{text(chrome.feeds)}</a></li></ul></footer>\n'
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def render_homepage(publisher: Publisher, chrome: PageChrome, feed_links: list[tuple[str, str]]) -> bytes:
    """A publisher's front page: its name and the daily archive feeds."""
    links = "".join(f'<li><a href="{attribute(url)}">{text(label)}</a></li>\n' for label, url in feed_links)
    page = (
        f'<!DOCTYPE html>\n<html lang="{publisher.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{text(publisher.name)}</title>\n"
        '<link rel="stylesheet" href="/static/site.css">\n</head>\n<body>\n'
        f"<h1>{text(publisher.name)}</h1>\n<h2>{text(chrome.feeds)}</h2>\n<ul>\n{links}</ul>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def render_index(publishers: list[tuple[Publisher, str]]) -> bytes:
    """The site root: one link per publisher."""
    links = "".join(
        f'<li><a href="{attribute(home)}">{text(p.name)}</a> ({p.country}, {p.language})</li>\n'
        for p, home in publishers
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Newsdesk sample news world</title>\n'
        f"</head>\n<body>\n<h1>Newsdesk sample news world</h1>\n<ul>\n{links}</ul>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
