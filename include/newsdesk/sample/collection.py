"""The sample world collected and loaded day by day as the DAGs do, without Airflow: for benches and tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.collect.extract import ExtractError, extract_source
from newsdesk.collect.registry import load_registry
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import WorldSummary, daily_fetch_clock
from newsdesk.warehouse.load import load_partition


def collect_and_load(
    world: WorldSummary, server: SampleServer, folder: Path, warehouse: Path, *, run_prefix: str
) -> None:
    """Each date of the world: the sources with a live feed fetched every hour (news_collect's way), every
    source at the date's daily fetch (news_daily's), then the date's attempts loaded into `warehouse`.

    Landing files and fetch state go under `folder`. A fetch the world's outage fails is kept as a failed
    attempt and the next round fetches the source again.
    """
    sources = load_registry(world.registry_path)
    live = [source for source in sources if any("{date}" not in feed.url for feed in source.feeds)]
    for day in world.dates:
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        rounds = [(midnight + timedelta(hours=hour), live) for hour in range(1, 24)]
        for clock, due in [*rounds, (daily_fetch_clock(day), sources)]:
            server.clock = clock
            for source in due:
                try:
                    extract_source(source, day, folder / "landing", state_dir=folder / "fetch-state")
                except ExtractError:
                    pass
        load_partition(warehouse, folder / "landing", day, run_id=f"{run_prefix}-{day}", sources=sources)
