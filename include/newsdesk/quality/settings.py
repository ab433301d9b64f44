"""Thresholds of the quality gates: expectations/settings.json, each overridable by environment.

`NEWSDESK_<NAME>` (the setting's name in upper case) wins over the file, so an
operator can tighten or relax one run without editing the repository, e.g.
`NEWSDESK_VOLUME_SEVERITY=critical` or `NEWSDESK_VOLUME_MIN_SHARE=0.5`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from newsdesk.config import EXPECTATIONS_DIR

SETTINGS_FILE = "settings.json"


class SettingError(ValueError):
    """A setting is unknown, or its environment override has the wrong type."""


def _defaults(settings_dir: Path) -> dict:
    return json.loads((Path(settings_dir) / SETTINGS_FILE).read_text(encoding="utf-8"))


def setting(name: str, settings_dir: Path = EXPECTATIONS_DIR) -> object:
    """The value of one setting, typed like its default in the settings file."""
    defaults = _defaults(settings_dir)
    if name not in defaults:
        raise SettingError(f"unknown gate setting {name!r}; known: {', '.join(sorted(defaults))}")
    default = defaults[name]
    variable = f"NEWSDESK_{name.upper()}"
    override = os.environ.get(variable)
    if override is None:
        return default
    try:
        return type(default)(override)
    except ValueError as exc:
        raise SettingError(f"{variable} must be a {type(default).__name__}, got {override!r}") from exc
