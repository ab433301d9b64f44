"""The gate's reports and GX Data Docs (NEWSDESK_HOME/quality), under `/quality` of the project's app
(newsdesk.ui.app).

- `/`                 every date with reports, newest run first, and the gate's outcome per suite
- `/latest`           the Data Docs of the run that checked last
- `/runs/{run_id}`    the Data Docs of one run (looked up in the run ledger)
- `/files/date=D/...`  one date's report folder as files (data_docs/index.html, summaries)

They show the warehouse's values (expectations' unexpected examples); the run
ledger beside the date folders is not served.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from newsdesk.warehouse.ledger import DQ_RESULTS, ledger_file

DATA_DOCS_INDEX = "data_docs/index.html"


def _runs_newest_first(quality_dir: Path) -> list[Path]:
    """Date folders that have Data Docs, the most recently checked first."""
    folders = [p for p in quality_dir.glob("date=*") if (p / DATA_DOCS_INDEX).is_file()]
    return sorted(folders, key=lambda p: (p / DATA_DOCS_INDEX).stat().st_mtime, reverse=True)


def _suite_outcomes(folder: Path) -> list[tuple[str, str, bool]]:
    outcomes = []
    for summary in sorted(folder.glob("*.summary.json")):
        content = json.loads(summary.read_text(encoding="utf-8"))
        outcomes.append((content["suite"], content["severity"], content["success"]))
    return outcomes


def _index_page(quality_dir: Path) -> str:
    rows = []
    for folder in _runs_newest_first(quality_dir):
        suites = ", ".join(
            f"{html.escape(suite)}: {'passed' if success else ('FAILED' if severity == 'critical' else 'warning')}"
            for suite, severity, success in _suite_outcomes(folder)
        )
        link = f"files/{html.escape(folder.name)}/{DATA_DOCS_INDEX}"
        rows.append(f'<li><a href="{link}">{html.escape(folder.name.removeprefix("date="))}</a> {suites}</li>')
    body = "<ul>" + "".join(rows) + "</ul>" if rows else "<p>No gate has run yet.</p>"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Newsdesk quality reports</title></head>"
        "<body><h1>Newsdesk quality reports</h1><p><a href='latest'>Data Docs of the last run</a></p>"
        f"{body}</body></html>"
    )


def quality_router(quality_dir: Path) -> APIRouter:
    """The quality reports' pages over `quality_dir`."""
    ledger = quality_dir / "ledger"
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def index() -> str:
        return _index_page(quality_dir)

    # Redirects are relative, so they work under whatever prefix the api-server mounts the app.
    @router.get("/latest")
    def latest() -> RedirectResponse:
        runs = _runs_newest_first(quality_dir)
        if not runs:
            raise HTTPException(status_code=404, detail="no gate has run yet")
        return RedirectResponse(f"files/{runs[0].name}/{DATA_DOCS_INDEX}", status_code=307)

    @router.get("/runs/{run_id:path}")
    def run(run_id: str) -> RedirectResponse:
        recorded = ledger_file(ledger, DQ_RESULTS, run_id)
        first_line = recorded.read_text(encoding="utf-8").partition("\n")[0] if recorded.is_file() else ""
        if not first_line:
            raise HTTPException(status_code=404, detail=f"the gate has not checked run {run_id}")
        partition_date = json.loads(first_line)["partition_date"]
        depth = "../" * (run_id.count("/") + 1)
        return RedirectResponse(f"{depth}files/date={partition_date}/{DATA_DOCS_INDEX}", status_code=307)

    # A route, not a mounted StaticFiles app: the app's login dependency does not reach mounted apps.
    @router.get("/files/{path:path}")
    def files(path: str) -> FileResponse:
        return FileResponse(_report_file(quality_dir, path))

    return router


def _report_file(quality_dir: Path, path: str) -> Path:
    """The file at `path` inside one date's report folder (a folder's index.html); 404 for anything else."""
    root = quality_dir.resolve()
    target = (root / path).resolve()
    if target.is_dir():
        target = target / "index.html"
    parts = target.relative_to(root).parts if target.is_relative_to(root) else ()
    if not (parts and parts[0].startswith("date=") and target.is_file()):
        raise HTTPException(status_code=404, detail=f"no report file {path}")
    return target
