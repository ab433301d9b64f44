"""The judged pairs: the sampler's rules and determinism, the committed labels, the loader and the summary."""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from newsdesk.bench import judged_pairs as judged

SMALL_STRATA = tuple(replace(stratum, size=2) for stratum in judged.STRATA)
KEY_COLUMNS = ["url_a", "url_b", "outlet_a", "outlet_b", "stratum"]


def write_snapshots(root: Path) -> Path:
    """A realdata folder with two daily snapshots of six stories of five articles.

    Story 2 retells story 1's event under another id (cross-cluster pairs with shared words); each
    story's article 4 shares one word with its cluster. The second day lists every article again,
    with an edited title and new story ids, plus one article weeks later and one without a date.
    """
    vocab = {k: [f"{w}{k}" for w in ("harbor", "tanker", "strike", "coast", "navy", "fuel")] for k in range(1, 7)}
    vocab[2] = vocab[1][:4] + ["convoy2", "escort2"]
    snapshots = []
    for day in (13, 14):
        stories = []
        for k in range(1, 7):
            articles = []
            for i in range(5):
                words = vocab[k]
                if i == 4:
                    title = f"{words[0]} lone{k}x{i} odd{k}x{i} rare{k}x{i} unique{k}x{i}"
                elif i == 3:
                    title = " ".join(words[:2] + [f"side{k}x{i}", f"aside{k}x{i}", f"more{k}x{i}"])
                else:
                    title = " ".join(words[: 5 - i] + [f"extra{k}x{i}"])
                articles.append(
                    {
                        "outlet": f"outlet{(k + i) % 5}",
                        "title": title if day == 13 else f"{title} updated",
                        "url": f"https://news.example/{k}/{i}",
                        "author": None,
                        "kind": "news",
                        "published": f"2026-08-{10 + k:02d}T0{i}:00:00+00:00",
                        "summary": None,
                    }
                )
            stories.append({"id": f"s{k}" if day == 13 else f"d14s{k}", "articles": articles})
        snapshots.append(stories)
    snapshots[1][0]["articles"] += [
        {
            "outlet": "outlet9",
            "title": "harbor1 tanker1 strike1",
            "url": "https://news.example/late",
            "kind": "news",
            "published": "2026-09-30T00:00:00+00:00",
            "summary": "",
        },
        {
            "outlet": "outlet8",
            "title": "harbor1 tanker1 coast1",
            "url": "https://news.example/undated",
            "kind": "news",
            "published": None,
            "summary": "",
        },
    ]
    folder = root / "story-clusters" / "snapshots"
    folder.mkdir(parents=True)
    for day, stories in zip((13, 14), snapshots):
        (folder / f"stories_2026-08-{day}T23-00_{day}.json").write_text(json.dumps({"stories": stories}))
    return root


@pytest.fixture
def small_world(tmp_path: Path) -> Path:
    return write_snapshots(tmp_path / "realdata")


def write_csv(path: Path, rows: list[dict]) -> Path:
    judged.write_pairs(pd.DataFrame([{"outlet_a": "", "outlet_b": "", "note": "", **row} for row in rows]), path)
    return path


def url(story: int, article: int) -> str:
    return f"https://news.example/{story}/{article}"


# ---- articles and eligible pairs ----------------------------------------------------------------


def test_read_articles_keeps_one_row_per_url_with_the_first_text_and_every_story(small_world):
    articles = judged.read_articles(small_world).set_index("url")
    assert len(articles) == 32 and articles.index.is_unique
    first = articles.loc[url(1, 0)]
    assert first["title"] == "harbor1 tanker1 strike1 coast1 navy1 extra1x0"
    assert first["stories"] == {"s1", "d14s1"}
    assert pd.isna(articles.loc["https://news.example/undated", "published"])


def test_eligible_pairs_are_other_outlets_within_seven_days(small_world):
    articles = judged.read_articles(small_world)
    pairs = judged.eligible_pairs(articles)
    first, second = articles.iloc[pairs["first"]], articles.iloc[pairs["second"]]
    assert (first["outlet"].to_numpy() != second["outlet"].to_numpy()).all()
    gaps = (first["published"].to_numpy() - second["published"].to_numpy()).astype("timedelta64[s]")
    assert (abs(gaps) <= pd.Timedelta(days=judged.MAX_DAYS_APART)).all()
    paired = set(first["url"]) | set(second["url"])
    assert "https://news.example/late" not in paired and "https://news.example/undated" not in paired
    by_urls = {(a, b): row for a, b, row in zip(first["url"], second["url"], pairs.itertuples())}
    assert by_urls[(url(1, 0), url(1, 1))].same_cluster
    retold = by_urls[(url(1, 0), url(2, 0))]
    assert not retold.same_cluster and retold.score > 0.3


