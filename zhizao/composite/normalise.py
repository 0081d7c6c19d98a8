"""Normalisations: column by column over a units × indicators matrix, as COINr defines them.

Every function takes ``x`` (NaN allowed: it stays NaN and is ignored by the column statistics) and
optional ``directions`` (1 or −1 per column). As in COINr, a column with direction −1 is multiplied by −1
first, so after normalising higher is always better. A column that is constant (or has fewer than two
values) cannot be min-max or z-scored: it is refused with its column number rather than turned into NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from zhizao.composite._checks import Array, as_matrix, as_types, per_criterion
from zhizao.errors import InvalidInput


def _directed(x: ArrayLike, directions: ArrayLike | None) -> Array:
    m = as_matrix(x, allow_nan=True, name="x")
    return m * as_types(directions, m.shape[1])


def _refuse_constant(spread: Array, method: str) -> None:
    bad = np.nonzero(~(spread > 0))[0]
    if bad.size:
        raise InvalidInput(f"{method}: column {bad[0] + 1} is constant or has fewer than two values")


def minmax(
    x: ArrayLike, lower: float = 0.0, upper: float = 1.0, directions: ArrayLike | None = None
) -> Array:
    """(x − min) / (max − min) × (upper − lower) + lower (COINr ``n_minmax`` with ``l_u``)."""
    m = _directed(x, directions)
    lo, hi = np.nanmin(m, axis=0), np.nanmax(m, axis=0)
    _refuse_constant(hi - lo, "minmax")
    return (m - lo) / (hi - lo) * (upper - lower) + lower


def zscore(x: ArrayLike, mean: float = 0.0, sd: float = 1.0, directions: ArrayLike | None = None) -> Array:
    """(x − mean) / sd × ``sd`` + ``mean``, with the sample standard deviation (COINr ``n_zscore``)."""
    m = _directed(x, directions)
    s = np.nanstd(m, axis=0, ddof=1)
    _refuse_constant(s, "zscore")
    return (m - np.nanmean(m, axis=0)) / s * sd + mean


def _rank_column(v: Array, ties: str) -> Array:
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    s = np.sort(v[ok])
    left = np.searchsorted(s, v[ok], side="left")
    if ties == "min":
        out[ok] = left + 1.0
    else:  # average
        out[ok] = (left + np.searchsorted(s, v[ok], side="right") + 1.0) / 2.0
    return out


def ranks(x: ArrayLike, ties: str = "min") -> Array:
    """Column ranks, 1 = lowest; ties share the minimum (R ``ties.method='min'``) or the average rank."""
    m = as_matrix(x, allow_nan=True, name="x")
    return np.column_stack([_rank_column(m[:, j], ties) for j in range(m.shape[1])])


def rank(x: ArrayLike, directions: ArrayLike | None = None) -> Array:
    """Rank, 1 = worst, ties get the lowest rank (COINr ``n_rank``)."""
    return ranks(_directed(x, directions))


def borda(x: ArrayLike, directions: ArrayLike | None = None) -> Array:
    """Borda score: the number of units strictly below (rank − 1; COINr ``n_borda``)."""
    return rank(x, directions) - 1.0


def percentile_rank(x: ArrayLike, directions: ArrayLike | None = None) -> Array:
    """(rank − 1) / (n − 1), n = non-missing values in the column (COINr ``n_prank``)."""
    m = _directed(x, directions)
    n = (~np.isnan(m)).sum(axis=0)
    _refuse_constant((n - 1).astype(float), "percentile_rank")
    return (ranks(m) - 1.0) / (n - 1)


def dist_to_max(x: ArrayLike, directions: ArrayLike | None = None) -> Array:
    """1 − (max − x) / (max − min) (COINr ``n_dist2max``)."""
    m = _directed(x, directions)
    lo, hi = np.nanmin(m, axis=0), np.nanmax(m, axis=0)
    _refuse_constant(hi - lo, "dist_to_max")
    return 1 - (hi - m) / (hi - lo)


def frac_max(x: ArrayLike, directions: ArrayLike | None = None) -> Array:
    """x / max after the direction (COINr ``n_fracmax``). Meant for benefit columns: for a cost column of
    positive values it gives x / min (≥ 1), as COINr does. A column whose maximum is 0 is refused: COINr
    returns ±Inf there, which then spreads silently through the aggregates."""
    m = _directed(x, directions)
    hi = np.nanmax(m, axis=0)
    bad = np.nonzero(~(hi != 0))[0]
    if bad.size:
        raise InvalidInput(f"frac_max: column {bad[0] + 1} has a maximum of 0 (after the direction)")
    return m / hi


def dist_to_target(
    x: ArrayLike, targets: ArrayLike, directions: ArrayLike | None = None, cap: bool = False
) -> Array:
    """1 − (target − x) / (target − min) (COINr ``n_dist2targ``); ``cap`` limits the score to 1.

    For direction −1 both x and the target are multiplied by −1 first. A column whose minimum already
    equals (or passes) its target has no distance to measure and is refused.
    """
    m = _directed(x, directions)
    t = per_criterion(targets, m.shape[1], "targets")
    assert t is not None
    t = t * as_types(directions, m.shape[1])
    lo = np.nanmin(m, axis=0)
    bad = np.nonzero(~(t > lo))[0]
    if bad.size:
        raise InvalidInput(f"dist_to_target: in column {bad[0] + 1} every unit already reaches the target")
    y = 1 - (t - m) / (t - lo)
    return np.minimum(y, 1.0) if cap else y


def goalposts(
    x: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    scale: float = 1.0,
    directions: ArrayLike | None = None,
    truncate: bool = True,
) -> Array:
    """(x − lower) / (upper − lower), truncated to [0, 1], times ``scale`` (COINr ``n_goalposts``).

    ``lower`` and ``upper`` are the goalposts in the indicator's own units; for direction −1 the score is
    (upper − x) / (upper − lower), so reaching ``lower`` scores 1.
    """
    m = as_matrix(x, allow_nan=True, name="x")
    k = m.shape[1]
    lo, hi = per_criterion(lower, k, "lower"), per_criterion(upper, k, "upper")
    assert lo is not None and hi is not None
    bad = np.nonzero(~(hi > lo))[0]
    if bad.size:
        raise InvalidInput(f"goalposts: in column {bad[0] + 1} the upper goalpost is not above the lower")
    d = as_types(directions, k)
    y = np.where(d == 1, (m - lo) / (hi - lo), (hi - m) / (hi - lo))
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale


def vector(x: ArrayLike) -> Array:
    """x / √Σx² per column (TOPSIS's normalisation; direction is left to the method)."""
    m = as_matrix(x, allow_nan=True, name="x")
    norm = np.sqrt(np.nansum(m**2, axis=0))
    _refuse_constant(norm, "vector")
    return m / norm


def sum_share(x: ArrayLike) -> Array:
    """x / Σx per column (COPRAS's normalisation; values must not be negative)."""
    m = as_matrix(x, allow_nan=True, name="x")
    if (m[~np.isnan(m)] < 0).any():
        raise InvalidInput("sum_share: every value must be non-negative")
    total = np.nansum(m, axis=0)
    _refuse_constant(total, "sum_share")
    return m / total


def linear_max(x: ArrayLike, types: ArrayLike | None = None) -> Array:
    """Linear ratio: benefit x / max, cost min / x (WASPAS's normalisation; values must be positive)."""
    m = as_matrix(x, allow_nan=True, name="x")
    if (m[~np.isnan(m)] <= 0).any():
        raise InvalidInput("linear_max: every value must be positive")
    t = as_types(types, m.shape[1])
    return np.where(t == 1, m / np.nanmax(m, axis=0), np.nanmin(m, axis=0) / m)


NORMALISERS = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "borda": borda,
    "percentile_rank": percentile_rank,
    "dist_to_max": dist_to_max,
    "frac_max": frac_max,
}
