"""The project's pages inside the Airflow api-server: one app, one login rule.

plugins/newsdesk_ui.py mounts it under URL_PREFIX and adds the UI's entries:
the "Run reports" and "Quality reports" menu items and a "Data quality" tab
on each DAG run.

- `/reports/...`   the run reports (newsdesk.ui.reports)
- `/quality/...`   the gate's reports and Data Docs (newsdesk.ui.quality_docs)
- `/news/...`      articles, stories, sources and search on the published warehouse (newsdesk.ui.news)

Unlike Airflow's plugin default, every page needs Airflow's login
(newsdesk.ui.login), as they show the warehouse's content.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI

from newsdesk import config
from newsdesk.ui.login import require_login
from newsdesk.ui.news import news_router
from newsdesk.ui.quality_docs import quality_router
from newsdesk.ui.reports import reports_router
from newsdesk.warehouse.storage import Warehouse, published_target

URL_PREFIX = "/newsdesk"
REPORTS = "/reports"
QUALITY = "/quality"
NEWS = "/news"


def create_app(
    reports_dir: Path | None = None, quality_dir: Path | None = None, published: Warehouse | None = None
) -> FastAPI:
    """The app over `reports_dir`, `quality_dir` and the `published` warehouse (default: NEWSDESK_HOME's, read
    when the app is made)."""
    paths = config.paths()
    app = FastAPI(
        title="Newsdesk",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(require_login)],
    )
    app.include_router(reports_router(Path(reports_dir or paths.reports)), prefix=REPORTS)
    app.include_router(quality_router(Path(quality_dir or paths.quality_reports)), prefix=QUALITY)
    app.include_router(news_router(published or published_target(paths)), prefix=NEWS)
    return app
