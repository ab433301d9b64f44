"""A judged set of real article pairs for measuring Similar News.

The aggregator's story clusters in ``realdata/story-clusters`` were made by
title matching, so they are rough labels. This module draws pairs of real
articles from those snapshots, stratified by cluster and by lexical
similarity, for a person to judge against ``judged/GUIDELINE.md``; the labels
live in ``judged/pairs.csv`` (URLs and labels only: the texts stay in the
shared real data and are joined back by ``load_judged_pairs``).

Eligible pairs: two articles from different outlets published at most
``MAX_DAYS_APART`` days apart. Each article is one URL, however many daily
snapshots list it: its text is the first snapshot's version, and its
clusters are the ids of every story that listed it in any snapshot, so a pair
is *same cluster* when both were listed under one story id (in one snapshot,
or on two days when the aggregator kept the story's id; mostly a story gets a
new id each day, so articles never listed on the same day are mostly in
different clusters).

Strata (disjoint, so together they cover every eligible pair and a bench can
weight each by its population): same-cluster pairs in four bands of lexical
similarity (down to pairs sharing almost no words), cross-cluster pairs with
high and middling similarity (hard negatives, or the clusters' misses), and
the remaining cross-cluster pairs (random negatives). The lexical score is
the TF-IDF cosine of title and summary (scikit-learn, sublinear tf, English
stop words) fitted on every article of the snapshots. Within a stratum, pairs
are taken in turns from each cluster (or pair of clusters), so no big story
fills a stratum, and no article is used in more than ``MAX_PAIRS_PER_ARTICLE``
pairs. The sample is written in a seeded random order, so it can be judged
without knowing a pair's stratum.

    python -m newsdesk.bench.judged_pairs sample --out pairs.csv  # draw (never overwrites)
    python -m newsdesk.bench.judged_pairs show --start 0 --count 40  # print pairs to judge
    python -m newsdesk.bench.judged_pairs summary  # label counts, clusters vs labels, TF-IDF
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk import config

SEED = 20260818
MAX_DAYS_APART = 7
MAX_PAIRS_PER_ARTICLE = 3
LABELS = ("same_event", "same_story", "different")
COLUMNS = ("url_a", "url_b", "outlet_a", "outlet_b", "stratum", "label", "note")
JUDGED_DIR = Path(__file__).with_name("judged")
PAIRS_CSV = JUDGED_DIR / "pairs.csv"
SNAPSHOTS_SUBDIR = Path("story-clusters") / "snapshots"
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Stratum:
    name: str
    same_cluster: bool
    low: float  # lexical score in [low, high)
    high: float
    size: int  # pairs drawn


STRATA = (
    Stratum("same_cluster_high", True, 0.4, np.inf, 50),
    Stratum("same_cluster_mid", True, 0.2, 0.4, 60),
    Stratum("same_cluster_low", True, 0.1, 0.2, 60),
    Stratum("same_cluster_minimal", True, 0.0, 0.1, 60),
    Stratum("cross_cluster_high", False, 0.3, np.inf, 90),
    Stratum("cross_cluster_mid", False, 0.15, 0.3, 80),
    Stratum("cross_cluster_rest", False, 0.0, 0.15, 80),
)


class JudgedPairsError(ValueError):
    """The judged pairs file, or the real data it refers to, is not as expected."""


def snapshot_files(realdata_dir: Path) -> list[Path]:
    files = sorted((Path(realdata_dir) / SNAPSHOTS_SUBDIR).glob("stories_*.json"))
    if not files:
        raise JudgedPairsError(f"no story-clusters snapshots in {Path(realdata_dir) / SNAPSHOTS_SUBDIR}")
    return files


def read_articles(realdata_dir: Path) -> pd.DataFrame:
    """One row per URL over all snapshots: the first snapshot's text, and every story that listed it.

    Columns: url, outlet, kind, title, summary, published (UTC), stories (frozenset of story ids),
    snapshot (file name of the first snapshot that listed it). Ordered by URL.
    """
    rows: dict[str, dict] = {}
    stories: dict[str, set[str]] = {}
    for path in snapshot_files(realdata_dir):
        for story in json.loads(path.read_text(encoding="utf-8"))["stories"]:
            for article in story["articles"]:
                url = article.get("url")
                if not url:
                    continue
                stories.setdefault(url, set()).add(story["id"])
                rows.setdefault(
                    url,
                    {
                        "url": url,
                        "outlet": article["outlet"],
                        "kind": article.get("kind"),
                        "title": article.get("title") or "",
                        "summary": article.get("summary") or "",
                        "published": article.get("published"),
                        "snapshot": path.name,
                    },
                )
    frame = pd.DataFrame(sorted(rows.values(), key=lambda row: row["url"]))
    frame["published"] = pd.to_datetime(frame["published"], utc=True, errors="coerce")
    frame["stories"] = [frozenset(stories[url]) for url in frame["url"]]
    return frame


def article_text(title: str, summary: str, *, title_weight: int = 1) -> str:
    return " ".join([title] * title_weight + [summary])


def lexical_similarity(texts: list[str]) -> np.ndarray:
    """Cosine of TF-IDF vectors (sublinear tf, English stop words) fitted on `texts`, as a dense matrix."""
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return (vectors @ vectors.T).toarray()


def eligible_pairs(articles: pd.DataFrame) -> pd.DataFrame:
    """Every pair (first, second: row positions, first < second) of different outlets at most MAX_DAYS_APART apart.

    Articles without a readable publication time are left out: their distance cannot be checked.
    Columns: first, second, score, same_cluster, cluster_key.
    """
    first, second = np.triu_indices(len(articles), k=1)
    outlets = articles["outlet"].to_numpy()
    published = articles["published"]
    seconds = published.dt.tz_convert(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    dated = published.notna().to_numpy()
    keep = (
        (outlets[first] != outlets[second])
        & dated[first]
        & dated[second]
        & (np.abs(seconds[first] - seconds[second]) <= MAX_DAYS_APART * 86_400)
    )
    first, second = first[keep], second[keep]
    scores = lexical_similarity([article_text(t, s) for t, s in zip(articles["title"], articles["summary"])])[
        first, second
    ]
    # Stories as codes in sorted id order; each article's first story is its smallest code.
    story_ids = sorted(set().union(*articles["stories"]))
    code = {story: index for index, story in enumerate(story_ids)}
    codes = [sorted(code[story] for story in stories) for stories in articles["stories"]]
    counts = [len(article_codes) for article_codes in codes]
    incidence = sparse.csr_matrix(
        (np.ones(sum(counts)), (np.repeat(np.arange(len(codes)), counts), np.concatenate(codes))),
        shape=(len(codes), len(story_ids)),
    )
    same_cluster = np.asarray((incidence[first].multiply(incidence[second])).sum(axis=1)).ravel() > 0
    first_story = np.array([article_codes[0] for article_codes in codes])
    # Key of the clusters a pair spans (compared only within a stratum, so same and cross keys never meet):
    # the smallest story both share, else the pair of the stories each was first listed in.
    cluster_key = np.minimum(first_story[first], first_story[second]) * len(story_ids) + np.maximum(
        first_story[first], first_story[second]
    )
    for index in np.flatnonzero(same_cluster):
        cluster_key[index] = min(set(codes[first[index]]) & set(codes[second[index]]))
    return pd.DataFrame(
        {"first": first, "second": second, "score": scores, "same_cluster": same_cluster, "cluster_key": cluster_key}
    )


def stratum_of(pairs: pd.DataFrame, stratum: Stratum) -> pd.Series:
    return (
        (pairs["same_cluster"] == stratum.same_cluster)
        & (pairs["score"] >= stratum.low)
        & (pairs["score"] < stratum.high)
    )


def _take_across_clusters(candidates: pd.DataFrame, size: int, rng: np.random.Generator, uses: Counter) -> list[int]:
    """Up to `size` candidate rows (index labels), visited in rounds taking one pair of each cluster key.

    Keys and the pairs within a key come in a seeded random order; a pair with an article already in
    MAX_PAIRS_PER_ARTICLE chosen pairs is passed over.
    """
    order = rng.permutation(len(candidates))
    keys = candidates["cluster_key"].to_numpy()[order]
    _, first_seen, group = np.unique(keys, return_index=True, return_inverse=True)
    round_of = pd.Series(group).groupby(group).cumcount().to_numpy()
    visit = order[np.lexsort((first_seen[group], round_of))]
    labels = candidates.index.to_numpy()[visit]
    firsts, seconds = candidates["first"].to_numpy()[visit], candidates["second"].to_numpy()[visit]
    chosen: list[int] = []
    for label, first, second in zip(labels, firsts, seconds):
        if len(chosen) == size:
            break
        if uses[first] < MAX_PAIRS_PER_ARTICLE and uses[second] < MAX_PAIRS_PER_ARTICLE:
            uses[first] += 1
            uses[second] += 1
            chosen.append(int(label))
    return chosen


def sample_pairs(
    articles: pd.DataFrame, seed: int = SEED, strata: tuple[Stratum, ...] = STRATA
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The stratified sample (COLUMNS, label and note empty, in a seeded random order) and each stratum's population."""
    pairs = eligible_pairs(articles)
    rng = np.random.default_rng(seed)
    uses: Counter = Counter()
    chosen, population = [], {}
    for stratum in strata:
        members = pairs[stratum_of(pairs, stratum)]
        population[stratum.name] = len(members)
        chosen.extend((row, stratum.name) for row in _take_across_clusters(members, stratum.size, rng, uses))
    rows = []
    for row, name in chosen:
        a, b = articles.iloc[pairs.at[row, "first"]], articles.iloc[pairs.at[row, "second"]]
        if (a["published"], a["url"]) > (b["published"], b["url"]):  # the earlier article first
            a, b = b, a
        rows.append(
            {
                "url_a": a["url"],
                "url_b": b["url"],
                "outlet_a": a["outlet"],
                "outlet_b": b["outlet"],
                "stratum": name,
                "label": "",
                "note": "",
            }
        )
    sample = pd.DataFrame(rows, columns=list(COLUMNS))
    return sample.iloc[rng.permutation(len(sample))].reset_index(drop=True), population


