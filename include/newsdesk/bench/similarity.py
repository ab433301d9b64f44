"""`newsdesk bench similarity`: Similar News against known answers, beside two baselines in one run.

Three datasets, each judged against its own answers:

- **the sample corpus** (``newsdesk.sample.corpus``): N generated articles in
  8 languages with complete ground truth (*syndicated* copies and
  *same_event* rewrites); pair precision, recall and F1 per kind. It is ours,
  so it says what the method does at scale, not whether it is right.
- **judged real pairs** (``newsdesk.bench.judged_pairs``): real articles of
  an aggregator's story clusters (``realdata/story-clusters``), every one of
  them loaded, and pairs of them judged by a person against
  ``judged/GUIDELINE.md`` as ``same_event``, ``same_story`` (one running
  story, another event) or ``different``. The figures a reader would agree
  with: ``same_event`` pair precision, recall and F1 over the judged pairs;
  the precision of the Similar News shown (top 5 per article: share of the
  judged ones that are ``same_event`` or ``same_story``); coverage (share of
  the articles with a judged ``same_event`` counterpart that show at least
  one Similar News). Each twice: over the pairs as drawn, and weighted by
  their stratum's population (the sample over-represents hard pairs).
- **the sample world** (``newsdesk.sample.world``, nl, de and en): served on
  loopback, extracted and loaded by the pipeline's own functions; the same
  figures with its complete ground truth, for all pairs, pairs within one
  language and pairs across languages.

On each, with the same articles:

- **ours**: ``dbt build`` of the similarity models (``+article_similarity``,
  ``+story_clusters``, ``+similar_articles``, their tests included), as the
  daily run builds them; pairs from ``article_similarity``, Similar News
  from ``similar_articles``.
- **datasketch**: MinHash (128 permutations) of each article's distinct
  tokens that occur in at most 5 % of the articles (the models' token rule),
  MinHashLSH at Jaccard 0.25 for candidates, the estimated Jaccard decides.
- **tfidf**: exact TF-IDF cosine (scikit-learn ``TfidfVectorizer`` on the
  same tokens, sublinear tf, ``max_df`` 5 %, ``min_df`` 2), every pair by
  sparse products in row blocks; on the judged and world sets also with the
  title counted twice.

A baseline's thresholds are the best-F1 ones found on the answers
themselves (optimistic baselines); its Similar News are its top 5 pairs per
article at that threshold. Pairs are judged when their articles are from
different publishers and at most 7 days apart. Time is wall clock; memory
the peak resident set above the process's size at the start of the step,
sampled every 20 ms over the process and its children (dbt runs as a child).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import duckdb
import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH  # imported here: a first import takes seconds, outside the timings
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk import config
from newsdesk.bench.extract import machine, report_header
from newsdesk.sample.corpus import generate_corpus, write_corpus
from newsdesk.warehouse.load import create_raw_schema

LOOKBACK_DAYS = 7
MAX_TOKEN_SHARE = 0.05  # tokens in more of the articles than this carry no signal (as our models' default)
MINHASH_PERMUTATIONS = 128
# Candidates from the LSH index; the match threshold is then chosen at or above it. Lower finds more
# rewrites on small corpora but floods the index with candidates: at 0.1, 4 % of all pairs at 10,000 articles.
LSH_CANDIDATE_THRESHOLD = 0.25
TFIDF_BLOCK_ROWS = 1000
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
DEFAULT_DATASKETCH_LIMIT = 200_000  # pure-Python MinHash of more articles takes longer than the whole bench
KINDS = ("syndicated", "same_event", "any")
SIMILAR_NEWS_SHOWN = 5  # as the similar_articles_k var: what a reader sees under an article
OURS_SELECTOR = "+article_similarity +story_clusters +similar_articles"
# The similarity chain's marts; its intermediate models are every int_similarity__ model.
SIMILARITY_MARTS = ("article_similarity", "similar_articles", "story_clusters")
# Pair labels of the judged set and the sample world (judged/GUIDELINE.md), as codes.
DIFFERENT, SAME_STORY, SAME_EVENT = 0, 1, 2
UNJUDGED = -1
LABEL_CODES = {"different": DIFFERENT, "same_story": SAME_STORY, "same_event": SAME_EVENT}
LABEL_NAMES = {code: name for name, code in LABEL_CODES.items()}
DEFAULT_WORLD_DAYS = 7
DEFAULT_WORLD_STORIES = 12  # the sample world's own density, as the demo serves it
# The work order's targets on the judged real pairs (as drawn).
TARGETS = {"same_event_f1": 0.85, "similar_news_precision": 0.90, "coverage": 0.85}

_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_NUMBER_SEPARATOR = re.compile(r"(\d)[.,](\d)")
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Lower-cased letter and digit runs, numbers without their separators (1.250 and 1,250 are 1250);
    Han and kana one character each (as the similarity_tokens macro)."""
    return _TOKEN.findall(_NUMBER_SEPARATOR.sub(r"\1\2", _CJK.sub(r" \1 ", text.lower())))


# ---- measuring ---------------------------------------------------------------------------


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as children:
                    kids = [int(kid) for kid in children.read().split()]
                found.extend(kids)
                pending.extend(kids)
        except OSError:
            continue
    return found


@dataclass
class Measured:
    seconds: float = 0.0
    peak_bytes: int = 0  # resident set of this process and its children above this process's at the start


