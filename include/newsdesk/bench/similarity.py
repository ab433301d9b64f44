"""`newsdesk bench similarity`: similar-article detection against ground truth, beside two baselines in one run.

A sample corpus of N articles (``newsdesk.sample.corpus``) is written into a
fresh DuckDB file. Then, on the same articles:

- **ours**: ``dbt build`` of the similarity models (``+article_similarity``,
  ``+story_clusters``, ``+similar_articles``, their tests included), as the
  daily run builds them; its pairs are read back from ``article_similarity``.
- **datasketch**: MinHash (128 permutations) of each article's distinct
  tokens that occur in at most 5 % of the articles (the same tokens as our
  models: lower-cased letter and number runs, Chinese and Japanese split into
  characters), MinHashLSH at Jaccard 0.25 for candidates, then the estimated
  Jaccard decides. Its two thresholds (match, syndicated) are the
  best-F1 ones found on the ground truth: an optimistic baseline.
- **tfidf** (up to ``tfidf_limit`` articles): exact TF-IDF cosine
  (scikit-learn ``TfidfVectorizer`` on the same tokens, sublinear tf,
  ``max_df`` 5 %), every pair scored by sparse products in row blocks; its
  thresholds chosen the same way. The quality reference.

Pair precision, recall and F1 are computed for syndicated copies, same-story
rewrites and any match, over pairs of different publishers published at most
7 days apart. Time is wall clock; memory is the peak resident set size
above the process's size at the start of the step, sampled every 20 ms over
the process and its children (dbt runs as a child process).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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
from newsdesk.load import create_raw_schema
from newsdesk.sample.corpus import generate_corpus, write_corpus

LOOKBACK_DAYS = 7
MAX_TOKEN_SHARE = 0.05  # tokens in more of the articles than this carry no signal (as our models' default)
MINHASH_PERMUTATIONS = 128
# Candidates from the LSH index; the match threshold is then chosen at or above it. Lower finds more
# rewrites on small corpora but floods the index with candidates: at 0.1, 4 % of all pairs at 10,000 articles.
LSH_CANDIDATE_THRESHOLD = 0.25
TFIDF_BLOCK_ROWS = 1000
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
DEFAULT_DATASKETCH_LIMIT = 200_000  # pure-Python MinHash of more articles takes longer than the whole bench
KINDS = ("syndicated", "same_story", "any")
OURS_SELECTOR = "+article_similarity +story_clusters +similar_articles"
# The similarity chain's marts; its intermediate models are every int_similarity__ model.
SIMILARITY_MARTS = ("article_similarity", "similar_articles", "story_clusters")

_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+")


def tokens(text: str) -> list[str]:
    """Lower-cased number and letter runs; Han and kana one character each (as the similarity_tokens macro)."""
    return _TOKEN.findall(_CJK.sub(r" \1 ", text.lower()))


def default_realdata_dir() -> Path:
    shared = os.environ.get("NEWSDESK_SHARED") or config.PROJECT_ROOT.parent / "shared"
    return Path(shared) / "realdata"


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


# ---- the articles and their truth --------------------------------------------------------


@dataclass
class Dataset:
    """Articles (row i = article i) with what the evaluation needs, and the true pairs as index keys."""

    name: str
    warehouse: Path
    article_ids: np.ndarray  # md5(url), as the models' article_id
    source: np.ndarray  # publisher per article (codes)
    published: np.ndarray  # seconds since the epoch
    truth: dict[str, np.ndarray]  # kind -> sorted keys a * n + b (a < b) of true pairs; "any" included
    labels_rough: bool = False
    kinds: tuple[str, ...] = KINDS
    texts: list[str] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.article_ids)

    def pair_keys(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Keys of the pairs worth judging: different publishers, at most LOOKBACK_DAYS apart."""
        low, high = np.minimum(first, second), np.maximum(first, second)
        keep = (low != high) & (self.source[low] != self.source[high])
        keep &= np.abs(self.published[low] - self.published[high]) <= LOOKBACK_DAYS * 86_400
        return np.unique(low[keep].astype(np.int64) * self.size + high[keep])

    def load_texts(self) -> list[str]:
        """title, summary and body of every article, in article order, from the warehouse."""
        if self.texts is None:
            with duckdb.connect(str(self.warehouse), read_only=True) as conn:
                frame = conn.execute(
                    "SELECT url, concat_ws(' ', title, summary, body) AS text FROM raw.articles"
                ).fetch_df()
            order = pd.Series(np.arange(self.size), index=self.article_ids)
            frame["row"] = order[_md5(frame["url"].to_numpy())].to_numpy()
            self.texts = frame.sort_values("row")["text"].tolist()
        return self.texts