# ---- the sampler --------------------------------------------------------------------------------


def test_sampler_is_deterministic_for_a_seed(small_world):
    articles = judged.read_articles(small_world)
    drawn, _ = judged.sample_pairs(articles, seed=7, strata=SMALL_STRATA)
    again, _ = judged.sample_pairs(articles, seed=7, strata=SMALL_STRATA)
    other, _ = judged.sample_pairs(articles, seed=8, strata=SMALL_STRATA)
    pd.testing.assert_frame_equal(drawn, again)
    assert not drawn[KEY_COLUMNS].equals(other[KEY_COLUMNS])


def test_sampled_pairs_honour_the_strata_and_the_rules(small_world):
    articles = judged.read_articles(small_world)
    drawn, population = judged.sample_pairs(articles, seed=7, strata=SMALL_STRATA)
    assert drawn["stratum"].value_counts().to_dict() == {stratum.name: 2 for stratum in SMALL_STRATA}
    assert not drawn.duplicated(["url_a", "url_b"]).any()
    assert max(Counter([*drawn["url_a"], *drawn["url_b"]]).values()) <= judged.MAX_PAIRS_PER_ARTICLE

    eligible = judged.eligible_pairs(articles)
    urls = articles["url"].to_numpy()
    by_urls = {frozenset((urls[row.first], urls[row.second])): row for row in eligible.itertuples()}
    published = articles.set_index("url")["published"]
    strata = {stratum.name: stratum for stratum in SMALL_STRATA}
    for pair in drawn.itertuples():
        assert pair.outlet_a != pair.outlet_b
        assert pd.Timedelta(0) <= published[pair.url_b] - published[pair.url_a] <= pd.Timedelta(days=7)
        row = by_urls[frozenset((pair.url_a, pair.url_b))]
        stratum = strata[pair.stratum]
        assert row.same_cluster == stratum.same_cluster and stratum.low <= row.score < stratum.high
    assert population == {stratum.name: int(judged.stratum_of(eligible, stratum).sum()) for stratum in SMALL_STRATA}
    assert population["cross_cluster_high"] == 7


# ---- the committed judged set -------------------------------------------------------------------


def test_pairs_csv_has_enough_pairs_and_valid_labels_only():
    pairs = judged.read_pairs()
    assert len(pairs) >= 400
    assert set(pairs["label"]) == set(judged.LABELS)  # every pair judged, with a known label
    assert set(pairs["stratum"]) == {stratum.name for stratum in judged.STRATA}
    assert (pairs["outlet_a"] != pairs["outlet_b"]).all()


def test_pairs_csv_is_the_sample_the_recorded_seed_draws(realdata):
    drawn, _ = judged.sample_pairs(judged.read_articles(realdata), judged.SEED)
    recorded = judged.read_pairs()
    pd.testing.assert_frame_equal(drawn[KEY_COLUMNS], recorded[KEY_COLUMNS])


def test_loader_returns_texts_for_every_pair(realdata):
    pairs = judged.load_judged_pairs(realdata)
    assert len(pairs) == len(judged.read_pairs())
    for side in ("a", "b"):
        assert (pairs[f"title_{side}"].str.strip() != "").all()
        assert pairs[f"published_{side}"].notna().all()
        assert set(pairs[f"kind_{side}"]) <= {"news", "opinion"}
    gaps = pairs["published_b"] - pairs["published_a"]
    assert ((gaps >= pd.Timedelta(0)) & (gaps <= pd.Timedelta(days=7))).all()
    assert (pairs["same_cluster"] == pairs["stratum"].str.startswith("same_cluster")).all()


# ---- the loader and the file's checks -----------------------------------------------------------


def test_loader_names_urls_the_snapshots_do_not_hold(small_world, tmp_path):
    csv_path = write_csv(
        tmp_path / "pairs.csv",
        [
            {"url_a": url(1, 0), "url_b": url(1, 1), "stratum": "same_cluster_high", "label": "same_event"},
            {"url_a": url(1, 0), "url_b": "https://news.example/missing", "stratum": "cross_cluster_rest", "label": ""},
        ],
    )
    with pytest.raises(judged.JudgedPairsError, match="news.example/missing"):
        judged.load_judged_pairs(small_world, csv_path)


