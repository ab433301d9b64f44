"""Generate the sample news world: a registry, a static news site and its ground truth.

``generate_world(out_dir)`` writes::

    out_dir/
        registry.yaml        every source, local: true, feed URLs with a {date} placeholder
        ground_truth.json    what a correct collector must find (format below)
        site/                served over HTTP by newsdesk.sample.server.SampleServer
            robots.txt                               allows everything
            index.html, static/site.css
            {source}/index.html                      homepage: links to the daily feeds
            {source}/{YYYY-MM-DD}/rss.xml|atom.xml   the items of that day (daily archive feed)
            {source}/{YYYY-MM-DD}/{feed}/rss.xml     for publishers with two feeds
            {source}/{YYYY}/{MM}/{DD}/{slug}.html    article pages (final version)

The same arguments always give byte-identical files: all randomness comes
from ``random.Random`` seeded with the seed and the day, and nothing reads
the clock. Each day depends only on (seed, day), so a longer world shares its
days with a shorter one (except that the last day's articles are updated on
the next day only when that day exists).

What is in a day
----------------
``stories_per_day`` stories. A story is one event: every article of it
reports the same happening (one of its category's events in
``newsdesk.sample.language``, under a wording of that event's headline), so
a reader of one would call the others the same news. A story that goes on
over several days is a *running story*: each day's episode is its own story
(another event: same people, place and topic, a next step with new figures),
and the ground truth links the episodes (``running_stories``). A running
story starts every day and runs 2-3 days; a day's episodes come first among
its stories, in one language, told by 2-4 publishers in their own words.
The other stories are each one of:

- *multi*: 2-5 publishers of one language tell it in their own words (same
  people, place, organisation, numbers and topical nouns; different title,
  sentences and order);
- *wire*: the language's wire agency writes it; 1-3 publishers republish it
  nearly verbatim (same body, maybe a title prefix, the last paragraph dropped
  or a credit line added; ``syndicated_from`` points at the agency's URL);
  0-3 more publishers tell it in their own words;
- *single*: one publisher only;
- *cross*: a world story told in two or three languages, by 1-3 publishers each.

A flash publisher (``FLASH_PUBLISHERS``) adds about one short item an hour:
a headline wording and the lead of one of the day's events in its language
(a first report, often before the others, then follow-ups: up to 4 an
event, more on a day with few events; none on a day without one).

Plus three trap articles (valid, singleton stories) and three rejected items:

- ``html_in_text``: title and summary are HTML (``<b>``, ``<i>``, entities, a
  ``<script>alert(1)</script>``; Atom marks them ``type="html"``, RSS just
  escapes them); the clean text is in the ground truth, e.g. the title
  ``<b>T</b> &#8211; &quot;live&quot; &amp; <i>video</i>`` must come out as
  ``T – "live" & video``;
- ``sql_like_title``: ``O'Brien says "DROP TABLE articles"; -- …`` (English);
- ``missing_date``: no date in the feed or on the page: keep it, published_at null;
- rejects: an item without title (``missing title``; its link has no page), an
  item without link (``missing link``; its guid is a ``urn:``, which feedparser
  reports as the entry's link, so "no http(s) link" is the test), and a second
  copy of a valid item (same guid and link) later in the same feed
  (``duplicate item``).

Trap items are only put in feeds that carry the whole article, so their
expected text never depends on fetching a page.

Updates: about 8% of the articles of publishers that do not need page fetches
are updated the next day under the same URL and guid. The next day's feed
repeats the item with a new title and summary (the update sentence becomes the
lead paragraph). Atom: ``<published>`` stays, ``<updated>`` is the update time
(on the first day ``<updated>`` equals ``<published>``). RSS: ``<pubDate>``
stays the original publication time and a ``<dc:date>`` carries the update
time (absent on the first day, so updated_at is null there). Pages always show
the final version; only sources that need no page fetch get updates, so a page
fetched for a day never shows a later day's version.

Dates: every article is published on its feed's day (UTC). Publishers write
RSS dates in RFC 822 with ``GMT``, ``+0000``, ``+0100`` or ``+0200`` and Atom
dates in RFC 3339 (``Z`` or ``+01:00``); the ground truth is always UTC, and a
late item in +02:00 shows the next calendar day locally.

Publishers and their habits (feed kinds, page fetching, tracking parameters,
zones, missing bylines, the windows-1252 feed served as ``charset=utf-8``) are
listed in ``newsdesk.sample.publishers``. Image URLs are not served (404).

Ground truth (``ground_truth.json``)
------------------------------------
A JSON object::

    format              1
    seed, port, base_url
    dates               ["YYYY-MM-DD", ...] ascending
    reasons             the reject reasons: "missing title", "missing link", "duplicate item"
    sources             {source_id: {name, country, language, wire, flashes, fetch_pages, tracking,
                          time_zone, feed_encoding, bylines, feeds: [{url, kind, category}]}}
    expected            {date: {items, records, rejects, distinct_urls,
                                by_source: {source_id: {items, records, rejects}}}}
                        items: entries in that day's feed files; records = items - rejects
                        (valid items, counted once per feed they appear in); distinct_urls:
                        distinct canonical URLs among them (kempenstem's sport items are in
                        two feeds, so records > distinct_urls)
    articles            one object per valid article (distinct canonical URL):
                          url, source_id, story_id, syndicated_from (url or null), language,
                          country, category, title, summary (final version, clean text),
                          author, image_url (null where the source gives none),
                          published_at, updated_at (ISO UTC "…Z" or null), guid,
                          feed_link (the link as written in the feed), feed_urls (with {date}),
                          feed_dates, versions [{feed_date, title, summary, updated_at}],
                          body_paragraphs, body_words (whitespace-separated words of the
                          final body), quirks (e.g. "updated", "html_in_text",
                          "sql_like_title", "missing_date", "tracking_params",
                          "non_utc_offset", "charset_mismatch", "in_two_feeds",
                          "duplicated_in_feed", "caption_in_feed", "own_tracking_params",
                          "short_link", "misdeclared_language", "dated_in_json_ld_only";
                          see newsdesk.sample.publishers)
    rejects             [{date, source_id, feed_url, reason, guid, link, title}]
    stories             {story_id: [url, ...]}: the articles reporting one event
    running_stories     {running_story_id: [story_id, ...]}: the episodes of one running story
                        present in the world, in day order (each its own event)
    syndicated_pairs    [[agency_url, copy_url], ...]

For ``fetch_pages`` sources the feed has no author, image or body; the
ground truth's author and image_url are those on the page.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from newsdesk.collect.registry import Feed, Source, dump_registry
from newsdesk.sample import render
from newsdesk.sample.language import (
    CATEGORIES,
    INTERNATIONAL_ORGANISATIONS,
    INTERNATIONAL_PEOPLE,
    INTERNATIONAL_PLACES,
    LANGUAGES,
    VOCABULARIES,
    Vocabulary,
    capitalise,
    role_form,
)
from newsdesk.sample.live import LiveFeed, LiveItem, LiveWorld, Outage, read_live
from newsdesk.sample.model import Article, FeedEntry, FeedSpec, Publisher, Version
from newsdesk.sample.publishers import ALL_PUBLISHERS, FLASH_PUBLISHERS, PUBLISHERS

DEFAULT_SEED = 7
DEFAULT_END_DATE = date(2026, 11, 24)
DEFAULT_PORT = 8642
HOST = "127.0.0.1"
GROUND_TRUTH_FORMAT = 1

REASON_MISSING_TITLE = "missing title"
REASON_MISSING_LINK = "missing link"
REASON_DUPLICATE = "duplicate item"

_STORY_KINDS = ("multi", "wire", "single", "cross")
_STORY_KIND_WEIGHTS = (50, 28, 12, 10)
_RUNNING_STORIES_PER_DAY = 1  # running stories that start on a day
_RUNNING_EPISODES = (2, 2, 3)  # a running story's episodes, one a day
_UPDATE_SHARE = 0.08
_TRACKING_QUERY = "?utm_source=rss&utm_medium=feed"
# A file `site/<path>.redirect` holding a URL makes the server answer <path> with a 301 there.
REDIRECT_SUFFIX = ".redirect"
_STAFF_SIZE = 5
_DAY_SECONDS = 86400
_SPREAD_SECONDS = 4 * 3600  # how long after the first publisher the others follow
_FLASHES_PER_DAY = 24
_FLASHES_PER_EVENT = 4  # a first report and follow-ups, on a day with enough events
_OUTAGE_SOURCE = "scheldebode"
_SLUG_TRANSLATION = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "œ": "oe"})


@dataclass(frozen=True)
class WorldSummary:
    out_dir: Path
    registry_path: Path
    ground_truth_path: Path
    dates: tuple[date, ...]
    sources: int
    articles: int  # distinct valid articles (distinct canonical URLs)


def daily_fetch_clock(day: date) -> datetime:
    """The sample world's clock when news_daily collects date D: midnight after D, UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)


