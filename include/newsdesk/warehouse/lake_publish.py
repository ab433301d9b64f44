"""A run's publish on the lake: the run's ledger folded into ops and the lake's head marked published, in one
commit, so readers see the checked build and its gate results together or not at all; then the snapshots older
than the setting expire (newsdesk.warehouse.lake_snapshots.expire)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.warehouse.lake import Lake, connect
from newsdesk.warehouse.lake_snapshots import expire, mark_published
from newsdesk.warehouse.ledger import fold_ledger


def publish_to_lake(lake: Lake, ledger: Path, label: str, *, keep_days: float) -> list[int]:
    """Publish the lake's head as `label`; returns the snapshots that expired."""
    with connect(lake, read_only=False) as conn:
        conn.execute("BEGIN TRANSACTION")
        fold_ledger(conn, ledger)
        mark_published(conn, label)
        conn.execute("COMMIT")
        return expire(conn, keep_days=keep_days)
