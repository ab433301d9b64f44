"""`newsdesk bench extract`: extraction throughput beside a naive baseline, both measured in one run.

Two stages:

- **fetch**: feeds per second over HTTP with `latency` seconds injected before
  every response. Ours is the DAG's extract step: `extract_source` for one
  source and date per task (robots.txt, per-host limits, fetch, parse,
  normalize, land with fsync), the tasks run by `workers` processes as
  Airflow's LocalExecutor runs mapped tasks. The baseline fetches the same
  feed URLs one after another and parses each with plain `feedparser.parse`.
- **parse**: items per CPU second on one core, `parse_feed` +
  `RecordBuilder.build` against plain `feedparser.parse` on the same payloads:
  the sample world's feeds, and the real captured feeds in
  ../shared/realdata/feeds-multi-publisher when that folder exists.

The feeds are the sample world's daily archive feeds (about 25 items each at
150 stories a day). Each publisher is put on one of `hosts` loopback addresses
127.0.0.1..N, so the fetcher meets several hosts as it would on the internet:
all of 127.0.0.0/8 is loopback on Linux, and each address gets a SampleServer
bound to it alone, so nothing listens beyond the machine.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from itertools import repeat
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import feedparser
import requests

from newsdesk import config
from newsdesk.collect.extract import extract_source
from newsdesk.collect.normalize import utc_timestamp
from newsdesk.collect.parse import FeedError, parse_feed
from newsdesk.collect.records import RecordBuilder
from newsdesk.collect.registry import Source, load_registry
from newsdesk.sample.publishers import PUBLISHERS
from newsdesk.sample.server import SampleServer, content_type
from newsdesk.sample.world import feed_as_fetched, generate_world

# Mapped extract tasks mostly wait on the network, so a LocalExecutor on
# 2 cores would run several per core.
DEFAULT_WORKERS = 8
DEFAULT_STORIES_PER_DAY = 150  # about 25 items a feed, near the real captured feeds' 30
FEEDS_PER_DAY = sum(len(publisher.feeds) for publisher in PUBLISHERS)

# RecordBuilder needs a source; the captured feeds are English publishers' feeds.
_CAPTURED_SOURCE = Source(
    id="captured", name="captured real feeds", country="ZZ", language="en", homepage="https://example.invalid/"
)


@dataclass(frozen=True)
class _Payload:
    """One feed body with what Newsdesk's parser is told about it."""

    source: Source
    kind: str
    category: str | None
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class _Timed:
    seconds: float
    items: int


def default_feeds_dir() -> Path:
    """The real captured feeds: feeds-multi-publisher in the real data."""
    return config.realdata_dir() / "feeds-multi-publisher"


def run_extract_bench(
    *,
    feeds: int = 200,
    latency: float = 0.1,
    hosts: int = 8,
    workers: int = DEFAULT_WORKERS,
    stories_per_day: int = DEFAULT_STORIES_PER_DAY,
    parse_repeats: int = 3,
    realdata_dir: Path | None = None,
    out: TextIO = sys.stdout,
) -> dict:
    """Measure both stages, print the table to `out` and return the figures.

    `realdata_dir` defaults to `default_feeds_dir()`; when it holds no
    `*/*.xml` feeds the real-feed row is left out. Returns
    ``{"machine": {...}, "parameters": {...}, "stages": [{stage, unit, ours,
    baseline, ratio, ours_seconds, baseline_seconds, ours_items,
    baseline_items}, ...]}``, the fetch stage first.
    """
    _check_parameters(feeds=feeds, latency=latency, hosts=hosts, workers=workers, parse_repeats=parse_repeats)
    realdata_dir = realdata_dir or default_feeds_dir()
    measured_on = machine()  # before the bench adds its own load
    parameters = {
        "feeds": feeds,
        "latency_s": latency,
        "hosts": hosts,
        "workers": workers,
        "stories_per_day": stories_per_day,
        "parse_repeats": parse_repeats,
        "realdata_dir": str(realdata_dir),
    }
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as scratch:
        world = generate_world(
            Path(scratch) / "world", days=math.ceil(feeds / FEEDS_PER_DAY), stories_per_day=stories_per_day
        )
        sources = load_registry(world.registry_path)
        with _start_worker_pool(workers) as pool, _serve_on_hosts(world.out_dir, hosts, latency) as base_urls:
            jobs = _bench_jobs(sources, world.dates, feeds, base_urls)
            payloads = _world_payloads(world.out_dir, jobs)
            stages = [_compare_fetch(pool, jobs, [payload.url for payload in payloads], Path(scratch))]
    stages.append(_compare_parse(f"parse, sample world ({len(payloads)} feeds)", payloads, parse_repeats))
    captured = _captured_payloads(realdata_dir)
    if captured:
        stages.append(_compare_parse(f"parse, real feeds ({len(captured)} files)", captured, parse_repeats))
    result = {"machine": measured_on, "parameters": parameters, "stages": stages}
    _print_report(result, out)
    return result


