"""The building blocks of the sample world: publishers, their feeds, articles and feed entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

# RFC 822 zone names a publisher may write in its RSS dates, and their offsets.
ZONE_OFFSETS = {"GMT": 0, "+0000": 0, "+0100": 60, "+0200": 120}
_ZONES = {name: timezone(timedelta(minutes=minutes)) for name, minutes in ZONE_OFFSETS.items()}


@dataclass(frozen=True)
class FeedSpec:
    """One feed of a publisher.

    ``category`` is what the registry says about the feed: None for a general
    feed (its items name their own category), else the category of every item
    (and the items then carry none). ``covers`` is None for all categories.
    """

    kind: str  # "rss" or "atom"
    category: str | None = None
    covers: frozenset[str] | None = None
    path: str = ""  # extra path segment when a publisher has several feeds

    def carries(self, category: str) -> bool:
        return self.covers is None or category in self.covers

    def file_name(self) -> str:
        name = f"{self.kind}.xml"
        return f"{self.path}/{name}" if self.path else name


@dataclass(frozen=True)
class Publisher:
    """An invented news publisher (or wire agency) and how its feeds and pages behave."""

    id: str
    name: str
    country: str
    language: str
    feeds: tuple[FeedSpec, ...]
    wire: bool = False
    agency_credit: str | None = None  # how a wire agency is credited as author
    fetch_pages: bool = False  # feed has title and summary only; body, author, image on the page
    tracking: bool = False  # feed links carry utm parameters
    time_zone: str = "GMT"  # zone written in feed and page timestamps, see ZONE_OFFSETS
    bylines: bool = True  # gives author and image; False: neither, anywhere
    permalink_guids: bool = False  # RSS guid is the article link
    feed_encoding: str = "utf-8"  # Python codec the feed files are written in
    live_items: int = 0  # 0: a date-addressed archive feed per day; N: one live feed of the latest N items
    collect_every_minutes: int = 60  # the registry's longest wait between two fetches

    @property
    def live(self) -> bool:
        return self.live_items > 0

    captions: bool = False  # RSS items carry the lead image and its caption (media:description)
    own_tracking: tuple[str, ...] = ()  # its own tracking parameters on feed links, named in its registry entry
    short_links: bool = False  # feed links are short links (/go/...) that redirect to the article
    declared_language: str | None = None  # what its feed declares, when that is not the language it writes
    dated_in_json_ld_only: bool = False  # undated feed items; the page's date only in its JSON-LD (a WebPage)

    @property
    def kind(self) -> str:
        return self.feeds[0].kind

    @property
    def tz(self) -> timezone:
        return _ZONES[self.time_zone]

    @property
    def writes_utc(self) -> bool:
        return ZONE_OFFSETS[self.time_zone] == 0

    def carries(self, category: str) -> bool:
        return any(feed.carries(category) for feed in self.feeds)

    def feeds_for(self, category: str) -> tuple[FeedSpec, ...]:
        return tuple(feed for feed in self.feeds if feed.carries(category))


@dataclass
class Version:
    """What one day's feed says about an article."""

    feed_date: date
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    updated: datetime | None  # the update time this version states (Atom: at least the publication time)


@dataclass
class Article:
    """One valid article: one canonical URL, told in one or more versions (updates)."""

    publisher: Publisher
    story_id: str
    category: str
    url: str  # canonical
    link: str  # as written in the feed (may carry tracking parameters)
    guid: str
    slug: str
    author: str | None
    image_url: str | None
    published: datetime | None
    versions: list[Version]
    syndicated_from: str | None = None
    quirks: list[str] = field(default_factory=list)
    markup_title: str | None = None  # HTML the feed gives instead of the plain title
    markup_summary: str | None = None

    @property
    def final(self) -> Version:
        return self.versions[-1]


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed file, valid or not."""

    title: str | None
    link: str | None
    guid: str
    guid_is_link: bool
    published: datetime | None
    updated: datetime | None
    author: str | None
    category: str | None
    summary: str
    content_html: str | None
    image_url: str | None
    markup: bool = False  # title and summary are HTML
    image_caption: str | None = None
    sort_seconds: int = 0
