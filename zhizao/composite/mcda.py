"""MCDA rankings: TOPSIS, VIKOR, PROMETHEE II, WASPAS, COPRAS over ``matrix`` (alternatives × criteria).

Every function takes ``weights`` (divided by their sum) and ``types`` (1 benefit, −1 cost) and returns a
frozen dataclass of arrays; ``ranking`` is 1 for the best alternative, ties sharing the better rank.
The matrix must have no NaN (impute first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from zhizao.composite._checks import Array, as_matrix, as_types, as_weights, choice, per_criterion
from zhizao.composite.normalise import linear_max, sum_share, vector
from zhizao.errors import InvalidInput


def rank_descending(score: Array) -> Array:
    """1 for the highest score; ties share the better (smaller) rank; a missing score gets no rank (NaN)."""
    s = np.asarray(score, dtype=float)
    ok = ~np.isnan(s)
    ranks = np.full(s.shape, np.nan)
    ranks[ok] = ok.sum() - np.searchsorted(np.sort(s[ok]), s[ok], side="right") + 1.0
    return ranks


def _inputs(matrix: ArrayLike, weights: ArrayLike, types: ArrayLike | None) -> tuple[Array, Array, Array]:
    m = as_matrix(matrix)
    if m.shape[0] < 2:
        raise InvalidInput("matrix: needs at least two alternatives")
    return m, as_weights(weights, m.shape[1]), as_types(types, m.shape[1]).astype(float)


def _spread(m: Array, method: str) -> Array:
    spread = m.max(axis=0) - m.min(axis=0)
    if (spread == 0).any():
        raise InvalidInput(f"{method}: column {int(np.argmax(spread == 0)) + 1} is constant; drop it first")
    return spread


@dataclass(frozen=True)
class TopsisResult:
    closeness: Array
    d_best: Array
    d_worst: Array
    ranking: Array


def topsis(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike | None = None, normalisation: str = "minmax"
) -> TopsisResult:
    """TOPSIS (Hwang & Yoon 1981): closeness C = D⁻ / (D⁺ + D⁻) to the ideal and anti-ideal points.

    ``normalisation="vector"`` is the published x / √Σx²; ``"minmax"`` is (x − min)/(max − min). The ideal
    takes each column's maximum for a benefit criterion and its minimum for a cost criterion.
    """
    m, w, t = _inputs(matrix, weights, types)
    choice(normalisation, ("minmax", "vector"), "normalisation")
    v = (vector(m) if normalisation == "vector" else (m - m.min(axis=0)) / _spread(m, "topsis")) * w
    best = np.where(t == 1, v.max(axis=0), v.min(axis=0))
    worst = np.where(t == 1, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    c = d_worst / (d_best + d_worst)
    return TopsisResult(closeness=c, d_best=d_best, d_worst=d_worst, ranking=rank_descending(c))


@dataclass(frozen=True)
class VikorResult:
    S: Array
    R: Array
    Q: Array
    ranking: Array  # by Q, 1 = best (smallest Q)
    compromise: tuple[int, ...]  # indices (0-based) of the compromise set, best first
    acceptable_advantage: bool  # condition C1
    acceptable_stability: bool  # condition C2


def vikor(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike | None = None, v: float = 0.5
) -> VikorResult:
    """VIKOR (Opricovic & Tzeng 2004): group utility S, individual regret R, compromise index Q.

    Compromise set: the best by Q alone if C1 (Q₂ − Q₁ ≥ 1/(m − 1)) and C2 (also best by S or R) hold;
    if only C2 fails, the best two; if C1 fails, every alternative whose Q is within 1/(m − 1) of the best.
    When all S (or all R) are equal, that term contributes 0 to Q.
    """
    m, w, t = _inputs(matrix, weights, types)
    if not 0 <= v <= 1:
        raise InvalidInput("v: must be between 0 and 1")
    best = np.where(t == 1, m.max(axis=0), m.min(axis=0))
    worst = np.where(t == 1, m.min(axis=0), m.max(axis=0))
    _spread(m, "vikor")
    gaps = w * (best - m) / (best - worst)
    s, r = gaps.sum(axis=1), gaps.max(axis=1)

    def scaled(a: Array) -> Array:
        span = a.max() - a.min()
        return (a - a.min()) / span if span > 0 else np.zeros_like(a)

    q = v * scaled(s) + (1 - v) * scaled(r)
    order = np.argsort(q, kind="stable")
    dq = 1 / (m.shape[0] - 1)
    first = order[0]
    c1 = bool(q[order[1]] - q[first] >= dq)
    c2 = bool(s[first] == s.min() or r[first] == r.min())
    if c1 and c2:
        compromise: tuple[int, ...] = (int(first),)
    elif c1:
        compromise = (int(first), int(order[1]))
    else:
        compromise = tuple(int(i) for i in order if q[i] - q[first] < dq)
    ranking = (np.searchsorted(np.sort(q), q, side="left") + 1).astype(np.float64)
    return VikorResult(s, r, q, ranking, compromise, c1, c2)


PREFERENCES = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")


def preference_degree(d: Array, preference: str, q: Array, p: Array, s: Array) -> Array:
    """Brans & Vincke's six generalised criteria P(d) for differences d (signed by the criterion type)."""
    if preference == "usual":
        return (d > 0).astype(float)
    if preference == "u-shape":
        return (d > q).astype(float)
    if preference == "v-shape":
        return np.clip(d / p, 0.0, 1.0)
    if preference == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if preference == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    return np.where(d > 0, 1 - np.exp(-(d**2) / (2 * s**2)), 0.0)  # gaussian


