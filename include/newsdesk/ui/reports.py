"""The run reports (NEWSDESK_HOME/reports), under `/reports` of the project's app (newsdesk.ui.app).

- `/`                       every date with a run report, latest date first
- `/{D}/run_report.html`    the report of date D
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from newsdesk.ui.report import REPORT_FILE, report_path


def report_dates(reports_dir: Path) -> list[date]:
    """Dates that have a run report, latest first."""
    dates = []
    for folder in Path(reports_dir).glob("date=*"):
        try:
            day = date.fromisoformat(folder.name.removeprefix("date="))
        except ValueError:
            continue  # not a report folder
        if (folder / REPORT_FILE).is_file():
            dates.append(day)
    return sorted(dates, reverse=True)


def _index_page(reports_dir: Path) -> str:
    rows = []
    for day in report_dates(reports_dir):
        written = datetime.fromtimestamp(report_path(reports_dir, day).stat().st_mtime, UTC)
        rows.append(
            f'<li><a href="{day.isoformat()}/{REPORT_FILE}">{day.isoformat()}</a>'
            f" <small>written {written:%Y-%m-%d %H:%M} UTC</small></li>"
        )
    body = f"<ul>{''.join(rows)}</ul>" if rows else "<p>No run has written a report yet.</p>"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Newsdesk run reports</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:1.5rem}li{margin:.3rem 0}</style></head>"
        f"<body><h1>Newsdesk run reports</h1><p>One page per date, from {html.escape(str(reports_dir))}.</p>"
        f"{body}</body></html>"
    )


def reports_router(reports_dir: Path) -> APIRouter:
    """The run reports' pages over `reports_dir`."""
    router = APIRouter()

    @router.get("/", response_class=HTMLResponse)
    def index() -> str:
        return _index_page(reports_dir)

    @router.get(f"/{{day}}/{REPORT_FILE}")
    def report(day: str) -> FileResponse:
        try:
            path = report_path(reports_dir, date.fromisoformat(day))
        except ValueError:
            raise HTTPException(status_code=404, detail=f"not a date: {day}") from None
        if not path.is_file():
            raise HTTPException(status_code=404, detail=f"no run report for {day}")
        return FileResponse(path, media_type="text/html")

    return router
