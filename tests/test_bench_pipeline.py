"""`newsdesk bench pipeline` runs end to end on a tiny corpus: every stage reported with positive figures,
the loaded rows those of the corpus, ours and the baseline loading the same rows, every analyst query
timed, every target judged. No timing assertions: performance is read from the bench, not tested."""

import io

import pytest

from newsdesk.bench import pipeline
from newsdesk.bench.pipeline import run_pipeline_bench
from newsdesk.config import GATE_SUITES
from newsdesk.warehouse.analyst_guide import guide_queries
from newsdesk.warehouse.lake_snapshots import connect_published

pytestmark = pytest.mark.slow

ARTICLES = 300


@pytest.fixture(scope="module")
def bench() -> tuple[dict, str, dict]:
    """The bench's figures and report with the day's run on a lake (the default storage; the file kind's publish
    and its copy are tests/test_publish.py's), and the published warehouse's article count, read as it is
    published (the bench's folder is removed at its end)."""
    published_counts = {}
    publish_to_lake = pipeline.publish_to_lake

    def publish_to_lake_and_count(lake, ledger, label, **kwargs):
        expired = publish_to_lake(lake, ledger, label, **kwargs)
        with connect_published(lake) as conn:
            published_counts["articles"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            published_counts["raw"] = conn.execute("SELECT count(*) FROM raw.articles").fetchone()[0]
        return expired

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "publish_to_lake", publish_to_lake_and_count)
        result = run_pipeline_bench(
            ARTICLES,
            days=3,
            daily_articles=100,
            extract_feeds=10,
            baseline_rows=1_000,
            datasketch_limit=1_000,
            query_repeats=1,
            page_samples=5,
            storage="lake",
            out=out,
        )
    return result, out.getvalue(), published_counts


def stage(result: dict, name: str) -> dict:
    (found,) = [row for row in result["stages"] if row["stage"] == name]
    return found


def test_every_stage_is_reported_with_positive_figures(bench):
    result, report, _ = bench
    names = [row["stage"] for row in result["stages"]]
    assert names == [
        "extract (fetch, parse, land)",
        "parse",
        "load into raw",
        "dbt build, the day",
        "search index",
        "similarity",
        "quality gate",
        "publish",
        "dbt build, day 1",
        "dbt build, day 3 incremental",
        "search index, day 3 update",
    ]
    for row in result["stages"]:
        assert row["ours"] > 0 and row["ours_seconds"] > 0, row["stage"]
        assert (row["baseline"] is None) == (row["ratio"] is None) == (row["baseline_seconds"] is None)
        if row["baseline"] is not None:
            assert row["baseline"] > 0 and row["ratio"] == pytest.approx(row["ours"] / row["baseline"])
        assert row["stage"] in report
    assert sum(row["baseline"] is not None for row in result["stages"]) == 8
    assert "machine:" in report and "end to end:" in report


def test_the_day_loads_every_article_and_the_baseline_the_same_rows(bench):
    result, _, published = bench
    load = stage(result, "load into raw")
    assert load["ours_items"] == load["baseline_items"] == ARTICLES
    assert published == {"articles": ARTICLES, "raw": ARTICLES}
    assert stage(result, "dbt build, the day")["ours_items"] == ARTICLES
    assert stage(result, "search index")["ours_items"] == stage(result, "search index")["baseline_items"] == ARTICLES


def test_the_gate_runs_every_suite_and_they_pass_on_the_sample_day(bench):
    gate = stage(bench[0], "quality gate")
    assert gate["ours_items"] == len(GATE_SUITES) == 8
    assert gate["failed_suites"] == []


def test_the_incremental_build_adds_one_day_to_the_history_and_day_one_has_the_same_volume(bench):
    result, _, _ = bench
    incremental, day_one = stage(result, "dbt build, day 3 incremental"), stage(result, "dbt build, day 1")
    assert incremental["ours_items"] == incremental["baseline_items"] == day_one["ours_items"]
    assert 0 < incremental["ours_items"] < 300
    assert "--full-refresh" in incremental["note"]
    index = stage(result, "search index, day 3 update")
    assert index["ours_items"] == incremental["ours_items"]
    assert index["note"].startswith(f"{incremental['ours_items']:,} articles (re-)indexed, 0 dropped")


def test_every_analyst_query_is_timed_and_every_target_judged(bench):
    result, report, _ = bench
    assert [query["query"] for query in result["queries"]] == [heading for heading, _ in guide_queries()]
    assert all(query["ms"] > 0 for query in result["queries"])
    assert sum(query["rows"] for query in result["queries"]) > 0
    assert len(result["targets"]) == 7 and all(isinstance(target["met"], bool) for target in result["targets"])
    assert result["end_to_end"]["seconds"] > result["end_to_end"]["measured_seconds"] > 0
    assert 0 < result["end_to_end"]["peak_mib"] < 24 * 1024
    judged = report.split("\ntargets:\n")[1].splitlines()
    assert len(judged) == 7 and all(line.strip().startswith(("met ", "NOT met ")) for line in judged)


def test_every_news_page_type_and_search_are_timed_beside_plain_sql(bench):
    result, report, _ = bench
    assert [page["page"] for page in result["pages"]] == ["article", "story", "source", "today", "search"]
    for page in result["pages"]:
        assert page["requests"] > 0 and 0 < page["p50_ms"] <= page["p95_ms"] and page["baseline_p95_ms"] > 0
    assert "news pages through the app" in report


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        run_pipeline_bench(10, days=1)
    with pytest.raises(ValueError, match="storage is file or lake"):
        run_pipeline_bench(10, storage="s3")
