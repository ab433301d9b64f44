"""Airflow's login for the project's pages inside the api-server (plugins/).

Airflow serves a plugin's FastAPI app without a login by default. Every app
of this project takes `require_login` as a dependency of the whole app: a
request passes with the JWT that Airflow's login sets as a cookie in the
browser (or an `Authorization: Bearer` token), else it gets 401.
"""

from __future__ import annotations

from airflow.api_fastapi.core_api.security import requires_authenticated

require_login = requires_authenticated()
