"""Objective and AHP weights on small cases worked by hand from each method's definition."""

from __future__ import annotations

import math

import numpy as np
import pytest

import zhizao.composite as zc
from zhizao.errors import InvalidInput


def binary_entropy(p: float) -> float:
    return -(p * math.log(p) + (1 - p) * math.log(1 - p)) / math.log(2)


def test_entropy_weights_sum_variant_by_hand() -> None:
    # p = x/Σx per column; E = −Σ p ln p / ln m (m = 2), 0·ln 0 = 0; w ∝ 1 − E.
    # c1 (1,1): p = (½,½), E = 1 → 0.  c2 (1,3): p = (¼,¾), E = H(¼).  c3 (0,2): p = (0,1), E = 0 → 1.
    d2 = 1 - binary_entropy(0.25)
    w = zc.entropy_weights([[1, 1, 0], [1, 3, 2]], variant="sum")
    np.testing.assert_allclose(w, [0.0, d2 / (d2 + 1), 1 / (d2 + 1)], atol=1e-15)


def test_entropy_weights_minmax_variant_reverses_cost_columns() -> None:
    # Textbook 熵权法: y = min–max by type + 0.0001. c1 benefit (1,2,3) and c2 cost (30,20,10) both become
    # (0, ½, 1) + 0.0001, so they weigh the same; c3 benefit (1,1,3) → (0,0,1) + 0.0001.
    x = [[1, 30, 1], [2, 20, 1], [3, 10, 3]]
    w = zc.entropy_weights(x, variant="minmax", types=[1, -1, 1])

    def d(y: list[float]) -> float:
        p = np.add(y, 1e-4) / np.add(y, 1e-4).sum()
        return float(1 + (p * np.log(p)).sum() / math.log(3))

    expected = np.array([d([0, 0.5, 1]), d([0, 0.5, 1]), d([0, 0, 1])])
    np.testing.assert_allclose(w, expected / expected.sum(), rtol=1e-13)
    assert w[0] == pytest.approx(w[1], rel=1e-15)
    # The sum variant ignores direction and gives different weights on the same data.
    assert not np.allclose(zc.entropy_weights(x, variant="sum"), w)


def test_critic_weights_by_hand() -> None:
    # Diakoulaki et al. (1995). After min–max by type: c1 (0,5,10) → (0,½,1); c2 (0,10,5) → (0,1,½);
    # c3 cost (0,10,5) → (1,0,½). Equal σ; r12 = ½, r13 = −½, r23 = −1.
    # C1 = σ(0 + ½ + 1½) = 2σ, C2 = σ(½ + 0 + 2) = 2½σ, C3 = σ(1½ + 2 + 0) = 3½σ → w = (2, 2½, 3½)/8.
    x = [[0, 0, 0], [5, 10, 10], [10, 5, 5]]
    np.testing.assert_allclose(zc.critic_weights(x, [1, 1, -1]), [0.25, 0.3125, 0.4375], rtol=1e-14)
    # No ties, so the Spearman correlations equal the Pearson ones of the ranks, here the same values.
    np.testing.assert_allclose(
        zc.critic_weights(x, [1, 1, -1], correlation="spearman"), [0.25, 0.3125, 0.4375]
    )


def test_critic_weights_unscaled_use_raw_standard_deviations() -> None:
    # scale="none": σ of the raw columns. c2 = 2·c1 (r = 1) and c3 = −c1 (r = −1 with both).
    # C1 = σ(0 + 0 + 2) = 2σ, C2 = 2σ·(0 + 0 + 2) = 4σ, C3 = σ(2 + 2 + 0) = 4σ → (2, 4, 4)/10.
    x = [[1, 2, -1], [2, 4, -2], [4, 8, -4]]
    np.testing.assert_allclose(zc.critic_weights(x, scale="none"), [0.2, 0.4, 0.4], rtol=1e-14)


def test_std_weights_by_hand() -> None:
    # min–max: c1 (0,5,10) → (0,½,1), sample σ = ½; c2 (0,0,10) → (0,0,1), σ = √(1/3).
    w = zc.std_weights([[0, 0], [5, 0], [10, 10]], [1, 1])
    s = math.sqrt(1 / 3)
    np.testing.assert_allclose(w, [0.5 / (0.5 + s), s / (0.5 + s)], rtol=1e-15)


