"""Where Newsdesk keeps its files, read from the environment once per call.

Everything lives under NEWSDESK_HOME (default: ./.newsdesk in the working
directory), so a test can point a whole run at a temporary folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def landing(self) -> Path:
        """Landing zone: raw payloads and normalized records, by date and source."""
        return self.home / "landing"

    @property
    def warehouse(self) -> Path:
        """The build copy that load, dbt and the gate work on; made afresh from the published file each run."""
        return self.home / "warehouse" / "build.duckdb"

    @property
    def writer_lock(self) -> Path:
        """The lock naming the one run (or command) that writes the warehouse now (newsdesk.warehouse.run_lock)."""
        return self.home / "warehouse.lock"

    @property
    def published(self) -> Path:
        """The checked warehouse analysts open read-only."""
        return self.home / "published" / "newsdesk.duckdb"

    @property
    def snapshots(self) -> Path:
        """The last published warehouses, one file per publish, for `newsdesk rollback`."""
        return self.home / "published" / "snapshots"

    @property
    def fetch_state(self) -> Path:
        """ETag / Last-Modified per feed, one JSON file per source, for conditional GET."""
        return self.home / "fetch-state"

    @property
    def cache(self) -> Path:
        """Files derived from installed packages to save work in every task (safe to delete)."""
        return self.home / "cache"

    @property
    def sample_world(self) -> Path:
        return self.home / "sample-world"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def quality_reports(self) -> Path:
        """Gate reports and Data Docs, one folder per date (date=D/)."""
        return self.home / "quality"

    @property
    def ledger(self) -> Path:
        """Per-run JSON Lines of gate results and source runs; outlives the build copy of a failed run."""
        return self.home / "quality" / "ledger"

    @property
    def reports(self) -> Path:
        """Run reports, one HTML page per date, served in the Airflow UI."""
        return self.home / "reports"


def paths() -> Paths:
    home = os.environ.get("NEWSDESK_HOME") or str(Path.cwd() / ".newsdesk")
    return Paths(Path(home).resolve())


def registry_path() -> Path:
    """The source registry a run reads: NEWSDESK_REGISTRY, else the sample world's."""
    configured = os.environ.get("NEWSDESK_REGISTRY")
    if configured:
        return Path(configured).resolve()
    return paths().sample_world / "registry.yaml"


def max_failed_source_share() -> float:
    """The share of sources a run may lose before it stops (NEWSDESK_MAX_FAILED_SOURCE_SHARE, default 0.3)."""
    value = os.environ.get("NEWSDESK_MAX_FAILED_SOURCE_SHARE", "0.3")
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"NEWSDESK_MAX_FAILED_SOURCE_SHARE must be a number from 0 to 1, got {value!r}")
    return share


def keep_snapshots() -> int:
    """How many published warehouses to keep for rollback (NEWSDESK_KEEP_SNAPSHOTS, default 7)."""
    value = os.environ.get("NEWSDESK_KEEP_SNAPSHOTS", "7")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"NEWSDESK_KEEP_SNAPSHOTS must be a whole number of at least 1, got {value!r}")
    return int(value)


def run_lock_wait_seconds() -> float:
    """How long a run waits for another run's hold on the warehouse (NEWSDESK_RUN_LOCK_WAIT_SECONDS, default 1800)."""
    value = os.environ.get("NEWSDESK_RUN_LOCK_WAIT_SECONDS", "1800")
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise ValueError(f"NEWSDESK_RUN_LOCK_WAIT_SECONDS must be a number of seconds, 0 or more, got {value!r}")
    return seconds


def realdata_dir() -> Path:
    """The real captured data the benches measure on: NEWSDESK_SHARED/realdata, else ../shared/realdata
    beside the repository (where the tests look too)."""
    shared = os.environ.get("NEWSDESK_SHARED") or PROJECT_ROOT.parent / "shared"
    return Path(shared) / "realdata"


DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
# The quality gate's suites (one file each in EXPECTATIONS_DIR), in the order a run checks them: raw data first.
GATE_SUITES = (
    "raw_articles",
    "raw_batch",
    "volume_sources",
    "marts_articles",
    "marts_sources",
    "marts_scores",
    "marts_rankings",
    "marts_similarity",
)
