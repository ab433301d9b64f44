"""The quality gate against real DuckDB files: a good day passes, each kind of bad day
fails on the expectation that describes it, with the observed values."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from helpers.gate_warehouse import (
    DAY,
    RAW_ARTICLES_DDL,
    build_warehouse,
    failures,
    good_raw_batch,
    mart_rows_for,
    raw_article,
)
from newsdesk.config import EXPECTATIONS_DIR
from newsdesk.quality.gate import QUERY_CHECK, QualityGateFailed, SuiteDefinitionError, load_suite, run_gate, run_suite

SUITES = ["raw_articles", "marts_articles"]


def gate_failures(warehouse: Path, **kwargs) -> tuple[QualityGateFailed, dict]:
    with pytest.raises(QualityGateFailed) as raised:
        run_gate(warehouse, SUITES, partition_date=DAY, **kwargs)
    return raised.value, failures(raised.value.failed_suites)


def test_suite_files_load_and_every_expectation_is_known_to_gx(tmp_path):
    for name in SUITES:
        suite = load_suite(name)
        assert suite.severity == "critical"
    # GX rejects an unknown expectation type or argument while building the suite, so a clean
    # run over a good warehouse proves every expectation in the files is well-formed.
    results = run_gate(build_warehouse(tmp_path / "w.duckdb", good_raw_batch()), SUITES, partition_date=DAY)
    assert [len(r.outcomes) for r in results] == [len(load_suite(name).expectations) for name in SUITES]


def test_good_batch_passes_both_suites(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb", good_raw_batch())

    results = run_gate(warehouse, SUITES, partition_date=DAY)

    assert [(r.suite, r.severity, r.success, r.rows_checked) for r in results] == [
        ("raw_articles", "critical", True, 10),
        ("marts_articles", "critical", True, 10),
    ]
    raw = {(o.expectation, o.column): o.observed_value for o in results[0].outcomes}
    assert raw[("expect_table_row_count_to_be_between", None)] == 10
    # The two null guids are skipped, not counted as a duplicate pair.
    assert raw[("expect_compound_columns_to_be_unique", "source_id, guid")]["unexpected_count"] == 0
    assert raw[("expect_column_values_to_be_in_set", "language")]["element_count"] == 10


def test_forty_percent_of_titles_missing_fails_the_title_expectation(tmp_path):
    rows = good_raw_batch()
    for row in rows[:4]:
        row["title"] = None
    warehouse = build_warehouse(tmp_path / "w.duckdb", rows, mart_rows_for(good_raw_batch()))

    error, failed = gate_failures(warehouse)

    assert failed == {
        ("raw_articles", "expect_column_values_to_not_be_null", "title"): {
            "element_count": 10,
            "unexpected_count": 4,
            "unexpected_percent": 40.0,
            "unexpected_examples": [None, None, None, None],
        }
    }
    assert [r.suite for r in error.failed_suites] == ["raw_articles"]
    assert "critical suites failed: raw_articles" in str(error)
    expected_line = '- expect_column_values_to_not_be_null(title): observed {"element_count": 10, "unexpected_count": 4'
    assert expected_line in str(error)


def test_duplicated_source_and_guid_fails_the_compound_uniqueness(tmp_path):
    rows = good_raw_batch()
    rows[2]["guid"] = rows[0]["guid"]  # rows 0 and 2 are both from nos

    _, failed = gate_failures(build_warehouse(tmp_path / "w.duckdb", rows))

    assert list(failed) == [("raw_articles", "expect_compound_columns_to_be_unique", "source_id, guid")]
    observed = failed[("raw_articles", "expect_compound_columns_to_be_unique", "source_id, guid")]
    assert observed["unexpected_count"] == 2
    assert observed["unexpected_examples"] == [{"source_id": "nos", "guid": "nos-0"}] * 2
    # 8 rows have a guid; 2 of them collide.
    assert observed["unexpected_percent"] == 25.0


@pytest.mark.parametrize("bad_url", ["ftp://nos.example/artikel/1", "javascript:alert(1)", "/artikel/1"])
def test_url_without_http_scheme_fails_the_url_pattern(tmp_path, bad_url):
    rows = good_raw_batch()
    rows[1]["url"] = bad_url

    error, failed = gate_failures(build_warehouse(tmp_path / "w.duckdb", rows, mart_rows_for(good_raw_batch())))

    assert failed == {
        ("raw_articles", "expect_column_values_to_match_regex", "url"): {
            "element_count": 10,
            "unexpected_count": 1,
            "unexpected_percent": 10.0,
            "unexpected_examples": [bad_url],
        }
    }
    assert bad_url in str(error)


def test_orphan_source_in_the_mart_fails_the_registry_membership(tmp_path):
    raw_rows = good_raw_batch()
    mart_rows = mart_rows_for(raw_rows)
    mart_rows[3]["source_id"] = "ghost-publisher"

    error, failed = gate_failures(build_warehouse(tmp_path / "w.duckdb", raw_rows, mart_rows))

    assert failed == {
        ("marts_articles", "expect_column_values_to_be_in_set", "source_id"): {
            "element_count": 10,
            "unexpected_count": 1,
            "unexpected_percent": 10.0,
            "unexpected_examples": ["ghost-publisher"],
        }
    }
    assert [r.suite for r in error.failed_suites] == ["marts_articles"]


def test_mart_duplicates_and_negative_reading_time_are_named(tmp_path):
    raw_rows = good_raw_batch()
    mart_rows = mart_rows_for(raw_rows)
    mart_rows[1]["article_id"] = mart_rows[0]["article_id"]
    mart_rows[5]["url"] = mart_rows[4]["url"]
    mart_rows[6]["reading_time_summary_seconds"] = -3

    _, failed = gate_failures(build_warehouse(tmp_path / "w.duckdb", raw_rows, mart_rows))

    assert {key: value["unexpected_count"] for key, value in failed.items()} == {
        ("marts_articles", "expect_column_values_to_be_unique", "article_id"): 2,
        ("marts_articles", "expect_column_values_to_be_unique", "url"): 2,
        ("marts_articles", "expect_column_values_to_be_between", "reading_time_summary_seconds"): 1,
    }


def test_published_at_window_tolerates_five_percent_odd_dates(tmp_path):
    rows = [raw_article(i) for i in range(21)]
    rows[0]["published_at"] = datetime(2026, 11, 12, 23, 59)  # just before D-7: 1 of 20 dated rows
    rows[1]["published_at"] = None  # no date: not counted
    rows[2]["published_at"] = datetime(2026, 11, 22, 0, 1)  # just past D+2 days: 1 of 20 dated rows
    assert run_suite(build_warehouse(tmp_path / "one.duckdb", rows), "raw_articles", partition_date=DAY).success

    rows[3]["published_at"] = datetime(2026, 11, 12, 8, 0)
    rows[4]["published_at"] = datetime(2026, 11, 23, 8, 0)
    result = run_suite(build_warehouse(tmp_path / "two.duckdb", rows), "raw_articles", partition_date=DAY)

    assert not result.success
    failed = failures([result])
    too_early = failed[("raw_articles", "expect_column_values_to_be_between", "published_at")]
    assert (too_early["unexpected_count"], too_early["element_count"], too_early["unexpected_percent"]) == (2, 21, 10.0)
    assert too_early["unexpected_examples"] == ["2026-11-12T23:59:00", "2026-11-12T08:00:00"]
    # Days past the collection day: the later of D and the fetch's day (2026-11-20 here).
    too_late = failed[("raw_articles", "expect_column_values_to_be_between", "published_days_after_collection_day")]
    assert (too_late["unexpected_count"], too_late["unexpected_percent"]) == (2, 10.0)
    assert too_late["unexpected_examples"] == [pytest.approx(2.0007, abs=1e-4), pytest.approx(3 + 1 / 3)]


def test_a_rerun_fetching_later_moves_the_window_with_its_fetch_day(tmp_path):
    # D's rerun two days later fetches items published the day after D + 2: not an odd date.
    rows = [raw_article(i, fetched_at=datetime(2026, 11, 22, 9, 0)) for i in range(20)]
    for row in rows[:4]:
        row["published_at"] = datetime(2026, 11, 23, 8, 0)

    assert run_suite(build_warehouse(tmp_path / "w.duckdb", rows), "raw_articles", partition_date=DAY).success


def test_language_must_be_a_lower_case_iso_639_1_code(tmp_path):
    rows = good_raw_batch()
    rows[0]["language"] = "NL"
    rows[1]["language"] = "eng"
    rows[2]["language"] = "xx"

    result = run_suite(build_warehouse(tmp_path / "w.duckdb", rows), "raw_articles", partition_date=DAY)

    observed = failures([result])[("raw_articles", "expect_column_values_to_be_in_set", "language")]
    assert observed["unexpected_examples"] == ["NL", "eng", "xx"]
    # One row has no language: allowed, and left out of the percentage.
    assert observed["unexpected_percent"] == pytest.approx(100 * 3 / 9)


def test_empty_partition_fails_on_row_count(tmp_path):
    other_day = [raw_article(i, partition_date=date(2026, 11, 19)) for i in range(3)]

    result = run_suite(build_warehouse(tmp_path / "w.duckdb", other_day), "raw_articles", partition_date=DAY)

    assert result.rows_checked == 0
    assert failures([result]) == {("raw_articles", "expect_table_row_count_to_be_between", None): 0}


def test_missing_contract_column_is_named(tmp_path):
    ddl = RAW_ARTICLES_DDL.replace(", content_hash VARCHAR", "")
    rows = [{k: v for k, v in row.items() if k != "content_hash"} for row in good_raw_batch()]

    result = run_suite(build_warehouse(tmp_path / "w.duckdb", rows, raw_ddl=ddl), "raw_articles", partition_date=DAY)

    failed = failures([result])
    # The suite's query adds the derived column the published_at window reads.
    assert failed[("raw_articles", "expect_table_columns_to_match_set", None)]["details"] == {
        "mismatched": {"missing": ["content_hash"], "unexpected": ["published_days_after_collection_day"]}
    }
    not_null = failed[("raw_articles", "expect_column_values_to_not_be_null", "content_hash")]
    assert "content_hash" in not_null["exception"]


def test_missing_mart_fails_the_suite_with_the_query_error(tmp_path):
    warehouse = build_warehouse(tmp_path / "w.duckdb", good_raw_batch(), with_marts=False)

    error, failed = gate_failures(warehouse)

    assert list(failed) == [("marts_articles", QUERY_CHECK, None)]
    assert "main.articles" in failed[("marts_articles", QUERY_CHECK, None)]["exception"]
    assert f"- {QUERY_CHECK}: observed" in str(error)


def test_failed_warning_suite_is_reported_but_does_not_raise(tmp_path):
    suites_dir = tmp_path / "suites"
    suites_dir.mkdir()
    definition = json.loads((EXPECTATIONS_DIR / "raw_articles.json").read_text())
    definition.update(name="raw_articles_advisory", severity="warning")
    (suites_dir / "raw_articles_advisory.json").write_text(json.dumps(definition))
    rows = good_raw_batch()
    for row in rows[:4]:
        row["title"] = None

    results = run_gate(
        build_warehouse(tmp_path / "w.duckdb", rows),
        ["raw_articles_advisory"],
        partition_date=DAY,
        report_dir=tmp_path / "report",
        suites_dir=suites_dir,
    )

    assert [(r.suite, r.severity, r.success) for r in results] == [("raw_articles_advisory", "warning", False)]
    assert list(failures(results)) == [("raw_articles_advisory", "expect_column_values_to_not_be_null", "title")]
    summary = json.loads((tmp_path / "report" / "raw_articles_advisory.summary.json").read_text())
    assert (summary["severity"], summary["success"]) == ("warning", False)


def test_reports_are_written_for_every_suite(tmp_path):
    rows = good_raw_batch()
    rows[0]["url"] = "mailto:redactie@nos.example"
    report_dir = tmp_path / "quality" / f"date={DAY}"

    gate_failures(build_warehouse(tmp_path / "w.duckdb", rows), report_dir=report_dir)

    raw_validation = json.loads((report_dir / "raw_articles.validation.json").read_text())
    assert raw_validation["suite_name"] == "raw_articles"
    assert raw_validation["success"] is False
    assert raw_validation["statistics"]["evaluated_expectations"] == len(load_suite("raw_articles").expectations)
    assert raw_validation["statistics"]["unsuccessful_expectations"] == 1
    assert raw_validation["meta"]["run_id"]["run_name"] == DAY.isoformat()
    # The published_at window as resolved for D: from D-7 00:00, and less than 2 days past the collection day.
    bounds = {
        r["expectation_config"]["kwargs"]["column"]: r["expectation_config"]["kwargs"]
        for r in raw_validation["results"]
        if r["expectation_config"]["type"] == "expect_column_values_to_be_between"
    }
    assert bounds["published_at"]["min_value"] == "2026-11-13T00:00:00"
    assert bounds["published_days_after_collection_day"]["max_value"] == 2

    raw_summary = json.loads((report_dir / "raw_articles.summary.json").read_text())
    assert (raw_summary["partition_date"], raw_summary["success"], raw_summary["rows_checked"]) == (
        "2026-11-20",
        False,
        10,
    )
    [failed_outcome] = [o for o in raw_summary["outcomes"] if not o["success"]]
    assert failed_outcome["observed_value"]["unexpected_examples"] == ["mailto:redactie@nos.example"]

    mart_summary = json.loads((report_dir / "marts_articles.summary.json").read_text())
    assert mart_summary["success"] is True
    assert (report_dir / "marts_articles.validation.json").is_file()
    index = (report_dir / "data_docs" / "index.html").read_text()
    assert "raw_articles" in index and "marts_articles" in index


def test_connection_is_closed_after_the_gate_passes_or_fails(tmp_path):
    good = build_warehouse(tmp_path / "good.duckdb", good_raw_batch())
    bad = build_warehouse(tmp_path / "bad.duckdb", [raw_article(0, title=None)])
    run_gate(good, SUITES, partition_date=DAY)
    gate_failures(bad)

    # DuckDB refuses a read-write open of a file this process still holds read-only.
    for warehouse in (good, bad):
        with duckdb.connect(str(warehouse)) as conn:
            conn.execute("CHECKPOINT")
        shutil.copyfile(warehouse, tmp_path / "copy.duckdb")


def test_broken_suite_definitions_are_rejected_before_the_warehouse_is_read(tmp_path):
    definition = json.loads((EXPECTATIONS_DIR / "raw_articles.json").read_text())
    (tmp_path / "loud.json").write_text(json.dumps({**definition, "name": "loud", "severity": "fatal"}))
    (tmp_path / "odd.json").write_text(
        json.dumps({**definition, "name": "odd", "parameters": {"since": {"days_before_christmas": 3}}})
    )

    with pytest.raises(SuiteDefinitionError, match="severity must be one of"):
        run_gate(tmp_path / "absent.duckdb", ["loud"], partition_date=DAY, suites_dir=tmp_path)
    with pytest.raises(SuiteDefinitionError, match="parameter 'since'"):
        run_gate(tmp_path / "absent.duckdb", ["odd"], partition_date=DAY, suites_dir=tmp_path)
    with pytest.raises(SuiteDefinitionError, match="no suite file"):
        run_gate(tmp_path / "absent.duckdb", ["nowhere"], partition_date=DAY, suites_dir=tmp_path)
