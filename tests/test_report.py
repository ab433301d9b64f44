"""The run report: every chart drawn from a hand-made warehouse, and honest gaps in an older one."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pytest

from newsdesk.ui.report import MISSING, report_path, write_run_report
from newsdesk.warehouse.load import create_raw_schema

DAY = date(2026, 11, 24)
RUN_ID = "manual__2026-11-24T06:00:00+00:00"


def raw_rows(conn) -> None:
    for offset, per_source in ((1, {"nos": 3, "bbc": 2}), (0, {"nos": 4, "bbc": 1, "spiegel": 2})):
        day = DAY - timedelta(days=offset)
        for source, count in per_source.items():
            for n in range(count):
                conn.execute(
                    "INSERT INTO raw.articles (source_id, url, title, partition_date, run_id) VALUES (?, ?, ?, ?, ?)",
                    [source, f"https://{source}.test/{day}/{n}", f"title {n}", day, RUN_ID],
                )
    for source, reason in [("nos", "missing title"), ("nos", "missing title"), ("bbc", "malformed XML")]:
        conn.execute(
            "INSERT INTO raw.rejected_items (source_id, reason, partition_date, run_id) VALUES (?, ?, ?, ?)",
            [source, reason, DAY, RUN_ID],
        )


def mart_tables(conn) -> None:
    conn.execute("CREATE TABLE main.articles (article_id VARCHAR, title VARCHAR)")
    conn.execute("INSERT INTO main.articles VALUES ('a1', 'Storm closes the Afsluitdijk'), ('a9', 'Budget vote')")
    conn.execute(
        """CREATE TABLE main.source_rankings (period_type VARCHAR, period_start DATE, scope VARCHAR, country VARCHAR,
           category VARCHAR, source_id VARCHAR, rank INTEGER, previous_rank INTEGER, rank_change INTEGER, score DOUBLE)"""
    )
    conn.executemany(
        "INSERT INTO main.source_rankings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("day", DAY, "country", "NL", None, "nos", 1, 2, 1, 71.5),
            ("day", DAY, "country", "NL", None, "telegraaf", 2, 1, -1, 64.0),
            ("day", DAY, "country", "GB", None, "bbc", 1, None, None, 80.0),
            ("day", DAY, "country_category", "NL", "sport", "nos", 1, 1, 0, 70.0),  # not a country rank
            ("week", DAY, "country", "NL", None, "weeklyonly", 1, 3, 2, 50.0),  # not a daily rank
        ],
    )
    conn.execute(
        """CREATE TABLE main.story_clusters (cluster_id VARCHAR, first_article_id VARCHAR, first_source_id VARCHAR,
           first_published_at TIMESTAMP, last_published_at TIMESTAMP, span_hours DOUBLE, article_count INTEGER,
           publisher_count INTEGER, language_count INTEGER, article_ids VARCHAR[])"""
    )
    conn.executemany(
        "INSERT INTO main.story_clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("c1", "a1", "nos", datetime(2026, 11, 24, 6), datetime(2026, 11, 24, 18), 12.0, 5, 4, 2, ["a1"]),
            ("c2", "a9", "bbc", datetime(2026, 11, 23, 9), datetime(2026, 11, 24, 1), 16.0, 3, 3, 1, ["a9"]),
            ("c3", "zz", "bbc", datetime(2026, 11, 20, 9), datetime(2026, 11, 21, 1), 16.0, 9, 3, 1, ["zz"]),  # over
        ],
    )
    conn.execute(
        """CREATE TABLE ops.dq_results (run_id VARCHAR, partition_date DATE, suite VARCHAR, severity VARCHAR,
           expectation VARCHAR, "column" VARCHAR, success BOOLEAN, observed_value VARCHAR)"""
    )
    conn.executemany(
        "INSERT INTO ops.dq_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (RUN_ID, DAY, "raw_articles", "critical", "expect_column_values_to_not_be_null", "url", True, "0"),
            (RUN_ID, DAY, "raw_articles", "critical", "expect_table_row_count_to_be_between", None, True, "7"),
            (RUN_ID, DAY, "marts_articles", "warning", "expect_column_values_to_be_unique", "url", False, "2"),
            ("an_earlier_run", DAY, "raw_articles", "critical", "from_another_run", "url", False, "1"),
        ],
    )


@pytest.fixture
def full_warehouse(tmp_path):
    path = tmp_path / "full.duckdb"
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        raw_rows(conn)
        mart_tables(conn)
    return path


def decoded(values) -> list:
    """A trace's x or y: plotly writes numeric arrays as base64 typed arrays."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def figures(page: str) -> dict[str, list[dict]]:
    """Each section's plotly traces (x and y decoded), read back from the page's embedded figure JSON."""
    found = {}
    for section_id, body in re.findall(r'<section id="([^"]+)">(.*?)</section>', page, flags=re.S):
        calls = re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", body, flags=re.S)
        traces = [trace for call in calls for trace in json.loads(call)]
        found[section_id] = [{**trace, "x": decoded(trace["x"]), "y": decoded(trace["y"])} for trace in traces]
    return found


