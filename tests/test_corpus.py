"""The similarity corpus: deterministic, exact counts, consistent ground truth, hard negatives, real DuckDB rows."""

from __future__ import annotations

import re
from itertools import combinations

import duckdb
import pandas as pd
import pytest

from newsdesk.sample.corpus import generate_corpus, write_corpus
from newsdesk.warehouse.load import ARTICLE_COLUMNS, LINEAGE_COLUMNS

ARTICLES = 3000


@pytest.fixture(scope="module")
def corpus():
    return generate_corpus(ARTICLES, days=5, seed=3)


@pytest.fixture(scope="module")
def frame(corpus) -> pd.DataFrame:
    return pd.concat(list(corpus.iter_article_frames()), ignore_index=True).set_index("url", drop=False)


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < size:  # Chinese and Japanese: character shingles
        words = [ch for ch in text if ch.strip()]
    return set(zip(*(words[i:] for i in range(size))))


def _containment(a: str, b: str) -> float:
    """Share of the shorter text's word 3-shingles that the other text holds too."""
    first, second = _shingles(a), _shingles(b)
    return len(first & second) / max(1, min(len(first), len(second)))


def test_same_seed_same_corpus_other_seed_other_corpus(corpus, frame):
    again = generate_corpus(ARTICLES, days=5, seed=3)
    pd.testing.assert_frame_equal(corpus.articles, again.articles)
    assert corpus.syndicated_pairs == again.syndicated_pairs
    first_again = next(again.iter_article_frames())
    pd.testing.assert_frame_equal(frame.iloc[: len(first_again)].reset_index(drop=True), first_again)
    other = generate_corpus(ARTICLES, days=5, seed=4)
    assert set(other.articles["url"]) != set(corpus.articles["url"])


def test_counts_days_and_story_sizes(corpus, frame):
    assert len(frame) == ARTICLES == frame["url"].nunique()
    assert sorted(frame["partition_date"].unique()) == list(corpus.dates)
    sizes = corpus.articles.groupby("story").size()
    assert (sizes <= 3).mean() > 0.75  # most stories are small
    assert sizes.max() >= 20  # and some are big


def test_ground_truth_pairs_join_different_publishers_of_one_story(corpus, frame):
    truth = corpus.truth_frame()
    assert (truth["url_a"] < truth["url_b"]).all()
    assert not corpus.syndicated_pairs & corpus.same_event_pairs
    source = frame["source_id"]
    assert (source[truth["url_a"]].to_numpy() != source[truth["url_b"]].to_numpy()).all()
    story = corpus.articles.set_index("url")["story"]
    assert (story[truth["url_a"]].to_numpy() == story[truth["url_b"]].to_numpy()).all()
    # Complete: every cross-publisher pair within a story is in the truth.
    expected = sum(len(list(combinations(group, 2))) for _, group in corpus.articles.groupby("story")["url"])
    assert len(truth) == expected


def test_syndicated_copies_share_most_text_and_rewrites_do_not(corpus, frame):
    syndicated = sorted(corpus.syndicated_pairs)[:200]
    same_event = sorted(corpus.same_event_pairs)[:200]
    syndicated_overlap = [_containment(frame.at[a, "body"], frame.at[b, "body"]) for a, b in syndicated]
    rewrite_overlap = [_containment(frame.at[a, "body"], frame.at[b, "body"]) for a, b in same_event]
    assert min(syndicated_overlap) > 0.4  # at worst: trimmed by two paragraphs and one added
    assert sum(syndicated_overlap) / len(syndicated_overlap) > 0.75
    assert sum(rewrite_overlap) / len(rewrite_overlap) < 0.1  # rewrites share entities and words, not phrases


def test_hard_negatives_are_present(corpus, frame):
    stories = corpus.stories
    # Running stories: one person on consecutive days, each day its own story.
    threads = stories[stories["thread"] >= 0].groupby("thread")
    assert threads.ngroups > 10
    assert all(group["person"].nunique() == 1 and group["day"].is_unique for _, group in threads)
    # Unrelated stories of one day and category that share a person or a place.
    keyed = stories[stories["thread"] < 0]
    shared_person = keyed.duplicated(["day", "category", "person"], keep=False).sum()
    shared_place = keyed.duplicated(["day", "category", "place"], keep=False).sum()
    assert shared_person > 0 and shared_place > 0 and shared_person + shared_place > 10
    # Boilerplate: every article of a (non-agency) publisher ends with the same lines ...
    boilerplate = corpus.publishers.set_index("source_id")["boilerplate"]
    papers = frame[~frame["source_id"].str.contains("-wire-")]
    assert all(body.endswith(boilerplate[source]) for body, source in zip(papers["body"], papers["source_id"]))
    # ... and some of those lines are shared by many publishers of a language.
    common_lines = boilerplate[boilerplate != ""].map(lambda text: text.split(". ")[-1])
    assert common_lines.value_counts().max() >= 10


def test_languages_and_scripts(frame):
    languages = set(frame["language"])
    assert {"en", "nl", "de", "ru", "el", "zh", "ja"} <= languages
    assert frame.loc[frame["language"] == "el", "body"].str.contains(r"[\u0370-\u03ff]").all()
    assert frame.loc[frame["language"] == "ru", "body"].str.contains(r"[\u0400-\u04ff]").all()
    chinese = frame.loc[frame["language"] == "zh", "body"]
    assert chinese.str.contains(r"[\u4e00-\u9fff]").all()
    assert (chinese.str.count(" ") < 5).all()  # written without spaces
    countries = frame["source_id"].map(lambda source: source.split("-")[0]).nunique()
    assert countries == len(languages)


def test_body_lengths_are_news_like(frame):
    spaced = frame[~frame["language"].isin(["zh", "ja"])]
    words = spaced["body"].str.split().str.len()
    assert 180 < words.median() < 420
    assert words.quantile(0.05) > 60


def test_write_corpus_fills_raw_schema_and_truth(corpus, tmp_path):
    path = tmp_path / "corpus.duckdb"
    assert write_corpus(corpus, path) == ARTICLES
    with duckdb.connect(str(path), read_only=True) as conn:
        columns = {row[0] for row in conn.execute("DESCRIBE raw.articles").fetchall()}
        assert set(ARTICLE_COLUMNS) | set(LINEAGE_COLUMNS) <= columns
        nulls = conn.execute(
            "SELECT count(*) FILTER (WHERE title IS NULL OR body IS NULL OR url IS NULL OR published_at IS NULL"
            " OR content_hash IS NULL OR partition_date IS NULL OR source_id IS NULL OR language IS NULL),"
            " count(*), count(DISTINCT source_id) FROM raw.articles"
        ).fetchone()
        assert nulls[0] == 0 and nulls[1] == ARTICLES
        sources = conn.execute("SELECT count(*) FROM raw.sources").fetchone()[0]
        assert sources == len(corpus.publishers) >= 200
        assert nulls[2] <= sources
        hash_ok = conn.execute(
            "SELECT bool_and(content_hash = sha256(concat_ws(chr(10), title, summary, body))) FROM raw.articles"
        ).fetchone()[0]
        assert hash_ok
        truth = conn.execute("SELECT count(*), bool_and(article_a_id = md5(url_a)) FROM sample_truth.pairs").fetchone()
        assert truth == (len(corpus.pairs), True)
