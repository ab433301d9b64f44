"""Failure callbacks name what failed: the source, the dbt node, the gate's suites."""

from __future__ import annotations

import logging
from datetime import date
from types import SimpleNamespace

from airflow.sdk.exceptions import AirflowFailException

from newsdesk.airflow.alerts import failure_message, on_task_failure
from newsdesk.quality.gate import ExpectationOutcome, QualityGateFailed, SuiteResult
from newsdesk.warehouse.load import ExtractionIncomplete
from newsdesk.warehouse.transform import TransformError

RUN_ID = "manual__2026-11-24T06:00:00+00:00"


def context(task_id: str, error: BaseException | None, map_index: int = -1, rendered_map_index: str | None = None):
    ti = SimpleNamespace(
        dag_id="news_daily", task_id=task_id, map_index=map_index, rendered_map_index=rendered_map_index
    )
    return {"ti": ti, "run_id": RUN_ID, "exception": error}


def test_a_failed_extract_names_its_source():
    error = AirflowFailException("every feed of deadsource failed:\nhttp://127.0.0.1:9/rss.xml: ConnectionError")
    message = failure_message(context("extract", error, map_index=16, rendered_map_index="deadsource"))
    assert message == f"news_daily {RUN_ID}: source deadsource (extract) failed: every feed of deadsource failed:"


def test_an_extract_without_a_rendered_name_gives_its_map_index():
    assert "source #3 (extract) failed" in failure_message(context("extract", RuntimeError("boom"), map_index=3))


def test_a_failed_dbt_task_names_the_model():
    error = AirflowFailException(
        "stg_raw__articles: tests failed: source_not_null_raw_articles_content_hash (fail: Got 1 result)"
    )
    message = failure_message(context("dbt.stg_raw__articles", error))
    assert message.startswith(
        f"news_daily {RUN_ID}: dbt node stg_raw__articles failed: stg_raw__articles: tests failed"
    )


def test_a_failed_gate_names_its_suites():
    failed = [
        SuiteResult(
            "raw_articles",
            "critical",
            False,
            [
                ExpectationOutcome(
                    "raw_articles", "expect_column_values_to_be_between", "published_at", False, 3, "critical"
                )
            ],
            40,
        ),
        SuiteResult("marts_articles", "critical", False, [], 30),
    ]
    message = failure_message(context("quality_gate", QualityGateFailed(failed, date(2026, 11, 24), results=failed)))
    assert message == (
        f"news_daily {RUN_ID}: quality_gate (suites raw_articles, marts_articles) failed:"
        " quality gate failed for 2026-11-24: critical suites failed: raw_articles, marts_articles"
    )


def test_a_failed_dbt_build_names_its_nodes():
    error = TransformError(
        "dbt build failed on 2 node(s): ...", ["model.newsdesk.articles", "test.newsdesk.unique_x.1a"], ""
    )
    assert "dbt_build (dbt nodes articles, 1a) failed" in failure_message(context("dbt_build", error))


def test_other_steps_are_named_by_task_with_the_first_line_of_the_error():
    error = ExtractionIncomplete("3 of 17 sources failed or did not land for 2026-11-24: a, b, c;\nmore")
    assert failure_message(context("load_raw", error)) == (
        f"news_daily {RUN_ID}: load_raw failed: 3 of 17 sources failed or did not land for 2026-11-24: a, b, c;"
    )
    assert failure_message(context("publish", None)).endswith("publish failed: no error recorded (see the task log)")


def test_the_callback_logs_the_message(caplog):
    with caplog.at_level(logging.ERROR, logger="newsdesk.airflow.alerts"):
        on_task_failure(context("dbt.articles", AirflowFailException("articles: error: Binder Error")))
    assert caplog.messages == [f"news_daily {RUN_ID}: dbt node articles failed: articles: error: Binder Error"]
