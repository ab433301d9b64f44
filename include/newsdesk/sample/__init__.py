"""The sample news world: a deterministic, offline stand-in for real publishers.

``generate_world`` writes a source registry, a news site (daily RSS and Atom
archive feeds, live feeds that show their latest items as of the server's
clock, article pages) and the ground truth a correct collector must
reproduce; ``SampleServer`` serves the site over HTTP on loopback. See
``newsdesk.sample.world`` for what the world contains and the ground-truth
format.
"""

from newsdesk.sample.server import SampleServer, SampleServerError
from newsdesk.sample.world import (
    DEFAULT_END_DATE,
    DEFAULT_PORT,
    DEFAULT_SEED,
    WorldSummary,
    daily_fetch_clock,
    feed_as_fetched,
    generate_world,
    load_ground_truth,
)

__all__ = [
    "DEFAULT_END_DATE",
    "DEFAULT_PORT",
    "DEFAULT_SEED",
    "SampleServer",
    "SampleServerError",
    "WorldSummary",
    "daily_fetch_clock",
    "feed_as_fetched",
    "generate_world",
    "load_ground_truth",
]
