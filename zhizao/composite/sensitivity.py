"""Uncertainty and sensitivity of an index defined by a file, every replication evaluated at once
(`uncertainty.replicate`).

The uncertain inputs are the weights (each multiplied by U(1 − noise, 1 + noise)), one dropped indicator
(with probability `drop_share`), the default normalisation (the definition's and the alternatives given)
and the aggregation. `index_sensitivity` summarises them as rank intervals per unit; `index_sobol` says
how much of the ranks' variation each input causes: Sobol first-order and total indices of the mean
absolute rank change (COINr's target), from a Saltelli design of N × (d + 2) replications.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhizao.composite import uncertainty as ua
from zhizao.composite.definition import IndexDefinition
from zhizao.composite.hierarchy import aggregate_hierarchy
from zhizao.composite.pipeline import Prepared, prepare, ranks_by_year
from zhizao.errors import InvalidInput

ALTERNATIVE_NORMALISATIONS = ("minmax", "zscore", "rank", "borda", "percentile_rank", "dist_to_max")
FACTOR_NAMES = {
    "weights": "权重",
    "drop": "去掉指标",
    "normalisation": "标准化方法",
    "aggregation": "汇总方法",
}


@dataclass(frozen=True)
class _Inputs:
    defn: IndexDefinition
    datasets: list[Prepared]  # the nominal normalisation first, then each alternative
    codes: list[str]
    aggregations: tuple[str, ...]

    def blocks(self) -> list[np.ndarray]:
        years = self.datasets[0].years(self.defn)
        n = len(self.datasets[0].keys)
        return [np.ones(n, dtype=bool)] if years is None else [years == y for y in np.unique(years)]

    def data(self, rows: np.ndarray) -> list[dict[str, np.ndarray]]:
        return [{c: p.normalised[rows, j] for j, c in enumerate(self.codes)} for p in self.datasets]


def _inputs(
    defn: IndexDefinition,
    frame: pd.DataFrame,
    year: int | None,
    normalisations: Sequence[str],
    aggregations: Sequence[str],
) -> _Inputs:
    alternatives = [n for n in dict.fromkeys(normalisations) if n != defn.steps.normalisation]
    for name in alternatives:
        if name not in ALTERNATIVE_NORMALISATIONS:
            raise InvalidInput(
                f"normalisation {name!r}: 可选 {', '.join(ALTERNATIVE_NORMALISATIONS)}"
                "（按目标值或门槛值的方法由各指标自己给出，不作为备选）"
            )
    defns = [defn] + [
        defn.model_copy(update={"steps": defn.steps.model_copy(update={"normalisation": n})})
        for n in alternatives
    ]
    datasets = [prepare(d, frame, year) for d in defns]
    return _Inputs(defn, datasets, [i.code for i in defn.indicators], tuple(aggregations))


def _check(runs: int, weight_noise: float, drop_share: float) -> None:
    if runs < 2:
        raise InvalidInput("runs: at least 2 replications")
    if not 0 <= weight_noise < 1 or not 0 <= drop_share <= 1:
        raise InvalidInput("weight_noise must be in [0, 1) and drop_share in [0, 1]")


def _nominal(inputs: _Inputs) -> np.ndarray:
    defn, prepared = inputs.defn, inputs.datasets[0]
    return aggregate_hierarchy(
        {c: prepared.normalised[:, j] for j, c in enumerate(inputs.codes)},
        defn.parents,
        defn.weights,
        defn.steps.aggregation,
        p=defn.steps.p,
    )[defn.index_code]


def index_sensitivity(
    defn: IndexDefinition,
    frame: pd.DataFrame,
    year: int | None = None,
    runs: int = 1000,
    weight_noise: float = 0.25,
    drop_share: float = 0.0,
    aggregations: Sequence[str] = ("arithmetic",),
    seed: int = 0,
    normalisations: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per unit (and year): nominal rank, mean/median rank and the 5–95 % rank interval.

    Each replication multiplies every weight (indicators and aggregates) by U(1 − noise, 1 + noise), drops
    one randomly chosen indicator with probability ``drop_share``, and picks one of ``aggregations`` and one
    of the definition's normalisation and ``normalisations``.
    """
    _check(runs, weight_noise, drop_share)
    inputs = _inputs(defn, frame, year, normalisations, aggregations)
    rng = np.random.default_rng(seed)
    codes = inputs.codes
    weights = ua.noisy_weights(defn.weights, list(defn.weights), runs, weight_noise, rng)
    drops = np.nonzero(rng.random(runs) < drop_share)[0]
    for r, j in zip(drops, rng.integers(0, len(codes), drops.size), strict=True):
        weights[codes[j]][r] = 0.0
    plan = ua.Plan(
        rng.integers(0, len(inputs.datasets), runs),
        rng.integers(0, len(inputs.aggregations), runs),
        weights,
    )
    prepared = inputs.datasets[0]
    years = prepared.years(defn)
    out = prepared.keys.copy()
    out["rank"] = ranks_by_year(_nominal(inputs), years)
    for name in ("rank_mean", "rank_median", "rank_q5", "rank_q95"):
        out[name] = np.nan
    for rows in inputs.blocks():
        scores = ua.replicate(
            inputs.data(rows), defn.parents, plan, inputs.aggregations, target=defn.index_code
        )
        stats = ua.rank_statistics(scores)
        out.loc[rows, "rank_mean"] = stats.mean
        out.loc[rows, "rank_median"] = stats.median
        out.loc[rows, "rank_q5"] = stats.q5
        out.loc[rows, "rank_q95"] = stats.q95
    return out