def test_report_draws_every_chart_from_the_warehouse(full_warehouse, tmp_path):
    path = write_run_report(full_warehouse, tmp_path / "reports", DAY, RUN_ID)
    assert (
        path == report_path(tmp_path / "reports", DAY) == tmp_path / "reports" / "date=2026-11-24" / "run_report.html"
    )
    page = path.read_text(encoding="utf-8")

    # Self-contained: plotly.js is inlined once and nothing is loaded from elsewhere.
    assert page.count("plotly.js v") >= 1 and "<script src=" not in page
    assert MISSING not in page
    traces = figures(page)
    assert set(traces) == {"articles-per-source", "rank-movers", "story-clusters", "rejected-items", "gate-results"}

    per_source = {trace["name"]: sum(trace["y"]) for trace in traces["articles-per-source"]}
    assert per_source == {"nos": 7, "bbc": 3, "spiegel": 2}

    movers = {label: change for trace in traces["rank-movers"] for label, change in zip(trace["y"], trace["x"])}
    assert movers == {"NL · nos": 1, "NL · telegraaf": -1, "GB · bbc": 0}

    stories = {story: count for trace in traces["story-clusters"] for story, count in zip(trace["y"], trace["x"])}
    assert stories == {"Storm closes the Afsluitdijk": 5, "Budget vote": 3}  # c3 ended before the day

    rejects = {
        (trace["name"], source): items
        for trace in traces["rejected-items"]
        for source, items in zip(trace["y"], trace["x"])
    }
    assert rejects == {("missing title", "nos"): 2, ("malformed XML", "bbc"): 1}

    outcomes = {
        (trace["name"], suite): n for trace in traces["gate-results"] for suite, n in zip(trace["y"], trace["x"])
    }
    assert outcomes == {("passed", "raw_articles"): 2, ("failed", "marts_articles"): 1}
    assert "expect_column_values_to_be_unique" in page and "from_another_run" not in page


def test_report_of_an_older_warehouse_says_what_is_missing(tmp_path):
    warehouse = tmp_path / "old.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        create_raw_schema(conn)
        raw_rows(conn)
    page = write_run_report(warehouse, tmp_path / "reports", DAY, RUN_ID).read_text(encoding="utf-8")
    for table in ("main.source_rankings", "main.story_clusters", "ops.dq_results"):
        assert f"{MISSING}: {table}" in page
    traces = figures(page)
    assert traces["articles-per-source"] and traces["rejected-items"]
    assert traces["rank-movers"] == traces["story-clusters"] == traces["gate-results"] == []


def test_report_opens_the_warehouse_read_only_and_replaces_its_page(full_warehouse, tmp_path):
    reports = tmp_path / "reports"
    first = write_run_report(full_warehouse, reports, DAY, RUN_ID)
    with duckdb.connect(str(full_warehouse)) as conn:  # a writer holding the file does not stop a read-only reader
        conn.execute("DELETE FROM raw.rejected_items")
    second = write_run_report(full_warehouse, reports, DAY, RUN_ID)
    assert first == second
    assert "no item was rejected on 2026-11-24" in second.read_text(encoding="utf-8")
    assert [p.name for p in second.parent.iterdir()] == ["run_report.html"]
