"""Benefit of the doubt (BoD): each unit weighted in the way most favourable to it.

For unit i the weights w ≥ 0 maximise Σⱼ wⱼ yᵢⱼ subject to Σⱼ wⱼ yₖⱼ ≤ 1 for every unit k (Cherchye et al.
2007, "An introduction to 'benefit of the doubt' composite indicators", Social Indicators Research 82); the
optimum is the unit's score in [0, 1], 1 for a unit no other unit dominates under any weights. Without
restrictions a unit may put all weight on its one best indicator; `min_share` (a share per indicator, or one
for all) asks each indicator to carry at least that share of the unit's score (pie-share restrictions),
which is how the method is used in practice. Indicators must be normalised to positive values first.
One linear programme per unit, solved by HiGHS through scipy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog

from zhizao.errors import InvalidInput

Array = NDArray[np.float64]


@dataclass(frozen=True)
class BoDResult:
    scores: Array  # one per unit, in [0, 1]
    weights: Array  # units × indicators: each unit's own optimal weights
    shares: Array  # units × indicators: wⱼ yᵢⱼ / scoreᵢ, what each indicator contributes to the unit's score


def benefit_of_the_doubt(matrix: ArrayLike, min_share: ArrayLike | float = 0.0) -> BoDResult:
    y = np.asarray(matrix, dtype=float)
    if y.ndim != 2 or y.shape[0] < 1 or y.shape[1] < 1:
        raise InvalidInput("benefit_of_the_doubt：需要一个单位 × 指标的矩阵")
    if not np.all(np.isfinite(y)):
        row, col = (int(v) for v in np.argwhere(~np.isfinite(y))[0])
        raise InvalidInput(f"benefit_of_the_doubt：第 {row + 1} 行第 {col + 1} 列缺值，请先插补")
    if np.any(y < 0) or np.any(y.max(axis=0) <= 0):
        raise InvalidInput("benefit_of_the_doubt：指标须先标准化为非负数，且每列至少有一个正数")
    units, k = y.shape
    share = np.broadcast_to(np.asarray(min_share, dtype=float), (k,))
    if np.any(share < 0) or share.sum() > 1:
        raise InvalidInput("benefit_of_the_doubt：最低占比须非负，且合计不超过 1")
    scores = np.empty(units)
    weights = np.empty((units, k))
    for i in range(units):
        # share restriction: share_j · Σ w y_i − w_j y_ij ≤ 0 for every j with a positive share
        restricted = np.flatnonzero(share > 0)
        rows = [np.outer(share[restricted], y[i]) - np.diag(y[i])[restricted]] if restricted.size else []
        a_ub = np.vstack([y, *rows])
        b_ub = np.concatenate([np.ones(units), np.zeros(restricted.size)])
        solved = linprog(-y[i], A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if solved.status != 0:
            raise InvalidInput(f"benefit_of_the_doubt：第 {i + 1} 个单位无可行权重（{solved.message}）")
        weights[i] = solved.x
        scores[i] = float(y[i] @ solved.x)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(scores[:, None] > 0, weights * y / scores[:, None], 0.0)
    return BoDResult(scores=scores, weights=weights, shares=shares)