def index_sobol(
    defn: IndexDefinition,
    frame: pd.DataFrame,
    year: int | None = None,
    runs: int = 500,
    weight_noise: float = 0.25,
    drop_share: float = 0.0,
    aggregations: Sequence[str] = ("arithmetic",),
    seed: int = 0,
    normalisations: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per uncertain input (factor, 名称, first, total): the Sobol indices of the mean absolute
    rank change.

    `runs` is N, the base sample: N × (d + 2) replications are evaluated for d uncertain inputs. An input
    is uncertain when it can vary: weight noise above 0, a drop share above 0, more than one normalisation
    or aggregation. The weights vary as one input: a bank of N noisy weight sets, one picked per run."""
    _check(runs, weight_noise, drop_share)
    inputs = _inputs(defn, frame, year, normalisations, aggregations)
    factors = [
        name
        for name, varies in (
            ("weights", weight_noise > 0),
            ("drop", drop_share > 0),
            ("normalisation", len(inputs.datasets) > 1),
            ("aggregation", len(inputs.aggregations) > 1),
        )
        if varies
    ]
    if not factors:
        raise InvalidInput("没有可变的输入：请给出权重扰动、去掉指标的占比、或多于一种标准化/汇总方法")
    rng = np.random.default_rng(seed)
    d, n = len(factors), runs
    a, b = rng.random((n, d)), rng.random((n, d))
    design = np.vstack([a, b, *[np.where(np.arange(d) == i, b, a) for i in range(d)]])
    column: dict[str, np.ndarray] = {name: design[:, i] for i, name in enumerate(factors)}
    total = design.shape[0]
    bank = ua.noisy_weights(defn.weights, list(defn.weights), n, weight_noise, rng)
    pick = (
        np.minimum((column["weights"] * n).astype(np.int64), n - 1)
        if "weights" in column
        else np.zeros(total, dtype=np.int64)
    )
    weights = {code: bank[code][pick].copy() for code in bank}
    if "drop" in column:
        u = column["drop"]
        dropped = u < drop_share
        which = np.minimum((u / drop_share * len(inputs.codes)).astype(np.int64), len(inputs.codes) - 1)
        for j, code in enumerate(inputs.codes):
            weights[code][dropped & (which == j)] = 0.0

    def choice(name: str, count: int) -> np.ndarray:
        u = column.get(name)
        return (
            np.zeros(total, dtype=np.int64)
            if u is None
            else np.minimum((u * count).astype(np.int64), count - 1)
        )

    plan = ua.Plan(
        choice("normalisation", len(inputs.datasets)),
        choice("aggregation", len(inputs.aggregations)),
        weights,
    )
    nominal = _nominal(inputs)
    change = np.zeros(total)
    blocks = inputs.blocks()
    for rows in blocks:
        scores = ua.replicate(
            inputs.data(rows), defn.parents, plan, inputs.aggregations, target=defn.index_code
        )
        change += ua.mean_abs_rank_change(scores, nominal[rows]) / len(blocks)
    y_ab = change[2 * n :].reshape(d, n).T
    found = ua.sobol_indices(change[:n], change[n : 2 * n], y_ab)
    return pd.DataFrame(
        {
            "factor": factors,
            "名称": [FACTOR_NAMES[f] for f in factors],
            "first": found.first,
            "total": found.total,
        }
    )
