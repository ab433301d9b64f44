"""newsdesk.collect.schedule: each source's collection interval follows how fast its feed turns over; which sources are due;
one collection attempt through a real loopback server; the registry's collect_every_minutes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from faultserver import FaultServer, ok, rss
from newsdesk.collect import landing
from newsdesk.collect.extract import ExtractError
from newsdesk.collect.registry import Feed, RegistryError, Source, dump_registry, load_registry
from newsdesk.collect.schedule import (
    COLLECT_PERIOD_MINUTES,
    CollectSchedule,
    collect_source,
    collection_moments,
    due_sources,
)

T0 = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
DAY = T0.date()
OK = {"feeds_ok": 1, "feeds_failed": 0, "feeds_not_modified": 0}
NOT_MODIFIED = {"feeds_ok": 1, "feeds_failed": 0, "feeds_not_modified": 1}
FAILED = {"feeds_ok": 0, "feeds_failed": 1, "feeds_not_modified": 0}
RSS_TYPE = "application/rss+xml"


def source(source_id: str = "alpha", every: int = 60) -> Source:
    return Source(
        id=source_id,
        name=source_id.title(),
        country="NL",
        language="nl",
        homepage="http://a.test/",
        feeds=(Feed("http://a.test/rss", "rss"),),
        collect_every_minutes=every,
    )


def urls(*numbers: int) -> set[str]:
    return {f"http://a.test/{n}" for n in numbers}


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def schedule(tmp_path, *, interval: float, last: set[str], registry: float = 60) -> CollectSchedule:
    return CollectSchedule(
        path=tmp_path / "alpha.schedule.json",
        registry_minutes=registry,
        interval_minutes=interval,
        last_attempt_at=T0,
        last_urls=last,
    )


# ---- the interval ---------------------------------------------------------------------------


def test_a_source_never_fetched_is_due_with_its_registry_interval(tmp_path):
    fresh = CollectSchedule.load(tmp_path, source(every=45))

    assert (fresh.path, fresh.registry_minutes, fresh.interval_minutes) == (tmp_path / "alpha.schedule.json", 45, 45)
    assert (fresh.last_attempt_at, fresh.last_urls) == (None, set())
    assert fresh.is_due(T0)


def test_an_attempt_that_finds_none_of_the_last_items_halves_the_interval_down_to_the_collect_period(tmp_path):
    plan = CollectSchedule.load(tmp_path, source(every=60))

    plan.after_attempt(OK, urls(1, 2), T0)
    assert (plan.interval_minutes, plan.last_urls, plan.last_attempt_at) == (60, urls(1, 2), T0)  # nothing to compare
    intervals = []
    for step, found in enumerate([urls(3, 4), urls(5, 6), urls(7, 8)], start=1):
        assert plan.after_attempt(OK, found, T0 + minutes(10 * step)) is plan
        intervals.append(plan.interval_minutes)
        assert (plan.last_urls, plan.last_attempt_at) == (found, T0 + minutes(10 * step))
    assert intervals == [30, COLLECT_PERIOD_MINUTES, COLLECT_PERIOD_MINUTES]  # never below news_collect's period

    odd = schedule(tmp_path, interval=20, last=urls(1), registry=20)
    assert odd.after_attempt(OK, urls(2), T0).interval_minutes == COLLECT_PERIOD_MINUTES  # 10 would be too often


def test_more_than_half_still_listed_relaxes_the_interval_up_to_the_registrys(tmp_path):
    plan = schedule(tmp_path, interval=COLLECT_PERIOD_MINUTES, last=urls(1, 2, 3, 4))

    intervals = []
    for step in range(1, 6):  # each attempt still lists three of the last attempt's four items
        plan.after_attempt(OK, urls(step + 1, step + 2, step + 3, step + 4), T0 + minutes(30 * step))
        intervals.append(plan.interval_minutes)

    assert intervals == [22.5, 33.75, 50.625, 60, 60]  # x1.5, capped at the registry's 60
    assert plan.last_urls == urls(6, 7, 8, 9)


@pytest.mark.parametrize(
    "found", [urls(3, 4, 5, 6), urls(4, 5, 6, 7), urls(1, 9)], ids=["half", "a-quarter", "one-of-two-new"]
)
def test_half_or_fewer_still_listed_keeps_the_interval(tmp_path, found):
    plan = schedule(tmp_path, interval=30, last=urls(1, 2, 3, 4))
    plan.after_attempt(OK, found, T0 + minutes(30))
    assert (plan.interval_minutes, plan.last_urls) == (30, found)


def test_a_feed_not_modified_relaxes_and_a_failed_attempt_changes_only_the_time(tmp_path):
    plan = schedule(tmp_path, interval=30, last=urls(1, 2))

    plan.after_attempt(NOT_MODIFIED, set(), T0 + minutes(30))
    assert (plan.interval_minutes, plan.last_urls, plan.last_attempt_at) == (45, urls(1, 2), T0 + minutes(30))

    plan.after_attempt(FAILED, set(), T0 + minutes(75))
    assert (plan.interval_minutes, plan.last_urls, plan.last_attempt_at) == (45, urls(1, 2), T0 + minutes(75))

    partly_failed = {"feeds_ok": 1, "feeds_failed": 1, "feeds_not_modified": 1}  # one feed 304, one broken
    plan.after_attempt(partly_failed, set(), T0 + minutes(120))
    assert (plan.interval_minutes, plan.last_urls) == (45, urls(1, 2))


def test_a_source_is_due_when_its_interval_has_passed_a_minute_early_counting(tmp_path):
    plan = schedule(tmp_path, interval=30, last=urls(1))

    assert [plan.is_due(T0 + minutes(m)) for m in (0, 15, 28, 29, 30, 300)] == [False, False, False, True, True, True]
    assert plan.is_due(T0 - minutes(1))  # a moment before the last attempt: a backfill run


def test_due_sources_are_those_whose_interval_passed_in_registry_order(tmp_path):
    state = tmp_path / "state"
    registry = [source("early", 60), source("never"), source("busy", 15), source("tightened", 60), source("calm", 30)]
    last_attempts = {
        "early": (60, T0 - minutes(30)),
        "busy": (15, T0 - minutes(15)),
        "tightened": (15, T0 - minutes(20)),
        "calm": (30, T0 - minutes(10)),
    }
    for entry in registry:
        if entry.id in last_attempts:
            interval, at = last_attempts[entry.id]
            plan = CollectSchedule.load(state, entry)
            plan.interval_minutes, plan.last_attempt_at = interval, at
            plan.save()

    assert due_sources(registry, T0, state) == ["never", "busy", "tightened"]
    assert due_sources(list(reversed(registry)), T0, state) == ["tightened", "busy", "never"]
    assert due_sources(registry, T0 + minutes(30), state) == ["early", "never", "busy", "tightened", "calm"]
    # a run for a moment before the last attempts (a backfill) fetches every source
    assert due_sources(registry, T0 - minutes(60), state) == ["early", "never", "busy", "tightened", "calm"]


def test_the_schedule_survives_save_and_load(tmp_path):
    state = tmp_path / "state"
    plan = CollectSchedule.load(state, source(every=60))
    plan.after_attempt(OK, urls(1, 2), T0)
    plan.after_attempt(OK, urls(3, 4), T0 + minutes(60))
    plan.after_attempt(NOT_MODIFIED, set(), T0 + minutes(90))
    plan.save()

    assert json.loads((state / "alpha.schedule.json").read_text()) == {
        "interval_minutes": 45.0,
        "last_attempt_at": "2026-11-24T07:30:00+00:00",
        "last_urls": ["http://a.test/3", "http://a.test/4"],
    }
    assert [p.name for p in state.iterdir()] == ["alpha.schedule.json"]  # no staging file left
    loaded = CollectSchedule.load(state, source(every=60))
    assert (loaded.interval_minutes, loaded.last_attempt_at, loaded.last_urls) == (45, T0 + minutes(90), urls(3, 4))
    assert not loaded.is_due(T0 + minutes(90 + 43)) and loaded.is_due(T0 + minutes(90 + 44))
    assert CollectSchedule.load(state, source(every=30)).interval_minutes == 30  # a lowered registry interval wins
    assert CollectSchedule.load(state, source(every=120)).interval_minutes == 45  # a raised one lets it grow later


def test_collection_moments_are_every_collect_period_of_the_utc_day():
    moments = collection_moments(date(2026, 11, 24))

    assert len(moments) == 24 * 60 // COLLECT_PERIOD_MINUTES == 96
    assert (moments[0], moments[-1]) == (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 24, 23, 45, tzinfo=UTC))
    assert {b - a for a, b in zip(moments, moments[1:])} == {minutes(COLLECT_PERIOD_MINUTES)}


# ---- one collection attempt, through a real server -------------------------------------------


def test_collect_source_adds_an_attempt_and_adapts_the_schedule(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_HOME", str(tmp_path / "home"))
    registry = tmp_path / "registry.yaml"
    monkeypatch.setenv("NEWSDESK_REGISTRY", str(registry))
    with FaultServer() as server:
        feed_url = server.route(
            "/feed.xml", ok(rss([("One", "https://news.example/1"), ("Two", "https://news.example/2")]), RSS_TYPE)
        )
        local = Source(
            id="fast",
            name="Fast",
            country="NL",
            language="nl",
            homepage=f"{server.base}/",
            local=True,
            feeds=(Feed(feed_url, "rss"),),
            collect_every_minutes=40,
        )
        dump_registry([local], registry)
        state = tmp_path / "home" / "fetch-state"

        first = collect_source("fast", DAY, run_id="collect-1", now=T0)
        # the feed turned over completely
        server.route(
            "/feed.xml", ok(rss([("Three", "https://news.example/3"), ("Four", "https://news.example/4")]), RSS_TYPE)
        )
        second = collect_source("fast", DAY, run_id="collect-2", now=T0 + minutes(40))
        server.route("/feed.xml", ok("<html><body>maintenance</body></html>", "text/html"))
        with pytest.raises(ExtractError, match="all 1 feeds failed") as failed:
            collect_source("fast", DAY, run_id="collect-3", now=T0 + minutes(60))

    attempts = landing.attempts(tmp_path / "home" / "landing", DAY, "fast")
    manifests = [first, second, failed.value.manifest]
    assert [a.attempt_id for a in attempts] == [m["attempt_id"] for m in manifests]
    assert [a.manifest["run_id"] for a in attempts] == ["collect-1", "collect-2", "collect-3"]
    assert [m["records"] for m in manifests] == [2, 2, 0]
    plan = CollectSchedule.load(state, local)
    assert plan.interval_minutes == 20  # halved: none of the first attempt's items were still listed
    assert plan.last_urls == {"https://news.example/3", "https://news.example/4"}  # the failed attempt found none
    assert plan.last_attempt_at == T0 + minutes(60)
    assert due_sources([local], T0 + minutes(78), state) == []
    assert due_sources([local], T0 + minutes(79), state) == ["fast"]

    with pytest.raises(KeyError, match="'nope' is not in the registry"):
        collect_source("nope", DAY, run_id="r", now=T0)


# ---- the registry's interval ------------------------------------------------------------------


def write_registry(path, extra: str = "") -> None:
    path.write_text(
        "sources:\n  - {id: alpha, name: A, country: NL, language: nl, homepage: 'http://a.test/',"
        f" feeds: [{{url: 'http://a.test/rss', kind: rss}}]{extra}}}\n",
        encoding="utf-8",
    )


def test_collect_every_minutes_defaults_to_60_and_survives_dump_and_load(tmp_path):
    path = tmp_path / "r.yaml"
    write_registry(path)
    assert load_registry(path)[0].collect_every_minutes == 60
    write_registry(path, ", collect_every_minutes: 20")
    (loaded,) = load_registry(path)
    assert loaded.collect_every_minutes == 20
    dump_registry([loaded], tmp_path / "again.yaml")
    assert load_registry(tmp_path / "again.yaml") == [loaded]


@pytest.mark.parametrize("value", ["'15'", "true", "0", "-5", "1.5"])
def test_a_bad_collect_every_minutes_is_refused_naming_the_source_and_the_field(tmp_path, value):
    path = tmp_path / "r.yaml"
    write_registry(path, f", collect_every_minutes: {value}")
    with pytest.raises(RegistryError, match=r"source 'alpha': collect_every_minutes must be a whole number"):
        load_registry(path)
