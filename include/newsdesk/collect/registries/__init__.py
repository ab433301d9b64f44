"""Registries shipped with Newsdesk; the sample world writes its own."""

from pathlib import Path

REAL = Path(__file__).with_name("real.yaml")
