"""Connected components of the article_similarity graph: one row per article in an edge.

A story is every article reachable from another through similar pairs, so a
rewrite that matches a wire copy joins the wire story even when it matches
neither the agency's original nor the other rewrites directly. Reachability
chains errors too, so a rewrite is an edge only when it is strong for both of
its articles: its score is at least cluster_floor times the better of the
two articles' strongest rewrite scores (within a language and across
languages apart); copies are always edges. The graph is small (one edge per
verified pair) and scipy labels it in one pass. DuckDB numbers the articles
(0, 1, ... in article_id order) and codes the edges: doing that in numpy on
millions of md5 strings cost more than the labelling.
"""

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NUMBERED = """
    numbered as (
        select article_id, cast(row_number() over (order by article_id) - 1 as integer) as code
        from (select article_a_id as article_id from edges union select article_b_id from edges)
    )
"""

# The pairs that are edges: copies, and rewrites strong for both of their articles.
EDGES = """
    rewrites as (
        select article_a_id as article_id, same_language, score from pairs where match_kind = 'same_event'
        union all
        select article_b_id, same_language, score from pairs where match_kind = 'same_event'
    ),
    strongest as (
        select article_id, same_language, max(score) as best_score from rewrites group by all
    ),
    edges as (
        select pairs.article_a_id, pairs.article_b_id
        from pairs
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


def model(dbt, session):
    dbt.config(materialized="table")
    floor = float(dbt.config.get("cluster_floor"))
    pairs = dbt.ref("article_similarity").select("article_a_id, article_b_id, match_kind, score, same_language")
    edges_and_numbers = f"with {EDGES.format(floor=floor)}, {NUMBERED}"
    ids = pairs.query("pairs", f"{edges_and_numbers} select article_id from numbered order by code").fetchnumpy()
    edges = pairs.query(
        "pairs",
        f"{edges_and_numbers} select first.code as a, second.code as b from edges"
        " join numbered as first on edges.article_a_id = first.article_id"
        " join numbered as second on edges.article_b_id = second.article_id",
    ).fetchnumpy()
    count = len(ids["article_id"])
    graph = coo_matrix((np.ones(len(edges["a"]), dtype=np.int8), (edges["a"], edges["b"])), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    return pd.DataFrame({"article_id": ids["article_id"].astype(str), "component": labels.astype("int64")})
