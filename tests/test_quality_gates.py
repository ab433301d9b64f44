"""The batch, volume and sources suites against real DuckDB files, and their settings."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from helpers.gate_warehouse import DAY, MART_ARTICLES_DDL, failures, insert, mart_rows_for, raw_article
from newsdesk.config import SettingError
from newsdesk.config import value as setting
from newsdesk.quality.gate import QualityGateFailed, load_suite, run_gate, run_suite
from newsdesk.warehouse.load import create_raw_schema


def raw_warehouse(
    path, articles: list[dict], *, quarantined: int = 0, rejects: dict[str, int] | None = None, sources=("nos", "bbc")
):
    """raw.* as the load writes it: articles, `quarantined` quarantined rows and rejects by reason, for DAY."""
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        insert(conn, "raw.articles", articles)
        for index in range(quarantined):
            conn.execute(
                "INSERT INTO raw.quarantined_articles (partition_date, reason, source_id, url)"
                " VALUES (?, 'url not http(s)', 'nos', ?)",
                [DAY, f"ftp://nos.example/{index}"],
            )
        for reason, count in (rejects or {}).items():
            for index in range(count):
                conn.execute(
                    "INSERT INTO raw.rejected_items (partition_date, source_id, item_ref, reason)"
                    " VALUES (?, 'nos', ?, ?)",
                    [DAY, str(index), reason],
                )
        for source_id in sources:
            conn.execute("INSERT INTO raw.sources (source_id, name) VALUES (?, ?)", [source_id, source_id.upper()])
    return path


def day_of_articles(day: date, per_source: dict[str, int]) -> list[dict]:
    rows, index = [], 0
    for source_id, count in per_source.items():
        for _ in range(count):
            rows.append(
                raw_article(
                    index,
                    partition_date=day,
                    source_id=source_id,
                    url=f"https://{source_id}.example/{day}/{index}",
                    guid=f"{source_id}-{day}-{index}",
                )
            )
            index += 1
    return rows


def test_a_few_bad_items_pass_the_batch_suite(tmp_path):
    warehouse = raw_warehouse(
        tmp_path / "w.duckdb",
        day_of_articles(DAY, {"nos": 8, "bbc": 8}),
        quarantined=1,
        rejects={"missing title": 1, "repeated in another feed": 30},
    )

    result = run_suite(warehouse, "raw_batch", partition_date=DAY)

    assert result.success
    # 2 of 18: the quarantined record and the missing title; normal overlap between feeds is not bad.
    assert {o.column: o.observed_value for o in result.outcomes}["bad_item_share"] == pytest.approx(2 / 18)


def test_forty_percent_without_title_fails_the_batch_suite(tmp_path):
    warehouse = raw_warehouse(tmp_path / "w.duckdb", day_of_articles(DAY, {"nos": 6}), rejects={"missing title": 4})

    result = run_suite(warehouse, "raw_batch", partition_date=DAY)

    assert failures([result]) == {("raw_batch", "expect_column_max_to_be_between", "bad_item_share"): 0.4}


def test_the_bad_item_share_threshold_comes_from_the_environment(tmp_path, monkeypatch):
    warehouse = raw_warehouse(tmp_path / "w.duckdb", day_of_articles(DAY, {"nos": 6}), rejects={"missing title": 4})
    monkeypatch.setenv("NEWSDESK_MAX_BAD_ITEM_SHARE", "0.5")

    assert run_suite(warehouse, "raw_batch", partition_date=DAY).success


def test_a_day_loaded_twice_fails_on_duplicate_keys(tmp_path):
    day = day_of_articles(DAY, {"nos": 5, "bbc": 5})
    warehouse = raw_warehouse(tmp_path / "w.duckdb", day + day)

    result = run_suite(warehouse, "raw_articles", partition_date=DAY)

    assert {key: value["unexpected_count"] for key, value in failures([result]).items()} == {
        ("raw_articles", "expect_compound_columns_to_be_unique", "source_id, guid"): 20,
        ("raw_articles", "expect_compound_columns_to_be_unique", "source_id, url"): 20,
    }


def history_warehouse(path, today: dict[str, int]):
    """14 days of history (nos: 10 a day; bbc: 4 a day; dw: none) and `today`."""
    rows = []
    for back in range(1, 15):
        rows += day_of_articles(DAY - timedelta(days=back), {"nos": 10, "bbc": 4})
    rows += day_of_articles(DAY, today)
    return raw_warehouse(path, rows, sources=("nos", "bbc", "dw"))


def volume_rows(result) -> dict:
    return {(o.expectation, o.column): o.observed_value for o in result.outcomes}


def test_volume_against_the_trailing_median_warns_by_default(tmp_path):
    warehouse = history_warehouse(tmp_path / "w.duckdb", {"nos": 2, "dw": 3})  # nos dropped to 20%, bbc silent

    [result] = run_gate(warehouse, ["volume_sources"], partition_date=DAY)  # a warning: no exception

    assert (result.severity, result.success) == ("warning", False)
    observed = volume_rows(result)
    assert observed[("expect_column_values_to_not_be_in_set", "volume_status")]["unexpected_examples"] == ["silent"]
    share = observed[("expect_column_values_to_be_between", "share_of_median")]
    assert sorted(share["unexpected_examples"]) == [0.0, 0.2]  # dw has no history: no share, no judgement
    assert share["element_count"] == 3


def test_volume_fails_the_run_when_configured_critical(tmp_path, monkeypatch):
    warehouse = history_warehouse(tmp_path / "w.duckdb", {"nos": 2, "bbc": 4})
    monkeypatch.setenv("NEWSDESK_VOLUME_SEVERITY", "critical")

    with pytest.raises(QualityGateFailed) as failed:
        run_gate(warehouse, ["volume_sources"], partition_date=DAY)

    assert [(r.suite, r.severity) for r in failed.value.failed_suites] == [("volume_sources", "critical")]
    assert [r.suite for r in failed.value.results] == ["volume_sources"]


def test_volume_within_the_share_passes_and_the_share_is_configurable(tmp_path, monkeypatch):
    warehouse = history_warehouse(tmp_path / "w.duckdb", {"nos": 4, "bbc": 4})  # nos at 40% of its median

    assert run_suite(warehouse, "volume_sources", partition_date=DAY).success
    monkeypatch.setenv("NEWSDESK_VOLUME_MIN_SHARE", "0.5")
    assert not run_suite(warehouse, "volume_sources", partition_date=DAY).success


def test_marts_sources_checks_registry_coverage_and_counts(tmp_path):
    raw_rows = day_of_articles(DAY, {"nos": 3, "bbc": 2})
    warehouse = raw_warehouse(tmp_path / "w.duckdb", raw_rows, sources=("nos", "bbc", "dw"))
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(MART_ARTICLES_DDL)
        insert(conn, "main.articles", mart_rows_for(raw_rows))
        conn.execute("CREATE TABLE main.sources (source_id VARCHAR, article_count BIGINT)")
        insert(
            conn, "main.sources", [{"source_id": "nos", "article_count": 3}, {"source_id": "bbc", "article_count": 1}]
        )

    result = run_suite(warehouse, "marts_sources", partition_date=DAY)

    failed = failures([result])
    assert failed[("marts_sources", "expect_column_values_to_be_null", "registry_source_missing")][
        "unexpected_examples"
    ] == ["dw"]
    assert failed[("marts_sources", "expect_column_pair_values_to_be_equal", None)]["unexpected_examples"] == [[1, 2]]
    assert len(failed) == 2


def test_settings_are_typed_and_checked(monkeypatch):
    assert setting("volume_min_share") == 0.3 and setting("volume_severity") == "warning"
    monkeypatch.setenv("NEWSDESK_VOLUME_HISTORY_DAYS", "a fortnight")
    with pytest.raises(
        SettingError, match="NEWSDESK_VOLUME_HISTORY_DAYS must be a whole number of days, at least 1, got 'a fortnight'"
    ):
        setting("volume_history_days")
    with pytest.raises(SettingError, match="unknown setting"):
        setting("strictness")
    monkeypatch.setenv("NEWSDESK_VOLUME_SEVERITY", "fatal")
    with pytest.raises(SettingError, match="NEWSDESK_VOLUME_SEVERITY must be warning or critical, got 'fatal'"):
        load_suite("volume_sources")


def scored_marts(path, *, quality=(72.5, 40.0), publisher=63.0, ranks=(1, 2, 3), pairs=None):
    """main.articles, sources, source_rankings and article_similarity with just the columns the mart suites read."""
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE main.articles (article_id VARCHAR, source_id VARCHAR, quality_score DOUBLE)")
        conn.execute(
            "CREATE TABLE main.sources (source_id VARCHAR, publisher_score DOUBLE, score_article_count BIGINT)"
        )
        conn.execute(
            "CREATE TABLE main.source_rankings (period_type VARCHAR, period_start DATE, scope VARCHAR,"
            " country VARCHAR, category VARCHAR, source_id VARCHAR, rank BIGINT, score DOUBLE)"
        )
        conn.execute(
            "CREATE TABLE main.article_similarity (article_a_id VARCHAR, article_b_id VARCHAR,"
            " match_kind VARCHAR, score DOUBLE)"
        )
        sources = ["nos", "nu", "rtl"]
        conn.executemany(
            "INSERT INTO main.articles VALUES (?, ?, ?)",
            [(f"a{i}", sources[i % 3], score) for i, score in enumerate(quality)],
        )
        conn.executemany("INSERT INTO main.sources VALUES (?, ?, 1)", [(s, publisher) for s in sources])
        conn.executemany(
            "INSERT INTO main.source_rankings VALUES ('day', ?, 'country', 'NL', NULL, ?, ?, 50)",
            [(DAY, sources[i], rank) for i, rank in enumerate(ranks)],
        )
        conn.executemany(
            "INSERT INTO main.article_similarity VALUES (?, ?, ?, ?)",
            pairs if pairs is not None else [("a0", "a1", "same_event", 0.6)],
        )
    return path


def test_mart_suites_pass_on_sound_scores_ranks_and_pairs(tmp_path):
    warehouse = scored_marts(tmp_path / "w.duckdb")

    results = run_gate(warehouse, ["marts_scores", "marts_rankings", "marts_similarity"], partition_date=DAY)

    assert all(result.success for result in results), failures(results)


def test_out_of_range_scores_fail_marts_scores(tmp_path):
    warehouse = scored_marts(tmp_path / "w.duckdb", quality=(72.5, 140.0), publisher=-3.0)

    result = run_suite(warehouse, "marts_scores", partition_date=DAY)

    failed = {(o.expectation, o.column) for o in result.failed_outcomes}
    assert failed == {("expect_column_values_to_be_between", "score")}


@pytest.mark.parametrize("ranks", [(1, 3, 4), (1, 1, 2), (2, 3, 4)], ids=["gap", "tie", "not from 1"])
def test_ranks_that_are_not_contiguous_from_one_fail_marts_rankings(tmp_path, ranks):
    warehouse = scored_marts(tmp_path / "w.duckdb", ranks=ranks)

    result = run_suite(warehouse, "marts_rankings", partition_date=DAY)

    assert not result.success


@pytest.mark.parametrize(
    "pair, column",
    [
        (("a0", "a1", "same_event", 1.5), "score"),
        (("a1", "a0", "same_event", 0.5), "stored_once"),
        (("a0", "zz", "syndicated", 0.9), "article_missing"),
        (("a0", "a3", "syndicated", 0.9), "same_publisher"),
        (("a0", "a1", "related", 0.5), "match_kind"),
    ],
)
def test_broken_pairs_fail_marts_similarity_naming_the_column(tmp_path, pair, column):
    warehouse = scored_marts(tmp_path / "w.duckdb", quality=(70, 60, 50, 40), pairs=[pair])

    result = run_suite(warehouse, "marts_similarity", partition_date=DAY)

    assert {o.column for o in result.failed_outcomes} == {column}
