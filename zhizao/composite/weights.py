"""Objective and subjective weights: entropy (two named variants), CRITIC, standard deviation, MEREC, AHP.

Each returns weights that sum to 1, one per column of ``matrix`` (alternatives × criteria, no NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from zhizao.composite._checks import (
    Array,
    as_matrix,
    as_types,
    choice,
    require_non_negative,
    require_positive,
)
from zhizao.composite.normalise import minmax, ranks
from zhizao.errors import InvalidInput


def _entropy_of_shares(p: Array) -> Array:
    """E_j = −Σ p ln p / ln m with 0·ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    return -plogp.sum(axis=0) / np.log(p.shape[0])


def entropy_weights(
    matrix: ArrayLike, variant: str = "sum", types: ArrayLike | None = None, shift: float = 1e-4
) -> Array:
    """Entropy weights w_j = (1 − E_j) / Σ(1 − E_k), E_j the normalised Shannon entropy of column j's shares.

    ``variant="sum"`` (the method's original form, as in pymcdm): shares p = x / Σx of the raw values, which
    must be non-negative; direction plays no part. ``variant="minmax"`` (the Chinese textbook 熵权法): each
    column is first min–max normalised by its type (``types``, cost columns reversed) and shifted by ``shift``
    (default 0.0001) so that no share is zero, then p = y / Σy.
    """
    m = as_matrix(matrix)
    choice(variant, ("sum", "minmax"), "variant")
    if m.shape[0] < 2:
        raise InvalidInput("entropy_weights: needs at least two alternatives")
    if variant == "sum":
        require_non_negative(m, "entropy_weights")
        y = m
    else:
        y = minmax(m, directions=types) + shift
    total = y.sum(axis=0)
    if (total <= 0).any():
        raise InvalidInput(f"entropy_weights: column {int(np.argmax(total <= 0)) + 1} sums to zero")
    d = 1 - _entropy_of_shares(y / total)
    if d.sum() <= 0:
        raise InvalidInput("entropy_weights: every column is uniform, so entropy gives no weights")
    return d / d.sum()


def _correlation(m: Array, how: str) -> Array:
    if how == "spearman":
        m = ranks(m, ties="average")
    return np.asarray(np.corrcoef(m, rowvar=False), dtype=float)


def critic_weights(
    matrix: ArrayLike, types: ArrayLike | None = None, scale: str = "minmax", correlation: str = "pearson"
) -> Array:
    """CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): C_j = σ_j Σ_k (1 − r_jk), w = C / ΣC.

    ``scale="minmax"`` min–max normalises each column by its type first (the published method);
    ``"none"`` uses the raw values. σ is the sample standard deviation (the choice cancels out in w).
    """
    m = as_matrix(matrix)
    choice(scale, ("minmax", "none"), "scale")
    choice(correlation, ("pearson", "spearman"), "correlation")
    y = minmax(m, directions=types) if scale == "minmax" else m
    sd = y.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise InvalidInput(f"critic_weights: column {int(np.argmax(sd == 0)) + 1} is constant")
    c = sd * (1 - _correlation(y, correlation)).sum(axis=0)
    return c / c.sum()


def std_weights(matrix: ArrayLike, types: ArrayLike | None = None) -> Array:
    """Standard-deviation weights: w_j = σ_j / Σσ of the type-wise min–max normalised columns."""
    y = minmax(as_matrix(matrix), directions=types)
    sd = y.std(axis=0, ddof=1)
    return sd / sd.sum()


def merec_weights(matrix: ArrayLike, types: ArrayLike | None = None) -> Array:
    """MEREC (Keshavarz-Ghorabaee et al. 2021): weight = the effect of removing each criterion.

    n = min/x for benefit, x/max for cost; S_i = ln(1 + (1/m) Σ_j |ln n_ij|); S'_ij the same without
    criterion j; E_j = Σ_i |S'_ij − S_i|; w = E / ΣE. Values must be positive.
    """
    m = as_matrix(matrix)
    require_positive(m, "merec_weights")
    t = as_types(types, m.shape[1])
    n = np.where(t == 1, m.min(axis=0) / m, m / m.max(axis=0))
    a = np.abs(np.log(n))
    k = m.shape[1]
    s = np.log(1 + a.sum(axis=1) / k)
    s_without = np.log(1 + (a.sum(axis=1)[:, None] - a) / k)
    e = np.abs(s_without - s[:, None]).sum(axis=0)
    if e.sum() <= 0:
        raise InvalidInput("merec_weights: no criterion separates the alternatives")
    return e / e.sum()


# Saaty's random consistency index (Saaty 1980, The Analytic Hierarchy Process), n = 1..10.
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


@dataclass(frozen=True)
class AHPResult:
    weights: Array
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: a consistency ratio below 0.1 is acceptable."""
        return self.cr < 0.1


def ahp_weights(pairwise: ArrayLike, tolerance: float = 1e-9) -> AHPResult:
    """AHP priorities: the principal eigenvector of a reciprocal pairwise-comparison matrix (Saaty 1980).

    CI = (λmax − n)/(n − 1), CR = CI / RI(n) with Saaty's random index; n ≤ 10 (larger matrices are refused
    because published RI tables disagree beyond 10). CR is 0 for n ≤ 2.
    """
    a = as_matrix(pairwise, name="pairwise")
    n = a.shape[0]
    if a.shape[1] != n:
        raise InvalidInput(f"pairwise: must be square, got {a.shape[0]} × {a.shape[1]}")
    if n > 10:
        raise InvalidInput("pairwise: at most 10 criteria (Saaty's random index is tabulated to n = 10)")
    if (a <= 0).any():
        raise InvalidInput("pairwise: every judgement must be positive")
    if not np.allclose(a * a.T, 1.0, rtol=tolerance, atol=tolerance):
        i, j = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=tolerance, atol=tolerance))[0]
        raise InvalidInput(f"pairwise: not reciprocal at ({i + 1}, {j + 1}): a_ij·a_ji must be 1")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    return AHPResult(weights=w, lambda_max=lam, ci=ci, cr=cr)


@dataclass(frozen=True)
class PCAResult:
    loadings: Array  # first principal component of the standardised columns, unit length
    explained: float  # share of the total variance it carries


def pca_weights(matrix: ArrayLike) -> PCAResult:
    """PCA "weights" as COINr's ``get_PCA`` gives them: the loadings of the first principal component of the
    standardised columns (correlation matrix). They can be negative and do not sum to 1; the sign is fixed
    so that the loadings sum to a non-negative number (an eigenvector's sign is otherwise arbitrary)."""
    m = as_matrix(matrix)
    if m.shape[0] < 3 or m.shape[1] < 2:
        raise InvalidInput("pca_weights: needs at least three units and two columns")
    sd = m.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise InvalidInput(f"pca_weights: column {int(np.argmax(sd == 0)) + 1} is constant")
    z = (m - m.mean(axis=0)) / sd
    _, s, vt = np.linalg.svd(z, full_matrices=False)
    loadings = vt[0] if vt[0].sum() >= 0 else -vt[0]
    return PCAResult(loadings=loadings, explained=float(s[0] ** 2 / (s**2).sum()))
