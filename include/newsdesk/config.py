"""Every setting of Newsdesk, and where it keeps its files: the one place both are read.

`SETTINGS` lists each setting with its default, type and check. Each is
overridden by `NEWSDESK_<NAME>` in the environment, read again on every call
(a test or an operator can change one for a run); a bad value is a
`SettingError` naming the variable and the value. The quality gates'
thresholds keep their defaults in expectations/settings.json, beside the
suites that read them. Everything lives under NEWSDESK_HOME (default:
./.newsdesk in the working directory), so a test can point a whole run at a
temporary folder; `paths()` names every file and folder in it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
GATE_SETTINGS_FILE = EXPECTATIONS_DIR / "settings.json"
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


class SettingError(ValueError):
    """A setting is unknown, or its value breaks the setting's rule."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: object  # None: computed when not set (see `meaning`)
    kind: type
    rule: str  # what a good value is, in words
    check: Callable[[object], bool]
    meaning: str
    gate: bool = False  # a quality-gate threshold, its default in expectations/settings.json

    @property
    def variable(self) -> str:
        return f"NEWSDESK_{self.name.upper()}"


def _share(value: float) -> bool:
    return 0.0 <= value <= 1.0


def _gate_defaults() -> dict:
    return json.loads(GATE_SETTINGS_FILE.read_text(encoding="utf-8"))


_GATE = _gate_defaults()
SETTINGS = {
    setting.name: setting
    for setting in (
        Setting("home", None, str, "a folder", bool, "where every file lives (default: ./.newsdesk)"),
        Setting(
            "registry",
            None,
            str,
            "a registry file",
            bool,
            "the sources a run collects (default: the sample world's registry.yaml)",
        ),
        Setting(
            "max_failed_source_share",
            0.3,
            float,
            "a number from 0 to 1",
            _share,
            "the share of sources a run may lose before it stops",
        ),
        Setting(
            "keep_snapshots",
            7,
            int,
            "a whole number of at least 1",
            lambda v: v >= 1,
            "published warehouses kept for `newsdesk rollback`",
        ),
        Setting(
            "run_lock_wait_seconds",
            1800.0,
            float,
            "a number of seconds, 0 or more",
            lambda v: v >= 0,
            "how long a run waits for another run's hold on the warehouse",
        ),
        Setting(
            "duckdb_memory_limit",
            "6GB",
            str,
            "a size such as 6GB or 512MB",
            lambda v: re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", v) is not None,
            "memory DuckDB uses in dbt (read by dbt/profiles.yml) and the search index update before it spills to disk",
        ),
        Setting(
            "storage",
            "lake",
            str,
            "file or lake",
            lambda v: v in ("file", "lake"),
            "where runs write and analysts read: one DuckDB file, or the DuckLake (newsdesk.warehouse.storage)",
        ),
        Setting(
            "lake_keep_days",
            7.0,
            float,
            "a number of days, more than 0",
            lambda v: v > 0,
            "the lake's snapshots older than this expire with their files (never the last published one)",
        ),
        Setting(
            "lake_catalog",
            None,
            str,
            "sqlite:<file> or postgres:<connection string>",
            lambda v: v.split(":", 1)[0] in ("sqlite", "postgres") and ":" in v,
            "the DuckLake's catalog database (default: sqlite:NEWSDESK_HOME/lake/catalog.sqlite)",
        ),
        Setting(
            "lake_data_path",
            None,
            str,
            "a folder",
            bool,
            "the DuckLake's Parquet files, on a volume every machine shares (default: NEWSDESK_HOME/lake/data)",
        ),
        Setting(
            "shared",
            None,
            str,
            "a folder",
            bool,
            "the folder holding realdata/, for the benches and tests (default: ../shared)",
        ),
        Setting(
            "published_window_days_before",
            _GATE["published_window_days_before"],
            int,
            "a whole number of days, at least 1",
            lambda v: v >= 1,
            "the load's quarantine: published_at earlier than D minus this many days",
            gate=True,
        ),
        Setting(
            "published_window_days_after",
            _GATE["published_window_days_after"],
            int,
            "a whole number of days, at least 1",
            lambda v: v >= 1,
            "published_at this many days past the collection day is quarantined (raw_articles too)",
            gate=True,
        ),
        Setting(
            "max_bad_item_share",
            _GATE["max_bad_item_share"],
            float,
            "a number from 0 to 1",
            _share,
            "raw_batch: the share of a day's items rejected or quarantined that fails the run",
            gate=True,
        ),
        Setting(
            "volume_min_share",
            _GATE["volume_min_share"],
            float,
            "a number from 0 to 1",
            _share,
            "volume_sources: a source below this share of its median day is flagged",
            gate=True,
        ),
        Setting(
            "volume_history_days",
            _GATE["volume_history_days"],
            int,
            "a whole number of days, at least 1",
            lambda v: v >= 1,
            "volume_sources: the trailing days its median is taken over",
            gate=True,
        ),
        Setting(
            "volume_severity",
            _GATE["volume_severity"],
            str,
            "warning or critical",
            lambda v: v in ("warning", "critical"),
            "volume_sources: warn, or fail the run",
            gate=True,
        ),
    )
}


def value(name: str) -> object:
    """The setting's value: NEWSDESK_<NAME> typed and checked, else its default (None: not set, no default)."""
    if name not in SETTINGS:
        raise SettingError(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
    setting = SETTINGS[name]
    raw = os.environ.get(setting.variable)
    if raw is None or (raw == "" and setting.default is None):
        return setting.default
    try:
        typed = setting.kind(raw)
    except ValueError:
        typed = None
    if typed is None or not setting.check(typed):
        raise SettingError(f"{setting.variable} must be {setting.rule}, got {raw!r}")
    return typed


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
    def lake(self) -> Path:
        """The embedded DuckLake: its SQLite catalog and its Parquet data (newsdesk.warehouse.lake)."""
        return self.home / "lake"

    @property
    def spill(self) -> Path:
        """Where DuckDB writes what does not fit its memory limit when no database file sits beside it to spill
        next to (connections to the lake, dbt's lake target); DuckDB's default is `.tmp` in the working folder."""
        return self.home / "spill"

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
    return Paths(Path(value("home") or Path.cwd() / ".newsdesk").resolve())


def registry_path() -> Path:
    """The source registry a run reads: NEWSDESK_REGISTRY, else the sample world's."""
    configured = value("registry")
    return Path(configured).resolve() if configured else paths().sample_world / "registry.yaml"


def realdata_dir() -> Path:
    """The real captured data the benches measure on: NEWSDESK_SHARED/realdata, else ../shared/realdata
    beside the repository (where the tests look too)."""
    return Path(value("shared") or PROJECT_ROOT.parent / "shared") / "realdata"
