"""Quality scores, publisher scores and source rankings on a real demo warehouse.

The warehouse comes from test_analyst_guide (real `airflow dags test` runs,
built once per session). The formulas are checked here a second way: a plain
Python version of the documented quality formula must agree with the
warehouse on every article.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date, datetime, time, timedelta

import pytest

from helpers.dbt_warehouse import rows_as_dicts
from helpers.published import read_published
from newsdesk.warehouse.summary import featured_article_line, format_duration, format_percent


@pytest.fixture(scope="module")
def warehouse(demo_published):
    with read_published(demo_published) as conn:
        yield conn


def expected_quality(article: dict) -> dict:
    """The quality formula of dbt/macros/scores/_scores.yml, written again in Python."""
    fields = ("title", "summary", "body", "author", "image_url", "published_at")
    completeness = sum(article[field] is not None for field in fields) / 6
    words = article["body_word_count"] if article["body_word_count"] is not None else article["summary_word_count"]
    length = min(1.0, (words or 0) / 400)
    if article["is_syndicated_copy"]:
        originality = 0.0
    elif article["cluster_id"] is None or article["is_first_report"]:
        originality = 1.0
    else:
        originality = 0.5
    if article["published_at"] is None:
        freshness = 0.5
    else:
        collected_at = datetime.combine(article["first_partition_date"], time.min) + timedelta(days=1)
        lag_hours = (collected_at - article["published_at"]).total_seconds() / 3600
        freshness = max(0.0, min(1.0, (168 - lag_hours) / 144))
    title = article["title"] or ""
    letters = [c for c in title if unicodedata.category(c).startswith("L")]
    upper = [c for c in letters if unicodedata.category(c) == "Lu"]
    shouting = len(letters) >= 8 and len(upper) >= 0.6 * len(letters)
    title_signal = max(0.0, 1 - 0.5 * shouting - 0.5 * ("!!" in title))
    raw = 100 * (0.25 * completeness + 0.20 * length + 0.25 * originality + 0.15 * freshness + 0.15 * title_signal)
    return {
        "quality_completeness": completeness,
        "quality_length": length,
        "quality_originality": originality,
        "quality_freshness": freshness,
        "quality_title_signal": title_signal,
        "raw_score": raw,
    }


def test_every_article_scores_as_the_documented_formula_says(warehouse):
    articles = rows_as_dicts(warehouse, "SELECT * FROM articles")
    assert articles
    for article in articles:
        expected = expected_quality(article)
        for component in (
            "quality_completeness",
            "quality_length",
            "quality_originality",
            "quality_freshness",
            "quality_title_signal",
        ):
            assert article[component] == pytest.approx(expected[component]), (article["url"], component)
        # one decimal; a raw score on a .x5 edge may round either way in floating point
        assert abs(article["quality_score"] - expected["raw_score"]) <= 0.05 + 1e-9, article["url"]
        assert 0 <= article["quality_score"] <= 100


def test_hand_made_article_scores_by_hand():
    """A made-up article through the Python formula, worked out by hand, pins the weights."""
    article = {
        "title": "BREAKING NEWS FROM THE HAGUE!!",
        "summary": "s",
        "body": None,
        "author": None,
        "image_url": "https://x.test/i.jpg",
        "published_at": datetime(2026, 11, 20, 0, 0),
        "first_partition_date": date(2026, 11, 21),
        "body_word_count": None,
        "summary_word_count": 100,
        "cluster_id": "c1",
        "is_first_report": False,
        "is_syndicated_copy": False,
    }
    scored = expected_quality(article)
    # completeness 4/6; length 100/400 = 0.25; later own report 0.5; collected at the end of
    # 21 November, 48 h after publication: (168 - 48) / 144 = 0.8333;
    # shouting and '!!': 0 -> 100 * (0.1667 + 0.05 + 0.125 + 0.125 + 0) = 46.67
    assert scored["quality_freshness"] == pytest.approx(120 / 144)
    assert scored["quality_title_signal"] == 0
    assert round(scored["raw_score"], 1) == 46.7


def test_publisher_scores_are_within_0_and_100_and_null_only_without_articles(warehouse):
    rows = warehouse.execute("SELECT source_id, publisher_score, score_article_count FROM sources").fetchall()
    assert rows
    for source_id, score, article_count in rows:
        if article_count == 0:
            assert score is None, source_id
        else:
            assert 0 <= score <= 100, source_id


def test_publisher_score_matches_its_components(warehouse):
    rows = rows_as_dicts(warehouse, "SELECT * FROM sources WHERE publisher_score IS NOT NULL")
    for row in rows:
        volume = min(1.0, math.log2(1 + row["score_article_count"] / row["score_loaded_day_count"]) / 4)
        assert row["volume"] == pytest.approx(volume)
        parts = [p for p in (row["fetch_success_rate"], row["accepted_item_share"]) if p is not None]
        assert row["reliability"] == pytest.approx(sum(parts) / len(parts))
        raw = 100 * (
            0.40 * row["mean_quality_score"] / 100
            + 0.20 * row["originality_rate"]
            + 0.25 * row["reliability"]
            + 0.15 * row["volume"]
        )
        assert abs(row["publisher_score"] - raw) <= 0.05 + 1e-9, row["source_id"]


def test_ranks_are_contiguous_from_one_in_every_ranking(warehouse):
    rankings = warehouse.execute(
        "SELECT period_type, period_start, scope, country, category, list(rank ORDER BY rank),"
        " list(score ORDER BY rank) FROM source_rankings GROUP BY ALL"
    ).fetchall()
    assert {row[0] for row in rankings} == {"day", "week"}
    assert {row[2] for row in rankings} == {"country", "country_category"}
    for *_, ranks, scores in rankings:
        assert ranks == list(range(1, len(ranks) + 1))
        assert scores == sorted(scores, reverse=True)


def test_only_sources_with_articles_in_the_period_are_ranked(warehouse):
    ranked = set(
        warehouse.execute(
            "SELECT period_start, source_id FROM source_rankings WHERE period_type = 'day' AND scope = 'country'"
        ).fetchall()
    )
    with_articles = set(
        warehouse.execute(
            "SELECT DISTINCT first_partition_date, source_id FROM articles WHERE country IS NOT NULL"
        ).fetchall()
    )
    assert ranked == with_articles
    days = {day for day, _ in ranked}
    registry = {source_id for (source_id,) in warehouse.execute("SELECT source_id FROM sources").fetchall()}
    # on some day at least one registered source published nothing and is absent from that day's ranking
    assert any({s for d, s in ranked if d == day} < registry for day in days)


def test_rank_change_compares_with_the_previous_day(warehouse):
    rows = warehouse.execute(
        "SELECT today.rank, today.previous_rank, today.rank_change, yesterday.rank"
        " FROM source_rankings AS today"
        " LEFT JOIN source_rankings AS yesterday"
        "   ON yesterday.period_type = 'day' AND yesterday.scope = today.scope"
        "  AND yesterday.country = today.country AND yesterday.category IS NOT DISTINCT FROM today.category"
        "  AND yesterday.source_id = today.source_id AND yesterday.period_start = today.period_start - 1"
        " WHERE today.period_type = 'day'"
        "   AND today.period_start = (SELECT max(period_start) FROM source_rankings WHERE period_type = 'day')"
    ).fetchall()
    assert any(previous is not None for _, previous, _, _ in rows), "two consecutive days: some source ranked on both"
    for rank, previous, change, yesterday_rank in rows:
        assert previous == yesterday_rank
        assert change == (None if previous is None else previous - rank)


def test_featured_article_line_reads_like_the_seed_page(warehouse):
    line = featured_article_line(warehouse)
    assert line is not None
    source_line = line.splitlines()[1]
    assert " 🏆 " in source_line and ". in " in source_line
    assert "Reading time: " in source_line and " here, " in source_line and " at publisher" in source_line
    assert "Quality: News " in source_line and "%, Publisher " in source_line


@pytest.mark.parametrize(
    "seconds, text",
    [(26, "26 sec."), (59, "59 sec."), (60, "1 min."), (89, "1 min."), (90, "2 min."), (120, "2 min."), (None, "n/a")],
)
def test_durations_print_as_on_the_seed_page(seconds, text):
    assert format_duration(seconds) == text


def test_percentages_round_half_up():
    assert (format_percent(14.4), format_percent(62.5), format_percent(None)) == ("14%", "63%", "n/a")


def test_featured_article_lists_its_similar_news_from_other_publishers(warehouse):
    lines = featured_article_line(warehouse).splitlines()
    source_name = lines[1].split(" 🏆 ")[0].strip()
    assert lines[2] == "  Similar News:", "the featured article tells the story most publishers tell"
    similar = lines[3:]
    assert 1 <= len(similar) <= 5
    for line in similar:
        title, _, rest = line.strip().rpartition(" (")
        assert title and not rest.startswith(source_name + " ·"), line
        assert " · syndicated, " in rest or " · same event, " in rest, line
