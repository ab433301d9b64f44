"""The Airflow UI in headless Chromium, as a person uses it: log in, trigger news_daily, watch, read the report.

`airflow standalone` runs on a free port with the sample world served on
loopback. Playwright drives Debian's chromium (/usr/bin/chromium, installed by
`make test` through scripts/ensure_chromium.sh); without it the test skips.
Screenshots of the DAG graph, the report, and the news pages (an article, its
story, a search) go to test-artifacts/.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests

from conftest import REPO_ROOT, free_port
from newsdesk import config
from newsdesk.airflow.runner import airflow_env
from newsdesk.airflow.standalone import AirflowStandalone
from newsdesk.collect.registry import load_registry
from newsdesk.sample.server import SampleServer
from newsdesk.sample.world import generate_world

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
RUN_TIMEOUT_SECONDS = 1200

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"Debian's chromium is not installed at {CHROMIUM}: scripts/ensure_chromium.sh installs it"
        " (as root, with apt-get) when `make test` starts",
    ),
]


@pytest.fixture(scope="module")
def airflow_ui(tmp_path_factory):
    home = tmp_path_factory.mktemp("browser")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSDESK_HOME", str(home))  # its own Airflow DB and warehouse
        world_port = free_port()
        world = generate_world(config.paths().sample_world, days=2, stories_per_day=3, port=world_port)
        standalone = AirflowStandalone(airflow_env(registry=world.registry_path), free_port(), home / "standalone.log")
        with SampleServer(world.out_dir, port=world_port), standalone:
            yield standalone, world


@pytest.fixture
def page(airflow_ui):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: Chromium's sandbox refuses to start as root, which CI is
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1600, "height": 1000})
        finally:
            browser.close()


def wait_for_run(standalone: AirflowStandalone, token: str, run_id: str) -> str:
    """The run's final state, polled through Airflow's REST API with the browser's session token."""
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            run = requests.get(
                f"{standalone.url}/api/v2/dags/news_daily/dagRuns/{run_id}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            ).json()
        except requests.RequestException:
            continue  # a busy api-server answers late; the deadline still holds
        if run["state"] in ("success", "failed"):
            return run["state"]
        time.sleep(5)
    raise AssertionError(f"{run_id} did not finish in {RUN_TIMEOUT_SECONDS} s:\n{standalone.tail()}")


def test_trigger_news_daily_in_the_ui_and_open_its_run_report(airflow_ui, page):
    standalone, world = airflow_ui
    user, password = standalone.login()
    day = world.dates[-1]
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(standalone.url)
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(password)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{standalone.url}/")

    page.get_by_role("link", name="Dags").click()
    page.get_by_role("link", name="news_daily").first.click()
    page.get_by_text(
        "list_sources"
    ).first.wait_for()  # the grid has loaded; a dialog opened earlier is re-rendered away
    page.wait_for_timeout(2000)
    page.get_by_role("button", name="Trigger").first.click()
    page.locator("[data-testid=datetime-input]").click()
    page.get_by_placeholder("YYYY/MM/DD").fill(day.strftime("%Y/%m/%d"))
    page.get_by_placeholder("HH:mm").fill("00:00")
    page.get_by_text("Logical Date", exact=True).click()  # closes the date picker
    assert page.locator("[data-testid=datetime-input]").inner_text() == f"{day:%b} {day.day}, {day.year} 00:00"
    page.get_by_role("dialog").get_by_role("button", name="Trigger").click()
    page.wait_for_url("**/dags/news_daily/runs/**")
    run_id = unquote(page.url.split("/runs/", 1)[1]).strip("/")

    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "_token")
    assert wait_for_run(standalone, token, run_id) == "success", standalone.tail()

    # every page the plugins serve needs the login: the browser's session cookie opens it, nothing else does
    for plugin_page in (
        "newsdesk/quality/",
        "newsdesk/quality/latest",
        f"newsdesk/quality/runs/{run_id}",
        f"newsdesk/reports/{day.isoformat()}/run_report.html",
        "newsdesk/news/",
        "newsdesk/news/search?q=news",
    ):
        url = f"{standalone.url}/{plugin_page}"
        assert requests.get(url, timeout=60).status_code == 401, url
        assert requests.get(url, cookies={"_token": token}, timeout=60).status_code == 200, url

    page.goto(f"{standalone.url}/dags/news_daily/runs/{run_id}")
    page.get_by_role("button", name="Show Graph (Press g)").click()
    page.get_by_role("button", name="Expand all task groups").click()
    page.get_by_role("button", name="Collapse Details Panel").click()
    page.locator(".react-flow__node").first.wait_for()
    page.wait_for_timeout(3000)  # the layout settles
    page.locator(".react-flow__controls-fitview").click()  # fill the width the details panel left
    page.wait_for_timeout(1000)
    nodes = " ".join(page.locator(".react-flow__node").all_inner_texts())
    for task_id in (
        "extract",
        "dbt_build",
        "stg_raw__articles",
        "int_articles__text_features",
        "quality_gate",
        "report",
    ):
        assert task_id in nodes, task_id
    page.screenshot(path=str(ARTIFACTS / "dag_graph.png"))

    page.get_by_role("link", name="Quality reports").click()
    quality = page.frame_locator("iframe").first
    quality.get_by_role("heading", name="Newsdesk quality reports").wait_for()
    quality.get_by_role("link", name=day.isoformat()).wait_for()

    page.get_by_role("link", name="Run reports").click()
    reports = page.frame_locator("iframe").first
    reports.get_by_role("link", name=day.isoformat()).click()
    reports.get_by_role("heading", name=f"Newsdesk run report for {day}").wait_for()
    # plotly draws each chart as SVG once its JS has run in the page
    reports.locator("#articles-per-source .main-svg").first.wait_for()
    reports.locator("#rejected-items .main-svg").first.wait_for()
    sources_in_chart = set(reports.locator("#articles-per-source .legendtext").all_text_contents())
    assert len(sources_in_chart) > 1 and sources_in_chart <= {
        source.id for source in load_registry(world.registry_path)
    }
    page.screenshot(path=str(ARTIFACTS / "run_report.png"))

    # the news pages inside the UI: today, an article as the seed page shows it, its story, a search
    page.get_by_role("link", name="News").click()
    news = page.frame_locator("iframe").first
    news.get_by_role("heading", name="Today").wait_for()
    news.locator("#rankings h3").first.wait_for()
    news.locator("#stories li a").first.click()
    news.locator("#source-rank").wait_for()
    title = news.locator("h1").inner_text()
    assert news.locator("#reading-time").inner_text().endswith("at publisher")
    assert news.locator("#quality").inner_text().startswith("News ")
    assert news.locator("#similar-news li").count() > 0
    page.screenshot(path=str(ARTIFACTS / "article_page.png"))
    news.get_by_role("link", name="The whole story").click()
    news.locator("#timeline tbody tr").first.wait_for()
    assert title in news.locator("#timeline").inner_text()
    page.screenshot(path=str(ARTIFACTS / "story_page.png"))
    news.get_by_role("link", name="Search", exact=True).click()
    news.get_by_label("Words").fill(title)
    news.get_by_role("button", name="Search").click()
    news.locator("#results li").first.wait_for()
    assert title in news.locator("#results").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search.png"))
