"""Optimised weights: one level's weights tuned so that its components have the wanted influence on the index.

`balance_weights` is COINr's `get_opt_weights` (Becker et al. 2017, doi:10.1016/j.ecolind.2017.03.056, linear
version): find weights w of the level's components so that their correlations with the index, divided by their
sum, come as close as possible to target importances (`"equal"` by default) — the objective is
log(mean((target − r/Σr)²)). With `optimise="infomax"` the objective is −Σr instead (the components carry as
much of the index as possible).

The search is the Nelder–Mead simplex as R's `optim()` runs it by default (reflection 1, contraction 0.5,
expansion 2, a first simplex stepping 10 % of the largest starting value along each axis, and a stop when the
worst and best vertices differ by less than `tolerance × (|f₀| + tolerance)`), so the weights match COINr's to
rounding; COINr's default tolerance is loose (0.1), and a smaller one gives a closer balance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zhizao.composite.normalise import ranks
from zhizao.errors import InvalidInput

Array = NDArray[np.float64]
_BIG = 1.0e35


@dataclass(frozen=True)
class Simplex:
    """The best vertex found, its value, how many evaluations it took and whether the search converged."""

    x: Array
    value: float
    evaluations: int
    converged: bool


def nelder_mead(
    f: Callable[[Array], float], start: ArrayLike, tolerance: float = 1.49e-8, max_evaluations: int = 500
) -> Simplex:
    """Minimise `f` from `start` by the Nelder–Mead simplex, step for step as R's `optim()` default."""
    x0 = np.asarray(start, dtype=float).copy()
    n = x0.size
    if n == 0:
        raise InvalidInput("优化的起点为空")

    def value(x: Array) -> float:
        got = float(f(x))
        return got if np.isfinite(got) else _BIG

    f0 = float(f(x0))
    if not np.isfinite(f0):
        raise InvalidInput("目标函数在起点处没有有限值")
    stop = tolerance * (abs(f0) + tolerance)
    vertices = np.repeat(x0[np.newaxis, :], n + 1, axis=0)
    values = np.empty(n + 1)
    values[0] = f0
    step = max(0.1 * float(np.max(np.abs(x0))), 0.0) or 0.1
    size = 0.0
    for j in range(1, n + 1):
        trial = step
        while vertices[j, j - 1] == x0[j - 1]:
            vertices[j, j - 1] = x0[j - 1] + trial
            trial *= 10
        size += trial
    previous_size = size
    evaluations = 1
    best = 0
    fresh = list(range(1, n + 1))  # vertices whose value is still to be computed
    converged = False
    while True:
        for j in fresh:
            values[j] = value(vertices[j])
            evaluations += 1
        fresh = []
        # Lowest and highest, scanning from the current best so ties keep the earlier choice (as R does).
        low = high = best
        for j in range(n + 1):
            if j == best:
                continue
            if values[j] < values[low]:
                low = j
            if values[j] > values[high]:
                high = j
        best = low
        if values[high] <= values[low] + stop:
            converged = True
            break
        centroid = (vertices.sum(axis=0) - vertices[high]) / n
        reflected = 2.0 * centroid - vertices[high]
        f_reflected = value(reflected)
        evaluations += 1
        if f_reflected < values[low]:
            expanded = 2.0 * reflected - centroid
            f_expanded = value(expanded)
            evaluations += 1
            if f_expanded < f_reflected:
                vertices[high], values[high] = expanded, f_expanded
            else:
                vertices[high], values[high] = reflected, f_reflected
        else:
            worst = values[high]
            if f_reflected < worst:
                vertices[high], values[high] = reflected, f_reflected
            contracted = 0.5 * vertices[high] + 0.5 * centroid
            f_contracted = value(contracted)
            evaluations += 1
            if f_contracted < values[high]:
                vertices[high], values[high] = contracted, f_contracted
            elif f_reflected >= worst:
                size = 0.0
                for j in range(n + 1):
                    if j != best:
                        vertices[j] = 0.5 * (vertices[j] - vertices[best]) + vertices[best]
                        size += float(np.sum(np.abs(vertices[j] - vertices[best])))
                        fresh.append(j)
                if size >= previous_size:
                    break  # the simplex no longer shrinks
                previous_size = size
        if evaluations > max_evaluations:
            break
    return Simplex(vertices[best].copy(), float(values[best]), evaluations, converged)


