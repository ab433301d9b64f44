"""news_daily runs for the command line (`newsdesk demo`, `newsdesk run`, `newsdesk ui`).

The sample world served on the port its feed URLs name (or the server already
serving it there), its clock at each run's daily fetch, and one run of
news_daily through `airflow dags test` with a line per task as it finishes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.airflow.runner import TaskEnd

if TYPE_CHECKING:
    from newsdesk.sample.server import SampleServer


def sample_world_port(world_dir: Path) -> int:
    """The port the sample world at `world_dir` was made for: its feed URLs name it."""
    from newsdesk.sample.world import load_ground_truth

    if not (world_dir / "ground_truth.json").is_file():
        raise FileNotFoundError(
            f"no sample world at {world_dir}: run `newsdesk sample` first (or `newsdesk demo`, which makes one and runs it)"
        )
    return int(load_ground_truth(world_dir)["port"])


@contextmanager
def sample_world_served(world_dir: Path, port: int, clock: datetime | None = None) -> Iterator[SampleServer | None]:
    """Serve the sample world on its port with its clock at `clock`, or use the server that already serves
    this very world there (yields None then: that server's clock is its own command's)."""
    import requests

    from newsdesk.sample.server import SampleServer, SampleServerError

    server = SampleServer(world_dir, port=port, clock=clock)
    try:
        server.start()
    except SampleServerError:
        base_url = f"http://127.0.0.1:{port}"
        try:
            same_world = (
                requests.get(f"{base_url}/index.html", timeout=10).content
                == (world_dir / "site" / "index.html").read_bytes()
            )
        except (requests.RequestException, OSError):
            same_world = False
        if not same_world:
            raise SampleServerError(
                f"the sample world's port {port} is taken by another program: stop it, or make the world anew"
                f" for a free port with `newsdesk sample --port P`"
            ) from None
        print(f"the sample world is already served at {base_url} (by another newsdesk command); using it")
        yield None
        return
    try:
        yield server
    finally:
        server.stop()


def print_task_end(end: TaskEnd) -> None:
    print(f"    {end.task:<44} {end.state:<8} {end.seconds:6.1f} s", flush=True)


def run_news_daily(day: date, *, env: dict[str, str], log_path: Path, registry: Path) -> None:
    """One run of news_daily for `day` (airflow dags test), printing a line per task as it finishes."""
    from newsdesk.airflow.runner import run_dag_test
    from newsdesk.collect.registry import load_registry

    began = time.monotonic()
    print(f"  news_daily {day}:", flush=True)
    run_dag_test(
        "news_daily",
        day.isoformat(),
        env=env,
        log_path=log_path,
        map_names={"extract": [source.id for source in load_registry(registry)]},  # list_sources keeps this order
        on_task_end=print_task_end,
    )
    print(f"  news_daily {day}: success in {time.monotonic() - began:.1f} s", flush=True)