def generate_world(
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    end_date: date = DEFAULT_END_DATE,
    days: int = 5,
    stories_per_day: int = 12,
    port: int = DEFAULT_PORT,
) -> WorldSummary:
    """Write the registry, the site and the ground truth for ``days`` days ending on ``end_date``.

    ``port`` is written into every URL, so serve the world with
    ``SampleServer(out_dir, port=port)``; to use a free port, pick it first.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if stories_per_day < 0:
        raise ValueError(f"stories_per_day must not be negative, got {stories_per_day}")
    if not 0 < port < 65536:
        raise ValueError(
            f"port must be the port the sample server will listen on (1-65535), got {port}; "
            "the registry and the pages embed it, so pick a free port first and pass it to both"
        )
    out_dir = Path(out_dir)
    dates = tuple(end_date - timedelta(days=days - 1 - i) for i in range(days))
    world = _World(seed, port, dates)
    site = out_dir / "site"
    if site.exists():
        shutil.rmtree(site)  # a smaller world must not keep a bigger one's files
    writer = _SiteWriter(site)
    truth = _GroundTruth()

    live = _LiveFeeds(world)
    carried: list[Article] = []
    for index, day in enumerate(dates):
        next_day = dates[index + 1] if index + 1 < len(dates) else None
        generator = _DayGenerator(world, day, next_day)
        generator.generate(stories_per_day)
        generator.write(writer, carried, truth, live)
        carried = generator.updated_tomorrow()

    truth.add_live(world, live)
    live.world_state(dates).write(out_dir)
    _write_site_frame(world, writer)
    registry_path = out_dir / "registry.yaml"
    dump_registry(world.registry_sources(), registry_path)
    ground_truth_path = out_dir / "ground_truth.json"
    truth.write(ground_truth_path, world)
    return WorldSummary(
        out_dir=out_dir,
        registry_path=registry_path,
        ground_truth_path=ground_truth_path,
        dates=dates,
        sources=len(ALL_PUBLISHERS),
        articles=truth.article_count,
    )


def load_ground_truth(world_dir: Path) -> dict:
    """The ground truth generate_world wrote into ``world_dir``."""
    path = Path(world_dir) / "ground_truth.json"
    if not path.exists():
        raise FileNotFoundError(f"no ground truth at {path}: generate the sample world there first")
    return json.loads(path.read_text(encoding="utf-8"))


def feed_as_fetched(world_dir: Path, feed_url: str, day: date) -> bytes | None:
    """A feed as news_daily's fetch for date D finds it: D's archive file, or a live feed's view at
    daily_fetch_clock(D); None when its source is down then."""
    path = feed_url.split("://", 1)[1].split("/", 1)[1].replace("{date}", day.isoformat())
    live, clock = read_live(Path(world_dir)), daily_fetch_clock(day)
    if live is not None and live.is_down(path.split("/", 1)[0], clock):
        return None
    if live is not None and path in live.feeds:
        return live.feeds[path].render(clock)
    return (Path(world_dir) / "site" / path).read_bytes()


class _World:
    """Fixed facts shared by all days: the publishers, their staff, URLs."""

    def __init__(self, seed: int, port: int, dates: tuple[date, ...]):
        self.seed = seed
        self.port = port
        self.dates = dates
        self.base_url = f"http://{HOST}:{port}"
        self.staff = {p.id: _staff(seed, p) for p in ALL_PUBLISHERS}
        self.styles = {p.id: _house_style(seed, p) for p in ALL_PUBLISHERS}
        self.wires = {p.language: p for p in PUBLISHERS if p.wire}
        self.writers = {
            (language, category): [
                p for p in PUBLISHERS if p.language == language and not p.wire and p.carries(category)
            ]
            for language in LANGUAGES
            for category in CATEGORIES
        }
        # Trap items go to sources whose feeds hold the whole article, so the
        # expected text never depends on fetching a page.
        self.full_feed_sources = [p for p in PUBLISHERS if not p.fetch_pages]
        self.trap_hosts = [p for p in self.full_feed_sources if not p.wire]
        self.english_hosts = [p for p in PUBLISHERS if p.language == "en" and not p.wire]

    def running_stories(self, start: date) -> list[_RunningStory]:
        """The running stories whose first episode is on `start`: drawn from (seed, start) alone."""
        rng = random.Random(f"{self.seed}:running:{start.isoformat()}")
        stories = []
        for number in range(_RUNNING_STORIES_PER_DAY):
            language, category = rng.choice(LANGUAGES), rng.choice(CATEGORIES)
            vocab = VOCABULARIES[language]
            episodes = [_pick_choices(rng, vocab, category)]
            for _ in range(rng.choice(_RUNNING_EPISODES) - 1):
                episodes.append(_next_episode(rng, episodes[-1], len(vocab.events[category])))
            stories.append(_RunningStory(f"{start:%Y%m%d}-r{number + 1}", start, language, category, tuple(episodes)))
        return stories

    def episodes_on(self, day: date) -> list[tuple[_RunningStory, int]]:
        """(running story, episode index) of every running story with an episode on `day`."""
        return [
            (story, back)
            for back in range(max(_RUNNING_EPISODES))
            for story in self.running_stories(day - timedelta(days=back))
            if back < len(story.episodes)
        ]

    def homepage(self, publisher: Publisher) -> str:
        return f"{self.base_url}/{publisher.id}/"

    def feed_url(self, publisher: Publisher, feed: FeedSpec) -> str:
        """A live feed's one URL, or an archive feed's with the registry's {date} placeholder."""
        if publisher.live:
            return f"{self.base_url}/{live_path(publisher, feed)}"
        return f"{self.base_url}/{publisher.id}/{{date}}/{feed.file_name()}"

    def registry_sources(self) -> list[Source]:
        return [
            Source(
                id=p.id,
                name=p.name,
                country=p.country,
                language=p.language,
                homepage=self.homepage(p),
                feeds=tuple(Feed(url=self.feed_url(p, f), kind=f.kind, category=f.category) for f in p.feeds),
                local=True,
                fetch_pages=p.fetch_pages,
                collect_every_minutes=p.collect_every_minutes,
                tracking_params=frozenset(p.own_tracking),
                short_links=(f"{urlsplit(self.base_url).netloc}/go/",) if p.short_links else (),
            )
            for p in ALL_PUBLISHERS
        ]


