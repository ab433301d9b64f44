"""Every setting in one place: typed, checked, overridable by its environment variable, and the README's
table true to the declarations."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO_ROOT
from newsdesk import config
from newsdesk.config import SETTINGS, SettingError, value


def readme_settings_rows() -> list[list[str]]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Settings\n") : text.index("## Other commands")]
    rows = [line for line in section.splitlines() if line.startswith("| `NEWSDESK_")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_the_readme_lists_every_setting_as_declared():
    expected = [
        [f"`{s.variable}`", "-" if s.default is None else str(s.default), s.rule, s.meaning] for s in SETTINGS.values()
    ]
    assert readme_settings_rows() == expected


def test_every_gate_threshold_has_its_default_beside_the_suites():
    defaults = json.loads(config.GATE_SETTINGS_FILE.read_text(encoding="utf-8"))
    gate = {name: s.default for name, s in SETTINGS.items() if s.gate}
    assert gate == defaults


def test_every_variable_the_code_reads_is_declared():
    read = set()
    for path in [
        *(REPO_ROOT / "include").rglob("*.py"),
        *(REPO_ROOT / "dags").glob("*.py"),
        REPO_ROOT / "dbt" / "profiles.yml",
    ]:
        read |= set(re.findall(r"NEWSDESK_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    declared = {s.variable for s in SETTINGS.values()}
    # Not settings: run_dbt_build hands dbt's profile the file it builds and the folder a lake build spills to.
    assert read - {"NEWSDESK_WAREHOUSE", "NEWSDESK_DUCKDB_SPILL"} <= declared, read - declared


def test_an_override_is_typed(monkeypatch):
    monkeypatch.setenv("NEWSDESK_VOLUME_HISTORY_DAYS", "21")
    monkeypatch.setenv("NEWSDESK_MAX_FAILED_SOURCE_SHARE", "0.5")
    monkeypatch.setenv("NEWSDESK_VOLUME_SEVERITY", "critical")
    assert (value("volume_history_days"), value("max_failed_source_share"), value("volume_severity")) == (
        21,
        0.5,
        "critical",
    )
    monkeypatch.delenv("NEWSDESK_VOLUME_HISTORY_DAYS")
    assert value("volume_history_days") == 14


@pytest.mark.parametrize(
    "variable, bad",
    [
        ("NEWSDESK_MAX_FAILED_SOURCE_SHARE", "1.5"),
        ("NEWSDESK_MAX_FAILED_SOURCE_SHARE", "a third"),
        ("NEWSDESK_KEEP_SNAPSHOTS", "0"),
        ("NEWSDESK_KEEP_SNAPSHOTS", "7.5"),
        ("NEWSDESK_RUN_LOCK_WAIT_SECONDS", "-1"),
        ("NEWSDESK_DUCKDB_MEMORY_LIMIT", "lots"),
        ("NEWSDESK_VOLUME_SEVERITY", "fatal"),
        ("NEWSDESK_PUBLISHED_WINDOW_DAYS_AFTER", "0"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_variable_and_the_value(monkeypatch, variable, bad):
    monkeypatch.setenv(variable, bad)
    name = variable.removeprefix("NEWSDESK_").lower()
    with pytest.raises(SettingError, match=rf"^{variable} must be .*, got {re.escape(repr(bad))}$"):
        value(name)


def test_an_unknown_setting_is_an_error():
    with pytest.raises(SettingError, match="unknown setting 'strictness'"):
        value("strictness")
