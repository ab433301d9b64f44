"""The Data Docs of each run, served by the Airflow plugin's app, and the plugin's wiring."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from helpers.gate_warehouse import build_warehouse, good_raw_batch
from newsdesk.airflow.runner import airflow_env, run_airflow
from newsdesk.quality.gate import run_gate
from newsdesk.ui.app import URL_PREFIX, create_app
from newsdesk.ui.login import require_login
from newsdesk.warehouse.ledger import record_gate_results

RUN_ID = "manual__2026-11-20T00:00:00+00:00"


@pytest.fixture(scope="module")
def quality_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quality")
    warehouse = build_warehouse(tmp_path_factory.mktemp("w") / "w.duckdb", good_raw_batch())
    day = date(2026, 11, 20)
    results = run_gate(
        warehouse, ["raw_articles", "marts_articles"], partition_date=day, report_dir=folder / f"date={day}"
    )
    record_gate_results(folder / "ledger", run_id=RUN_ID, partition_date=day, results=results)
    return folder


def logged_in(quality_dir) -> TestClient:
    app = create_app(reports_dir=quality_dir / "no-reports", quality_dir=quality_dir)
    app.dependency_overrides[require_login] = lambda: None  # as if logged in to Airflow
    return TestClient(app)


def test_index_lists_each_date_with_its_suites_and_links_its_data_docs(quality_dir):
    client = logged_in(quality_dir)

    page = client.get("/quality/")

    assert page.status_code == 200
    assert 'href="files/date=2026-11-20/data_docs/index.html"' in page.text
    assert "raw_articles: passed" in page.text and "marts_articles: passed" in page.text


def test_latest_and_a_runs_link_open_that_runs_data_docs(quality_dir):
    client = logged_in(quality_dir)

    for path in ("/quality/latest", f"/quality/runs/{RUN_ID}"):
        docs = client.get(path)
        assert docs.status_code == 200, path
        assert docs.url.path.endswith("/files/date=2026-11-20/data_docs/index.html")
        assert "Data Docs" in docs.text and "raw_articles" in docs.text
    assert client.get("/quality/runs/manual__1999-01-01T00:00:00+00:00").status_code == 404


def test_every_page_needs_airflows_login(quality_dir):
    anonymous = TestClient(create_app(quality_dir=quality_dir))
    ledger_files = [p.relative_to(quality_dir).as_posix() for p in (quality_dir / "ledger").rglob("*.jsonl")]
    assert ledger_files  # the gate's results, as the ledger keeps them
    pages = [
        "/quality/",
        "/quality/latest",
        f"/quality/runs/{RUN_ID}",
        "/quality/files/date=2026-11-20/data_docs/index.html",
        *(f"/quality/files/date=2026-11-20/{p.name}" for p in (quality_dir / "date=2026-11-20").glob("*.json")),
        *(f"/quality/files/{path}" for path in ledger_files),
        "/reports/",
    ]
    for page in pages:
        assert anonymous.get(page, follow_redirects=False).status_code == 401, page


def test_only_a_dates_report_files_are_served(quality_dir):
    client = logged_in(quality_dir)
    assert client.get("/quality/files/date=2026-11-20/data_docs/").status_code == 200  # a folder's index.html
    for outside in [
        "/quality/files/ledger/",
        *(f"/quality/files/{p.relative_to(quality_dir).as_posix()}" for p in (quality_dir / "ledger").rglob("*.jsonl")),
        "/quality/files/..%2F..%2Fetc%2Fpasswd",
        "/quality/files/date=2026-11-20/../../../etc/passwd",
        "/quality/files/",
    ]:
        assert client.get(outside).status_code == 404, outside


def test_airflow_loads_the_plugin_from_the_projects_plugins_folder():
    output = run_airflow(["plugins", "--output", "json"], env=airflow_env())

    [plugin] = [p for p in json.loads(output[output.index("[") :]) if p["name"] == "newsdesk"]
    assert URL_PREFIX in json.dumps(plugin["fastapi_apps"])
    assert {view["name"] for view in plugin["external_views"]} == {
        "News",
        "Run reports",
        "Quality reports",
        "Data quality",
    }