def read_pairs(csv_path: Path = PAIRS_CSV) -> pd.DataFrame:
    """The judged pairs file; a missing column, an unknown label or a repeated pair is an error."""
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise JudgedPairsError(f"{csv_path}: missing columns {missing}")
    unknown = frame[(frame["label"] != "") & ~frame["label"].isin(LABELS)]
    if len(unknown):
        raise JudgedPairsError(
            f"{csv_path}: unknown labels {sorted(set(unknown['label']))} "
            f"(rows {[int(i) + 2 for i in unknown.index[:5]]}); allowed: {LABELS}"
        )
    repeated = frame.duplicated(["url_a", "url_b"])
    if repeated.any():
        example = frame[repeated].iloc[0][["url_a", "url_b"]].tolist()
        raise JudgedPairsError(f"{csv_path}: pairs listed twice, e.g. {example}")
    return frame


def write_pairs(pairs: pd.DataFrame, csv_path: Path) -> None:
    pairs.to_csv(csv_path, columns=list(COLUMNS), index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def load_judged_pairs(realdata_dir: Path, csv_path: Path = PAIRS_CSV) -> pd.DataFrame:
    """The judged pairs joined to their articles' texts in `realdata_dir` (laid out as ../shared/realdata).

    Adds, for side a and b: title, summary, published, kind; and same_cluster (the aggregator listed
    both under one story id). A URL the snapshots do not hold is an error naming it.
    """
    pairs = read_pairs(csv_path)
    articles = read_articles(realdata_dir).set_index("url")
    absent = sorted((set(pairs["url_a"]) | set(pairs["url_b"])) - set(articles.index))
    if absent:
        raise JudgedPairsError(
            f"{len(absent)} judged URLs are not in the snapshots under {realdata_dir}, e.g. {absent[:3]}"
        )
    fields = ["title", "summary", "published", "kind"]
    for side in ("a", "b"):
        texts = articles.loc[pairs[f"url_{side}"], fields].reset_index(drop=True)
        pairs = pd.concat([pairs, texts.add_suffix(f"_{side}")], axis=1)
    stories = articles["stories"]
    pairs["same_cluster"] = [bool(stories[a] & stories[b]) for a, b in zip(pairs["url_a"], pairs["url_b"])]
    return pairs


# ---- judging and the summary ------------------------------------------------------------------


def show_pairs(pairs: pd.DataFrame, start: int, count: int, out: TextIO) -> None:
    """Print pairs for judging: outlets, dates, titles and summaries only (no stratum, cluster or score)."""
    for index in range(start, min(start + count, len(pairs))):
        pair = pairs.iloc[index]
        print(f"=== {index}", file=out)
        for side in ("a", "b"):
            published = f"{pair[f'published_{side}']:%Y-%m-%d %H:%M}"
            print(f"[{side}] {pair[f'outlet_{side}']} ({pair[f'kind_{side}']}) {published}", file=out)
            print(f"    T: {pair[f'title_{side}']}", file=out)
            print(f"    S: {pair[f'summary_{side}']}", file=out)


def _best_f1(scores: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> dict:
    """Precision, recall and F1 at the threshold (one of the scores) with the best weighted F1."""
    best = {"threshold": None, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    positives = weights[truth].sum()
    for threshold in np.unique(scores):
        predicted = scores >= threshold
        hits = weights[predicted & truth].sum()
        if not hits:
            continue
        precision, recall = hits / weights[predicted].sum(), hits / positives
        f1 = 2 * precision * recall / (precision + recall)
        if f1 > best["f1"]:
            best = {"threshold": float(threshold), "precision": precision, "recall": recall, "f1": f1}
    return best


def _figures(text: str) -> set[str]:
    """Numbers of two digits or more that are not years, written as the models' tokens write them."""
    from newsdesk.bench.similarity import tokens

    return {token for token in tokens(text) if token.isdigit() and len(token) >= 2 and not _YEAR.fullmatch(token)}


def figures_disagree(judged: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    """Per pair: both articles carry figures in `fields` (title, summary) and share none.

    A rule "reports of one event agree on their figures" would call such pairs different events.
    """

    def figures(side: str) -> pd.Series:
        return judged.apply(lambda pair: _figures(" ".join(str(pair[f"{f}_{side}"] or "") for f in fields)), axis=1)

    first, second = figures("a"), figures("b")
    return pd.Series([bool(a) and bool(b) and not a & b for a, b in zip(first, second)], index=judged.index)


def summarize(realdata_dir: Path, csv_path: Path = PAIRS_CSV) -> dict:
    """Label counts per stratum, the aggregator's clusters against the labels, and TF-IDF on same_event.

    TF-IDF (as the sampler's lexical score, fitted on every article; also with the title counted twice)
    is scored at its best threshold on the sample as drawn, and weighted by stratum population (each
    pair counting for population / drawn of its stratum): the sample over-represents hard pairs.
    """
    pairs = load_judged_pairs(realdata_dir, csv_path)
    judged = pairs[pairs["label"] != ""].reset_index(drop=True)
    articles = read_articles(realdata_dir)
    position = {url: i for i, url in enumerate(articles["url"])}
    population = _stratum_population(articles)
    drawn = pairs["stratum"].value_counts()
    weights = judged["stratum"].map(lambda name: population[name] / drawn[name]).to_numpy()
    truth = (judged["label"] == "same_event").to_numpy()
    first = judged["url_a"].map(position).to_numpy()
    second = judged["url_b"].map(position).to_numpy()
    clusters = judged["same_cluster"].map({True: "same cluster", False: "other clusters"})
    tfidf = {}
    for title_weight in (1, 2):
        similarity = lexical_similarity(
            [article_text(t, s, title_weight=title_weight) for t, s in zip(articles["title"], articles["summary"])]
        )
        scores = similarity[first, second]
        tfidf[f"title x{title_weight}"] = {
            "sample": _best_f1(scores, truth, np.ones(len(truth))),
            "weighted": _best_f1(scores, truth, weights),
        }
    return {
        "pairs": len(pairs),
        "judged": len(judged),
        "labels": judged["label"].value_counts().to_dict(),
        "by_stratum": pd.crosstab(judged["stratum"], judged["label"]),
        "clusters_vs_labels": pd.crosstab(clusters, judged["label"]),
        "clusters_vs_labels_weighted": pd.crosstab(clusters, judged["label"], values=weights, aggfunc="sum").round(),
        "population": population,
        "tfidf_same_event": tfidf,
        "figures_disagree": pd.DataFrame(
            {
                "labelled": judged["label"].value_counts(),
                "titles disagree": judged.loc[figures_disagree(judged, ("title",)), "label"].value_counts(),
                "titles+summaries disagree": judged.loc[
                    figures_disagree(judged, ("title", "summary")), "label"
                ].value_counts(),
            }
        )
        .fillna(0)
        .astype(int),
    }


def _stratum_population(articles: pd.DataFrame) -> dict[str, int]:
    pairs = eligible_pairs(articles)
    return {stratum.name: int(stratum_of(pairs, stratum).sum()) for stratum in STRATA}


def _print_summary(result: dict, out: TextIO) -> None:
    print(f"{result['judged']} of {result['pairs']} pairs judged: {result['labels']}", file=out)
    print("\nlabels per stratum (population = eligible pairs in the stratum):", file=out)
    table = result["by_stratum"].copy()
    table["population"] = table.index.map(result["population"])
    print(table.to_string(), file=out)
    print("\naggregator's clusters against the labels (judged pairs):", file=out)
    print(result["clusters_vs_labels"].to_string(), file=out)
    print("\nthe same, each pair weighted by its stratum's population / drawn (estimated eligible pairs):", file=out)
    print(result["clusters_vs_labels_weighted"].to_string(), file=out)
    print("\npairs whose figures disagree (both carry numbers, none shared), per label:", file=out)
    print(result["figures_disagree"].to_string(), file=out)
    print("\nTF-IDF cosine on same_event at its best-F1 threshold:", file=out)
    for variant, rows in result["tfidf_same_event"].items():
        for kind, row in rows.items():
            print(
                f"  {variant:10} {kind:9} threshold {row['threshold']:.3f}  P {row['precision']:.3f}  "
                f"R {row['recall']:.3f}  F1 {row['f1']:.3f}",
                file=out,
            )


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:

    parser = argparse.ArgumentParser(prog="python -m newsdesk.bench.judged_pairs", description=__doc__.split("\n")[0])
    parser.add_argument("--realdata", type=Path, default=None, help="the realdata folder (default ../shared/realdata)")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="draw the stratified sample into a new CSV")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--seed", type=int, default=SEED)
    show = commands.add_parser("show", help="print pairs of the judged file for judging")
    show.add_argument("--start", type=int, default=0)
    show.add_argument("--count", type=int, default=40)
    show.add_argument("--csv", type=Path, default=PAIRS_CSV)
    summary = commands.add_parser("summary", help="label counts, clusters against labels, TF-IDF on same_event")
    summary.add_argument("--csv", type=Path, default=PAIRS_CSV)
    args = parser.parse_args(argv)
    realdata_dir = args.realdata or config.realdata_dir()
    if args.command == "sample":
        if args.out.exists():
            parser.error(f"{args.out} exists; the sample never overwrites judged labels")
        sample_frame, population = sample_pairs(read_articles(realdata_dir), args.seed)
        write_pairs(sample_frame, args.out)
        print(f"{len(sample_frame)} pairs (seed {args.seed}) to {args.out}", file=out)
        drawn = sample_frame["stratum"].value_counts()
        for stratum in STRATA:
            print(f"  {stratum.name:22} drawn {drawn.get(stratum.name, 0):3d} of {population[stratum.name]}", file=out)
    elif args.command == "show":
        show_pairs(load_judged_pairs(realdata_dir, args.csv), args.start, args.count, out)
    else:
        _print_summary(summarize(realdata_dir, args.csv), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
