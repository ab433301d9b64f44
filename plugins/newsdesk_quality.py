"""Airflow plugin: the quality gate's reports and GX Data Docs in the Airflow UI.

Mounts newsdesk.ui.quality_docs in the api-server and adds a "Quality reports"
menu entry (every date's reports, and the last run's Data Docs) and a
"Data quality" tab on each DAG run. Airflow finds this file through
AIRFLOW__CORE__PLUGINS_FOLDER, which newsdesk.airflow.runner.airflow_env sets.
Every page needs Airflow's login, as the UI's own pages do.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsdesk.ui.quality_docs import URL_PREFIX, create_app

ROUTE = URL_PREFIX.lstrip("/")


class NewsdeskQualityPlugin(AirflowPlugin):
    name = "newsdesk_quality"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "Newsdesk quality reports"}]
    external_views = [
        # hrefs are relative to the UI's base URL; a url_route shows the page inside the UI.
        {
            "name": "Quality reports",
            "href": f"{ROUTE}/",
            "url_route": "newsdesk-quality-reports",
            "destination": "nav",
            "nav_top_level": True,
        },
        {
            "name": "Data quality",
            "href": f"{ROUTE}/runs/{{RUN_ID}}",
            "url_route": "newsdesk-run-quality",
            "destination": "dag_run",
        },
    ]
