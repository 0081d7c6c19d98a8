"""Uncertainty and sensitivity of a composite index, vectorised over replications.

A replication picks one prepared data set (e.g. a treatment × normalisation choice, computed once, not per
replication), one aggregation and one weight per hierarchy node (noisy weights; a weight of 0 drops an
indicator). `replicate` evaluates all replications at once, level by level, as array products: replications
that share a data set and an aggregation go through the hierarchy together, so nothing is rebuilt per
replication. `rank_statistics` gives each unit's rank interval; `sobol_indices` COINr's first-order and
total-effect estimators (Saltelli 2010 and Jansen), which match `SA_sensitivity_indices.csv` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zhizao.composite._checks import Array, choice
from zhizao.composite.hierarchy import aggregate_hierarchy, levels_of, root_of
from zhizao.composite.mcda import rank_descending
from zhizao.errors import InvalidInput

BATCH_AGGREGATIONS = ("arithmetic", "geometric", "harmonic")


@dataclass(frozen=True)
class Plan:
    """The parameters of each replication: ``dataset[r]`` and ``aggregation[r]`` index the lists given to
    `replicate`; ``weights[code][r]`` is node ``code``'s weight in replication r."""

    dataset: NDArray[np.int64]
    aggregation: NDArray[np.int64]
    weights: Mapping[str, Array]

    @property
    def size(self) -> int:
        return int(self.dataset.shape[0])


def noisy_weights(
    nominal: Mapping[str, float],
    perturb: Sequence[str],
    n: int,
    noise: float = 0.25,
    rng: np.random.Generator | None = None,
) -> dict[str, Array]:
    """Each code in ``perturb`` gets weight × U(1 − noise, 1 + noise) per replication; others stay nominal."""
    rng = rng or np.random.default_rng()
    out = {code: np.full(n, float(w)) for code, w in nominal.items()}
    for code in perturb:
        out[code] = out[code] * rng.uniform(1 - noise, 1 + noise, n)
    return out


def _batched(x: Array, w: Array, method: str) -> Array:
    """x: (R or 1, units, k), w: (R, k) → (R, units), skipping NaN components and renormalising weights."""
    present = ~np.isnan(x)
    wsum = np.einsum("ruk,rk->ru", present.astype(float), w)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            num = np.einsum("ruk,rk->ru", np.where(present, x, 0.0), w)
            return np.asarray(num / wsum)
        if (x[present] <= 0).any():
            raise InvalidInput(f"{method} aggregation: every value must be positive")
        if method == "geometric":
            return np.asarray(np.exp(np.einsum("ruk,rk->ru", np.where(present, np.log(x), 0.0), w) / wsum))
        return np.asarray(wsum / np.einsum("ruk,rk->ru", np.where(present, 1 / x, 0.0), w))


def _hierarchy_batch(
    scores: Mapping[str, Array], parents: Mapping[str, str | None], weights: Mapping[str, Array], method: str
) -> dict[str, Array]:
    leaves = list(scores)
    out: dict[str, Array] = {c: v[None, :] for c, v in scores.items()}
    for codes in levels_of(parents, leaves):
        for code in codes:
            children = [c for c in out if parents.get(c) == code]
            x = np.stack(np.broadcast_arrays(*[out[c] for c in children]), axis=-1)
            w = np.column_stack([weights[c] for c in children])
            out[code] = _batched(x, w, method)
    return out


def replicate(
    datasets: Sequence[Mapping[str, Array]],
    parents: Mapping[str, str | None],
    plan: Plan,
    aggregations: Sequence[str] = ("arithmetic",),
    target: str | None = None,
) -> Array:
    """Scores of ``target`` (default: the root of the hierarchy), one row per replication (R × units)."""
    for name in aggregations:
        choice(name, BATCH_AGGREGATIONS, "aggregation")
    target = target or root_of(parents, list(datasets[0]))
    units = next(iter(datasets[0].values())).shape[0]
    result = np.full((plan.size, units), np.nan)
    for d in range(len(datasets)):
        for a, method in enumerate(aggregations):
            reps = np.nonzero((plan.dataset == d) & (plan.aggregation == a))[0]
            if reps.size == 0:
                continue
            w = {code: np.asarray(v)[reps] for code, v in plan.weights.items()}
            result[reps] = _hierarchy_batch(datasets[d], parents, w, method)[target]
    return result


def ranks_per_replication(scores: Array) -> Array:
    """Rank of each unit in each replication (row), 1 = highest, ties share the better rank; a missing
    score gets no rank (NaN)."""
    s = np.atleast_2d(np.asarray(scores, dtype=float))
    return np.vstack([rank_descending(row) for row in s])


@dataclass(frozen=True)
class RankStatistics:
    mean: Array
    median: Array
    q5: Array
    q95: Array


def rank_statistics(scores: Array) -> RankStatistics:
    """Each unit's rank over the replications: mean, median and the 5–95 % interval (linear quantiles)."""
    r = ranks_per_replication(scores)
    return RankStatistics(
        mean=r.mean(axis=0),
        median=np.median(r, axis=0),
        q5=np.quantile(r, 0.05, axis=0),
        q95=np.quantile(r, 0.95, axis=0),
    )


def mean_abs_rank_change(scores: Array, nominal: Array) -> Array:
    """Per replication: the mean over units of |rank − nominal rank| (COINr's SA target)."""
    r = ranks_per_replication(np.atleast_2d(scores))
    return np.abs(r - ranks_per_replication(np.atleast_2d(nominal))).mean(axis=1)


@dataclass(frozen=True)
class SobolIndices:
    first: Array
    total: Array


def sobol_indices(y_a: Array, y_b: Array, y_ab: Array) -> SobolIndices:
    """Variance-based indices from N runs on matrix A, N on B and N × d on AB_i (column i of A from B).

    S_i = mean(y_B·(y_ABi − y_A)) / V (Saltelli et al. 2010), ST_i = mean((y_A − y_ABi)²) / 2V (Jansen 1999),
    V the sample variance of y_A and y_B pooled.
    """
    ya, yb = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    yab = np.asarray(y_ab, dtype=float)
    if yab.ndim != 2 or yab.shape[0] != ya.shape[0] or yb.shape != ya.shape:
        raise InvalidInput("sobol_indices: y_ab must be N × d with N the length of y_a and y_b")
    v = np.var(np.concatenate([ya, yb]), ddof=1)
    first = (yb[:, None] * (yab - ya[:, None])).mean(axis=0) / v
    total = ((ya[:, None] - yab) ** 2).mean(axis=0) / (2 * v)
    return SobolIndices(first=first, total=total)


def removal_impact(
    scores: Mapping[str, Array],
    parents: Mapping[str, str | None],
    elements: Sequence[str],
    weights: Mapping[str, float] | None = None,
    method: str = "arithmetic",
) -> dict[str, float]:
    """For each element (indicator or aggregate), the mean absolute rank change of the index when it is
    removed (weight 0), as COINr's ``remove_elements``."""
    base = dict(weights or {})
    root = root_of(parents, list(scores))
    nominal = aggregate_hierarchy(scores, parents, base, method)[root]
    out = {}
    for element in elements:
        if element not in parents:
            raise InvalidInput(f"removal_impact: {element} is not in the hierarchy")
        changed = aggregate_hierarchy(scores, parents, {**base, element: 0.0}, method)[root]
        out[element] = float(mean_abs_rank_change(changed[None, :], nominal)[0])
    return out
