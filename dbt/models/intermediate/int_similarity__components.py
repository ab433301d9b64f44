"""Connected components of the article_similarity graph: one row per article in a similar pair.

A story is every article reachable from another through similar pairs, so a
rewrite that matches a wire copy joins the wire story even when it matches
neither the agency's original nor the other rewrites directly. Reachability
chains errors too, so a rewrite is an edge only when it is strong for both of
its articles: its score is at least cluster_floor times the better of the
two articles' strongest rewrite scores (within a language and across
languages apart); copies are always edges. DuckDB numbers the articles (0, 1,
... in article_id order) and codes the edges: doing that in numpy on millions
of md5 strings cost more than the labelling; scipy labels the graph in one pass.

Incremental: a run relabels only the part of the graph it can change. Every
pair a run adds or removes has both articles in the look-back window, so only
the window's articles (and articles restaged since the last build) change
their pairs or strongest scores. A pair's edge test reads the strongest scores
of its two articles only, so every pair outside those articles keeps its
verdict, and the components that hold none of them keep their members. The
run relabels the window's and restaged articles, their pair partners, and
every member of the components those were in; the rest stays as it was.
"""

from contextlib import contextmanager

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# On an incremental run: the articles to relabel (see the module docstring), and only the pairs touching them.
RELABELLED = """
    seeds as (
        select article_id from window_articles
        union
        select article_id from facts where last_staged_at > (select max(last_staged_at) from previous)
    ),
    reached as (
        select article_id from seeds
        union select article_b_id from all_pairs where article_a_id in (select article_id from seeds)
        union select article_a_id from all_pairs where article_b_id in (select article_id from seeds)
    ),
    relabelled as (
        select article_id from reached
        union
        select article_id from previous
        where component in (select component from previous where article_id in (select article_id from reached))
    ),
    pairs as (
        select * from all_pairs
        where article_a_id in (select article_id from relabelled) or article_b_id in (select article_id from relabelled)
    ),
"""

# On a full build: every pair and every article in one.
EVERYTHING = """
    relabelled as (select article_a_id as article_id from all_pairs union select article_b_id from all_pairs),
    pairs as (select * from all_pairs),
"""

# The relabelled articles that are in a pair, numbered, and the pairs between two of them that are edges: copies,
# and rewrites strong for both of their articles (their strongest scores read from every pair of theirs).
NUMBERED_EDGES = """
    numbered as (
        select
            article_id,
            cast(row_number() over (order by article_id) - 1 as integer) as code,
            count(*) as pair_count
        from (select article_a_id as article_id from pairs union all select article_b_id from pairs)
        semi join relabelled using (article_id)
        group by article_id
    ),
    rewrites as (
        select article_a_id as article_id, same_language, score from pairs where match_kind = 'same_event'
        union all
        select article_b_id, same_language, score from pairs where match_kind = 'same_event'
    ),
    strongest as (
        select article_id, same_language, max(score) as best_score from rewrites group by all
    ),
    edges as (
        select first.code as a, second.code as b
        from pairs
        join numbered as first on pairs.article_a_id = first.article_id
        join numbered as second on pairs.article_b_id = second.article_id
        left join strongest as strongest_a
            on pairs.article_a_id = strongest_a.article_id
           and pairs.same_language is not distinct from strongest_a.same_language
        left join strongest as strongest_b
            on pairs.article_b_id = strongest_b.article_id
           and pairs.same_language is not distinct from strongest_b.same_language
        where pairs.match_kind = 'syndicated'
           or pairs.score >= {floor} * greatest(strongest_a.best_score, strongest_b.best_score)
    )
"""


@contextmanager
def registered(session, relations):
    """The relations under these names for the queries of the block, and only for them."""
    for name, relation in relations.items():
        session.register(name, relation)
    try:
        yield
    finally:
        for name in relations:
            session.unregister(name)


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        incremental_strategy="delete+insert",
        unique_key="article_id",
        on_schema_change="sync_all_columns",
    )
    floor = float(dbt.config.get("cluster_floor"))
    relations = {
        "all_pairs": dbt.ref("article_similarity").select(
            "article_a_id, article_b_id, match_kind, score, same_language"
        ),
        "facts": dbt.ref("int_similarity__article_facts").select("article_id, last_staged_at"),
    }
    previous = session.table(str(dbt.this)) if dbt.is_incremental else None
    # a table labelled before the rows kept their staging time is labelled again whole
    incremental = previous is not None and "last_staged_at" in previous.columns
    if incremental:
        relations["previous"] = previous.select("article_id, component, last_staged_at")
        relations["window_articles"] = dbt.ref("int_similarity__articles").select("article_id")
    with registered(session, relations):
        with_edges = f"with {RELABELLED if incremental else EVERYTHING} {NUMBERED_EDGES.format(floor=floor)}"
        numbered = session.sql(f"{with_edges} select article_id, pair_count from numbered order by code").fetchnumpy()
        edges = session.sql(f"{with_edges} select a, b from edges").fetchnumpy()
        # articles relabelled that are in no pair any more: written with no pairs, deleted by the post-hook
        unpaired = (
            session.sql(
                f"{with_edges} select article_id from relabelled semi join previous using (article_id)"
                " anti join numbered using (article_id)"
            ).fetchnumpy()["article_id"]
            if incremental
            else np.array([], dtype=object)
        )
        watermark = session.sql("select max(last_staged_at) from facts").fetchone()[0]
    ids = numbered["article_id"]
    count = len(ids)
    graph = coo_matrix((np.ones(len(edges["a"]), dtype=np.int8), (edges["a"], edges["b"])), shape=(count, count))
    component_count, labels = connected_components(graph, directed=False)
    # A component is named by its smallest article_id (the codes follow article_id order), so a story's label is
    # the same whichever run drew it; an article in no edge is a component of one and in no story.
    first_code = np.full(component_count, count)
    np.minimum.at(first_code, labels, np.arange(count))
    in_story = np.bincount(labels, minlength=component_count)[labels] > 1
    component = np.where(in_story, ids.astype(object)[first_code[labels]], None)
    # typed, so that a build with no pair at all still makes the table's columns
    return pd.DataFrame(
        {
            "article_id": pd.array(np.concatenate([ids, unpaired]), dtype="string"),
            "component": pd.array(np.concatenate([component, np.full(len(unpaired), None)]), dtype="string"),
            "pair_count": np.concatenate([numbered["pair_count"], np.zeros(len(unpaired))]).astype("int64"),
            "last_staged_at": pd.Series(watermark, index=range(count + len(unpaired)), dtype="datetime64[us]"),
        }
    )