@dataclass(frozen=True)
class PrometheeResult:
    positive_flow: Array
    negative_flow: Array
    net_flow: Array
    ranking: Array


def promethee2(
    matrix: ArrayLike,
    weights: ArrayLike,
    types: ArrayLike | None = None,
    preference: str = "usual",
    q: float | ArrayLike | None = None,
    p: float | ArrayLike | None = None,
    s: float | ArrayLike | None = None,
) -> PrometheeResult:
    """PROMETHEE II (Brans & Vincke 1985): net flow φ = φ⁺ − φ⁻, each flow averaged over the m − 1 others.

    ``preference`` is one generalised criterion for every column: usual; u-shape (needs q); v-shape (p);
    level (q < p); linear, i.e. V-shape with indifference (q < p); gaussian (s). q, p, s are a scalar or
    one value per criterion, in the criterion's units.
    """
    m, w, t = _inputs(matrix, weights, types)
    choice(preference, PREFERENCES, "preference")
    k = m.shape[1]
    qv, pv, sv = per_criterion(q, k, "q"), per_criterion(p, k, "p"), per_criterion(s, k, "s")
    needs = {
        "u-shape": ("q",),
        "v-shape": ("p",),
        "level": ("q", "p"),
        "linear": ("q", "p"),
        "gaussian": ("s",),
    }
    given = {"q": qv, "p": pv, "s": sv}
    for name in needs.get(preference, ()):
        if given[name] is None:
            raise InvalidInput(f"promethee2: the {preference} criterion needs {name}")
    if preference in ("level", "linear") and qv is not None and pv is not None and not (pv > qv).all():
        raise InvalidInput("promethee2: p must be greater than q")
    if pv is not None and preference == "v-shape" and not (pv > 0).all():
        raise InvalidInput("promethee2: p must be positive")
    if sv is not None and not (sv > 0).all():
        raise InvalidInput("promethee2: s must be positive")
    d = (m[:, None, :] - m[None, :, :]) * t  # d[a, b, j]
    zeros, ones = np.zeros(k), np.ones(k)
    degrees = preference_degree(
        d, preference, zeros if qv is None else qv, ones if pv is None else pv, ones if sv is None else sv
    )
    pi = (degrees * w).sum(axis=2)
    n = m.shape[0] - 1
    plus, minus = pi.sum(axis=1) / n, pi.sum(axis=0) / n
    net = plus - minus
    return PrometheeResult(plus, minus, net, rank_descending(net))


@dataclass(frozen=True)
class WaspasResult:
    Q: Array
    wsm: Array
    wpm: Array
    ranking: Array


def waspas(
    matrix: ArrayLike, weights: ArrayLike, types: ArrayLike | None = None, lam: float = 0.5
) -> WaspasResult:
    """WASPAS (Zavadskas et al. 2012): Q = λ Σ w·x̄ + (1 − λ) Π x̄^w, x̄ = x/max (benefit), min/x (cost)."""
    m, w, t = _inputs(matrix, weights, types)
    if not 0 <= lam <= 1:
        raise InvalidInput("lam: must be between 0 and 1")
    x = linear_max(m, t)
    wsm = (x * w).sum(axis=1)
    wpm = np.prod(x**w, axis=1)
    q = lam * wsm + (1 - lam) * wpm
    return WaspasResult(q, wsm, wpm, rank_descending(q))


@dataclass(frozen=True)
class CoprasResult:
    s_plus: Array
    s_minus: Array
    Q: Array
    utility: Array  # N = Q / max Q × 100 (%)
    ranking: Array


def copras(matrix: ArrayLike, weights: ArrayLike, types: ArrayLike | None = None) -> CoprasResult:
    """COPRAS (Zavadskas, Kaklauskas & Šarka 1994): d = w·x/Σx; S⁺, S⁻ the sums over benefit and cost
    criteria; Q = S⁺ + ΣS⁻ / (S⁻ · Σ(1/S⁻)); utility N = Q / max Q × 100 %. Values must be positive where
    a cost criterion exists (S⁻ must not be 0)."""
    m, w, t = _inputs(matrix, weights, types)
    d = sum_share(m) * w
    s_plus = (d * (t == 1)).sum(axis=1)
    s_minus = (d * (t == -1)).sum(axis=1)
    if (t == -1).any():
        if (s_minus <= 0).any():
            raise InvalidInput("copras: an alternative has zero on every cost criterion")
        q = s_plus + s_minus.sum() / (s_minus * (1 / s_minus).sum())
    else:
        q = s_plus
    return CoprasResult(s_plus, s_minus, q, q / q.max() * 100, rank_descending(q))
