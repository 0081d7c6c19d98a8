"""Aggregations: a units × components matrix and one weight per component → one score per unit.

As in COINr, a missing component is skipped and the remaining weights are renormalised; with ``dat_thresh``
a unit whose share of non-missing components is below the threshold gets NaN instead. Weights follow the
package rule (non-negative, divided by their sum).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from zhizao.composite._checks import Array, as_matrix, as_weights, choice
from zhizao.errors import InvalidInput


def _prepare(x: ArrayLike, weights: ArrayLike | None) -> tuple[Array, Array, Array]:
    m = as_matrix(x, allow_nan=True, name="x")
    w = as_weights(np.ones(m.shape[1]) if weights is None else weights, m.shape[1])
    present = ~np.isnan(m)
    wsum = (present * w).sum(axis=1)
    return m, w, wsum


def _threshold(result: Array, m: Array, dat_thresh: float | None) -> Array:
    available = (~np.isnan(m)).mean(axis=1)
    result = np.where(available > 0, result, np.nan)
    if dat_thresh is not None:
        result = np.where(available < dat_thresh, np.nan, result)
    return result


def arithmetic_mean(x: ArrayLike, weights: ArrayLike | None = None, dat_thresh: float | None = None) -> Array:
    """Σ w·x / Σ w over the non-missing components (COINr ``a_amean``)."""
    m, w, wsum = _prepare(x, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _threshold(np.nansum(m * w, axis=1) / wsum, m, dat_thresh)


def geometric_mean(x: ArrayLike, weights: ArrayLike | None = None, dat_thresh: float | None = None) -> Array:
    """(Π x^w)^(1/Σw) over the non-missing components; values must be positive (COINr ``a_gmean``)."""
    m, w, wsum = _prepare(x, weights)
    if (m[~np.isnan(m)] <= 0).any():
        raise InvalidInput(
            "geometric_mean: every value must be positive (normalise to a positive range first)"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        return _threshold(np.exp(np.nansum(np.log(m) * w, axis=1) / wsum), m, dat_thresh)


def harmonic_mean(x: ArrayLike, weights: ArrayLike | None = None, dat_thresh: float | None = None) -> Array:
    """Σw / Σ(w/x) over the non-missing components; values must be positive (COINr ``a_hmean``)."""
    m, w, wsum = _prepare(x, weights)
    if (m[~np.isnan(m)] <= 0).any():
        raise InvalidInput("harmonic_mean: every value must be positive")
    with np.errstate(invalid="ignore", divide="ignore"):
        return _threshold(wsum / np.nansum(w / m, axis=1), m, dat_thresh)


def generalised_mean(
    x: ArrayLike, weights: ArrayLike | None = None, p: float = 2.0, dat_thresh: float | None = None
) -> Array:
    """(Σ w·x^p / Σw)^(1/p) (COINr ``a_genmean``); p = 1, −1 give the arithmetic and harmonic means.

    p = 0 is the geometric mean's limit and is delegated to `geometric_mean`.
    """
    if p == 0:
        return geometric_mean(x, weights, dat_thresh)
    m, w, wsum = _prepare(x, weights)
    if (m[~np.isnan(m)] <= 0).any():
        raise InvalidInput("generalised_mean: every value must be positive")
    with np.errstate(invalid="ignore", divide="ignore"):
        return _threshold((np.nansum(w * m**p, axis=1) / wsum) ** (1 / p), m, dat_thresh)


def outranking_matrix(x: ArrayLike, weights: ArrayLike | None = None) -> Array:
    """O[a, b] = Σ w where a beats b + ½ Σ w where they tie; diagonal 0 (COINr ``outrankMatrix``)."""
    m, w, _ = _prepare(x, weights)
    a, b = m[:, None, :], m[None, :, :]
    wins = np.where(a > b, w, 0.0).sum(axis=2) + 0.5 * np.where(a == b, w, 0.0).sum(axis=2)
    np.fill_diagonal(wins, 0.0)
    return wins


def copeland_from_outranking(outranking: ArrayLike) -> Array:
    """Copeland score: how many units a unit outranks (O > ½) minus how many outrank it (O < ½)."""
    o = as_matrix(outranking, name="outranking")
    if o.shape[0] != o.shape[1]:
        raise InvalidInput(f"outranking: must be square, got {o.shape[0]} × {o.shape[1]}")
    off = ~np.eye(o.shape[0], dtype=bool)
    return ((o > 0.5) & off).sum(axis=1).astype(float) - ((o < 0.5) & off).sum(axis=1)


def copeland(x: ArrayLike, weights: ArrayLike | None = None) -> Array:
    """Copeland aggregation over the weighted outranking matrix (COINr ``a_copeland``)."""
    return copeland_from_outranking(outranking_matrix(x, weights))


def aggregate(
    x: ArrayLike,
    weights: ArrayLike | None = None,
    method: str = "arithmetic",
    p: float = 2.0,
    dat_thresh: float | None = None,
) -> Array:
    """One entry point by name: arithmetic, geometric, harmonic, generalised, copeland."""
    choice(method, list(AGGREGATORS), "aggregation")
    if method == "generalised":
        return generalised_mean(x, weights, p, dat_thresh)
    if method == "copeland":
        return copeland(x, weights)
    return AGGREGATORS[method](x, weights, dat_thresh)  # type: ignore[operator]


AGGREGATORS = {
    "arithmetic": arithmetic_mean,
    "geometric": geometric_mean,
    "harmonic": harmonic_mean,
    "generalised": generalised_mean,
    "copeland": copeland,
}
