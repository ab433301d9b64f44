"""The dbt task group's two halves: the graph read from the project's files, and each node's outcome."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime

import pytest

from helpers.dbt_warehouse import ARTICLES, create_raw_warehouse, day_2
from newsdesk import config
from newsdesk.warehouse import dbt_graph
from newsdesk.warehouse.transform import TransformError, dbt_executable, dbt_work_dir, run_dbt_build

pytestmark = pytest.mark.slow

PROJECT = "newsdesk"


def test_graph_read_from_the_files_is_dbts_own(tmp_path):
    """Names, kinds and upstream models/seeds of every node, as `dbt parse` sees them."""
    subprocess.run(
        [
            str(dbt_executable()),
            "parse",
            "--project-dir",
            str(config.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(config.DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--quiet",
        ],
        env={
            **os.environ,
            "NEWSDESK_WAREHOUSE": str(tmp_path / "unused.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        check=True,
    )
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    from_dbt = {
        node["unique_id"]: (
            node["resource_type"],
            sorted(
                parent.split(".")[-1]
                for parent in node["depends_on"].get("nodes", [])
                if parent.split(".")[0] in {"model", "seed"}
            ),
            " ".join(node["description"].split()),
        )
        for node in manifest["nodes"].values()
        if node["resource_type"] in {"model", "seed"}
    }
    from_files = {
        node.unique_id(PROJECT): (node.resource_type, list(node.upstream), node.description)
        for node in dbt_graph.read_project()
    }
    assert from_files == from_dbt
    assert dbt_graph.project_name() == PROJECT
    assert {"model.newsdesk.articles", "seed.newsdesk.reading_speeds"} <= from_files.keys()


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory):
    """A real `dbt build` where raw.articles breaks a source test: stg_raw__articles and all after it stop."""
    broken = day_2(source_id="nos", url="https://nos.nl/artikel/3", title="No hash", fetched_at=datetime(2025, 4, 11))
    warehouse = create_raw_warehouse(tmp_path_factory.mktemp("graph") / "build.duckdb", [*ARTICLES, broken])
    with pytest.raises(TransformError):
        run_dbt_build(warehouse)
    target = dbt_work_dir() / "target"
    return (
        json.loads((target / "run_results.json").read_text(encoding="utf-8")),
        json.loads((target / "manifest.json").read_text(encoding="utf-8")),
    )


def test_a_failed_source_test_fails_the_model_reading_it(failed_build):
    outcome = dbt_graph.node_outcome("model.newsdesk.stg_raw__articles", *failed_build)
    assert outcome.status == "failed"
    assert "source_not_null_raw_articles_content_hash (fail:" in outcome.message


def test_models_after_a_failure_are_skipped_and_the_rest_succeed(failed_build):
    outcomes = {
        node.name: dbt_graph.node_outcome(node.unique_id(PROJECT), *failed_build) for node in dbt_graph.read_project()
    }
    for downstream in ("int_articles__deduped", "int_articles__text_features", "articles", "sources"):
        assert outcomes[downstream].status == "skipped", outcomes[downstream]
    for independent in ("stg_raw__sources", "stg_raw__fetches", "stg_raw__rejected_items", "reading_speeds"):
        assert outcomes[independent].status == "success", outcomes[independent]
    assert "tests passed" in outcomes["stg_raw__sources"].message


def result(unique_id: str, status: str, message: str | None = None) -> dict:
    return {"unique_id": unique_id, "status": status, "message": message, "execution_time": 0.5}


UNIT_TEST = "unit_test.newsdesk.articles.articles_reading_time_formula"
MANIFEST = {
    "nodes": {"model.newsdesk.articles": {"resource_type": "model", "depends_on": {"nodes": []}}},
    "unit_tests": {
        UNIT_TEST: {"name": "articles_reading_time_formula", "depends_on": {"nodes": ["model.newsdesk.articles"]}}
    },
}


def test_a_failed_unit_test_fails_its_model_though_dbt_only_skipped_it():
    run_results = {
        "results": [
            result("model.newsdesk.articles", "skipped"),
            result(UNIT_TEST, "fail", "actual differs from expected:\n..."),
        ]
    }
    outcome = dbt_graph.node_outcome("model.newsdesk.articles", run_results, MANIFEST)
    assert outcome == dbt_graph.NodeOutcome(
        "failed", "articles: tests failed: articles_reading_time_formula (fail: actual differs from expected:)"
    )


def test_a_model_error_is_quoted():
    run_results = {"results": [result("model.newsdesk.articles", "error", "Binder Error: column x not found\nLINE 3")]}
    outcome = dbt_graph.node_outcome("model.newsdesk.articles", run_results, MANIFEST)
    assert outcome == dbt_graph.NodeOutcome("failed", "articles: error: Binder Error: column x not found")


def test_no_results_at_all_skip_the_node(tmp_path):
    """dbt_build did not run (load_raw failed) or stopped before any node: its own task is the red one."""
    outcome = dbt_graph.last_build_outcome("model.newsdesk.articles", tmp_path)
    assert outcome.status == "skipped" and "dbt wrote no results" in outcome.message


def test_refs_and_paths_read_from_the_files():
    nodes = {node.name: node for node in dbt_graph.read_project()}
    # depends_on comments count: the incremental articles mart reads two models only in incremental runs
    assert nodes["articles"].upstream == (
        "int_articles__quality",
        "int_articles__text_features",
        "int_similarity__article_clusters",
        "reading_speeds",
        "stg_raw__sources",
    )
    # a ref only an incremental run makes counts through its depends_on comment
    assert nodes["int_similarity__components"].upstream == (
        "article_similarity",
        "int_similarity__article_facts",
        "int_similarity__articles",
    )
    assert nodes["int_similarity__components"].path == "models/intermediate/int_similarity__components.sql"
    assert nodes["articles"].path == "models/marts/articles.sql"
    assert (
        nodes["reading_speeds"].resource_type == "seed" and nodes["reading_speeds"].path == "seeds/reading_speeds.csv"
    )
