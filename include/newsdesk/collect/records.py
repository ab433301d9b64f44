"""Article records from parsed feed entries and article pages (see docs/architecture.md).

`RecordBuilder` applies the value rules of `newsdesk.collect.normalize` to a
feed's entries and enforces the item rules of one source-run (title and link
required, first copy of an item wins, repeats rejected with a reason that tells
a duplicate in one feed from the normal overlap between a source's feeds);
`page_fields` fills what a feed left empty from the article's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsdesk.collect.normalize import (
    MIN_DETECTION_CONFIDENCE,
    OVERRIDE_CONFIDENCE,
    absolute_url,
    article_timestamp,
    canonical_url,
    clean_text,
    content_hash,
    detect_item_language,
    is_short_link,
    language_code,
    media_kind,
)

if TYPE_CHECKING:
    from newsdesk.collect.pages import PageInfo
    from newsdesk.collect.parse import FeedEntry
    from newsdesk.collect.registry import Source

# A record's fields in order, with the DuckDB type each is stored as: records.jsonl holds them as JSON,
# records.parquet and raw.articles typed (timestamps as UTC).
ARTICLE_COLUMNS = {
    "source_id": "VARCHAR",
    "feed_url": "VARCHAR",
    "url": "VARCHAR",
    "guid": "VARCHAR",
    "title": "VARCHAR",
    "summary": "VARCHAR",
    "body": "VARCHAR",
    "author": "VARCHAR",
    "published_at": "TIMESTAMP",
    "updated_at": "TIMESTAMP",
    "language": "VARCHAR",
    "category": "VARCHAR",
    "image_url": "VARCHAR",
    "fetched_at": "TIMESTAMP",
    "content_hash": "VARCHAR",
    "feed_link": "VARCHAR",
    "media_kind": "VARCHAR",
    "language_declared": "VARCHAR",
    "language_detected": "VARCHAR",
    "published_at_source": "VARCHAR",
    "body_source": "VARCHAR",
}


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


# Reasons for an item seen before in the source-run. A second copy in the same
# feed is bad input; the same item in another feed of the source (a sport story
# in both the general and the sport feed) is normal overlap.
DUPLICATE_IN_FEED = "duplicate item"
REPEATED_ACROSS_FEEDS = "repeated in another feed"


def _first_known(keys: list[tuple[str, str]], known: dict[tuple[str, str], str]) -> tuple[str, str] | None:
    """(kind, earlier item) for the first of `keys` in `known`; None if none is."""
    return next(((kind, known[kind, key]) for kind, key in keys if (kind, key) in known), None)


class RecordBuilder:
    """Builds the article records of one source-run from its feeds' entries.

    An item is known by its canonical URL and its guid. The first copy becomes
    the record; a later copy is rejected as DUPLICATE_IN_FEED if its feed gave
    the item before, else as REPEATED_ACROSS_FEEDS.
    """

    def __init__(self, source: Source) -> None:
        self.source = source
        # (kind, key) -> "item_ref in feed_url" of the record that has it
        self._taken: dict[tuple[str, str], str] = {}
        # feed_url -> (kind, key) -> item_ref of the feed's first item with it, a record or not
        self._seen_in_feed: dict[str, dict[tuple[str, str], str]] = {}

    def _refuse_repeat(self, keys: list[tuple[str, str]], feed_url: str, item_ref: str) -> None:
        """Raise ItemRejected if this feed gave an item with one of `keys` before, or another feed's record has one."""
        seen_in_feed = self._seen_in_feed.setdefault(feed_url, {})
        earlier = _first_known(keys, seen_in_feed)
        if earlier:
            kind, first = earlier
            raise ItemRejected(DUPLICATE_IN_FEED, f"same {kind} as the earlier item {first} in {feed_url}", item_ref)
        seen_in_feed.update(dict.fromkeys(keys, item_ref))
        earlier = _first_known(keys, self._taken)
        if earlier:
            kind, first = earlier
            raise ItemRejected(REPEATED_ACROSS_FEEDS, f"same {kind} as the earlier item {first}", item_ref)
        self._taken.update(dict.fromkeys(keys, f"{item_ref} in {feed_url}"))

    def build_all(
        self,
        entries: Iterable[FeedEntry],
        *,
        feed_url: str,
        feed_language: str | None,
        category: str | None,
        fetched_at: str,
    ) -> tuple[list[dict], list[dict]]:
        """The records of one feed's entries in order, and a rejects.jsonl row for each item that is none."""
        records, rejects = [], []
        for entry in entries:
            try:
                records.append(
                    self.build(
                        entry, feed_url=feed_url, feed_language=feed_language, category=category, fetched_at=fetched_at
                    )
                )
            except ItemRejected as rejected:
                rejects.append(rejected.row(self.source.id, feed_url))
        return records, rejects

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
        feed_link = absolute_url(entry.link, base=feed_url)
        url = canonical_url(feed_link, tracking_params=self.source.tracking_params)
        if url is None:
            found = f"link {entry.link.strip()!r} is not an http(s) URL" if (entry.link or "").strip() else "no link"
            raise ItemRejected("missing link", f"{found} (title: {title[:80]!r})", item_ref)
        guid = (entry.guid or "").strip() or None
        self._refuse_repeat([("url", url)] + ([("guid", guid)] if guid else []), feed_url, item_ref)
        summary = clean_text(entry.summary)
        body = clean_text(entry.body, keep_paragraphs=True)
        published = article_timestamp(entry.published, fetched_at)
        updated = article_timestamp(entry.updated, fetched_at)
        declared = language_code(entry.language) or feed_language
        detected, confidence = detect_item_language(title, summary, body, declared=declared)
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
            "language": item_language(declared, detected, confidence) or self.source.language,
            "category": clean_text(entry.category) or category,
            "image_url": absolute_url(entry.image_url, base=feed_url),
            "fetched_at": fetched_at,
            "content_hash": content_hash(title, summary, body),
            "feed_link": feed_link,
            "media_kind": media_kind(url),
            "language_declared": declared,
            "language_detected": detected if confidence >= MIN_DETECTION_CONFIDENCE else None,
            "published_at_source": "feed" if published or updated else None,
            "body_source": "feed" if body else None,
        }
        return record

    def fill_from_page(self, record: dict, page: PageInfo, *, page_url: str) -> dict:
        """`record` completed from its article page (see `page_fields`); the hash recomputed.

        The record's URL becomes the page's own canonical address (its
        `<link rel=canonical>` or og:url when on the same site as the page,
        else the address the fetch ended at, after a short link's redirects),
        unless another record of the run has that URL already.
        """
        filled = dict(record)
        filled.update(page_fields(record, page, page_url=page_url))
        url = canonical_url(
            same_site_url(page.canonical_url, page_url) or page_url, tracking_params=self.source.tracking_params
        )
        if url and url != record["url"] and ("url", url) not in self._taken:
            self._taken[("url", url)] = self._taken.get(("url", record["url"]), url)
            filled["url"] = url
            filled["media_kind"] = media_kind(url)
        return filled