def test_merec_weights_by_hand() -> None:
    # Keshavarz-Ghorabaee et al. (2021). Both benefit: n = min/x → c1 (1, ½), c2 (¼, 1).
    # |ln n|: A1 (0, ln 4), A2 (ln 2, 0); m = 2 criteria.
    # S = ln(1 + Σ|ln n|/2): A1 ln(1 + ln 2), A2 ln(1 + ln 2 / 2).
    # Without c1: A1 ln(1 + ln 2) (no change), A2 ln 1 = 0 → E1 = ln(1 + ln 2 / 2).
    # Without c2: A1 0, A2 unchanged → E2 = ln(1 + ln 2).
    e1, e2 = math.log(1 + math.log(2) / 2), math.log(1 + math.log(2))
    np.testing.assert_allclose(zc.merec_weights([[1, 4], [2, 1]], [1, 1]), [e1 / (e1 + e2), e2 / (e1 + e2)])
    # A cost column uses n = x/max: (1, 4) as cost gives (¼, 1), the same as (4, 1) as benefit.
    np.testing.assert_allclose(
        zc.merec_weights([[1, 1], [2, 4]], [1, -1]), zc.merec_weights([[1, 4], [2, 1]], [1, 1]), rtol=1e-15
    )


def test_ahp_consistent_matrix_gives_exact_weights() -> None:
    # a_ij = w_i / w_j with w = (4, 2, 1)/7: λmax = n = 3, CI = CR = 0.
    result = zc.ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    np.testing.assert_allclose(result.weights, [4 / 7, 2 / 7, 1 / 7], rtol=1e-12)
    assert result.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_inconsistent_three_by_three_closed_form() -> None:
    # For a 3×3 reciprocal matrix λmax = 1 + c + 1/c with c = (a12·a23/a13)^(1/3), and the principal
    # eigenvector is the normalised row geometric mean. a12 = 2, a13 = 6, a23 = 2 → c = (2/3)^(1/3).
    # Row geometric means: 12^(1/3), 1, (1/12)^(1/3). CI = (λ − 3)/2, CR = CI / 0.58 (Saaty's RI for n = 3).
    result = zc.ahp_weights([[1, 2, 6], [1 / 2, 1, 2], [1 / 6, 1 / 2, 1]])
    c = (2 / 3) ** (1 / 3)
    lam = 1 + c + 1 / c
    g = np.array([12 ** (1 / 3), 1.0, (1 / 12) ** (1 / 3)])
    np.testing.assert_allclose(result.weights, g / g.sum(), rtol=1e-12)
    assert result.lambda_max == pytest.approx(lam, rel=1e-12)
    assert result.cr == pytest.approx((lam - 3) / 2 / 0.58, rel=1e-10)
    assert result.consistent  # CR ≈ 0.009 < 0.1


@pytest.mark.parametrize(
    ("pairwise", "message"),
    [
        ([[1, 2], [2, 1]], "not reciprocal at \\(1, 2\\)"),
        ([[1, 2, 3], [0.5, 1, 2]], "must be square"),
        ([[1, -2], [-0.5, 1]], "positive"),
        (np.ones((11, 11)), "at most 10"),
    ],
)
def test_ahp_refuses_bad_matrices(pairwise: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        zc.ahp_weights(pairwise)  # type: ignore[arg-type]


def test_weight_methods_refuse_bad_input() -> None:
    with pytest.raises(InvalidInput, match="non-negative"):
        zc.entropy_weights([[1, -1], [2, 3]])
    with pytest.raises(InvalidInput, match="positive"):
        zc.merec_weights([[0, 1], [2, 3]])
    with pytest.raises(InvalidInput, match="not one of sum, minmax"):
        zc.entropy_weights([[1, 1], [2, 3]], variant="log")
    with pytest.raises(InvalidInput, match="constant"):
        zc.critic_weights([[1, 1], [1, 3], [1, 2]], scale="none")