def test_read_pairs_rejects_unknown_labels_and_repeated_pairs(tmp_path):
    unknown = write_csv(
        tmp_path / "unknown.csv",
        [
            {"url_a": url(1, 0), "url_b": url(1, 1), "stratum": "same_cluster_high", "label": "same"},
        ],
    )
    with pytest.raises(judged.JudgedPairsError, match="unknown labels \\['same'\\]"):
        judged.read_pairs(unknown)
    pair = {"url_a": url(1, 0), "url_b": url(1, 1), "stratum": "same_cluster_high", "label": "same_event"}
    with pytest.raises(judged.JudgedPairsError, match="listed twice"):
        judged.read_pairs(write_csv(tmp_path / "twice.csv", [pair, pair]))


def test_show_prints_both_texts_and_nothing_of_the_stratum(small_world, tmp_path):
    csv_path = write_csv(
        tmp_path / "pairs.csv",
        [
            {"url_a": url(1, 0), "url_b": url(2, 0), "stratum": "cross_cluster_high", "label": ""},
        ],
    )
    out = io.StringIO()
    judged.show_pairs(judged.load_judged_pairs(small_world, csv_path), 0, 40, out)
    printed = out.getvalue()
    assert "harbor1 tanker1 strike1 coast1 navy1 extra1x0" in printed
    assert "harbor1 tanker1 strike1 coast1 convoy2 extra2x0" in printed
    assert "2026-08-11 00:00" in printed and "2026-08-12 00:00" in printed
    assert "cross_cluster" not in printed and "same_cluster" not in printed


def test_summary_counts_labels_and_finds_the_threshold_that_separates_them(small_world, tmp_path):
    csv_path = write_csv(
        tmp_path / "pairs.csv",
        [
            {"url_a": url(1, 0), "url_b": url(1, 1), "stratum": "same_cluster_high", "label": "same_event"},
            {"url_a": url(1, 0), "url_b": url(2, 0), "stratum": "cross_cluster_high", "label": "same_event"},
            {"url_a": url(1, 0), "url_b": url(3, 0), "stratum": "cross_cluster_rest", "label": "different"},
            {"url_a": url(1, 4), "url_b": url(1, 2), "stratum": "same_cluster_minimal", "label": "different"},
        ],
    )
    result = judged.summarize(small_world, csv_path)
    assert result["labels"] == {"same_event": 2, "different": 2}
    assert result["clusters_vs_labels"].loc["same cluster", "same_event"] == 1
    assert result["clusters_vs_labels"].loc["other clusters", "different"] == 1
    for variant in result["tfidf_same_event"].values():
        assert variant["sample"]["f1"] == pytest.approx(1.0)
        assert variant["weighted"]["f1"] == pytest.approx(1.0)


def test_sample_command_writes_a_new_file_and_never_overwrites_one(small_world, tmp_path):
    out_path = tmp_path / "drawn.csv"
    printed = io.StringIO()
    assert judged.main(["--realdata", str(small_world), "sample", "--out", str(out_path), "--seed", "3"], printed) == 0
    drawn = judged.read_pairs(out_path)
    expected, _ = judged.sample_pairs(judged.read_articles(small_world), 3)
    pd.testing.assert_frame_equal(drawn[KEY_COLUMNS], expected[KEY_COLUMNS])
    assert (drawn["label"] == "").all()
    assert f"{len(drawn)} pairs (seed 3)" in printed.getvalue()
    out_path.write_text("url_a,url_b,outlet_a,outlet_b,stratum,label,note\n")
    with pytest.raises(SystemExit):
        judged.main(["--realdata", str(small_world), "sample", "--out", str(out_path)], io.StringIO())
    assert out_path.read_text() == "url_a,url_b,outlet_a,outlet_b,stratum,label,note\n"


def test_figures_disagree_when_both_carry_numbers_and_share_none():
    pairs = pd.DataFrame(
        {
            "title_a": ["Zeker 47.930 mensen ontheemd", "25,580 displaced", "Storm in 2026: 12 dead", "Talks stall"],
            "summary_a": ["", "", "", "3 rounds"],
            "title_b": ["Zeker 6.450 mensen ontheemd", "25.580 people flee", "Storm kills 14 in 2026", "Talks go on"],
            "summary_b": ["", "", "", "5 rounds"],
        }
    )
    # 1.250 = 1,250; years and single digits say nothing; a side without figures never disagrees
    assert judged.figures_disagree(pairs, ("title",)).tolist() == [True, False, True, False]
    assert judged.figures_disagree(pairs, ("title", "summary")).tolist() == [True, False, True, False]
