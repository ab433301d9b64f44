"""Airflow plugin: the run reports in the Airflow UI, under a "Run reports" menu entry.

Mounts newsdesk.ui.report_server in the api-server; the menu entry shows its list
of reports (latest date first) inside the UI. Airflow finds this file through
AIRFLOW__CORE__PLUGINS_FOLDER, which newsdesk.airflow.runner.airflow_env sets.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsdesk.ui.report_server import URL_PREFIX, create_app

ROUTE = URL_PREFIX.lstrip("/")


class NewsdeskReportsPlugin(AirflowPlugin):
    name = "newsdesk_reports"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "Newsdesk run reports"}]
    # href is relative to the UI's base URL; the url_route shows the page inside the UI.
    external_views = [
        {
            "name": "Run reports",
            "href": f"{ROUTE}/",
            "url_route": "newsdesk-run-reports",
            "destination": "nav",
            # two plugin entries would otherwise fold into one "Plugins" menu
            "nav_top_level": True,
        }
    ]
