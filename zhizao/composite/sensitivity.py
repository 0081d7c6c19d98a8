"""Uncertainty of an index defined by a file: noisy weights, dropped indicators and the aggregation,
evaluated for all replications at once (`uncertainty.replicate`) and summarised as rank intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zhizao.composite import uncertainty as ua
from zhizao.composite.definition import IndexDefinition
from zhizao.composite.hierarchy import aggregate_hierarchy
from zhizao.composite.pipeline import prepare, ranks_by_year
from zhizao.errors import InvalidInput


def index_sensitivity(
    defn: IndexDefinition,
    frame: pd.DataFrame,
    year: int | None = None,
    runs: int = 1000,
    weight_noise: float = 0.25,
    drop_share: float = 0.0,
    aggregations: Sequence[str] = ("arithmetic",),
    seed: int = 0,
) -> pd.DataFrame:
    """One row per unit (and year): nominal rank, mean/median rank and the 5–95 % rank interval.

    Each replication multiplies every weight (indicators and aggregates) by U(1 − noise, 1 + noise), drops
    one randomly chosen indicator with probability ``drop_share``, and picks one of ``aggregations``.
    """
    if runs < 2:
        raise InvalidInput("runs: at least 2 replications")
    if not 0 <= weight_noise < 1 or not 0 <= drop_share <= 1:
        raise InvalidInput("weight_noise must be in [0, 1) and drop_share in [0, 1]")
    prepared = prepare(defn, frame, year)
    rng = np.random.default_rng(seed)
    codes = [i.code for i in defn.indicators]
    weights = ua.noisy_weights(defn.weights, list(defn.weights), runs, weight_noise, rng)
    drops = np.nonzero(rng.random(runs) < drop_share)[0]
    for r, j in zip(drops, rng.integers(0, len(codes), drops.size), strict=True):
        weights[codes[j]][r] = 0.0
    plan = ua.Plan(np.zeros(runs, dtype=np.int64), rng.integers(0, len(aggregations), runs), weights)
    years = prepared.years(defn)
    out = prepared.keys.copy()
    nominal = aggregate_hierarchy(
        {c: prepared.normalised[:, j] for j, c in enumerate(codes)},
        defn.parents,
        defn.weights,
        defn.steps.aggregation,
        p=defn.steps.p,
    )[defn.index_code]
    out["rank"] = ranks_by_year(nominal, years)
    columns = {"rank_mean": np.nan, "rank_median": np.nan, "rank_q5": np.nan, "rank_q95": np.nan}
    for name, value in columns.items():
        out[name] = value
    blocks = [np.ones(len(out), dtype=bool)] if years is None else [years == y for y in np.unique(years)]
    for rows in blocks:
        data = {c: prepared.normalised[rows, j] for j, c in enumerate(codes)}
        scores = ua.replicate([data], defn.parents, plan, aggregations, target=defn.index_code)
        stats = ua.rank_statistics(scores)
        out.loc[rows, "rank_mean"] = stats.mean
        out.loc[rows, "rank_median"] = stats.median
        out.loc[rows, "rank_q5"] = stats.q5
        out.loc[rows, "rank_q95"] = stats.q95
    return out
