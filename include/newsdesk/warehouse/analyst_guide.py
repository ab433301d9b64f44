"""The example queries of the analysts' guide (docs/analysts.md), as its tests and benchmarks run them."""

from __future__ import annotations

import re
from pathlib import Path

from newsdesk import config

GUIDE = config.PROJECT_ROOT / "docs" / "analysts.md"


def guide_queries(guide: Path = GUIDE) -> list[tuple[str, str]]:
    """(heading, sql) for every ```sql block, named by the ### heading above it."""
    queries, heading = [], None
    for block in re.split(r"^(### .+)$", guide.read_text(encoding="utf-8"), flags=re.MULTILINE):
        if block.startswith("### "):
            heading = block[4:].strip()
            continue
        for sql in re.findall(r"```sql\n(.*?)```", block, flags=re.DOTALL):
            queries.append((heading, sql.strip()))
    return queries
