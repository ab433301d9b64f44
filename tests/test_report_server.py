"""The run reports in the Airflow UI: the project's app lists and serves them, behind Airflow's login."""

from __future__ import annotations

import importlib.util
import os
from datetime import date

import pytest
from fastapi.testclient import TestClient

from conftest import REPO_ROOT
from newsdesk.ui.app import URL_PREFIX, create_app
from newsdesk.ui.login import require_login
from newsdesk.ui.report import report_path
from newsdesk.ui.reports import report_dates


@pytest.fixture
def reports(tmp_path):
    for day, text in [
        (date(2026, 11, 22), "report 22"),
        (date(2026, 11, 24), "report 24"),
        (date(2026, 11, 23), "r 23"),
    ]:
        path = report_path(tmp_path, day)
        path.parent.mkdir(parents=True)
        path.write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
    (tmp_path / "date=2026-11-25").mkdir()  # a run that has not written its report yet
    (tmp_path / "date=notadate").mkdir()
    return tmp_path


@pytest.fixture
def client(reports):
    app = create_app(reports_dir=reports, quality_dir=reports / "no-quality")
    app.dependency_overrides[require_login] = lambda: None  # as if logged in to Airflow
    return TestClient(app)


def test_dates_with_a_report_latest_first(reports):
    assert report_dates(reports) == [date(2026, 11, 24), date(2026, 11, 23), date(2026, 11, 22)]


def test_index_links_each_report_latest_first(client):
    page = client.get("/reports/").text
    links = [page.index(f'href="{day}/run_report.html"') for day in ("2026-11-24", "2026-11-23", "2026-11-22")]
    assert links == sorted(links)
    assert "2026-11-25" not in page


def test_a_report_is_served_and_bad_dates_are_not_found(client):
    answer = client.get("/reports/2026-11-24/run_report.html")
    assert answer.status_code == 200 and "report 24" in answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert client.get("/reports/2026-11-25/run_report.html").status_code == 404
    assert client.get("/reports/..%2F..%2Fetc/run_report.html").status_code == 404
    assert client.get("/reports/notadate/run_report.html").status_code == 404


def test_reports_need_airflows_login(reports):
    answer = TestClient(create_app(reports_dir=reports)).get("/reports/2026-11-24/run_report.html")
    assert answer.status_code == 401


def test_the_plugin_mounts_the_app_and_adds_the_menu_entries_and_the_run_tab():
    spec = importlib.util.spec_from_file_location("newsdesk_ui_plugin", REPO_ROOT / "plugins" / "newsdesk_ui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    plugin = module.NewsdeskPlugin
    assert plugin.name == "newsdesk"
    assert [app["url_prefix"] for app in plugin.fastapi_apps] == [URL_PREFIX]
    assert [(view["name"], view["href"], view["destination"]) for view in plugin.external_views] == [
        ("News", "newsdesk/news/", "nav"),
        ("Run reports", "newsdesk/reports/", "nav"),
        ("Quality reports", "newsdesk/quality/", "nav"),
        ("Data quality", "newsdesk/quality/runs/{RUN_ID}", "dag_run"),
    ]


def test_airflow_env_points_airflow_at_the_plugins_folder():
    from newsdesk.airflow.runner import airflow_env

    assert airflow_env()["AIRFLOW__CORE__PLUGINS_FOLDER"] == str(REPO_ROOT / "plugins")
    assert os.path.isfile(REPO_ROOT / "plugins" / "newsdesk_ui.py")
