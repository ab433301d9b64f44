"""Live feeds of the sample world: one URL per feed, showing its latest items as of a clock.

A real feed is not an archive: it lists the publisher's latest N items, so
two fetches an hour apart overlap, a fetch the next day has moved on, an
edited article comes back with its new text, and a busy publisher's feed
turns over within hours. ``generate_world`` writes every item each live feed
will ever list, with the moment it appears, to ``live.json``;
``SampleServer`` renders a feed's view at its clock on each request. Sources
can also be down for a while (``outages``): the server answers 503 then.

``live.json``::

    format          1
    default_clock   ISO UTC: the clock a server starts with (the last date's daily fetch)
    outages         [{source_id, from, until}]: 503 for every URL of the source while from <= clock < until
    feeds           {site path: {publisher_id, kind, feed_url, homepage, title, size,
                                 items: [[key, visible_from, xml], ...]}}

An item's key is the same for every version of one feed item (a later
version replaces the earlier one in the view); items are listed newest
first, by the moment they appeared, ties in the order they were written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

LIVE_FILE = "live.json"
LIVE_FORMAT = 1


@dataclass(frozen=True)
class LiveItem:
    key: str
    visible_from: datetime
    order: int
    xml: str


@dataclass
class LiveFeed:
    publisher_id: str
    kind: str
    feed_url: str
    homepage: str
    title: str
    size: int
    items: list[LiveItem] = field(default_factory=list)

    def view(self, clock: datetime) -> list[LiveItem]:
        """The items the feed lists at `clock`: each item's latest version, newest `size` first."""
        latest: dict[str, LiveItem] = {}
        for item in self.items:
            if item.visible_from <= clock:
                kept = latest.get(item.key)
                if kept is None or (item.visible_from, item.order) > (kept.visible_from, kept.order):
                    latest[item.key] = item
        first_seen = {}
        for item in self.items:
            first_seen.setdefault(item.key, item.order)
        listed = sorted(latest.values(), key=lambda item: (-item.visible_from.timestamp(), first_seen[item.key]))
        return listed[: self.size]

    def render(self, clock: datetime) -> bytes:
        from newsdesk.sample import render
        from newsdesk.sample.publishers import publisher_by_id

        listed = self.view(clock)
        built = max((item.visible_from for item in listed), default=clock)
        return render.feed_document(
            publisher_by_id(self.publisher_id),
            self.kind,
            self.feed_url,
            self.homepage,
            self.title,
            built,
            "".join(item.xml for item in listed),
        )


@dataclass(frozen=True)
class Outage:
    source_id: str
    start: datetime
    until: datetime

    def covers(self, source_id: str, clock: datetime) -> bool:
        return source_id == self.source_id and self.start <= clock < self.until


@dataclass
class LiveWorld:
    default_clock: datetime
    outages: list[Outage]
    feeds: dict[str, LiveFeed]  # by site path, e.g. "scheldebode/rss.xml"

    def is_down(self, source_id: str, clock: datetime) -> bool:
        return any(outage.covers(source_id, clock) for outage in self.outages)

    def write(self, world_dir: Path) -> None:
        document = {
            "format": LIVE_FORMAT,
            "default_clock": _iso(self.default_clock),
            "outages": [
                {"source_id": o.source_id, "from": _iso(o.start), "until": _iso(o.until)} for o in self.outages
            ],
            "feeds": {
                path: {
                    "publisher_id": feed.publisher_id,
                    "kind": feed.kind,
                    "feed_url": feed.feed_url,
                    "homepage": feed.homepage,
                    "title": feed.title,
                    "size": feed.size,
                    "items": [[item.key, _iso(item.visible_from), item.xml] for item in feed.items],
                }
                for path, feed in self.feeds.items()
            },
        }
        (Path(world_dir) / LIVE_FILE).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def read_live(world_dir: Path) -> LiveWorld | None:
    """The live feeds generate_world wrote into ``world_dir``, or None for a world without any."""
    path = Path(world_dir) / LIVE_FILE
    if not path.exists():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    return LiveWorld(
        default_clock=_parse(document["default_clock"]),
        outages=[Outage(o["source_id"], _parse(o["from"]), _parse(o["until"])) for o in document["outages"]],
        feeds={
            path: LiveFeed(
                publisher_id=feed["publisher_id"],
                kind=feed["kind"],
                feed_url=feed["feed_url"],
                homepage=feed["homepage"],
                title=feed["title"],
                size=feed["size"],
                items=[
                    LiveItem(key, _parse(moment), order, xml) for order, (key, moment, xml) in enumerate(feed["items"])
                ],
            )
            for path, feed in document["feeds"].items()
        },
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