def _check_parameters(*, feeds: int, latency: float, hosts: int, workers: int, parse_repeats: int) -> None:
    if feeds < 1:
        raise ValueError(f"feeds must be at least 1, got {feeds}")
    if latency < 0:
        raise ValueError(f"latency must not be negative, got {latency}")
    if not 1 <= hosts <= len(PUBLISHERS):
        raise ValueError(f"hosts must be 1..{len(PUBLISHERS)} (one publisher per host at most), got {hosts}")
    if workers < 1 or parse_repeats < 1:
        raise ValueError(f"workers and parse_repeats must be at least 1, got {workers} and {parse_repeats}")


# ---- the feeds and who serves them ---------------------------------------------------


def _start_worker_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for the extract tasks, as the LocalExecutor runs each task in a process.

    Forked before the servers start their threads (a fork copies only the
    calling thread); with "fork" the first task starts every worker, so no
    worker start-up falls inside the timed run.
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    pool.submit(os.getpid).result()
    return pool


@contextmanager
def _serve_on_hosts(world_dir: Path, hosts: int, latency: float) -> Iterator[list[str]]:
    """One sample server per loopback address 127.0.0.1..N, each on a free port; yields their base URLs."""
    with ExitStack() as stack:
        servers = [
            stack.enter_context(SampleServer(world_dir, host=f"127.0.0.{number}", port=0, latency=latency))
            for number in range(1, hosts + 1)
        ]
        yield [server.base_url for server in servers]


def _on_host(source: Source, base_url: str) -> Source:
    """`source` with its feeds served from `base_url`, and no article pages (nor short links resolved
    by fetching them): the baseline fetches feeds only."""
    moved = tuple(replace(feed, url=base_url + urlsplit(feed.url).path) for feed in source.feeds)
    return replace(source, feeds=moved, fetch_pages=False, short_links=())


def _bench_jobs(
    sources: list[Source], dates: tuple[date, ...], feeds: int, base_urls: list[str]
) -> list[tuple[Source, date]]:
    """(source, day) pairs, one extract task each, with `feeds` feeds in all.

    Publisher i lives on host i mod N; the last task may keep only some of its source's feeds.
    """
    hosted = [_on_host(source, base_urls[index % len(base_urls)]) for index, source in enumerate(sources)]
    jobs, remaining = [], feeds
    for day in dates:
        for source in hosted:
            if remaining == 0:
                return jobs
            jobs.append((replace(source, feeds=source.feeds[:remaining]), day))
            remaining -= len(jobs[-1][0].feeds)
    return jobs


def _world_payloads(world_dir: Path, jobs: list[tuple[Source, date]]) -> list[_Payload]:
    """The feeds the jobs fetch as the daily fetch of their date finds them (none from a source that is down
    then), with the Content-Type the sample server sends."""
    payloads = []
    for source, day in jobs:
        for feed in source.feeds:
            content = feed_as_fetched(world_dir, feed.url, day)
            if content is None:
                continue
            url = feed.url_for(day)
            headers = {"content-type": content_type(Path(urlsplit(url).path))}
            payloads.append(_Payload(source, feed.kind, feed.category, url, headers, content))
    return payloads


def _captured_payloads(folder: Path) -> list[_Payload]:
    """Every `*/*.xml` feed under `folder` (one folder per snapshot); none if it is absent.

    Kind "rss" for all: parse_feed reads RSS, Atom and RDF alike; the kind
    only matters for JSON Feed and sitemaps.
    """
    paths = sorted(folder.glob("*/*.xml")) if folder.is_dir() else []
    return [_Payload(_CAPTURED_SOURCE, "rss", None, path.as_uri(), {}, path.read_bytes()) for path in paths]


# ---- fetch: feeds per second -------------------------------------------------------


def _extract_task(source: Source, day: date, scratch: Path) -> int:
    """One mapped extract task, called as the DAG calls it, in a worker process; the items its feeds held."""
    return extract_source(source, day, scratch / "landing", state_dir=scratch / "fetch-state")["items"]


def _time_extract_tasks(pool: ProcessPoolExecutor, jobs: list[tuple[Source, date]], scratch: Path) -> _Timed:
    """Wall time of all the tasks through the pool, as the mapped extract tasks of a run."""
    sources, days = zip(*jobs)
    started = time.perf_counter()
    items = sum(pool.map(_extract_task, sources, days, repeat(scratch)))
    return _Timed(time.perf_counter() - started, items)


def _time_naive_fetch(urls: list[str]) -> _Timed:
    """One GET after another, each body parsed by plain feedparser."""
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment must not carry loopback traffic
    items = 0
    started = time.perf_counter()
    with session:
        for url in urls:
            response = session.get(url, timeout=30)
            response.raise_for_status()
            items += len(feedparser.parse(response.content).entries)
    return _Timed(time.perf_counter() - started, items)