@dataclass(frozen=True)
class OptimisedWeights:
    weights: Array  # normalised to sum to 1
    correlations: Array  # of each component with the index at these weights
    obtained: Array  # the correlations divided by their sum (balance) or as they are (infomax)
    target: Array | None  # the wanted importances, normalised (balance)
    converged: bool


def weighted_mean_index(components: Array) -> Callable[[Array], Array]:
    """The index as the weighted arithmetic mean of the components (missing values skipped, as COINr)."""
    present = ~np.isnan(components)
    filled = np.where(present, components, 0.0)

    def index(weights: Array) -> Array:
        total = present @ weights
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray((filled @ weights) / np.where(total > 0, total, np.nan), dtype=float)

    return index


def _correlations(components: Array, index: Array, method: str) -> Array:
    if method == "spearman":
        components = ranks(components, ties="average")
        index = ranks(index[:, np.newaxis], ties="average")[:, 0]
    elif method != "pearson":
        raise InvalidInput(f"相关系数只能是 pearson 或 spearman，而不是 {method}")
    out = np.empty(components.shape[1])
    for k in range(components.shape[1]):
        both = ~(np.isnan(components[:, k]) | np.isnan(index))
        out[k] = np.corrcoef(components[both, k], index[both])[0, 1]
    return out


def balance_weights(
    components: ArrayLike,
    target: ArrayLike | Literal["equal"] = "equal",
    *,
    index: Callable[[Array], Array] | None = None,
    optimise: Literal["balance", "infomax"] = "balance",
    correlation: Literal["pearson", "spearman"] = "pearson",
    start: ArrayLike | None = None,
    tolerance: float = 0.1,
    max_evaluations: int = 500,
) -> OptimisedWeights:
    """Weights for the columns of `components` (units × components), balancing their correlations with the
    index.

    `index(weights)` rebuilds the index from the level's weights (default: their weighted arithmetic mean,
    the case of the level just below the index); pass a function to re-aggregate higher levels between."""
    data = np.asarray(components, dtype=float)
    if data.ndim != 2 or data.shape[1] < 2:
        raise InvalidInput("需要一个单位 × 分量的矩阵，且至少两个分量")
    k = data.shape[1]
    build = index or weighted_mean_index(data)
    wanted: Array | None = None
    if optimise == "balance":
        if isinstance(target, str) and target != "equal":
            raise InvalidInput(f"目标重要性只能是 equal 或一组数，而不是 {target}")
        wanted = np.ones(k) if isinstance(target, str) else np.asarray(target, dtype=float)
        if wanted.shape != (k,) or not np.all(np.isfinite(wanted)) or wanted.sum() <= 0:
            raise InvalidInput(f"目标重要性需要 {k} 个非负数")
        wanted = wanted / wanted.sum()
    elif optimise != "infomax":
        raise InvalidInput(f"优化方式只能是 balance 或 infomax，而不是 {optimise}")

    def objective(w: Array) -> float:
        r = _correlations(data, build(w / w.sum()), correlation)
        if wanted is None:
            return float(-r.sum())
        with np.errstate(divide="ignore"):  # an exact balance gives −inf, which the search treats as R does
            return float(np.log(np.sum((wanted - r / r.sum()) ** 2) / k))

    if start is not None:
        first = np.asarray(start, dtype=float)
    else:
        first = wanted if wanted is not None else np.full(k, 1.0 / k)
    result = nelder_mead(objective, first, tolerance, max_evaluations)
    weights = result.x / result.x.sum()
    r = _correlations(data, build(weights), correlation)
    return OptimisedWeights(
        weights=weights,
        correlations=r,
        obtained=r / r.sum() if wanted is not None else r,
        target=wanted,
        converged=result.converged,
    )
