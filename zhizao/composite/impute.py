"""Imputation and denomination over a units × indicators matrix (NaN = missing), as COINr does them."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zhizao.composite._checks import Array, as_matrix, choice
from zhizao.errors import InvalidInput

_STATS = ("mean", "median")


def _fill(m: Array, values: Array) -> Array:
    return np.where(np.isnan(m), values, m)


def _column_stat(m: Array, stat: str) -> Array:
    """Column mean or median ignoring NaN; an all-missing column gives NaN without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmean(m, axis=0) if stat == "mean" else np.nanmedian(m, axis=0), dtype=float)


def impute_column(x: ArrayLike, stat: str = "mean") -> Array:
    """Each missing value ← its column's mean or median (COINr ``i_mean`` / ``i_median``)."""
    m = as_matrix(x, allow_nan=True, name="x")
    choice(stat, _STATS, "stat")
    return _fill(m, _column_stat(m, stat)[None, :])


def impute_group(x: ArrayLike, groups: ArrayLike, stat: str = "mean") -> Array:
    """Each missing value ← the mean or median of its column within the unit's group (``i_mean_grp``,
    ``i_median_grp``). A group with no value in a column leaves the gap (NaN)."""
    m = as_matrix(x, allow_nan=True, name="x")
    g = np.asarray(groups).ravel()
    if g.shape[0] != m.shape[0]:
        raise InvalidInput(f"groups: {g.shape[0]} given for {m.shape[0]} units")
    choice(stat, _STATS, "stat")
    out = m.copy()
    for value in np.unique(g):
        rows = g == value
        out[rows] = _fill(m[rows], _column_stat(m[rows], stat)[None, :])
    return out


def impute_row_mean(x: ArrayLike) -> Array:
    """Each missing value ← the mean of the unit's other values in the same group of columns."""
    m = as_matrix(x, allow_nan=True, name="x")
    return _fill(m, _column_stat(m.T, "mean")[:, None])


def impute_previous(x: ArrayLike, units: ArrayLike, times: ArrayLike) -> Array:
    """Panel: each missing value ← the same unit's latest earlier observed value (last observation carried
    forward); rows may come in any order. A unit's first years stay missing."""
    m = as_matrix(x, allow_nan=True, name="x")
    u, t = np.asarray(units).ravel(), np.asarray(times).ravel()
    if u.shape[0] != m.shape[0] or t.shape[0] != m.shape[0]:
        raise InvalidInput("impute_previous: units and times need one entry per row")
    order = np.lexsort((t, u))
    out = m.copy()
    sorted_m = m[order]
    sorted_u = u[order]
    filled = sorted_m.copy()
    for i in range(1, filled.shape[0]):
        if sorted_u[i] == sorted_u[i - 1]:
            gap = np.isnan(filled[i])
            filled[i, gap] = filled[i - 1, gap]
    out[order] = filled
    return out


def denominate(x: ArrayLike, denominators: ArrayLike, scale: float = 1.0) -> Array:
    """x / denominator × scale, element by element (COINr ``Denominate``). ``denominators`` has the data's
    shape; pass a column of ones for an indicator that is not denominated."""
    m = as_matrix(x, allow_nan=True, name="x")
    d = as_matrix(denominators, allow_nan=True, name="denominators")
    if d.shape != m.shape:
        raise InvalidInput(f"denominators: shape {d.shape} does not match the data {m.shape}")
    if (d[~np.isnan(d)] == 0).any():
        raise InvalidInput("denominators: a denominator is zero")
    return m / d * scale


def screen_units(x: ArrayLike, dat_thresh: float = 0.9) -> NDArray[np.bool_]:
    """Which units to keep: those whose share of non-missing indicators is at least ``dat_thresh``
    (COINr ``Screen(unit_screen = "byNA")``)."""
    m = as_matrix(x, allow_nan=True, name="x")
    if not 0 <= dat_thresh <= 1:
        raise InvalidInput("dat_thresh: must be between 0 and 1")
    return np.asarray((~np.isnan(m)).mean(axis=1) >= dat_thresh)
