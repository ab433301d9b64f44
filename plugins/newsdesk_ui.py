"""Airflow plugin: the project's pages in the Airflow UI (newsdesk.ui.app), behind Airflow's login.

Mounts the app in the api-server and adds a "News" menu entry (today's
stories, articles, sources, search), a "Run reports" and a "Quality
reports" menu entry (every date's report and gate outcome, the last run's Data
Docs) and a "Data quality" tab on each DAG run. Airflow finds this file
through AIRFLOW__CORE__PLUGINS_FOLDER, which newsdesk.airflow.runner.airflow_env sets.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsdesk.ui.app import NEWS, QUALITY, REPORTS, URL_PREFIX, create_app

ROUTE = URL_PREFIX.lstrip("/")


class NewsdeskPlugin(AirflowPlugin):
    name = "newsdesk"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "Newsdesk"}]
    # hrefs are relative to the UI's base URL; a url_route shows the page inside the UI.
    external_views = [
        {
            "name": "News",
            "href": f"{ROUTE}{NEWS}/",
            "url_route": "newsdesk-news",
            "destination": "nav",
            "nav_top_level": True,
        },
        {
            "name": "Run reports",
            "href": f"{ROUTE}{REPORTS}/",
            "url_route": "newsdesk-run-reports",
            "destination": "nav",
            # two entries would otherwise fold into one "Plugins" menu
            "nav_top_level": True,
        },
        {
            "name": "Quality reports",
            "href": f"{ROUTE}{QUALITY}/",
            "url_route": "newsdesk-quality-reports",
            "destination": "nav",
            "nav_top_level": True,
        },
        {
            "name": "Data quality",
            "href": f"{ROUTE}{QUALITY}/runs/{{RUN_ID}}",
            "url_route": "newsdesk-run-quality",
            "destination": "dag_run",
        },
    ]