def _compare_fetch(pool: ProcessPoolExecutor, jobs: list[tuple[Source, date]], urls: list[str], scratch: Path) -> dict:
    ours = _time_extract_tasks(pool, jobs, scratch)
    baseline = _time_naive_fetch(urls)
    stage = f"fetch, {len(urls)} feeds, {len(jobs)} tasks"
    return _comparison(stage, "feeds/s", ours, baseline, len(urls) / ours.seconds, len(urls) / baseline.seconds)


# ---- parse: items per CPU second ------------------------------------------------------


def _newsdesk_items(payload: _Payload) -> int:
    """Parse and build records as an extract task does; the number of items in the feed."""
    try:
        parsed = parse_feed(payload.body, kind=payload.kind, headers=payload.headers)
    except FeedError:
        return 0
    # A fresh builder each pass, or a repeat would reject every item as a duplicate.
    RecordBuilder(payload.source).build_all(
        parsed.entries,
        feed_url=payload.url,
        feed_language=parsed.language,
        category=payload.category,
        fetched_at=utc_timestamp(datetime.now(UTC)),
    )
    return len(parsed.entries)


def _feedparser_items(payload: _Payload) -> int:
    return len(feedparser.parse(payload.body).entries)


def _cpu_time(parse: Callable[[_Payload], int], payloads: list[_Payload]) -> _Timed:
    """CPU seconds of one pass over the payloads in this one thread (nothing else runs then)."""
    started = time.process_time()
    items = sum(parse(payload) for payload in payloads)
    return _Timed(time.process_time() - started, items)


def _compare_parse(stage: str, payloads: list[_Payload], repeats: int) -> dict:
    """The fastest of `repeats` passes each, ours and the baseline taking turns, so that
    load from other processes on a shared machine neither inflates nor favours one side."""
    passes = [(_cpu_time(_newsdesk_items, payloads), _cpu_time(_feedparser_items, payloads)) for _ in range(repeats)]
    ours = min((timed for timed, _ in passes), key=lambda timed: timed.seconds)
    baseline = min((timed for _, timed in passes), key=lambda timed: timed.seconds)
    ours_rate, baseline_rate = ours.items / ours.seconds, baseline.items / baseline.seconds
    return _comparison(stage, "items/CPU-s", ours, baseline, ours_rate, baseline_rate)


# ---- report ---------------------------------------------------------------------------


def _comparison(stage: str, unit: str, ours: _Timed, baseline: _Timed, ours_rate: float, baseline_rate: float) -> dict:
    return {
        "stage": stage,
        "unit": unit,
        "ours": ours_rate,
        "baseline": baseline_rate,
        "ratio": ours_rate / baseline_rate,
        "ours_seconds": ours.seconds,
        "baseline_seconds": baseline.seconds,
        "ours_items": ours.items,
        "baseline_items": baseline.items,
    }


def machine() -> dict:
    """What the figures are measured on; the load average tells whether other work shares the cores."""
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "load_average_1min": os.getloadavg()[0],
    }


def report_header(command: str, machine_info: dict, parameters: dict) -> list[str]:
    """A bench report's first lines: the command, the machine it ran on (see machine()), its parameters."""
    return [
        command,
        f"machine:    {machine_info['cores']} cores, {machine_info['cpu']}, Python {machine_info['python']}, "
        f"{machine_info['platform']}, load average {machine_info['load_average_1min']:.2f} at the start",
        "parameters: " + ", ".join(f"{name}={value}" for name, value in parameters.items()),
    ]


def _cpu_model() -> str:
    with suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _print_report(result: dict, out: TextIO) -> None:
    parameters = result["parameters"]
    lines = [
        *report_header("newsdesk bench extract", result["machine"], parameters),
        f"fetch ours: extract_source per source and date (robots.txt, per-host limits, parse, normalize, land), "
        f"{parameters['workers']} worker processes; baseline: sequential requests GET + feedparser.parse",
        "parse ours: parse_feed + RecordBuilder.build; baseline: feedparser.parse; "
        "one thread, CPU time of the fastest pass",
        "",
        f"{'stage':<40} {'ours':>10} {'baseline':>10} {'ratio':>6}  unit",
    ]
    for stage in result["stages"]:
        figures = f"{stage['ours']:>10.1f} {stage['baseline']:>10.1f} {stage['ratio']:>6.2f}"
        lines.append(f"{stage['stage']:<40} {figures}  {stage['unit']}")
    lines.append("")
    for stage in result["stages"]:
        ours_items, baseline_items = stage["ours_items"], stage["baseline_items"]
        same = "same" if ours_items == baseline_items else "DIFFERENT, so the comparison is unfair"
        lines.append(f"items, {stage['stage']}: ours {ours_items}, baseline {baseline_items} ({same})")
    print("\n".join(lines), file=out)