@contextmanager
def measure() -> Iterator[Measured]:
    """Wall time and peak RSS (process tree, sampled every 20 ms) of the block."""
    result = Measured()
    me = os.getpid()
    start_rss = _rss_bytes(me)
    peak = [start_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss_bytes(me) + sum(_rss_bytes(kid) for kid in _descendants(me)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        result.peak_bytes = max(peak[0], _rss_bytes(me)) - start_rss


# ---- the articles and their answers ------------------------------------------------------


@dataclass
class Judgements:
    """Labelled pairs of a dataset's articles (keys a * n + b, a < b, sorted) and each one's weight.

    ``complete``: every pair not listed is ``different`` (a generated world);
    otherwise an unlisted pair is unknown and counts neither way (a judged
    sample). ``weights``: how many pairs of the population each judged pair
    stands for (its stratum's population / judged pairs of the stratum); 1
    for a complete truth.
    """

    keys: np.ndarray
    labels: np.ndarray
    weights: np.ndarray
    complete: bool
    note: str = ""

    def label_of(self, keys: np.ndarray) -> np.ndarray:
        position = np.searchsorted(self.keys, keys)
        found = position < len(self.keys)
        found[found] = self.keys[position[found]] == keys[found]
        labels = np.full(len(keys), DIFFERENT if self.complete else UNJUDGED, dtype=np.int8)
        labels[found] = self.labels[position[found]]
        return labels

    def weight_of(self, keys: np.ndarray) -> np.ndarray:
        position = np.searchsorted(self.keys, keys)
        found = position < len(self.keys)
        found[found] = self.keys[position[found]] == keys[found]
        weights = np.ones(len(keys))
        weights[found] = self.weights[position[found]]
        return weights


@dataclass
class Dataset:
    """Articles (row i = article i) with what the evaluation needs, and the answers as pair keys."""

    name: str
    warehouse: Path
    urls: np.ndarray
    source: np.ndarray  # publisher per article (codes)
    published: np.ndarray  # seconds since the epoch
    language: np.ndarray  # language code per article
    truth: dict[str, np.ndarray] = field(default_factory=dict)  # kind -> sorted true pair keys (the corpus)
    judgements: Judgements | None = None  # labelled pairs (the judged set, the world)
    kinds: tuple[str, ...] = KINDS
    texts: dict[int, list[str]] = field(default_factory=dict, repr=False)  # title weight -> texts

    @property
    def size(self) -> int:
        return len(self.urls)

    @property
    def article_ids(self) -> np.ndarray:
        return _md5(self.urls)

    def pair_keys(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Keys of the pairs worth judging: different publishers, at most LOOKBACK_DAYS apart."""
        low, high = np.minimum(first, second), np.maximum(first, second)
        keep = (low != high) & (self.source[low] != self.source[high])
        keep &= np.abs(self.published[low] - self.published[high]) <= LOOKBACK_DAYS * 86_400
        return np.unique(low[keep].astype(np.int64) * self.size + high[keep])

    def load_texts(self, title_weight: int = 1) -> list[str]:
        """title (`title_weight` times), summary and body of every article, in article order, from the warehouse."""
        if title_weight not in self.texts:
            titles = ", ".join(["title"] * title_weight)
            with duckdb.connect(str(self.warehouse), read_only=True) as conn:
                frame = conn.execute(
                    f"SELECT url, concat_ws(' ', {titles}, summary, body) AS text FROM raw.articles"
                    " QUALIFY row_number() OVER (PARTITION BY url ORDER BY partition_date DESC) = 1"
                ).fetch_df()
            order = pd.Series(np.arange(self.size), index=self.urls)
            frame["row"] = order.reindex(frame["url"]).to_numpy()
            self.texts[title_weight] = frame.dropna(subset=["row"]).sort_values("row")["text"].tolist()
        return self.texts[title_weight]


def _md5(urls: np.ndarray) -> np.ndarray:
    return np.array([hashlib.md5(url.encode("utf-8")).hexdigest() for url in urls], dtype=object)


def _epoch_seconds(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[s]").astype(np.int64)


def _sample_dataset(articles: int, days: int, seed: int, folder: Path) -> tuple[Dataset, Measured]:
    with measure() as generating:
        corpus = generate_corpus(articles, days=days, seed=seed)
        path = folder / "corpus.duckdb"
        write_corpus(corpus, path)
    count = corpus.article_count
    pairs = corpus.pairs
    keys_a = np.minimum(pairs["index_a"], pairs["index_b"]).to_numpy().astype(np.int64)
    keys_b = np.maximum(pairs["index_a"], pairs["index_b"]).to_numpy().astype(np.int64)
    keys = keys_a * count + keys_b
    truth = {kind: np.sort(keys[(pairs["kind"] == kind).to_numpy()]) for kind in ("syndicated", "same_event")}
    truth["any"] = np.sort(keys)
    publishers = corpus.publishers
    dataset = Dataset(
        name=f"sample corpus, {count:,} articles",
        warehouse=path,
        urls=corpus.articles["url"].to_numpy(),
        source=corpus.articles["publisher"].to_numpy(),
        published=corpus.articles["published_at"].to_numpy().astype("datetime64[s]").astype(np.int64),
        language=publishers["language"].to_numpy()[corpus.articles["publisher"].to_numpy()],
        truth=truth,
    )
    return dataset, generating


def _judged_dataset(realdata_dir: Path, folder: Path, out: TextIO) -> Dataset | None:
    """Every article of the story-cluster snapshots, loaded as raw articles, with the judged pairs among them."""
    from newsdesk.bench import judged_pairs

    try:
        articles = judged_pairs.read_articles(realdata_dir)
    except judged_pairs.JudgedPairsError as exc:
        print(f"judged real pairs: skipped, {exc}", file=out)
        return None
    pairs = judged_pairs.load_judged_pairs(realdata_dir)
    judged = pairs[pairs["label"] != ""].reset_index(drop=True)
    if judged.empty:
        print(f"judged real pairs: skipped, none of {judged_pairs.PAIRS_CSV} is labelled yet", file=out)
        return None
    published = articles["published"].dt.tz_convert(None)
    articles["published_at"] = published.fillna(published.min())
    path = folder / "judged.duckdb"
    _write_real_articles(articles, path, run_id="realdata-judged-pairs")
    count = len(articles)
    row = pd.Series(np.arange(count), index=articles["url"].to_numpy())
    first, second = row[judged["url_a"]].to_numpy(), row[judged["url_b"]].to_numpy()
    keys = np.minimum(first, second).astype(np.int64) * count + np.maximum(first, second)
    # each judged pair stands for population / judged pairs of its stratum
    eligible = judged_pairs.eligible_pairs(articles)
    population = {
        stratum.name: int(judged_pairs.stratum_of(eligible, stratum).sum()) for stratum in judged_pairs.STRATA
    }
    judged_in = judged["stratum"].value_counts()
    weights = judged["stratum"].map(lambda name: population[name] / judged_in[name]).to_numpy(dtype=float)
    order = np.argsort(keys)
    labels = judged["label"].map(LABEL_CODES).to_numpy(dtype=np.int8)
    counts = judged["label"].value_counts()
    dataset = Dataset(
        name=f"judged real pairs ({count:,} articles)",
        warehouse=path,
        urls=articles["url"].to_numpy(),
        source=articles["outlet"].astype("category").cat.codes.to_numpy(),
        published=_epoch_seconds(articles["published_at"]),
        language=np.full(count, "en", dtype=object),
        judgements=Judgements(
            keys=keys[order],
            labels=labels[order],
            weights=weights[order],
            complete=False,
            note=f"{len(judged)} of {len(pairs)} pairs judged: "
            + ", ".join(f"{counts.get(name, 0)} {name}" for name in LABEL_CODES)
            + f"; {len(eligible):,} eligible pairs in all",
        ),
    )
    return dataset


def _write_real_articles(frame: pd.DataFrame, path: Path, *, run_id: str) -> None:
    """Real articles (outlet, url, title, summary, published_at) as raw rows: no body, English."""
    rows = pd.DataFrame(
        {
            "partition_date": frame["published_at"].dt.date,
            "run_id": run_id,
            "loaded_at": frame["published_at"].max(),
            "source_id": frame["outlet"],
            "feed_url": None,
            "url": frame["url"],
            "guid": frame["url"],
            "title": frame["title"],
            "summary": frame["summary"],
            "body": None,
            "author": None,
            "published_at": frame["published_at"],
            "language": "en",
            "category": None,
            "fetched_at": frame["published_at"],
            "content_hash": [
                hashlib.sha256(f"{t or ''}\n{s or ''}\n".encode()).hexdigest()
                for t, s in zip(frame["title"], frame["summary"])
            ],
        }
    )
    outlets = pd.DataFrame({"source_id": sorted(frame["outlet"].unique())})
    with duckdb.connect(str(path)) as conn:
        create_raw_schema(conn)
        conn.register("real_rows", rows)
        conn.execute("INSERT INTO raw.articles BY NAME SELECT * FROM real_rows")
        conn.register("real_outlets", outlets)
        conn.execute(
            "INSERT INTO raw.sources SELECT source_id, source_id, 'US', 'en', NULL, false, false, 1,"
            " now()::TIMESTAMP FROM real_outlets"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _world_dataset(folder: Path, *, days: int, stories_per_day: int, seed: int) -> Dataset:
    """The sample world served on loopback, collected, extracted and loaded day by day as the DAGs do (a
    source with a live feed every hour, news_collect's way; every source at each date's daily fetch),
    with its ground truth."""
    from newsdesk.sample.collection import collect_and_load
    from newsdesk.sample.server import SampleServer
    from newsdesk.sample.world import generate_world, load_ground_truth

    port = _free_port()
    world = generate_world(folder / "world", seed=seed, days=days, stories_per_day=stories_per_day, port=port)
    warehouse = folder / "world.duckdb"
    with SampleServer(world.out_dir, port=port) as server:
        collect_and_load(world, server, folder, warehouse, run_prefix="bench")
    truth = load_ground_truth(world.out_dir)
    articles = pd.DataFrame(truth["articles"]).sort_values("url").reset_index(drop=True)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        loaded = {url for (url,) in conn.execute("SELECT DISTINCT url FROM raw.articles").fetchall()}
    missing = sorted(set(articles["url"]) - loaded)
    if missing:
        raise RuntimeError(f"the sample world's load lacks {len(missing)} of its articles, e.g. {missing[:2]}")
    # an article without a date (a trap) counts as published at the start of its first feed day
    first_day = pd.to_datetime(articles["feed_dates"].str[0])
    published = pd.to_datetime(articles["published_at"], utc=True).dt.tz_convert(None).fillna(first_day)
    count = len(articles)
    row = pd.Series(np.arange(count), index=articles["url"].to_numpy())
    stories = {story_id: row[urls].to_numpy() for story_id, urls in truth["stories"].items()}
    labelled: dict[int, int] = {}
    # linked episodes of one running story: another event of the same story
    for episodes in truth.get("running_stories", {}).values():
        for position, story_id in enumerate(episodes):
            for other in episodes[position + 1 :]:
                for first in stories[story_id]:
                    for second in stories[other]:
                        labelled[min(first, second) * count + max(first, second)] = SAME_STORY
    for members in stories.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                labelled[min(first, second) * count + max(first, second)] = SAME_EVENT
    dataset = Dataset(
        name=f"sample world ({count:,} articles, nl/de/en)",
        warehouse=warehouse,
        urls=articles["url"].to_numpy(),
        source=articles["source_id"].astype("category").cat.codes.to_numpy(),
        published=_epoch_seconds(published),
        language=articles["language"].to_numpy(),
    )
    keys = np.array(sorted(labelled), dtype=np.int64)
    keys = keys[np.isin(keys, dataset.pair_keys(keys // count, keys % count))]  # different publishers only
    dataset.judgements = Judgements(
        keys=keys,
        labels=np.array([labelled[key] for key in keys], dtype=np.int8),
        weights=np.ones(len(keys)),
        complete=True,
        note=f"{days} days x {stories_per_day} stories, seed {seed}; complete ground truth",
    )
    return dataset


# ---- the three methods ---------------------------------------------------------------------


@dataclass
class Predicted:
    """Predicted pairs as keys, per kind ('any' = all), their scores, and the Similar News shown."""

    pairs: dict[str, np.ndarray]
    scores: np.ndarray | None = None  # per key of pairs["any"]
    kinds: np.ndarray | None = None  # match kind per key of pairs["any"]
    shown: pd.DataFrame | None = None  # article, rank, similar, score (row numbers)
    note: str = ""


def run_ours(dataset: Dataset, run_date: str) -> Predicted:
    from newsdesk.warehouse.transform import last_run_node_seconds, run_dbt_build

    # cautious: tests that also read models outside the similarity chain (the
    # articles mart, rankings) are not part of what is measured
    run_dbt_build(dataset.warehouse, select=OURS_SELECTOR, vars={"run_date": run_date}, indirect_selection="cautious")
    with duckdb.connect(str(dataset.warehouse), read_only=True) as conn:
        schema = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'article_similarity'"
        ).fetchone()[0]
        pairs = conn.execute(
            f"SELECT article_a_id, article_b_id, match_kind, score FROM {schema}.article_similarity"
        ).fetch_df()
        shown = conn.execute(
            f"SELECT article_id, similarity_rank, similar_article_id, score FROM {schema}.similar_articles"
        ).fetch_df()
    row = pd.Series(np.arange(dataset.size), index=dataset.article_ids)
    first = row.reindex(pairs["article_a_id"]).to_numpy()
    second = row.reindex(pairs["article_b_id"]).to_numpy()
    known = ~(np.isnan(first) | np.isnan(second))
    kinds = pairs["match_kind"].to_numpy()[known]
    scores = pairs["score"].to_numpy()[known]
    first, second = first[known].astype(np.int64), second[known].astype(np.int64)
    keys = np.minimum(first, second) * dataset.size + np.maximum(first, second)
    eligible = np.isin(keys, dataset.pair_keys(first, second))
    order = np.argsort(keys[eligible])
    keys, kinds, scores = keys[eligible][order], kinds[eligible][order], scores[eligible][order]
    predicted = {kind: keys[kinds == kind] for kind in ("syndicated", "same_event")}
    predicted["any"] = keys
    article = row.reindex(shown["article_id"]).to_numpy()
    similar = row.reindex(shown["similar_article_id"]).to_numpy()
    listed = ~(np.isnan(article) | np.isnan(similar))
    shown_rows = pd.DataFrame(
        {
            "article": article[listed].astype(np.int64),
            "rank": shown["similarity_rank"].to_numpy()[listed],
            "similar": similar[listed].astype(np.int64),
            "score": shown["score"].to_numpy()[listed],
        }
    )
    seconds = last_run_node_seconds()
    own = sum(node_seconds for unique_id, node_seconds in seconds.items() if is_similarity_node(unique_id))
    total = sum(seconds.values())
    return Predicted(
        predicted,
        scores=scores,
        kinds=kinds,
        shown=shown_rows,
        note=f"dbt build --select {OURS_SELECTOR}; the similarity models and their tests"
        f" ran {own:.1f} s of the nodes' {total:.1f} s (the rest: staging and dedup,"
        " which every daily run builds anyway)",
    )


def is_similarity_node(unique_id: str) -> bool:
    """A dbt node of the similarity chain: one of its models, or a test of one (named after its model)."""
    return "int_similarity__" in unique_id or any(mart in unique_id for mart in SIMILARITY_MARTS)


def _signal_tokens(texts: list[str]) -> list[set[str]]:
    """Each article's distinct tokens, without those in more than MAX_TOKEN_SHARE of the articles."""
    token_sets = [set(tokens(text)) for text in texts]
    counts: dict[str, int] = {}
    for token_set in token_sets:
        for token in token_set:
            counts[token] = counts.get(token, 0) + 1
    limit = max(2, int(MAX_TOKEN_SHARE * len(texts)))
    common = {token for token, count in counts.items() if count > limit}
    return [token_set - common for token_set in token_sets]


def scored_datasketch(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, estimated Jaccard) of MinHashLSH candidates among the texts (rows are text positions)."""
    token_sets = _signal_tokens(texts)
    signatures = MinHash.bulk(
        [[token.encode("utf-8") for token in token_set] for token_set in token_sets], num_perm=MINHASH_PERMUTATIONS
    )
    lsh = MinHashLSH(threshold=LSH_CANDIDATE_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)
    with lsh.insertion_session() as session:
        for row, signature in enumerate(signatures):
            session.insert(row, signature, check_duplication=False)
    first, second = [], []
    for row, signature in enumerate(signatures):
        for other in lsh.query(signature):
            if other > row:
                first.append(row)
                second.append(other)
    first_array, second_array = np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)
    hashes = np.stack([signature.hashvalues for signature in signatures])
    scores = np.empty(len(first_array))
    for start in range(0, len(first_array), 100_000):  # blocks bound the temporary (pairs x 128) array
        block = slice(start, start + 100_000)
        scores[block] = (hashes[first_array[block]] == hashes[second_array[block]]).mean(axis=1)
    return first_array, second_array, scores


def scored_tfidf(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, second, cosine) of every pair of texts with a cosine of at least the lowest grid threshold."""
    vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, max_df=MAX_TOKEN_SHARE, min_df=2)
    matrix = vectorizer.fit_transform(texts).tocsr()  # rows are L2-normalized
    transposed = matrix.T.tocsc()
    first, second, scores = [], [], []
    for start in range(0, matrix.shape[0], TFIDF_BLOCK_ROWS):
        block = (matrix[start : start + TFIDF_BLOCK_ROWS] @ transposed).tocoo()
        rows = block.row + start
        keep = (block.col > rows) & (block.data >= THRESHOLD_GRID[0])
        first.append(rows[keep])
        second.append(block.col[keep])
        scores.append(block.data[keep])
    return (np.concatenate(first).astype(np.int64), np.concatenate(second).astype(np.int64), np.concatenate(scores))


def _eligible_scored(
    dataset: Dataset, first: np.ndarray, second: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, scores) of the scored pairs worth judging, sorted by key."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    keep = (
        (low != high)
        & (dataset.source[low] != dataset.source[high])
        & (np.abs(dataset.published[low] - dataset.published[high]) <= LOOKBACK_DAYS * 86_400)
    )
    keys, scores = low[keep] * dataset.size + high[keep], scores[keep]
    order = np.argsort(keys)
    return keys[order], scores[order]


def best_thresholds(
    dataset: Dataset, first: np.ndarray, second: np.ndarray, scores: np.ndarray
) -> tuple[Predicted, float, float]:
    """Pairs at the thresholds with the best F1: `match` for any match, `syndicated` (>= match) for copies.

    On a dataset with labelled pairs (judged or world), `match` is the best same_event F1 over them.
    """
    keys, scores = _eligible_scored(dataset, first, second, scores)

    def f1(threshold: float) -> float:
        chosen = keys[scores >= threshold]
        if dataset.judgements is not None:
            return same_event_scores(dataset, chosen)["f1"]
        return score_pairs(chosen, dataset.truth["any"])["f1"]

    match = max(THRESHOLD_GRID, key=f1)
    syndicated = match
    if "syndicated" in dataset.kinds and dataset.truth:
        candidates = THRESHOLD_GRID[THRESHOLD_GRID >= match]
        syndicated = max(candidates, key=lambda t: score_pairs(keys[scores >= t], dataset.truth["syndicated"])["f1"])
    chosen = scores >= match
    pairs = {
        "any": keys[chosen],
        "syndicated": keys[scores >= syndicated],
        "same_event": keys[chosen & (scores < syndicated)],
    }
    kinds = np.where(scores[chosen] >= syndicated, "syndicated", "same_event") if dataset.truth else None
    predicted = Predicted(
        pairs, scores=scores[chosen], kinds=kinds, shown=top_similar(dataset, keys[chosen], scores[chosen])
    )
    return predicted, float(match), float(syndicated)


def top_similar(
    dataset: Dataset, keys: np.ndarray, scores: np.ndarray, shown: int = SIMILAR_NEWS_SHOWN
) -> pd.DataFrame:
    """Each article's Similar News from scored pairs: its top `shown` by score (then the other's row)."""
    first, second = keys // dataset.size, keys % dataset.size
    both = pd.DataFrame(
        {"article": np.r_[first, second], "similar": np.r_[second, first], "score": np.r_[scores, scores]}
    )
    both = both.sort_values(["article", "score", "similar"], ascending=[True, False, True], kind="stable")
    both["rank"] = both.groupby("article").cumcount() + 1
    return both[both["rank"] <= shown][["article", "rank", "similar", "score"]].reset_index(drop=True)


# ---- the figures -----------------------------------------------------------------------------


def score_pairs(predicted: np.ndarray, truth: np.ndarray) -> dict:
    hits = len(np.intersect1d(predicted, truth, assume_unique=True))
    precision = hits / len(predicted) if len(predicted) else 0.0
    recall = hits / len(truth) if len(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted), "true": len(truth)}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def same_event_scores(
    dataset: Dataset,
    predicted: np.ndarray,
    *,
    weighted: bool = False,
    within: Callable[[np.ndarray], np.ndarray] | None = None,
) -> dict:
    """same_event precision, recall and F1 of predicted pair keys over the dataset's labelled pairs.

    Precision counts the predicted pairs that are labelled (all, for a
    complete truth); `weighted` weighs each judged pair by its stratum's
    population; `within` keeps only the pairs (predicted and labelled) it
    accepts, e.g. those across languages.
    """
    judgements = dataset.judgements
    truth_keys = judgements.keys[judgements.labels == SAME_EVENT]
    if within is not None:
        predicted, truth_keys = predicted[within(predicted)], truth_keys[within(truth_keys)]
    labels = judgements.label_of(predicted)
    judged = labels != UNJUDGED
    weight = judgements.weight_of(predicted) if weighted else np.ones(len(predicted))
    truth_weight = judgements.weight_of(truth_keys) if weighted else np.ones(len(truth_keys))
    found = np.isin(truth_keys, predicted)
    precision = weight[labels == SAME_EVENT].sum() / weight[judged].sum() if judged.any() else 0.0
    recall = truth_weight[found].sum() / truth_weight.sum() if len(truth_keys) else 0.0
    return {
        "precision": float(precision),
        "recall": float(recall),
        "f1": _f1(precision, recall),
        "predicted": int(len(predicted)),
        "judged": int(judged.sum()),
        "wrong": int((judged & (labels != SAME_EVENT)).sum()),
        "true": int(len(truth_keys)),
        "found": int(found.sum()),
    }


