"""The source registry: which publishers to collect, and from which feeds.

A registry is one YAML file::

    sources:
      - id: nos                      # stable, lowercase, [a-z0-9_-]
        name: NOS
        country: NL                  # ISO 3166-1 alpha-2
        language: nl                 # ISO 639-1, the source's main language
        homepage: https://nos.nl/
        local: false                 # true only for loopback sources (the sample world): their feeds may
                                     # name loopback hosts only, and fetching reaches loopback only
        fetch_pages: false           # also fetch each article page for body/author/image
        collect_every_minutes: 60    # longest wait between two fetches (newsdesk.collect.schedule adapts below it)
        tracking_params: [ito]       # the source's own tracking parameters, beyond the ClearURLs rules
        short_links: [cnn.it]        # its link shorteners (a host, or host/path/ prefix), resolved by a fetch
        feeds:
          - url: https://feeds.nos.nl/nosnieuwsalgemeen
            kind: rss                # rss | atom | rdf | jsonfeed | sitemap
            category: general

A feed URL may contain ``{date}`` (YYYY-MM-DD): a date-addressed archive feed,
filled with the run's logical date so a backfill fetches that day's items.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

FEED_KINDS = frozenset({"rss", "atom", "rdf", "jsonfeed", "sitemap"})
_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class RegistryError(ValueError):
    """The registry file is missing a field or holds an invalid value."""


@dataclass(frozen=True)
class Feed:
    url: str
    kind: str
    category: str | None = None

    def url_for(self, day: date) -> str:
        return self.url.replace("{date}", day.isoformat())


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    country: str
    language: str
    homepage: str
    feeds: tuple[Feed, ...] = field(default_factory=tuple)
    local: bool = False
    fetch_pages: bool = False
    collect_every_minutes: int = 60
    tracking_params: frozenset[str] = frozenset()  # lower-cased names
    short_links: tuple[str, ...] = ()


def _require(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RegistryError(f"{where}: missing '{key}'")
    return str(value).strip()


def _boolean(entry: dict, key: str, where: str) -> bool:
    """A yes/no field; a quoted "false" would be true to Python, so anything but a YAML boolean is refused."""
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise RegistryError(f"{where}: '{key}' must be true or false (a YAML boolean, unquoted), got {value!r}")
    return value


def _is_loopback_host(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve anywhere


def _parse_source(entry: dict, index: int) -> Source:
    where = f"source #{index + 1}"
    source_id = _require(entry, "id", where)
    where = f"source '{source_id}'"
    if not _SOURCE_ID.match(source_id):
        raise RegistryError(f"{where}: id must match {_SOURCE_ID.pattern}")
    country = _require(entry, "country", where).upper()
    language = _require(entry, "language", where).lower()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise RegistryError(f"{where}: country must be an ISO 3166-1 alpha-2 code, got {country!r}")
    if not re.fullmatch(r"[a-z]{2}", language):
        raise RegistryError(f"{where}: language must be an ISO 639-1 code, got {language!r}")
    feeds = []
    for feed_entry in entry.get("feeds") or []:
        kind = _require(feed_entry, "kind", where).lower()
        if kind not in FEED_KINDS:
            raise RegistryError(f"{where}: feed kind {kind!r} is not one of {sorted(FEED_KINDS)}")
        feeds.append(Feed(url=_require(feed_entry, "url", where), kind=kind, category=feed_entry.get("category")))
    if not feeds:
        raise RegistryError(f"{where}: no feeds")
    collect_every = entry.get("collect_every_minutes", 60)
    if isinstance(collect_every, bool) or not isinstance(collect_every, int) or collect_every < 1:
        raise RegistryError(
            f"{where}: collect_every_minutes must be a whole number of minutes (at least 1), got {collect_every!r}"
        )
    lists = {}
    for key in ("tracking_params", "short_links"):
        values = entry.get(key) or []
        if not isinstance(values, list) or not all(isinstance(value, str) and value.strip() for value in values):
            raise RegistryError(f"{where}: '{key}' must be a list of non-empty strings")
        lists[key] = [value.strip().lower() for value in values]
    local = _boolean(entry, "local", where)
    if local:
        for feed in feeds:
            if not _is_loopback_host(urlsplit(feed.url).hostname):
                raise RegistryError(
                    f"{where}: a local source may only name loopback hosts (localhost, 127.0.0.0/8, ::1),"
                    f" but feed {feed.url} names {urlsplit(feed.url).hostname!r}"
                )
    return Source(
        id=source_id,
        name=_require(entry, "name", where),
        country=country,
        language=language,
        homepage=_require(entry, "homepage", where),
        feeds=tuple(feeds),
        local=local,
        fetch_pages=_boolean(entry, "fetch_pages", where),
        collect_every_minutes=collect_every,
        tracking_params=frozenset(lists["tracking_params"]),
        short_links=tuple(lists["short_links"]),
    )


def load_registry(path: str | Path) -> list[Source]:
    """Read and validate a registry file; raises RegistryError with the offending source."""
    path = Path(path)
    if not path.exists():
        raise RegistryError(f"registry not found: {path}")
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = document.get("sources")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: expected a non-empty 'sources' list")
    sources = [_parse_source(entry, i) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise RegistryError(f"{path}: duplicate source id '{source.id}'")
        seen.add(source.id)
    return sources


def dump_registry(sources: list[Source], path: str | Path) -> None:
    """Write sources in the registry format (used by the sample world generator)."""
    document = {
        "sources": [
            {
                "id": s.id,
                "name": s.name,
                "country": s.country,
                "language": s.language,
                "homepage": s.homepage,
                "local": s.local,
                "fetch_pages": s.fetch_pages,
                "collect_every_minutes": s.collect_every_minutes,
                **({"tracking_params": sorted(s.tracking_params)} if s.tracking_params else {}),
                **({"short_links": list(s.short_links)} if s.short_links else {}),
                "feeds": [{"url": f.url, "kind": f.kind, "category": f.category} for f in s.feeds],
            }
            for s in sources
        ]
    }
    Path(path).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