def _md5(urls: np.ndarray) -> np.ndarray:
    return np.array([hashlib.md5(url.encode("utf-8")).hexdigest() for url in urls], dtype=object)


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
    truth = {kind: np.sort(keys[(pairs["kind"] == kind).to_numpy()]) for kind in ("syndicated", "same_story")}
    truth["any"] = np.sort(keys)
    dataset = Dataset(
        name=f"sample corpus, {count:,} articles",
        warehouse=path,
        article_ids=_md5(corpus.articles["url"].to_numpy()),
        source=corpus.articles["publisher"].to_numpy(),
        published=corpus.articles["published_at"].to_numpy().astype("datetime64[s]").astype(np.int64),
        truth=truth,
    )
    return dataset, generating


def _realdata_dataset(realdata_dir: Path, folder: Path) -> Dataset | None:
    """The aggregator's story clusters: articles of one story from different outlets are the true pairs."""
    snapshots = sorted((realdata_dir / "story-clusters" / "snapshots").glob("*.json"))
    if not snapshots:
        return None
    rows: dict[str, dict] = {}
    for snapshot in snapshots:
        for story in json.loads(snapshot.read_text(encoding="utf-8"))["stories"]:
            for article in story["articles"]:
                if article.get("url") and article["url"] not in rows:  # first cluster an URL was seen in
                    rows[article["url"]] = {**article, "story": story["id"]}
    frame = pd.DataFrame(list(rows.values()))
    frame["published_at"] = pd.to_datetime(frame["published"], utc=True, errors="coerce").dt.tz_localize(None)
    frame["published_at"] = frame["published_at"].fillna(frame["published_at"].min())
    path = folder / "realdata.duckdb"
    _write_realdata(frame, path)
    count = len(frame)
    story_codes = frame["story"].astype("category").cat.codes.to_numpy()
    source_codes = frame["outlet"].astype("category").cat.codes.to_numpy()
    keys = []
    for members in pd.Series(np.arange(count)).groupby(story_codes).apply(list):
        for position, first in enumerate(members):
            for second in members[position + 1:]:
                if source_codes[first] != source_codes[second]:
                    keys.append(min(first, second) * count + max(first, second))
    published = frame["published_at"].to_numpy().astype("datetime64[s]").astype(np.int64)
    dataset = Dataset(
        name=f"real story clusters ({len(snapshots)} snapshots, {count} articles, rough labels)",
        warehouse=path,
        article_ids=_md5(frame["url"].to_numpy()),
        source=source_codes,
        published=published,
        truth={"any": np.unique(np.array(keys, dtype=np.int64))},
        labels_rough=True,
        kinds=("any",),
    )
    # Pairs across the lookback window are not judged; drop them from the truth as from the predictions.
    truth = dataset.truth["any"]
    dataset.truth["any"] = np.intersect1d(truth, dataset.pair_keys(truth // count, truth % count))
    return dataset


def _write_realdata(frame: pd.DataFrame, path: Path) -> None:
    """The clusters' articles as raw rows: title and summary (the aggregator keeps no body)."""
    rows = pd.DataFrame(
        {
            "partition_date": frame["published_at"].dt.date,
            "run_id": "realdata-story-clusters",
            "loaded_at": frame["published_at"].max(),
            "source_id": frame["outlet"],
            "feed_url": None,
            "url": frame["url"],
            "guid": frame["url"],
            "title": frame["title"],
            "summary": frame["summary"],
            "body": None,
            "author": frame["author"],
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


# ---- the three methods ---------------------------------------------------------------------


@dataclass
class Predicted:
    """Predicted pairs as keys, per kind ('any' = all)."""

    pairs: dict[str, np.ndarray]
    note: str = ""


def run_ours(dataset: Dataset, run_date: str) -> Predicted:
    from newsdesk.transform import last_run_node_seconds, run_dbt_build

    # cautious: tests that also read models outside the similarity chain (the
    # articles mart, rankings) are not part of what is measured
    run_dbt_build(dataset.warehouse, select=OURS_SELECTOR, vars={"run_date": run_date}, indirect_selection="cautious")
    with duckdb.connect(str(dataset.warehouse), read_only=True) as conn:
        schema = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'article_similarity'"
        ).fetchone()[0]
        pairs = conn.execute(
            f"SELECT article_a_id, article_b_id, match_kind FROM {schema}.article_similarity"
        ).fetch_df()
    row = pd.Series(np.arange(dataset.size), index=dataset.article_ids)
    first = row.reindex(pairs["article_a_id"]).to_numpy()
    second = row.reindex(pairs["article_b_id"]).to_numpy()
    known = ~(np.isnan(first) | np.isnan(second))
    kinds = pairs["match_kind"].to_numpy()[known]
    first, second = first[known].astype(np.int64), second[known].astype(np.int64)
    predicted = {kind: dataset.pair_keys(first[kinds == kind], second[kinds == kind])
                 for kind in ("syndicated", "same_story")}
    predicted["any"] = dataset.pair_keys(first, second)
    seconds = last_run_node_seconds()
    own = sum(node_seconds for unique_id, node_seconds in seconds.items() if is_similarity_node(unique_id))
    total = sum(seconds.values())
    return Predicted(predicted, note=f"dbt build --select {OURS_SELECTOR}; the similarity models and their tests"
                                     f" ran {own:.1f} s of the nodes' {total:.1f} s (the rest: staging and dedup,"
                                     " which every daily run builds anyway)")


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
    signatures = MinHash.bulk([[token.encode("utf-8") for token in token_set] for token_set in token_sets],
                              num_perm=MINHASH_PERMUTATIONS)
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
        block = (matrix[start:start + TFIDF_BLOCK_ROWS] @ transposed).tocoo()
        rows = block.row + start
        keep = (block.col > rows) & (block.data >= THRESHOLD_GRID[0])
        first.append(rows[keep])
        second.append(block.col[keep])
        scores.append(block.data[keep])
    return (np.concatenate(first).astype(np.int64), np.concatenate(second).astype(np.int64),
            np.concatenate(scores))


def best_thresholds(dataset: Dataset, first: np.ndarray, second: np.ndarray,
                    scores: np.ndarray) -> tuple[Predicted, float, float]:
    """Pairs at the thresholds with the best F1: `match` for any match, `syndicated` (>= match) for copies."""
    count = dataset.size
    low, high = np.minimum(first, second), np.maximum(first, second)
    keep = (dataset.source[low] != dataset.source[high]) & (
        np.abs(dataset.published[low] - dataset.published[high]) <= LOOKBACK_DAYS * 86_400)
    keys, scores = low[keep] * count + high[keep], scores[keep]

    def f1(chosen: np.ndarray, kind: str) -> float:
        return score_pairs(chosen, dataset.truth[kind])["f1"]

    match = max(THRESHOLD_GRID, key=lambda t: f1(keys[scores >= t], "any"))
    syndicated = match
    if "syndicated" in dataset.kinds:
        candidates = THRESHOLD_GRID[THRESHOLD_GRID >= match]
        syndicated = max(candidates, key=lambda t: f1(keys[scores >= t], "syndicated"))
    pairs = {
        "any": np.unique(keys[scores >= match]),
        "syndicated": np.unique(keys[scores >= syndicated]),
        "same_story": np.unique(keys[(scores >= match) & (scores < syndicated)]),
    }
    return Predicted(pairs), float(match), float(syndicated)


def score_pairs(predicted: np.ndarray, truth: np.ndarray) -> dict:
    hits = len(np.intersect1d(predicted, truth, assume_unique=True))
    precision = hits / len(predicted) if len(predicted) else 0.0
    recall = hits / len(truth) if len(truth) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": len(predicted), "true": len(truth)}


# ---- the bench -------------------------------------------------------------------------------


def _method_row(dataset: Dataset, method: str, predicted: Predicted, measured: Measured) -> dict:
    return {
        "dataset": dataset.name,
        "method": method,
        "seconds": measured.seconds,
        "peak_mib": measured.peak_bytes / 2**20,
        "note": predicted.note,
        **{kind: score_pairs(predicted.pairs[kind], dataset.truth[kind]) for kind in dataset.kinds},
    }


def _baseline(dataset: Dataset, method: str, scorer: Callable[[list[str]], tuple]) -> dict:
    texts = dataset.load_texts()  # reading the file is neither baseline's work
    with measure() as measured:
        first, second, scores = scorer(texts)
        predicted, match, syndicated = best_thresholds(dataset, first, second, scores)
    predicted.note = f"best-F1 thresholds: match >= {match:.3f}" + (
        f", syndicated >= {syndicated:.3f}" if "syndicated" in dataset.kinds else "")
    return _method_row(dataset, method, predicted, measured)


def _compare(dataset: Dataset, run_date: str, *, tfidf_limit: int, datasketch_limit: int,
             out: TextIO) -> list[dict]:
    rows = []
    try:
        with measure() as measured:
            ours = run_ours(dataset, run_date)
        rows.append(_method_row(dataset, "ours", ours, measured))
    except Exception as exc:  # the baselines still tell something; the report says ours failed
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"ours: FAILED on {dataset.name}: {first_line}", file=out)
        rows.append({"dataset": dataset.name, "method": "ours", "seconds": float("nan"), "peak_mib": float("nan"),
                     "note": f"FAILED: {first_line}", "failed": True})
    for method, scorer, limit in (("datasketch", scored_datasketch, datasketch_limit),
                                  ("tfidf", scored_tfidf, tfidf_limit)):
        if dataset.size <= limit:
            rows.append(_baseline(dataset, method, scorer))
        else:
            print(f"{method}: skipped, {dataset.size:,} articles is over its limit of {limit:,}", file=out)
    dataset.texts = None
    return rows


def run_similarity_bench(
    articles: int = 10_000,
    *,
    days: int = 7,
    seed: int = 0,
    tfidf_limit: int = 20_000,
    datasketch_limit: int = DEFAULT_DATASKETCH_LIMIT,
    realdata_dir: Path | None = None,
    out: TextIO = sys.stdout,
) -> dict:
    """Generate the corpus, measure ours and the baselines on it (and on the real clusters), print and return it.

    Returns {"machine", "parameters", "generate": {seconds, peak_mib}, "rows": [{dataset, method, seconds,
    peak_mib, note, syndicated/same_story/any: {precision, recall, f1, predicted, true}}]}.
    """
    if articles < 2:
        raise ValueError(f"articles must be at least 2, got {articles}")
    realdata_dir = realdata_dir or default_realdata_dir()
    measured_on = machine()
    parameters = {"articles": articles, "days": days, "seed": seed, "tfidf_limit": tfidf_limit,
                  "datasketch_limit": datasketch_limit, "realdata_dir": str(realdata_dir)}
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-similarity-") as scratch:
        dataset, generating = _sample_dataset(articles, days, seed, Path(scratch))
        last_day = str(pd.Timestamp(dataset.published.max(), unit="s").date())
        rows = _compare(dataset, last_day, tfidf_limit=tfidf_limit, datasketch_limit=datasketch_limit, out=out)
        real = _realdata_dataset(realdata_dir, Path(scratch))
        if real is not None:
            real_last = str(pd.Timestamp(real.published.max(), unit="s").date())
            rows += _compare(real, real_last, tfidf_limit=tfidf_limit, datasketch_limit=datasketch_limit, out=out)
    result = {
        "machine": measured_on,
        "parameters": parameters,
        "generate": {"seconds": generating.seconds, "peak_mib": generating.peak_bytes / 2**20},
        "rows": rows,
    }
    _print_report(result, out)
    return result


def _print_report(result: dict, out: TextIO) -> None:
    parameters = result["parameters"]
    lines = [
        *report_header("newsdesk bench similarity", result["machine"], parameters),
        f"corpus generated and written in {result['generate']['seconds']:.1f} s "
        f"(peak +{result['generate']['peak_mib']:.0f} MiB)",
        "pairs judged: different publishers, at most 7 days apart; P/R/F1 per kind; time wall clock; "
        "memory = peak RSS of the process and its children above the start of the step",
        "",
        f"{'dataset / method':<44} {'syndicated P/R/F1':>17} {'same_story P/R/F1':>17} {'any P/R/F1':>17}"
        f" {'seconds':>8} {'peak MiB':>9}",
    ]
    for row in result["rows"]:
        figures = []
        for kind in KINDS:
            scores = row.get(kind)
            figures.append(f"{scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}" if scores else "-")
        label = f"{row['dataset'][:32]} / {row['method']}"
        lines.append(f"{label:<44} {figures[0]:>17} {figures[1]:>17} {figures[2]:>17}"
                     f" {row['seconds']:>8.1f} {row['peak_mib']:>9.0f}")
    lines.append("")
    for row in result["rows"]:
        if row["note"]:
            lines.append(f"{row['dataset']} / {row['method']}: {row['note']}")
    lines += _ratios(result["rows"])
    if any("rough" in row["dataset"] for row in result["rows"]):
        lines.append("real story clusters: the aggregator's clusters are rough labels (made by title matching), "
                     "and its articles carry a title and a summary only; read those figures as indicative.")
    print("\n".join(lines), file=out)


def _ratios(rows: list[dict]) -> list[str]:
    lines = []
    for dataset in dict.fromkeys(row["dataset"] for row in rows):
        by_method = {row["method"]: row for row in rows if row["dataset"] == dataset}
        ours = by_method.get("ours")
        for method in ("datasketch", "tfidf"):
            other = by_method.get(method)
            if ours and other and not ours.get("failed"):
                speed = other["seconds"] / ours["seconds"] if ours["seconds"] else float("inf")
                recall = (ours["any"]["recall"] / other["any"]["recall"]) if other["any"]["recall"] else float("inf")
                lines.append(f"ours vs {method} on {dataset}: {speed:.2f}x its speed, "
                             f"{recall:.2f}x its any-match recall")
    return lines
