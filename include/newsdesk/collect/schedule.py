"""Collection as often as feeds turn over: which sources are due, and how often each is fetched.

The `news_collect` DAG runs every `COLLECT_PERIOD_MINUTES` and fetches the
sources that are due; `news_daily` fetches every source once more and loads
all that the day's attempts collected. A feed shows only its latest items,
so a source must be fetched before its feed has moved past what the last
attempt saw. Each source has a registry interval (`collect_every_minutes`,
default 60), the longest wait between two attempts; the schedule adapts
within it:

- an attempt that finds none of the previous attempt's items still listed
  may have missed some between them: the interval halves, down to
  `COLLECT_PERIOD_MINUTES`;
- an attempt that finds more than half of them still listed (or a feed not
  modified at all) lets the interval grow by half again, up to the registry's.

The state is one JSON file per source beside the conditional-GET validators
(`NEWSDESK_HOME/fetch-state/ID.schedule.json`), written after each attempt.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from newsdesk import config
from newsdesk.collect import landing
from newsdesk.collect.registry import Source

COLLECT_PERIOD_MINUTES = 15  # news_collect's schedule; no source is fetched more often than this
RELAX_FACTOR = 1.5
STILL_LISTED_TO_RELAX = 0.5


def schedule_path(state_dir: Path, source_id: str) -> Path:
    return Path(state_dir) / f"{source_id}.schedule.json"


@dataclass
class CollectSchedule:
    """When a source was last fetched, what its feeds listed then, and its current interval."""

    path: Path
    registry_minutes: float
    interval_minutes: float
    last_attempt_at: datetime | None = None
    last_urls: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, state_dir: Path, source: Source) -> CollectSchedule:
        path = schedule_path(state_dir, source.id)
        state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        registry_minutes = float(source.collect_every_minutes)
        last = state.get("last_attempt_at")
        return cls(
            path=path,
            registry_minutes=registry_minutes,
            interval_minutes=min(float(state.get("interval_minutes", registry_minutes)), registry_minutes),
            last_attempt_at=datetime.fromisoformat(last) if last else None,
            last_urls=set(state.get("last_urls", [])),
        )

    def is_due(self, now: datetime) -> bool:
        """Due when the interval has passed since the last attempt (a minute early is on time), and in a
        run for a moment before the last attempt (a backfill)."""
        if self.last_attempt_at is None or now < self.last_attempt_at:
            return True
        return now - self.last_attempt_at >= timedelta(minutes=self.interval_minutes - 1)

    def after_attempt(self, manifest: dict, urls: set[str], at: datetime) -> CollectSchedule:
        """Adapt the interval to what the attempt made `at` found (its records' URLs); returns self."""
        not_modified = manifest["feeds_not_modified"] > 0 and manifest["feeds_failed"] == 0 and not urls
        if urls and self.last_urls:
            still_listed = len(urls & self.last_urls) / len(self.last_urls)
            if still_listed == 0:
                self.interval_minutes = max(COLLECT_PERIOD_MINUTES, self.interval_minutes / 2)
            elif still_listed > STILL_LISTED_TO_RELAX:
                self.interval_minutes = min(self.registry_minutes, self.interval_minutes * RELAX_FACTOR)
        elif not_modified:
            self.interval_minutes = min(self.registry_minutes, self.interval_minutes * RELAX_FACTOR)
        if urls:
            self.last_urls = urls
        self.last_attempt_at = at
        return self

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staging = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}")
        state = {
            "interval_minutes": self.interval_minutes,
            "last_attempt_at": self.last_attempt_at.isoformat() if self.last_attempt_at else None,
            "last_urls": sorted(self.last_urls),
        }
        landing.write_durably(staging, json.dumps(state, indent=2))
        os.replace(staging, self.path)


def due_sources(sources: list[Source], now: datetime, state_dir: Path) -> list[str]:
    """Ids of the sources whose interval has passed at `now`, in registry order."""
    return [source.id for source in sources if CollectSchedule.load(state_dir, source).is_due(now)]


def collect_source(source_id: str, day: date, *, run_id: str | None, now: datetime) -> dict:
    """One attempt of one registry source for date D, into the landing zone; the task body of both DAGs.

    `now` is the run's moment (news_collect: its logical date; news_daily: the
    end of D), which the schedule counts intervals from. Raises
    newsdesk.collect.extract.ExtractError when every feed of the source failed.
    """
    from newsdesk.collect.extract import ExtractError, extract_source
    from newsdesk.collect.registry import load_registry

    sources = {source.id: source for source in load_registry(config.registry_path())}
    if source_id not in sources:
        raise KeyError(f"source {source_id!r} is not in the registry {config.registry_path()}")
    source, paths = sources[source_id], config.paths()
    schedule = CollectSchedule.load(paths.fetch_state, source)
    try:
        manifest = extract_source(source, day, paths.landing, state_dir=paths.fetch_state, run_id=run_id)
    except ExtractError as failed:
        schedule.after_attempt(failed.manifest, set(), now).save()
        raise
    attempt = landing.attempt_dir(paths.landing, day, source_id, manifest["attempt_id"])
    urls = {record["url"] for record in landing.read_jsonl(attempt / landing.RECORDS) if record.get("url")}
    schedule.after_attempt(manifest, urls, now).save()
    return manifest


def collection_moments(day: date) -> list[datetime]:
    """The logical dates of date D's news_collect runs (UTC): every COLLECT_PERIOD_MINUTES from midnight."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [midnight + timedelta(minutes=m) for m in range(0, 24 * 60, COLLECT_PERIOD_MINUTES)]
