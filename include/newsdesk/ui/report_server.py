"""A small web app serving the run reports (NEWSDESK_HOME/reports) inside the Airflow api-server.

plugins/newsdesk_reports.py mounts it under URL_PREFIX and adds the "Run
reports" menu entry, which shows `/` inside the UI.

- `/`                       every date with a run report, latest date first
- `/{D}/run_report.html`    the report of date D

Unlike Airflow's plugin default, the pages need Airflow's login (the session
cookie the UI's login sets), as they show the warehouse's content.
"""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from newsdesk import config
from newsdesk.ui.login import require_login
from newsdesk.ui.report import REPORT_FILE, report_path

URL_PREFIX = "/newsdesk-reports"


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


def create_app(reports_dir: Path | None = None) -> FastAPI:
    """The app over `reports_dir` (default: NEWSDESK_HOME/reports, read when the app is made)."""
    reports_dir = Path(reports_dir or config.paths().reports)
    app = FastAPI(
        title="Newsdesk run reports",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(require_login)],
    )

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return _index_page(reports_dir)

    @app.get(f"/{{day}}/{REPORT_FILE}")
    def report(day: str) -> FileResponse:
        try:
            path = report_path(reports_dir, date.fromisoformat(day))
        except ValueError:
            raise HTTPException(status_code=404, detail=f"not a date: {day}") from None
        if not path.is_file():
            raise HTTPException(status_code=404, detail=f"no run report for {day}")
        return FileResponse(path, media_type="text/html")

    return app