def item_language(declared: str | None, detected: str | None, confidence: float) -> str | None:
    """The declared language, unless the text says otherwise with OVERRIDE_CONFIDENCE; the
    detected one (at MIN_DETECTION_CONFIDENCE) when none is declared."""
    if detected and confidence >= OVERRIDE_CONFIDENCE:
        return detected
    return declared or (detected if confidence >= MIN_DETECTION_CONFIDENCE else None)


def same_site_url(candidate: str | None, page_url: str) -> str | None:
    """`candidate` (a page's canonical link) if it is an http(s) URL on the page's site: the
    same registered domain (edition.cnn.com and www.cnn.com, by the public suffix list), or
    the same host where there is none (an IP address), else None."""
    from tld import get_fld  # the public suffix list, as courlan (trafilatura's URL helper) reads it

    url = absolute_url(candidate, base=page_url)
    if url is None:
        return None
    site, page_site = (
        get_fld(address, fail_silently=True) or urlsplit(address).netloc.lower() for address in (url, page_url)
    )
    return url if site == page_site else None


PAGE_FIELDS = ("body", "author", "image_url", "published_at", "updated_at")
# A feed body shorter than this share of the page's words is a teaser, a caption or a cut-off
# excerpt: the page's body replaces it.
FEED_BODY_MIN_SHARE = 0.5


def needs_page(record: dict, source: Source) -> bool:
    """Whether to fetch a record's article page: its link is a short link (the fetch resolves
    it), or the source has pages fetched and the feed left a page field empty."""
    return is_short_link(record["url"], source.short_links) or (
        source.fetch_pages and any(record[name] is None for name in PAGE_FIELDS)
    )


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def page_fields(record: dict, page: PageInfo, *, page_url: str) -> dict:
    """The fields the article page gives a record: those the feed left empty, and the body
    when the feed's is partial (fewer than FEED_BODY_MIN_SHARE of the page body's words, or
    the summary again); the content hash recomputed, `*_source` saying where a value came from."""
    found = {
        "body": clean_text(page.body, keep_paragraphs=True),
        "author": clean_text(page.author),
        "image_url": absolute_url(page.image_url, base=page_url),
        "updated_at": article_timestamp(page.updated, record["fetched_at"]),
    }
    published = article_timestamp(page.published, record["fetched_at"])
    # As for feed items: a page's modification date is its only date when it names no other.
    found["published_at"] = published or found["updated_at"]
    fields = {name: found[name] for name in PAGE_FIELDS if record[name] is None and found[name] is not None}
    feed_body = record["body"]
    if (
        feed_body
        and found["body"]
        and (_words(feed_body) < FEED_BODY_MIN_SHARE * _words(found["body"]) or feed_body == record["summary"])
    ):
        fields["body"] = found["body"]
    if "body" in fields:
        fields["body_source"] = "page"
    if "published_at" in fields:
        fields["published_at_source"] = page.published_source if published else page.updated_source
    fields["content_hash"] = content_hash(record["title"], record["summary"], fields.get("body", feed_body))
    return fields