def similar_news_scores(
    dataset: Dataset,
    shown: pd.DataFrame,
    *,
    weighted: bool = False,
    within: Callable[[np.ndarray], np.ndarray] | None = None,
) -> dict:
    """Precision of the Similar News shown, and coverage of the articles with a same_event counterpart.

    Precision: share of the shown (article, similar) rows whose pair is
    labelled same_event or same_story, among those labelled. Coverage: share
    of the articles with a labelled same_event counterpart that show at
    least one Similar News (`within`: counterparts and Similar News of the
    accepted pairs only).
    """
    judgements = dataset.judgements
    first, second = shown["article"].to_numpy(), shown["similar"].to_numpy()
    keys = np.minimum(first, second).astype(np.int64) * dataset.size + np.maximum(first, second)
    truth_keys = judgements.keys[judgements.labels == SAME_EVENT]
    if within is not None:
        accepted = within(keys)
        keys, first = keys[accepted], first[accepted]
        truth_keys = truth_keys[within(truth_keys)]
    labels = judgements.label_of(keys)
    judged = labels != UNJUDGED
    weight = judgements.weight_of(keys) if weighted else np.ones(len(keys))
    good = weight[(labels == SAME_EVENT) | (labels == SAME_STORY)].sum()
    precision = good / weight[judged].sum() if judged.any() else 0.0
    with_counterpart = np.unique(np.r_[truth_keys // dataset.size, truth_keys % dataset.size])
    covered = np.isin(with_counterpart, np.unique(first))
    return {
        "precision": float(precision),
        "shown": int(len(keys)),
        "judged": int(judged.sum()),
        "coverage": float(covered.mean()) if len(covered) else 0.0,
        "with_counterpart": int(len(with_counterpart)),
        "covered": int(covered.sum()),
    }


def _language_split(dataset: Dataset) -> dict[str, Callable[[np.ndarray], np.ndarray] | None]:
    if len(set(dataset.language)) < 2:
        return {"all pairs": None}
    language = dataset.language

    def same(keys: np.ndarray) -> np.ndarray:
        return language[keys // dataset.size] == language[keys % dataset.size]

    return {"all pairs": None, "same language": same, "across languages": lambda keys: ~same(keys)}


def _judged_figures(dataset: Dataset, predicted: Predicted) -> dict:
    figures = {}
    for scope, within in _language_split(dataset).items():
        figures[scope] = {
            "same_event": same_event_scores(dataset, predicted.pairs["any"], within=within),
            "similar_news": similar_news_scores(dataset, predicted.shown, within=within),
        }
        if not dataset.judgements.complete:
            figures[scope]["same_event_weighted"] = same_event_scores(
                dataset, predicted.pairs["any"], weighted=True, within=within
            )
            figures[scope]["similar_news_weighted"] = similar_news_scores(
                dataset, predicted.shown, weighted=True, within=within
            )
    return figures


# ---- the bench -------------------------------------------------------------------------------


def _method_row(dataset: Dataset, method: str, predicted: Predicted, measured: Measured) -> dict:
    row = {
        "dataset": dataset.name,
        "method": method,
        "seconds": measured.seconds,
        "peak_mib": measured.peak_bytes / 2**20,
        "note": predicted.note,
        "predicted": predicted,
    }
    if dataset.judgements is not None:
        row["judged"] = _judged_figures(dataset, predicted)
    else:
        row.update({kind: score_pairs(predicted.pairs[kind], dataset.truth[kind]) for kind in dataset.kinds})
    return row


def _baseline(dataset: Dataset, method: str, scorer: Callable[[list[str]], tuple], title_weight: int = 1) -> dict:
    texts = dataset.load_texts(title_weight)  # reading the file is neither baseline's work
    with measure() as measured:
        first, second, scores = scorer(texts)
        predicted, match, syndicated = best_thresholds(dataset, first, second, scores)
    predicted.note = f"best-F1 thresholds: match >= {match:.3f}" + (
        f", syndicated >= {syndicated:.3f}" if dataset.truth else ""
    )
    name = method if title_weight == 1 else f"{method}, title x{title_weight}"
    return _method_row(dataset, name, predicted, measured)


def _compare(dataset: Dataset, run_date: str, *, tfidf_limit: int, datasketch_limit: int, out: TextIO) -> list[dict]:
    rows = []
    try:
        with measure() as measured:
            ours = run_ours(dataset, run_date)
        rows.append(_method_row(dataset, "ours", ours, measured))
    except Exception as exc:  # the baselines still tell something; the report says ours failed
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"ours: FAILED on {dataset.name}: {first_line}", file=out)
        rows.append(
            {
                "dataset": dataset.name,
                "method": "ours",
                "seconds": float("nan"),
                "peak_mib": float("nan"),
                "note": f"FAILED: {first_line}",
                "failed": True,
            }
        )
    title_weights = (1, 2) if dataset.judgements is not None else (1,)
    for method, scorer, limit, weights in (
        ("datasketch", scored_datasketch, datasketch_limit, (1,)),
        ("tfidf", scored_tfidf, tfidf_limit, title_weights),
    ):
        if dataset.size > limit:
            print(f"{method}: skipped, {dataset.size:,} articles is over its limit of {limit:,}", file=out)
            continue
        for title_weight in weights:
            rows.append(_baseline(dataset, method, scorer, title_weight))
    dataset.texts.clear()
    return rows


def _last_day(dataset: Dataset) -> str:
    return str(pd.Timestamp(dataset.published.max(), unit="s").date())


def run_similarity_bench(
    articles: int = 10_000,
    *,
    days: int = 7,
    seed: int = 0,
    tfidf_limit: int = 20_000,
    datasketch_limit: int = DEFAULT_DATASKETCH_LIMIT,
    realdata_dir: Path | None = None,
    world_days: int = DEFAULT_WORLD_DAYS,
    world_stories_per_day: int = DEFAULT_WORLD_STORIES,
    pairs_out: Path | None = None,
    out: TextIO = sys.stdout,
) -> dict:
    """Measure ours and the baselines on the corpus, the judged real pairs and the sample world; print and return it.

    Returns {"machine", "parameters", "generate": {seconds, peak_mib}, "rows": [{dataset, method, seconds,
    peak_mib, note, and either syndicated/same_event/any: {precision, recall, f1, predicted, true} (the
    corpus) or judged: {scope: {same_event, similar_news, ...}} (the judged pairs, the world)}]}.
    `world_stories_per_day` 0 leaves the sample world out; `pairs_out` writes every predicted pair and
    every Similar News row to a CSV.
    """
    if articles < 2:
        raise ValueError(f"articles must be at least 2, got {articles}")
    realdata_dir = realdata_dir or config.realdata_dir()
    measured_on = machine()
    parameters = {
        "articles": articles,
        "days": days,
        "seed": seed,
        "tfidf_limit": tfidf_limit,
        "datasketch_limit": datasketch_limit,
        "realdata_dir": str(realdata_dir),
        "world_days": world_days,
        "world_stories_per_day": world_stories_per_day,
    }
    datasets = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-similarity-") as scratch:
        folder = Path(scratch)
        dataset, generating = _sample_dataset(articles, days, seed, folder)
        rows = _compare(
            dataset, _last_day(dataset), tfidf_limit=tfidf_limit, datasketch_limit=datasketch_limit, out=out
        )
        datasets.append(dataset)
        judged = _judged_dataset(realdata_dir, folder, out)
        if judged is not None:
            rows += _compare(
                judged, _last_day(judged), tfidf_limit=tfidf_limit, datasketch_limit=datasketch_limit, out=out
            )
            datasets.append(judged)
        if world_stories_per_day > 0:
            world = _world_dataset(folder, days=world_days, stories_per_day=world_stories_per_day, seed=seed)
            rows += _compare(
                world, _last_day(world), tfidf_limit=tfidf_limit, datasketch_limit=datasketch_limit, out=out
            )
            datasets.append(world)
    if pairs_out is not None:
        write_pairs_csv(pairs_out, datasets, rows)
    result = {
        "machine": measured_on,
        "parameters": parameters,
        "generate": {"seconds": generating.seconds, "peak_mib": generating.peak_bytes / 2**20},
        "rows": rows,
    }
    _print_report(result, out)
    for row in rows:
        row.pop("predicted", None)
    return result


PAIRS_CSV_COLUMNS = ("dataset", "method", "row", "url", "other_url", "rank", "score", "kind", "label")


def write_pairs_csv(path: Path, datasets: list[Dataset], rows: list[dict]) -> None:
    """Every predicted pair (row 'pair': url_a, url_b, score, kind) and every Similar News row
    (row 'similar_news': article url, rank, similar url, score), with the pair's label where known."""
    by_name = {dataset.name: dataset for dataset in datasets}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PAIRS_CSV_COLUMNS)
        for row in rows:
            predicted: Predicted | None = row.get("predicted")
            if predicted is None:
                continue
            dataset = by_name[row["dataset"]]
            keys = predicted.pairs["any"]
            first, second = keys // dataset.size, keys % dataset.size
            labels = _label_names(dataset, keys)
            kinds = predicted.kinds if predicted.kinds is not None else np.full(len(keys), "match")
            for a, b, score, kind, label in zip(
                dataset.urls[first], dataset.urls[second], predicted.scores, kinds, labels
            ):
                writer.writerow((dataset.name, row["method"], "pair", a, b, "", f"{score:.6f}", kind, label))
            shown = predicted.shown
            if shown is None:
                continue
            article, similar = shown["article"].to_numpy(), shown["similar"].to_numpy()
            labels = _label_names(dataset, np.minimum(article, similar) * dataset.size + np.maximum(article, similar))
            for a, rank, b, score, label in zip(
                dataset.urls[article], shown["rank"], dataset.urls[similar], shown["score"], labels
            ):
                writer.writerow(
                    (dataset.name, row["method"], "similar_news", a, b, int(rank), f"{score:.6f}", "", label)
                )


def _label_names(dataset: Dataset, keys: np.ndarray) -> list[str]:
    if dataset.judgements is not None:
        return [LABEL_NAMES.get(int(code), "") for code in dataset.judgements.label_of(keys)]
    kinds = np.full(len(keys), "", dtype=object)
    kinds[np.isin(keys, dataset.truth["same_event"])] = "same_event"
    kinds[np.isin(keys, dataset.truth["syndicated"])] = "syndicated"
    return kinds.tolist()


def _triple(scores: dict | None) -> str:
    return f"{scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}" if scores else "-"


def _print_report(result: dict, out: TextIO) -> None:
    parameters = result["parameters"]
    lines = [
        *report_header("newsdesk bench similarity", result["machine"], parameters),
        f"corpus generated and written in {result['generate']['seconds']:.1f} s "
        f"(peak +{result['generate']['peak_mib']:.0f} MiB)",
        "pairs judged: different publishers, at most 7 days apart; time wall clock; "
        "memory = peak RSS of the process and its children above the start of the step",
    ]
    corpus_rows = [row for row in result["rows"] if "judged" not in row and row["dataset"].startswith("sample corpus")]
    if corpus_rows:
        lines += [
            "",
            f"{'dataset / method':<44} {'syndicated P/R/F1':>17} {'same_event P/R/F1':>17} "
            f"{'any P/R/F1':>17} {'seconds':>8} {'peak MiB':>9}",
        ]
        for row in corpus_rows:
            figures = [_triple(row.get(kind)) for kind in KINDS]
            label = f"{row['dataset'][:32]} / {row['method']}"
            lines.append(
                f"{label:<44} {figures[0]:>17} {figures[1]:>17} {figures[2]:>17}"
                f" {row['seconds']:>8.1f} {row['peak_mib']:>9.0f}"
            )
    for dataset in dict.fromkeys(row["dataset"] for row in result["rows"] if "judged" in row or row.get("failed")):
        judged_rows = [row for row in result["rows"] if row["dataset"] == dataset]
        if not any("judged" in row for row in judged_rows):
            continue
        lines += [
            "",
            dataset,
            f"  {'method / pairs':<38} {'same_event P/R/F1':>17} {'(found/true, wrong)':>20} "
            f"{'shown P':>8} {'(judged)':>9} {'coverage':>9} {'seconds':>8} {'peak MiB':>9}",
        ]
        for row in judged_rows:
            if "judged" not in row:
                lines.append(f"  {row['method']:<38} FAILED")
                continue
            for scope, figures in row["judged"].items():
                for weighting in ("", "_weighted"):
                    event, news = figures.get(f"same_event{weighting}"), figures.get(f"similar_news{weighting}")
                    if event is None:
                        continue
                    label = f"{row['method']} / {scope}" + (", weighted" if weighting else "")
                    counts = f"({event['found']}/{event['true']}, {event['wrong']})"
                    timing = (
                        f"{row['seconds']:>8.1f} {row['peak_mib']:>9.0f}"
                        if scope == "all pairs" and not weighting
                        else ""
                    )
                    lines.append(
                        f"  {label:<38} {_triple(event):>17} {counts:>20} {news['precision']:>8.2f} "
                        f"{'(' + str(news['judged']) + ')':>9} {news['coverage']:>9.2f} {timing}"
                    )
    lines.append("")
    for row in result["rows"]:
        if row["note"]:
            lines.append(f"{row['dataset']} / {row['method']}: {row['note']}")
    lines += _ratios(result["rows"])
    lines += _targets(result["rows"])
    print("\n".join(lines), file=out)


def _ratios(rows: list[dict]) -> list[str]:
    lines = []
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        by_method = {row["method"]: row for row in rows if row["dataset"] == dataset}
        ours = by_method.get("ours")
        for method in ("datasketch", "tfidf"):
            other = by_method.get(method)
            if not (ours and other and not ours.get("failed")):
                continue
            speed = other["seconds"] / ours["seconds"] if ours["seconds"] else float("inf")
            if "judged" in ours:
                mine, theirs = ours["judged"]["all pairs"]["same_event"], other["judged"]["all pairs"]["same_event"]
                what = "same_event recall"
            else:
                mine, theirs = ours["any"], other["any"]
                what = "any-match recall"
            recall = mine["recall"] / theirs["recall"] if theirs["recall"] else float("inf")
            lines.append(f"ours vs {method} on {dataset}: {speed:.2f}x its speed, {recall:.2f}x its {what}")
    return lines


def _targets(rows: list[dict]) -> list[str]:
    """The targets on the judged real pairs (as drawn): met or not."""
    judged = [row for row in rows if row["dataset"].startswith("judged") and "judged" in row]
    ours = next((row for row in judged if row["method"] == "ours"), None)
    if ours is None:
        return []
    figures = ours["judged"]["all pairs"]
    best_tfidf = max(
        (row["judged"]["all pairs"]["same_event"]["f1"] for row in judged if row["method"].startswith("tfidf")),
        default=0.0,
    )
    checks = [
        (
            f"same_event F1 >= {TARGETS['same_event_f1']}",
            figures["same_event"]["f1"],
            figures["same_event"]["f1"] >= TARGETS["same_event_f1"],
        ),
        ("same_event F1 >= best tfidf's", best_tfidf, figures["same_event"]["f1"] >= best_tfidf),
        (
            f"Similar News precision >= {TARGETS['similar_news_precision']}",
            figures["similar_news"]["precision"],
            figures["similar_news"]["precision"] >= TARGETS["similar_news_precision"],
        ),
        (
            f"coverage >= {TARGETS['coverage']}",
            figures["similar_news"]["coverage"],
            figures["similar_news"]["coverage"] >= TARGETS["coverage"],
        ),
    ]
    return [
        "targets on the judged real pairs (ours, as drawn): "
        + "; ".join(f"{name}: {value:.2f} {'met' if met else 'NOT met'}" for name, value, met in checks)
    ]
