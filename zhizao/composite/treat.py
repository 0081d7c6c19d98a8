"""Outlier treatment, COINr's rule exactly: winsorise while skew and kurtosis are both high, else log.

A column passes when |skew| < ``skew_thresh`` **or** kurtosis < ``kurt_thresh`` (sample skew and excess
kurtosis, e1071 "type 2", as COINr computes them). A failing column is winsorised: while it fails and fewer
than ``winmax`` rounds have run, the maximum (or the minimum when the skew is negative) and every value
tied with it are replaced by the next value in; one round counts once however many tied points it replaces
(COINr's ``nwin``, checked against its outputs: three rounds may replace 1 + 2 + 3 points). If the
column still fails, the winsorisation is discarded and the *original* column becomes
log(x − min + 0.01·(max − min)) (COINr's ``log_CT``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from zhizao.composite._checks import Array, as_matrix


def skewness(x: ArrayLike) -> float:
    """Sample skewness G1 = g1·√(n(n − 1))/(n − 2) (e1071 type 2), NaN ignored."""
    v = np.asarray(x, dtype=float)
    v = v[~np.isnan(v)]
    n = v.size
    d = v - v.mean()
    m2, m3 = (d**2).mean(), (d**3).mean()
    return float(m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: ArrayLike) -> float:
    """Sample excess kurtosis G2 = ((n + 1) g2 + 6)(n − 1)/((n − 2)(n − 3)) (e1071 type 2), NaN ignored."""
    v = np.asarray(x, dtype=float)
    v = v[~np.isnan(v)]
    n = v.size
    d = v - v.mean()
    g2 = (d**4).mean() / (d**2).mean() ** 2 - 3
    return float(((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)))


@dataclass(frozen=True)
class ColumnTreatment:
    """What happened to one column: ``how`` is "none", "winsorise" or "log"; ``flags`` per point:
    "" (untouched), "winhi", "winlo" or "log_CT"."""

    values: Array
    how: str
    n_winsorised: int
    flags: tuple[str, ...]
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float


def _passes(v: Array, skew_thresh: float, kurt_thresh: float) -> bool:
    return bool(abs(skewness(v)) < skew_thresh or kurtosis(v) < kurt_thresh)


def treat_column(
    x: ArrayLike, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> ColumnTreatment:
    original = np.asarray(x, dtype=float).copy()
    flags = [""] * original.size
    present = original[~np.isnan(original)]
    if present.size < 4 or np.all(present == present[0]):
        # too few values for a sample kurtosis, or none spread: nothing to treat (COINr would fail on NaN)
        return ColumnTreatment(original, "none", 0, tuple(flags), np.nan, np.nan, np.nan, np.nan)
    sk0, ku0 = skewness(original), kurtosis(original)
    if abs(sk0) < skew_thresh or ku0 < kurt_thresh:
        return ColumnTreatment(original, "none", 0, tuple(flags), sk0, ku0, sk0, ku0)
    v = original.copy()
    n_win = 0
    while not _passes(v, skew_thresh, kurt_thresh) and n_win < winmax:
        high = skewness(v) > 0
        extreme = np.nanmax(v) if high else np.nanmin(v)
        hit = v == extreme
        rest = v[~hit & ~np.isnan(v)]
        v[hit] = rest.max() if high else rest.min()
        for i in np.nonzero(hit)[0]:
            flags[i] = "winhi" if high else "winlo"
        n_win += 1
    if _passes(v, skew_thresh, kurt_thresh):
        return ColumnTreatment(v, "winsorise", n_win, tuple(flags), sk0, ku0, skewness(v), kurtosis(v))
    lo, hi = np.nanmin(original), np.nanmax(original)
    logged = np.log(original - lo + 0.01 * (hi - lo))
    log_flags = tuple("" if np.isnan(a) else "log_CT" for a in original)
    return ColumnTreatment(logged, "log", n_win, log_flags, sk0, ku0, skewness(logged), kurtosis(logged))


def treat(
    x: ArrayLike, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> tuple[Array, list[ColumnTreatment]]:
    """Treat each column of a units × indicators matrix; returns the treated matrix and per-column details."""
    m = as_matrix(x, allow_nan=True, name="x")
    details = [treat_column(m[:, j], winmax, skew_thresh, kurt_thresh) for j in range(m.shape[1])]
    return np.column_stack([d.values for d in details]), details
