"""Connected components of the article_similarity graph: one row per article in a pair.

A story is every article reachable from another through similar pairs, so a
rewrite that matches a wire copy joins the wire story even when it matches
neither the agency's original nor the other rewrites directly. The graph is
small (one edge per verified pair) and scipy labels it in one pass.
"""

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def model(dbt, session):
    dbt.config(materialized="table")
    pairs = dbt.ref("article_similarity").select("article_a_id, article_b_id").df()
    if pairs.empty:
        return pd.DataFrame({"article_id": pd.Series([], dtype="str"), "component": pd.Series([], dtype="int64")})
    ids, codes = np.unique(
        np.concatenate([pairs["article_a_id"].to_numpy(), pairs["article_b_id"].to_numpy()]), return_inverse=True
    )
    edges = len(pairs)
    graph = coo_matrix((np.ones(edges, dtype=np.int8), (codes[:edges], codes[edges:])), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    return pd.DataFrame({"article_id": ids.astype(str), "component": labels.astype("int64")})
