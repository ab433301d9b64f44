"""`newsdesk bench similarity` runs, prints every figure, and each method reaches its measured quality.

Performance is not asserted here (see docs/benchmarks.md); quality floors
are measured figures minus a margin (for the corpus: the smaller corpus's).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from newsdesk.bench import similarity
from newsdesk.bench.similarity import (
    DIFFERENT,
    KINDS,
    SAME_EVENT,
    SAME_STORY,
    Dataset,
    Judgements,
    run_similarity_bench,
    same_event_scores,
    score_pairs,
    similar_news_scores,
    tokens,
)

pytestmark = pytest.mark.slow

ARTICLES = 1000
WORLD_DAYS, WORLD_STORIES = 3, 12
# Floors for ours on the corpus: measured on 2026-11-28 (1,000 articles, seed 1: syndicated F1 0.97,
# same_event F1 0.45) minus a margin. A corpus this small gives noisy document frequencies, so chance
# words crowd the story's words out of the vectors; at 10,000 articles same_event F1 is 0.94.
OURS_SYNDICATED_F1_FLOOR = 0.95
OURS_SAME_EVENT_F1_FLOOR = 0.4
# Floors for ours on the sample world (3 days x 12 stories, seed 1, collected as the DAGs do), measured
# 2026-12-06: same language F1 0.97 (P 0.94 R 1.00), across languages recall 0.40 (12 of 30 pairs: a flash
# shares few names and figures with another language's report), Similar News precision 0.95, coverage 1.00. (Before the flash publisher's items reported the day's events, each
# was an event of its own told with the others' templates: F1 0.77, Similar News precision 0.67.)
WORLD_SAME_LANGUAGE_F1_FLOOR = 0.92
WORLD_CROSS_LANGUAGE_RECALL_FLOOR = 0.3
WORLD_SIMILAR_NEWS_PRECISION_FLOOR = 0.9
WORLD_COVERAGE_FLOOR = 0.95
# Floors for ours on the judged real pairs (as drawn), measured 2026-11-28: same_event P/R/F1
# 0.81/0.73/0.77, Similar News precision 0.99, coverage 0.96.
JUDGED_SAME_EVENT_F1_FLOOR = 0.74
JUDGED_SIMILAR_NEWS_PRECISION_FLOOR = 0.95
JUDGED_COVERAGE_FLOOR = 0.92


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = io.StringIO()
    folder = tmp_path_factory.mktemp("bench")
    no_realdata = folder / "no-realdata"
    no_realdata.mkdir()
    pairs_out = folder / "pairs.csv"
    result = run_similarity_bench(
        ARTICLES,
        seed=1,
        realdata_dir=no_realdata,
        world_days=WORLD_DAYS,
        world_stories_per_day=WORLD_STORIES,
        pairs_out=pairs_out,
        out=out,
    )
    return result, out.getvalue(), pairs_out


def _row(result: dict, method: str, dataset: str = "sample corpus") -> dict:
    return next(row for row in result["rows"] if row["method"] == method and row["dataset"].startswith(dataset))


def test_tokens_match_the_models_rule():
    assert tokens("De Minister zei: 1.250 euro, 3,4 %.") == ["de", "minister", "zei", "1250", "euro", "34"]
    assert tokens("1,250 people; 3.4 percent in 2025. 300 more") == [
        "1250",
        "people",
        "34",
        "percent",
        "in",
        "2025",
        "300",
        "more",
    ]
    assert tokens("東京で会議") == ["東", "京", "で", "会", "議"]
    assert tokens("Ο Υπουργός είπε") == ["ο", "υπουργός", "είπε"]


def test_score_pairs():
    scores = score_pairs(np.array([1, 2, 3, 4]), np.array([2, 3, 5]))
    assert scores["precision"] == 0.5 and scores["recall"] == pytest.approx(2 / 3)
    assert score_pairs(np.array([], dtype=np.int64), np.array([1]))["f1"] == 0.0


def _judged_toy(complete: bool) -> Dataset:
    """Four articles (pair key a * 4 + b): 0-1 same_event (stands for 10 pairs), 0-2 same_story, 2-3 different."""
    keys = np.array([0 * 4 + 1, 0 * 4 + 2, 2 * 4 + 3])
    return Dataset(
        name="toy",
        warehouse=None,
        urls=np.array(["a", "b", "c", "d"], dtype=object),
        source=np.arange(4),
        published=np.zeros(4, dtype=np.int64),
        language=np.array(["en", "en", "nl", "en"]),
        judgements=Judgements(
            keys=keys,
            labels=np.array([SAME_EVENT, SAME_STORY, DIFFERENT], dtype=np.int8),
            weights=np.array([10.0, 1.0, 1.0]),
            complete=complete,
        ),
    )


def test_same_event_scores_count_judged_pairs_only():
    toy = _judged_toy(complete=False)
    predicted = np.array([0 * 4 + 1, 0 * 4 + 3, 2 * 4 + 3])  # 0-3 unjudged: counts neither way
    scores = same_event_scores(toy, predicted)
    assert (scores["precision"], scores["recall"], scores["judged"], scores["wrong"]) == (0.5, 1.0, 2, 1)
    weighted = same_event_scores(toy, predicted, weighted=True)
    assert weighted["precision"] == pytest.approx(10 / 11)
    # a complete truth: every unlisted pair is different
    assert same_event_scores(_judged_toy(complete=True), predicted)["precision"] == pytest.approx(1 / 3)


def test_similar_news_precision_and_coverage():
    toy = _judged_toy(complete=False)
    shown = pd.DataFrame(
        {"article": [0, 0, 2, 3], "rank": [1, 2, 1, 1], "similar": [1, 2, 3, 2], "score": [0.9, 0.5, 0.4, 0.4]}
    )
    scores = similar_news_scores(toy, shown)
    # judged rows: 0-1 same_event, 0-2 same_story (good), 2-3 and 3-2 different
    assert scores["precision"] == 0.5 and scores["judged"] == 4
    # articles with a same_event counterpart: 0 and 1; only 0 shows Similar News
    assert (scores["coverage"], scores["with_counterpart"]) == (0.5, 2)
    across = similar_news_scores(toy, shown, within=lambda keys: np.isin(keys, [2 * 4 + 3, 0 * 4 + 2]))
    assert across["shown"] == 3 and across["precision"] == pytest.approx(1 / 3)


def test_report_has_every_method_and_figure(bench):
    result, printed, _ = bench
    corpus = [row["method"] for row in result["rows"] if row["dataset"].startswith("sample corpus")]
    world = [row["method"] for row in result["rows"] if row["dataset"].startswith("sample world")]
    assert corpus == ["ours", "datasketch", "tfidf"]
    assert world == ["ours", "datasketch", "tfidf", "tfidf, title x2"]
    assert "newsdesk bench similarity" in printed and "syndicated P/R/F1" in printed
    assert "same_event P/R/F1" in printed and "coverage" in printed and "across languages" in printed
    for method in ("ours", "datasketch", "tfidf"):
        assert f"{ARTICLES:,} articles / {method}" in printed
    for row in result["rows"]:
        assert not row.get("failed"), printed
        assert row["seconds"] > 0 and row["peak_mib"] >= 0
        if "judged" in row:
            figures = row["judged"]["all pairs"]
            assert 0 <= figures["same_event"]["f1"] <= 1 and 0 <= figures["similar_news"]["coverage"] <= 1
        else:
            assert all(0 <= row[kind]["f1"] <= 1 for kind in KINDS)
    assert "ours vs datasketch" in printed


def test_baselines_reach_their_measured_quality(bench):
    result, _, _ = bench
    tfidf, datasketch = _row(result, "tfidf"), _row(result, "datasketch")
    assert tfidf["syndicated"]["f1"] > 0.95 and tfidf["same_event"]["f1"] > 0.7
    assert datasketch["syndicated"]["f1"] > 0.9 and datasketch["any"]["f1"] > 0.3


def test_ours_reaches_its_measured_quality(bench):
    result, printed, _ = bench
    ours = _row(result, "ours")
    assert ours["syndicated"]["f1"] >= OURS_SYNDICATED_F1_FLOOR, printed
    assert ours["same_event"]["f1"] >= OURS_SAME_EVENT_F1_FLOOR, printed


def test_ours_on_the_sample_world_within_and_across_languages(bench):
    result, printed, _ = bench
    figures = _row(result, "ours", "sample world")["judged"]
    assert figures["same language"]["same_event"]["f1"] >= WORLD_SAME_LANGUAGE_F1_FLOOR, printed
    assert figures["across languages"]["same_event"]["recall"] >= WORLD_CROSS_LANGUAGE_RECALL_FLOOR, printed
    assert figures["all pairs"]["similar_news"]["precision"] >= WORLD_SIMILAR_NEWS_PRECISION_FLOOR, printed
    assert figures["all pairs"]["similar_news"]["coverage"] >= WORLD_COVERAGE_FLOOR, printed


def test_pairs_out_lists_every_pair_and_similar_news_row(bench):
    result, _, pairs_out = bench
    with open(pairs_out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(similarity.PAIRS_CSV_COLUMNS)
    ours_world = [row for row in rows if row["method"] == "ours" and row["dataset"].startswith("sample world")]
    pairs = [row for row in ours_world if row["row"] == "pair"]
    shown = [row for row in ours_world if row["row"] == "similar_news"]
    world = _row(result, "ours", "sample world")["judged"]["all pairs"]
    assert len(pairs) == world["same_event"]["predicted"] and len(shown) == world["similar_news"]["shown"]
    assert {row["kind"] for row in pairs} <= {"syndicated", "same_event"}
    assert {row["label"] for row in pairs} <= {"same_event", "same_story", "different"}
    assert all(row["url"].startswith("http") and row["other_url"].startswith("http") for row in rows)
    assert {int(row["rank"]) for row in shown} <= set(range(1, 6))


def test_ours_on_the_judged_real_pairs(realdata, tmp_path):
    """The judged real pairs through the similarity models, with floors a little under the measured figures."""
    out = io.StringIO()
    dataset = similarity._judged_dataset(realdata, tmp_path, out)
    if dataset is None:
        pytest.skip(out.getvalue())
    judged = dataset.judgements
    assert not judged.complete and len(judged.keys) >= 400 and (judged.labels == SAME_EVENT).sum() >= 100
    with similarity.measure() as measured:
        predicted = similarity.run_ours(dataset, similarity._last_day(dataset))
    figures = similarity._method_row(dataset, "ours", predicted, measured)["judged"]["all pairs"]
    assert figures["same_event"]["f1"] >= JUDGED_SAME_EVENT_F1_FLOOR, figures
    assert figures["similar_news"]["precision"] >= JUDGED_SIMILAR_NEWS_PRECISION_FLOOR, figures
    assert figures["similar_news"]["coverage"] >= JUDGED_COVERAGE_FLOOR, figures


def test_cli_parses_bench_similarity(tmp_path):
    from newsdesk.cli import _cmd_bench_similarity, build_parser

    args = build_parser().parse_args(
        [
            "bench",
            "similarity",
            "--articles",
            "500",
            "--tfidf-limit",
            "100",
            "--realdata",
            str(tmp_path),
            "--pairs-out",
            str(tmp_path / "p.csv"),
            "--world-days",
            "3",
            "--world-stories",
            "0",
        ]
    )
    assert args.func is _cmd_bench_similarity
    assert (args.articles, args.days, args.seed, args.tfidf_limit) == (500, 7, 0, 100)
    assert (args.realdata, args.pairs_out, args.world_days, args.world_stories) == (tmp_path, tmp_path / "p.csv", 3, 0)
