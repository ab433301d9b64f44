"""Connected components of the article_similarity graph: one row per article in a pair.

A story is every article reachable from another through similar pairs, so a
rewrite that matches a wire copy joins the wire story even when it matches
neither the agency's original nor the other rewrites directly. The graph is
small (one edge per verified pair) and scipy labels it in one pass. DuckDB
numbers the articles (0, 1, ... in article_id order) and codes the edges:
doing that in numpy on millions of md5 strings cost more than the labelling.
"""

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NUMBERED = """
    numbered as (
        select article_id, cast(row_number() over (order by article_id) - 1 as integer) as code
        from (select article_a_id as article_id from pairs union select article_b_id from pairs)
    )
"""


def model(dbt, session):
    dbt.config(materialized="table")
    pairs = dbt.ref("article_similarity").select("article_a_id, article_b_id")
    ids = pairs.query("pairs", f"with {NUMBERED} select article_id from numbered order by code").fetchnumpy()
    edges = pairs.query(
        "pairs",
        f"with {NUMBERED} select first.code as a, second.code as b from pairs"
        " join numbered as first on pairs.article_a_id = first.article_id"
        " join numbered as second on pairs.article_b_id = second.article_id",
    ).fetchnumpy()
    count = len(ids["article_id"])
    graph = coo_matrix((np.ones(len(edges["a"]), dtype=np.int8), (edges["a"], edges["b"])), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    return pd.DataFrame({"article_id": ids["article_id"].astype(str), "component": labels.astype("int64")})