def live_path(publisher: Publisher, feed: FeedSpec) -> str:
    """A live feed's path on the site (no date in it)."""
    return f"{publisher.id}/{feed.file_name()}"


def _staff(seed: int, publisher: Publisher) -> tuple[str, ...]:
    """A publisher's journalists: invented names in its language, fixed per seed."""
    vocab = VOCABULARIES[publisher.language]
    rng = random.Random(f"{seed}:staff:{publisher.id}")
    names: list[str] = []
    while len(names) < _STAFF_SIZE:
        first = rng.choice(vocab.female_first_names + vocab.male_first_names)
        name = f"{first} {rng.choice(vocab.last_names)}"
        if name not in names:
            names.append(name)
    return tuple(names)


def _house_style(seed: int, publisher: Publisher) -> tuple[tuple[str, str], ...]:
    """The rewordings a publisher always applies to its own copy, fixed per seed."""
    rng = random.Random(f"{seed}:style:{publisher.id}")
    return tuple(pair for pair in VOCABULARIES[publisher.language].house_styles if rng.random() < 0.5)


def _restyle(paragraphs: tuple[str, ...], style: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    restyled = []
    for paragraph in paragraphs:
        for phrase, alternative in style:
            paragraph = paragraph.replace(phrase, alternative)
        restyled.append(paragraph)
    return tuple(restyled)


@dataclass(frozen=True)
class _Choices:
    """A story's entities as positions in the vocabulary lists (shared across languages for world stories)."""

    person: int
    person_female: bool
    person_last: int
    other: int
    other_female: bool
    other_last: int
    role: int
    other_role: int
    place: int
    org: int
    noun: int
    noun2: int
    number: int
    count: int
    percent: float
    amount: int
    small: int
    event: int  # which of the category's events the story reports


@dataclass(frozen=True)
class _RunningStory:
    """A story that runs over consecutive days: one episode a day, each its own event and its own story.

    The episodes share the people, place, organisation and topic; each
    reports another event with new figures (a next step of the same story),
    so the ground truth links them as one running story, not one event.
    """

    id: str
    start: date
    language: str
    category: str
    episodes: tuple[_Choices, ...]


def _pick_choices(rng: random.Random, vocab: Vocabulary, category: str) -> _Choices:
    world = category == "world"
    people = rng.sample(range(len(INTERNATIONAL_PEOPLE)), 2) if world else [0, 0]
    roles = rng.sample(range(len(vocab.roles[category])), 2)
    nouns = rng.sample(range(len(vocab.nouns[category])), 2)
    female, other_female = rng.random() < 0.5, rng.random() < 0.5
    first_names = len(vocab.female_first_names)  # the female and male lists have the same length
    places = INTERNATIONAL_PLACES[vocab.code] if world else vocab.places
    organisations = INTERNATIONAL_ORGANISATIONS if world else vocab.organisations[category]
    return _Choices(
        person=people[0] if world else rng.randrange(first_names),
        person_female=INTERNATIONAL_PEOPLE[people[0]][1] if world else female,
        person_last=rng.randrange(len(vocab.last_names)),
        other=people[1] if world else rng.randrange(first_names),
        other_female=INTERNATIONAL_PEOPLE[people[1]][1] if world else other_female,
        other_last=rng.randrange(len(vocab.last_names)),
        role=roles[0],
        other_role=roles[1],
        place=rng.randrange(len(places)),
        org=rng.randrange(len(organisations)),
        noun=nouns[0],
        noun2=nouns[1],
        number=rng.randrange(12, 4800) * 10,
        count=rng.randrange(20, 900) * 5,
        percent=rng.randrange(5, 185) / 10,
        amount=rng.randrange(2, 950),
        small=rng.randrange(2, 19),
        event=rng.randrange(len(vocab.events[category])),
    )


def _next_episode(rng: random.Random, choices: _Choices, events: int) -> _Choices:
    """The next episode of a running story: the same people, place and topic; another event, new figures."""
    return replace(
        choices,
        event=(choices.event + rng.randrange(1, events)) % events,
        number=rng.randrange(12, 4800) * 10,
        count=rng.randrange(20, 900) * 5,
        percent=rng.randrange(5, 185) / 10,
        amount=rng.randrange(2, 950),
        small=rng.randrange(2, 19),
    )


def _person(vocab: Vocabulary, category: str, index: int, female: bool, last: int) -> tuple[str, str]:
    """(full name, surname as written alone)."""
    if category == "world":
        name = INTERNATIONAL_PEOPLE[index][0]
        return name, name.rsplit(" ", 1)[1]
    first = (vocab.female_first_names if female else vocab.male_first_names)[index]
    last_name = vocab.last_names[last]
    return f"{first} {last_name}", capitalise(last_name)


def _slots(vocab: Vocabulary, category: str, c: _Choices, weekday: int) -> dict[str, str]:
    person, surname = _person(vocab, category, c.person, c.person_female, c.person_last)
    other, _ = _person(vocab, category, c.other, c.other_female, c.other_last)
    role = role_form(vocab.roles[category][c.role], c.person_female)
    other_role = role_form(vocab.roles[category][c.other_role], c.other_female)
    noun = vocab.nouns[category][c.noun]
    noun2 = vocab.nouns[category][c.noun2]
    world = category == "world"
    return {
        "person": person,
        "surname": surname,
        "role": role,
        "Role": capitalise(role),
        "other": other,
        "other_role": other_role,
        "Other_role": capitalise(other_role),
        "place": (INTERNATIONAL_PLACES[vocab.code] if world else vocab.places)[c.place],
        "org": (INTERNATIONAL_ORGANISATIONS if world else vocab.organisations[category])[c.org],
        "noun": noun,
        "Noun": capitalise(noun),
        "noun_bare": noun.split(" ", 1)[1],
        "Noun_bare": capitalise(noun.split(" ", 1)[1]),
        "noun2": noun2,
        "noun2_bare": noun2.split(" ", 1)[1],
        "number": vocab.format_number(c.number),
        "count": vocab.format_number(c.count),
        "percent": vocab.format_decimal(c.percent),
        "amount": str(c.amount),
        "small": str(c.small),
        "weekday": vocab.weekdays[weekday],
    }


class _StoryText:
    """A story's sentences and titles in one language, rendered once for all its articles.

    The story reports one event: every title is a wording of that event's
    headline, and every report opens with its lead sentence.
    """

    def __init__(self, rng: random.Random, vocab: Vocabulary, category: str, choices: _Choices, weekday: int):
        slots = _slots(vocab, category, choices, weekday)
        event = vocab.events[category][choices.event]
        self.vocab = vocab
        self.place = slots["place"]
        self.lead = event.lead.format_map(slots)
        self.context = [t.format_map(slots) for t in vocab.sentences[category]]
        self.others = [t.format_map(slots) for t in vocab.generic_sentences]
        self.updates = [t.format_map(slots) for t in vocab.update_sentences]
        self.titles = [t.format_map(slots) for t in event.titles]
        rng.shuffle(self.titles)
        self._titles_taken = 0

    def take_title(self) -> str:
        """The next wording of the event's title; publishers of one story get different ones while there are enough."""
        title = self.titles[self._titles_taken % len(self.titles)]
        self._titles_taken += 1
        return title

    def compose(self, rng: random.Random) -> tuple[str, ...]:
        """4-11 paragraphs: the event's lead (and maybe a context sentence), then 1-3 sentences each, no sentence twice.

        An update or a wire credit line may add a twelfth.
        """
        order = rng.sample(self.context, len(self.context))
        lead_size = rng.randint(0, 1)
        pool = order[lead_size:] + self.others
        rng.shuffle(pool)
        paragraphs = [" ".join([self.lead, *order[:lead_size]])]
        position = 0
        for _ in range(rng.randint(3, 10)):
            if position >= len(pool):
                break
            size = rng.choice((1, 1, 2, 2, 3))
            paragraphs.append(" ".join(pool[position : position + size]))
            position += size
        return tuple(paragraphs)


def _slugify(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title.translate(_SLUG_TRANSLATION))
    ascii_title = decomposed.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")


def _publisher_quirks(publisher: Publisher, category: str) -> list[str]:
    quirks = []
    if publisher.tracking:
        quirks.append("tracking_params")
    quirks += [
        quirk
        for quirk, present in (
            ("caption_in_feed", publisher.captions),
            ("own_tracking_params", bool(publisher.own_tracking)),
            ("short_link", publisher.short_links),
            ("misdeclared_language", publisher.declared_language is not None),
            ("dated_in_json_ld_only", publisher.dated_in_json_ld_only),
        )
        if present
    ]
    if not publisher.writes_utc:
        quirks.append("non_utc_offset")
    if publisher.feed_encoding != "utf-8":
        quirks.append("charset_mismatch")
    if len(publisher.feeds_for(category)) > 1:
        quirks.append("in_two_feeds")
    return quirks


@dataclass(frozen=True)
class _Told:
    """One event of the day as told in one language: what a flash desk can report too."""

    story_id: str
    category: str
    text: _StoryText
    first: int  # seconds after midnight of its first report


@dataclass
class _Reject:
    publisher: Publisher
    feed: FeedSpec
    entry: FeedEntry
    reason: str


class _DayGenerator:
    """Everything first published on one day, and that day's feed files."""

    def __init__(self, world: _World, day: date, next_day: date | None):
        self.world = world
        self.day = day
        self.next_day = next_day
        self.rng = random.Random(f"{world.seed}:{day.isoformat()}")
        self.start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        self.articles: list[Article] = []
        self.stories: dict[str, list[str]] = {}
        self.pairs: list[tuple[str, str]] = []
        self.rejects: list[_Reject] = []
        self.duplicate_of: Article | None = None
        self.running: dict[str, str] = {}  # running story id -> the story id of today's episode
        self.told: dict[str, list[_Told]] = {}  # language -> the day's events told in it
        self._stories_made = 0
        self._items_made = 0

    # --- stories -------------------------------------------------------

    def generate(self, stories_per_day: int) -> None:
        """`stories_per_day` stories: first today's episodes of running stories, then new stories."""
        episodes = self.world.episodes_on(self.day)[:stories_per_day]
        for running, index in episodes:
            self._episode(running, index)
        for _ in range(stories_per_day - len(episodes)):
            self._story()
        self._trap_articles()
        self._bad_items()

    def _new_story(
        self, languages: list[str], category: str, choices: _Choices | None = None
    ) -> tuple[str, dict[str, _StoryText]]:
        self._stories_made += 1
        story_id = f"{self.day:%Y%m%d}-{self._stories_made:04d}"
        choices = choices or _pick_choices(self.rng, VOCABULARIES[languages[0]], category)
        weekday = self.day.weekday()
        texts = {lang: _StoryText(self.rng, VOCABULARIES[lang], category, choices, weekday) for lang in languages}
        return story_id, texts

    def _story(self) -> None:
        rng = self.rng
        kind = rng.choices(_STORY_KINDS, _STORY_KIND_WEIGHTS)[0]
        if kind == "cross":
            category = "world"
            languages = rng.sample(LANGUAGES, rng.choice((2, 3)))
        else:
            category = rng.choice(CATEGORIES)
            languages = [rng.choice(LANGUAGES)]
        story_id, texts = self._new_story(languages, category)
        first = rng.randrange(_DAY_SECONDS)
        for language, text in texts.items():
            self.told.setdefault(language, []).append(_Told(story_id, category, text, first))
        if kind == "wire":
            self._wire_story(story_id, category, texts[languages[0]], first)
            return
        for language in languages:
            writers = self.world.writers[(language, category)]
            if kind == "multi":
                count = rng.randint(2, min(5, len(writers)))
            elif kind == "cross":
                count = rng.randint(1, min(3, len(writers)))
            else:
                count = 1
            self._own_words(story_id, category, texts[language], rng.sample(writers, count), first)

    def _episode(self, running: _RunningStory, index: int) -> None:
        """Today's episode of a running story: 2-4 publishers of its language, in their own words."""
        story_id, texts = self._new_story([running.language], running.category, running.episodes[index])
        writers = self.world.writers[(running.language, running.category)]
        publishers = self.rng.sample(writers, self.rng.randint(2, min(4, len(writers))))
        first = self.rng.randrange(_DAY_SECONDS)
        text = texts[running.language]
        self.told.setdefault(running.language, []).append(_Told(story_id, running.category, text, first))
        self._own_words(story_id, running.category, text, publishers, first)
        self.running[running.id] = story_id

    def _own_words(
        self, story_id: str, category: str, text: _StoryText, publishers: list[Publisher], first: int
    ) -> None:
        for index, publisher in enumerate(publishers):
            seconds = first if index == 0 else self._later(first, 0, _SPREAD_SECONDS)
            article = self._article(publisher, story_id, category, text, seconds)
            self._maybe_update(article, text)

    def _wire_story(self, story_id: str, category: str, text: _StoryText, first: int) -> None:
        rng = self.rng
        agency = self.world.wires[text.vocab.code]
        original = self._article(agency, story_id, category, text, first)
        self._maybe_update(original, text)
        writers = self.world.writers[(text.vocab.code, category)]
        syndicators = rng.sample(writers, min(rng.randint(1, 3), len(writers)))
        agency_copy = original.versions[0]
        for publisher in syndicators:
            paragraphs = list(agency_copy.paragraphs)
            variant = rng.randrange(3)
            if variant == 1 and len(paragraphs) > 4:
                paragraphs.pop()  # the closing paragraph dropped
            elif variant == 2:
                paragraphs.append(text.vocab.wire_credit.format(agency=agency.agency_credit))
            title = agency_copy.title if rng.random() < 0.5 else text.vocab.wire_title_prefix + agency_copy.title
            copy = self._article(
                publisher,
                story_id,
                category,
                text,
                self._later(first, 300, 5400),
                title=title,
                paragraphs=tuple(paragraphs),
                syndicated_from=original.url,
                author=agency.agency_credit,
            )
            self.pairs.append((original.url, copy.url))
        others = [w for w in writers if w not in syndicators]
        own = rng.sample(others, min(rng.randint(0, 3), len(others)))
        self._own_words(story_id, category, text, own, self._later(first, 0, _SPREAD_SECONDS))

    def _later(self, seconds: int, low: int, high: int) -> int:
        """A moment ``low``-``high`` seconds after ``seconds``, or between it and midnight if that is too late."""
        later = seconds + self.rng.randrange(low, high)
        return later if later < _DAY_SECONDS else self.rng.randrange(seconds, _DAY_SECONDS)

    def _article(
        self,
        publisher: Publisher,
        story_id: str,
        category: str,
        text: _StoryText,
        seconds: int | None,
        *,
        title: str | None = None,
        paragraphs: tuple[str, ...] | None = None,
        syndicated_from: str | None = None,
        author: str | None = None,
        register: bool = True,
    ) -> Article:
        """Write one article of a story (seconds None: the source gives no date).

        Unregistered articles are only templates for broken feed items.
        """
        rng = self.rng
        title = title or text.take_title()
        paragraphs = paragraphs or _restyle(text.compose(rng), self.world.styles[publisher.id])
        if syndicated_from is None:
            author = publisher.agency_credit if publisher.wire else rng.choice(self.world.staff[publisher.id])
        if not publisher.bylines:
            author = None
        self._items_made += 1
        slug = f"{_slugify(title)}-{self._items_made}"
        url = f"{self.world.base_url}/{publisher.id}/{self.day:%Y/%m/%d}/{slug}.html"
        link = url + _TRACKING_QUERY if publisher.tracking else url
        if publisher.own_tracking:
            link += ("&" if "?" in link else "?") + "&".join(f"{name}=1490" for name in publisher.own_tracking)
        if publisher.short_links:
            link = f"{self.world.base_url}/go/{publisher.id}/{self.day:%Y%m%d}-{self._items_made}"
        published = None if seconds is None else self.start + timedelta(seconds=seconds)
        image = f"{self.world.base_url}/{publisher.id}/images/{self.day:%Y/%m/%d}/{slug}.jpg"
        # Atom always states an update time (at least the publication time); RSS only after an update.
        updated = published if publisher.kind == "atom" else None
        article = Article(
            publisher=publisher,
            story_id=story_id,
            category=category,
            url=url,
            link=link,
            guid=self._guid(publisher, link),
            slug=slug,
            author=author,
            image_url=image if publisher.bylines else None,
            published=published,
            versions=[Version(self.day, title, paragraphs[0], paragraphs, updated)],
            syndicated_from=syndicated_from,
            quirks=_publisher_quirks(publisher, category),
        )
        if register:
            self.articles.append(article)
            self.stories.setdefault(story_id, []).append(url)
        return article

    def _guid(self, publisher: Publisher, link: str | None) -> str:
        if publisher.kind == "atom":
            return f"tag:{publisher.id}.sample.invalid,{self.day.isoformat()}:{self._items_made}"
        if publisher.permalink_guids and link is not None:
            return link
        return f"{publisher.id}-{self.day:%Y%m%d}-{self._items_made:05d}"

    def _maybe_update(self, article: Article, text: _StoryText) -> None:
        """Sometimes the article is reworded the next day under the same URL."""
        rng = self.rng
        if article.publisher.fetch_pages or rng.random() >= _UPDATE_SHARE:
            return
        # Drawn even when there is no next day, so a day's content never depends on the world's length.
        seconds = rng.randrange(_DAY_SECONDS)
        sentence = rng.choice(text.updates)
        title = text.take_title()
        if title == article.versions[0].title:
            title = text.take_title()
        if self.next_day is None:
            return
        next_start = datetime(self.next_day.year, self.next_day.month, self.next_day.day, tzinfo=UTC)
        paragraphs = (sentence,) + article.versions[0].paragraphs
        updated = next_start + timedelta(seconds=seconds)
        article.versions.append(Version(self.next_day, title, sentence, paragraphs, updated))
        article.quirks.append("updated")

    # --- traps ---------------------------------------------------------

    def _singleton(
        self, publisher: Publisher, *, dated: bool = True, title_for: Callable[[_StoryText], str] | None = None
    ) -> Article:
        """A one-publisher story used to carry a trap."""
        category = self.rng.choice([c for c in CATEGORIES if publisher.carries(c)])
        story_id, texts = self._new_story([publisher.language], category)
        text = texts[publisher.language]
        seconds = self.rng.randrange(_DAY_SECONDS)
        title = title_for(text) if title_for else None
        return self._article(publisher, story_id, category, text, seconds if dated else None, title=title)

    def _trap_articles(self) -> None:
        rng = self.rng
        article = self._singleton(rng.choice(self.world.trap_hosts))
        version = article.versions[0]
        first_word, rest = version.summary.split(" ", 1)
        article.markup_title = f"<b>{render.text(version.title)}</b> &#8211; &quot;live&quot; &amp; <i>video</i>"
        article.markup_summary = (
            f"<p><b>{render.text(first_word)}</b> {render.text(rest)}</p> <script>alert(1)</script>"
        )
        version.title = f'{version.title} – "live" & video'
        article.quirks.append("html_in_text")

        article = self._singleton(
            rng.choice(self.world.english_hosts),
            title_for=lambda text: f'O\'Brien says "DROP TABLE articles"; -- hearing in {text.place} adjourned',
        )
        article.quirks.append("sql_like_title")

        article = self._singleton(rng.choice(self.world.trap_hosts), dated=False)
        article.quirks.append("missing_date")

    def _bad_items(self) -> None:
        rng = self.rng
        publisher = rng.choice(self.world.full_feed_sources)
        entry, feed = self._loose_entry(publisher)
        self.rejects.append(_Reject(publisher, feed, replace(entry, title=None), REASON_MISSING_TITLE))

        publisher = rng.choice(PUBLISHERS)
        entry, feed = self._loose_entry(publisher)
        guid = f"urn:newsdesk-sample:{publisher.id}:{self.day.isoformat()}:{self._items_made}"
        broken = replace(entry, link=None, guid=guid, guid_is_link=False)
        self.rejects.append(_Reject(publisher, feed, broken, REASON_MISSING_LINK))

        # a story's article, not a trap: a trap's test reads its one feed entry
        traps = {"html_in_text", "sql_like_title", "missing_date"}
        self.duplicate_of = rng.choice([article for article in self.articles if not traps & set(article.quirks)])
        self.duplicate_of.quirks.append("duplicated_in_feed")

    def _loose_entry(self, publisher: Publisher) -> tuple[FeedEntry, FeedSpec]:
        """A feed item that belongs to no valid article (it is going to be broken)."""
        rng = self.rng
        feed = rng.choice(publisher.feeds)
        category = rng.choice([c for c in CATEGORIES if feed.carries(c)])
        choices = _pick_choices(rng, VOCABULARIES[publisher.language], category)
        text = _StoryText(rng, VOCABULARIES[publisher.language], category, choices, self.day.weekday())
        article = self._article(publisher, "", category, text, rng.randrange(_DAY_SECONDS), register=False)
        return _entry(article, article.versions[0], feed), feed

    # --- output --------------------------------------------------------

    def updated_tomorrow(self) -> list[Article]:
        return [a for a in self.articles if len(a.versions) > 1]

    def write(self, writer: _SiteWriter, carried: list[Article], truth: _GroundTruth, live: _LiveFeeds) -> None:
        """Write the day's archive feeds and pages, give live feeds their items, add the day to the ground truth."""
        world = self.world
        # Each item with the canonical URL it counts for, or the reason it is rejected.
        feeds: dict[tuple[str, str], list[tuple[FeedEntry, str | None, str | None]]] = {
            (p.id, f.path): [] for p in PUBLISHERS for f in p.feeds
        }
        for article, version in [(a, a.versions[0]) for a in self.articles] + [(a, a.versions[-1]) for a in carried]:
            for feed in article.publisher.feeds_for(article.category):
                feeds[(article.publisher.id, feed.path)].append((_entry(article, version, feed), article.url, None))
        for reject in self.rejects:
            feeds[(reject.publisher.id, reject.feed.path)].append((reject.entry, None, reject.reason))
        for items in feeds.values():
            items.sort(key=lambda item: (-item[0].sort_seconds, item[0].guid))
        duplicate = self.duplicate_of
        if duplicate is not None:
            feed = duplicate.publisher.feeds_for(duplicate.category)[0]
            entry = _entry(duplicate, duplicate.versions[0], feed)
            # Appended last, so the copy is the second occurrence.
            feeds[(duplicate.publisher.id, feed.path)].append((entry, None, REASON_DUPLICATE))
        live.add_day(self, feeds)

        by_source: dict[str, dict[str, int]] = {p.id: {"items": 0, "records": 0, "rejects": 0} for p in PUBLISHERS}
        valid_urls: set[str] = set()
        for publisher in PUBLISHERS:
            if publisher.live:  # counted from the live feeds' views, see _GroundTruth.add_live
                continue
            for feed in publisher.feeds:
                items = feeds[(publisher.id, feed.path)]
                entries = [entry for entry, _, _ in items]
                feed_url = world.feed_url(publisher, feed).replace("{date}", self.day.isoformat())
                title = publisher.name if not feed.path else f"{publisher.name} – {feed.path}"
                render_feed = render.render_rss if feed.kind == "rss" else render.render_atom
                writer.write(
                    f"{publisher.id}/{self.day.isoformat()}/{feed.file_name()}",
                    render_feed(publisher, feed_url, world.homepage(publisher), title, self.day, entries),
                )
                counts = by_source[publisher.id]
                for entry, url, reason in items:
                    counts["items"] += 1
                    if reason is None:
                        counts["records"] += 1
                        valid_urls.add(url)
                    else:
                        counts["rejects"] += 1
                        truth.add_reject(self.day, publisher, feed_url, entry, reason)
        flashes = _flashes(world, self.day, self.told)
        for flash in flashes:
            self.stories.setdefault(flash.story_id, []).append(flash.url)
        live.add_flashes(flashes)
        self._write_pages(writer, flashes)
        truth.add_day(self, by_source, len(valid_urls), flashes)

    def _write_pages(self, writer: _SiteWriter, flashes: list[Article]) -> None:
        world = self.world
        by_publisher: dict[str, list[Article]] = {}
        for article in self.articles + flashes:
            by_publisher.setdefault(article.publisher.id, []).append(article)
        for publisher_id, articles in by_publisher.items():
            publisher = articles[0].publisher
            chrome = VOCABULARIES[publisher.language].chrome
            nav = [c for c in CATEGORIES if publisher.carries(c)]
            homepage = world.homepage(publisher)
            count = len(articles)
            for index, article in enumerate(articles):
                related = [articles[(index + step) % count] for step in range(1, min(4, count))]
                writer.write(
                    f"{publisher_id}/{self.day:%Y/%m/%d}/{article.slug}.html",
                    render.render_page(article, homepage, chrome, nav, related),
                )
                if publisher.short_links:  # the server answers a short link with a redirect to the article
                    short_path = article.link.removeprefix(world.base_url + "/")
                    writer.write(f"{short_path}{REDIRECT_SUFFIX}", article.url.encode("utf-8"))


def _flashes(world: _World, day: date, told: dict[str, list[_Told]]) -> list[Article]:
    """A flash publisher's day: about one short item an hour, the last one corrected 30-90 minutes after midnight.

    As a flash desk does, each item is a first report or a follow-up of one of the day's events in its
    language: the one that broke last by then among those with the fewest flashes, or, before any has
    broken, the next to break (the desk is first). Up to `_FLASHES_PER_EVENT` an event, more on a day with
    few events; none on a day without one. Drawn from their own random stream, so the other publishers'
    articles do not change.
    """
    articles = []
    for publisher in FLASH_PUBLISHERS:
        rng = random.Random(f"{world.seed}:flash:{publisher.id}:{day.isoformat()}")
        events = [event for event in told.get(publisher.language, []) if publisher.carries(event.category)]
        if not events:
            continue  # nothing in its language today: the desk is quiet
        flashed = dict.fromkeys((event.story_id for event in events), 0)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        desk: list[Article] = []
        # a slow day's few events get more follow-ups: the desk keeps its pace around the clock
        per_event = max(_FLASHES_PER_EVENT, -(-_FLASHES_PER_DAY // len(events)))
        for number in range(1, _FLASHES_PER_DAY + 1):
            seconds = (number - 1) * 3600 + rng.randrange(3600)
            open_events = [event for event in events if flashed[event.story_id] < per_event]
            broken = [event for event in open_events if event.first <= seconds] or [
                min(open_events, key=lambda e: (e.first, e.story_id))
            ]
            event = min(broken, key=lambda e: (flashed[e.story_id], -e.first, e.story_id))
            flashed[event.story_id] += 1
            story_id, category, text = event.story_id, event.category, event.text
            title = text.take_title()
            paragraphs = (text.lead, rng.choice(text.others))
            published = start + timedelta(seconds=seconds)
            slug = f"{_slugify(title)}-f{number}"
            url = f"{world.base_url}/{publisher.id}/{day:%Y/%m/%d}/{slug}.html"
            article = Article(
                publisher=publisher,
                story_id=story_id,
                category=category,
                url=url,
                link=url,
                guid=f"{publisher.id}-{day:%Y%m%d}-{number:02d}",
                slug=slug,
                author=rng.choice(world.staff[publisher.id]),
                image_url=None,
                published=published,
                versions=[Version(day, title, paragraphs[0], paragraphs, None)],
                quirks=["flash"],
            )
            desk.append(article)
        articles += desk
        last = desk[-1]
        corrected = start + timedelta(days=1, seconds=rng.randrange(1800, 5400))
        sentence = rng.choice(text.updates)  # the last flash's own story text
        paragraphs = (sentence,) + last.versions[0].paragraphs
        last.versions.append(
            Version(corrected.date(), f"{last.versions[0].title} (update)", sentence, paragraphs, corrected)
        )
        last.quirks.append("updated")
    return articles


def _entry(article: Article, version: Version, feed: FeedSpec) -> FeedEntry:
    """The feed item for one version of an article in one feed."""
    publisher = article.publisher
    full = not publisher.fetch_pages
    markup = article.markup_title is not None
    content = None
    if full:
        content = render.body_html(version.paragraphs)
        if markup:
            lead, rest = render.body_html(version.paragraphs[:1]), render.body_html(version.paragraphs[1:])
            content = f"{lead}\n<script>alert(1)</script>\n{rest}"
    moment = version.updated or article.published
    caption = None
    if publisher.captions and article.image_url is not None:
        caption = f"{VOCABULARIES[publisher.language].chrome.photo}: {article.author or publisher.name}"
    return FeedEntry(
        title=article.markup_title if markup else version.title,
        link=article.link,
        guid=article.guid,
        guid_is_link=publisher.permalink_guids and publisher.kind == "rss",
        published=None if publisher.dated_in_json_ld_only else article.published,
        updated=version.updated,
        author=article.author if full else None,
        category=article.category if feed.category is None else None,
        summary=article.markup_summary if markup else version.summary,
        content_html=content,
        image_url=article.image_url if full or caption else None,
        image_caption=caption,
        markup=markup,
        sort_seconds=int(moment.timestamp()) if moment else 0,
    )


class _SiteWriter:
    """Writes files under the site folder, creating each folder once."""

    def __init__(self, root: Path):
        self.root = str(root)
        self._folders: set[str] = set()

    def write(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.root, relative)
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(path, "wb") as handle:
            handle.write(data)


def _write_site_frame(world: _World, writer: _SiteWriter) -> None:
    """robots.txt, the stylesheet, the index and every publisher's homepage."""
    writer.write("robots.txt", b"User-agent: *\nAllow: /\n")
    writer.write("static/site.css", render.STYLESHEET.encode("utf-8"))
    writer.write("index.html", render.render_index([(p, world.homepage(p)) for p in ALL_PUBLISHERS]))
    for publisher in ALL_PUBLISHERS:
        links = (
            [
                (
                    f"{day} {feed.path or publisher.kind}",
                    world.feed_url(publisher, feed).replace("{date}", day.isoformat()),
                )
                for day in world.dates
                for feed in publisher.feeds
            ]
            if not publisher.live
            else [
                (f"latest {feed.path or publisher.kind}", world.feed_url(publisher, feed)) for feed in publisher.feeds
            ]
        )
        chrome = VOCABULARIES[publisher.language].chrome
        writer.write(f"{publisher.id}/index.html", render.render_homepage(publisher, chrome, links))


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else render.iso_utc(moment)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class _LiveFeeds:
    """Every item each live feed will ever list, with the moment it appears, and what each item is."""

    def __init__(self, world: _World) -> None:
        self.world = world
        self.feeds: dict[str, LiveFeed] = {}
        self.items: dict[tuple[str, str], tuple[str | None, str | None, FeedEntry]] = {}  # (path, key) -> url, reason
        self.articles: list[Article] = []
        self._order = 0
        for publisher in ALL_PUBLISHERS:
            for feed in publisher.feeds if publisher.live else ():
                title = publisher.name if not feed.path else f"{publisher.name} – {feed.path}"
                self.feeds[live_path(publisher, feed)] = LiveFeed(
                    publisher.id,
                    feed.kind,
                    world.feed_url(publisher, feed),
                    world.homepage(publisher),
                    title,
                    publisher.live_items,
                )

    def _add(
        self,
        publisher: Publisher,
        feed: FeedSpec,
        key: str,
        visible_from: datetime,
        entry: FeedEntry,
        url: str | None,
        reason: str | None,
    ) -> None:
        path = live_path(publisher, feed)
        xml = render.feed_item(entry, publisher, feed.kind)
        self.feeds[path].items.append(LiveItem(key, visible_from, self._order, xml))
        self._order += 1
        self.items[(path, key)] = (url, reason, entry)

    def _add_article(self, article: Article) -> None:
        """Every version of a live publisher's article, each from the moment it was published or updated."""
        self.articles.append(article)
        fallback = datetime.combine(article.versions[0].feed_date, datetime.min.time(), UTC) + timedelta(
            hours=12
        )  # an item without a date appears at midday
        for feed in article.publisher.feeds_for(article.category):
            for version in article.versions:
                moment = version.updated or article.published or fallback
                self._add(
                    article.publisher, feed, article.guid, moment, _entry(article, version, feed), article.url, None
                )

    def add_day(self, day: _DayGenerator, feeds: dict[tuple[str, str], list]) -> None:
        """The day's new articles of live publishers, and the bad items their feeds carry that day."""
        for article in day.articles:
            if article.publisher.live:
                self._add_article(article)
        midday = day.start + timedelta(hours=12)
        for publisher in PUBLISHERS:
            for feed in publisher.feeds if publisher.live else ():
                for entry, _, reason in feeds[(publisher.id, feed.path)]:
                    if reason is not None:  # a duplicate copy lists after the item it copies
                        key = entry.guid + ("#copy" if reason == REASON_DUPLICATE else "")
                        self._add(publisher, feed, key, entry.published or midday, entry, None, reason)

    def add_flashes(self, flashes: list[Article]) -> None:
        for article in flashes:
            self._add_article(article)

    def world_state(self, dates: tuple[date, ...]) -> LiveWorld:
        """The feeds, the server's default clock (the last date's daily fetch) and the outages: one source
        is down at the daily fetch of the date before the last, and back for the last."""
        outages = []
        if len(dates) >= 2:
            clock = daily_fetch_clock(dates[-2])
            outages.append(Outage(_OUTAGE_SOURCE, clock - timedelta(hours=1), clock + timedelta(hours=2)))
        return LiveWorld(default_clock=daily_fetch_clock(dates[-1]), outages=outages, feeds=self.feeds)


class _GroundTruth:
    """Collects the ground truth day by day as JSON text, so big worlds do not hold every article in memory."""

    def __init__(self) -> None:
        self.expected: dict[str, dict] = {}
        self.articles: list[str] = []
        self.rejects: list[str] = []
        self.stories: list[str] = []
        self.running: dict[str, list[str]] = {}
        self.pairs: list[str] = []
        self.article_count = 0
        self.outages: list[dict] = []

    def add_reject(self, day: date, publisher: Publisher, feed_url: str, entry: FeedEntry, reason: str) -> None:
        record = {
            "date": day.isoformat(),
            "source_id": publisher.id,
            "feed_url": feed_url,
            "reason": reason,
            "guid": entry.guid,
            "link": entry.link,
            "title": entry.title,
        }
        self.rejects.append(_json(record))

    def add_day(
        self, day: _DayGenerator, by_source: dict[str, dict[str, int]], distinct_urls: int, flashes: list[Article]
    ) -> None:
        """The day's archive feeds and articles; live feeds' are added at the end (add_live)."""
        world = day.world
        totals = {key: sum(counts[key] for counts in by_source.values()) for key in ("items", "records", "rejects")}
        self.expected[day.day.isoformat()] = {**totals, "distinct_urls": distinct_urls, "by_source": by_source}
        for article in day.articles:
            if not article.publisher.live:
                self.articles.append(_json(_article_record(world, article)))
        self.article_count += len(day.articles) + len(flashes)
        self.stories.extend(f"{_json(story_id)}: {_json(urls)}" for story_id, urls in day.stories.items())
        for running_id, story_id in day.running.items():
            self.running.setdefault(running_id, []).append(story_id)
        self.pairs.extend(_json(list(pair)) for pair in day.pairs)

    def add_live(self, world: _World, live: _LiveFeeds) -> None:
        """What each date's daily fetch (daily_fetch_clock) finds in the live feeds, and their articles,
        whose feed_dates are the dates whose daily fetch lists them."""
        state = live.world_state(world.dates)
        seen_on: dict[str, set[str]] = {}
        for day in world.dates:
            clock, expected = daily_fetch_clock(day), self.expected[day.isoformat()]
            for publisher in ALL_PUBLISHERS:
                if not publisher.live:
                    continue
                counts = {"items": 0, "records": 0, "rejects": 0}
                valid: set[str] = set()
                for feed in () if state.is_down(publisher.id, clock) else publisher.feeds:
                    path = live_path(publisher, feed)
                    for item in live.feeds[path].view(clock):
                        url, reason, entry = live.items[(path, item.key)]
                        counts["items"] += 1
                        if reason is None:
                            counts["records"] += 1
                            valid.add(url)
                            seen_on.setdefault(url, set()).add(day.isoformat())
                        else:
                            counts["rejects"] += 1
                            self.add_reject(day, publisher, world.feed_url(publisher, feed), entry, reason)
                expected["by_source"][publisher.id] = counts
                for key in counts:
                    expected[key] += counts[key]
                expected["distinct_urls"] += len(valid)
        for article in live.articles:
            record = _article_record(world, article)
            record["feed_dates"] = sorted(seen_on.get(article.url, ()))
            self.articles.append(_json(record))
        self.outages = [
            {"source_id": o.source_id, "from": _iso(o.start), "until": _iso(o.until)} for o in state.outages
        ]

    def write(self, path: Path, world: _World) -> None:
        header = {
            "format": GROUND_TRUTH_FORMAT,
            "seed": world.seed,
            "port": world.port,
            "base_url": world.base_url,
            "dates": [d.isoformat() for d in world.dates],
            "reasons": [REASON_MISSING_TITLE, REASON_MISSING_LINK, REASON_DUPLICATE],
            "sources": {p.id: _source_record(world, p) for p in ALL_PUBLISHERS},
            "daily_fetch_clocks": {d.isoformat(): _iso(daily_fetch_clock(d)) for d in world.dates},
            "outages": self.outages,
            "expected": self.expected,
        }
        with open(path, "w", encoding="utf-8") as out:
            out.write("{\n")
            for key, value in header.items():
                if isinstance(value, dict):  # one entry per line, to keep the file readable
                    value = "{\n" + ",\n".join(f"{_json(k)}: {_json(v)}" for k, v in value.items()) + "\n}"
                else:
                    value = _json(value)
                out.write(f"{_json(key)}: {value},\n")
            out.write('"articles": [\n' + ",\n".join(self.articles) + "\n],\n")
            out.write('"rejects": [\n' + ",\n".join(self.rejects) + "\n],\n")
            out.write('"stories": {\n' + ",\n".join(self.stories) + "\n},\n")
            running = (f"{_json(running_id)}: {_json(ids)}" for running_id, ids in self.running.items())
            out.write('"running_stories": {\n' + ",\n".join(running) + "\n},\n")
            out.write('"syndicated_pairs": [\n' + ",\n".join(self.pairs) + "\n]\n}\n")


def _source_record(world: _World, publisher: Publisher) -> dict:
    return {
        "name": publisher.name,
        "country": publisher.country,
        "language": publisher.language,
        "wire": publisher.wire,
        "flashes": publisher in FLASH_PUBLISHERS,
        "fetch_pages": publisher.fetch_pages,
        "tracking": publisher.tracking,
        "time_zone": publisher.time_zone,
        "feed_encoding": publisher.feed_encoding,
        "bylines": publisher.bylines,
        "live_items": publisher.live_items,
        "collect_every_minutes": publisher.collect_every_minutes,
        "feeds": [
            {"url": world.feed_url(publisher, f), "kind": f.kind, "category": f.category} for f in publisher.feeds
        ],
    }


def _article_record(world: _World, article: Article) -> dict:
    publisher = article.publisher
    final = article.final
    return {
        "url": article.url,
        "source_id": publisher.id,
        "story_id": article.story_id,
        "syndicated_from": article.syndicated_from,
        "language": publisher.language,
        "country": publisher.country,
        "category": article.category,
        "title": final.title,
        "summary": final.summary,
        "author": article.author,
        "image_url": article.image_url,
        "published_at": _iso(article.published),
        "updated_at": _iso(final.updated),
        "guid": article.guid,
        "feed_link": article.link,
        "feed_urls": [world.feed_url(publisher, f) for f in publisher.feeds_for(article.category)],
        "feed_dates": [v.feed_date.isoformat() for v in article.versions],
        "versions": [
            {
                "feed_date": v.feed_date.isoformat(),
                "title": v.title,
                "summary": v.summary,
                "updated_at": _iso(v.updated),
            }
            for v in article.versions
        ],
        "body_paragraphs": len(final.paragraphs),
        "body_words": len(" ".join(final.paragraphs).split()),
        "quirks": article.quirks,
    }
