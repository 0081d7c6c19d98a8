"""MCDA rankings on tiny cases worked by hand: each test shows the arithmetic from the method's definition
(the cited paper), so a reader can check every expected number without running anything."""

from __future__ import annotations

import math

import numpy as np
import pytest

import zhizao.composite as zc
from zhizao.errors import InvalidInput


def test_topsis_minmax_closeness_by_hand() -> None:
    # Hwang & Yoon (1981) with min–max normalisation. Columns: benefit, cost; weights ½, ½.
    # Normalised: c1 (1,2,3) → (0, ½, 1); c2 (10,20,15) → (0, 1, ½). Weighted: (0,0), (¼,½), (½,¼).
    # Ideal: c1 max ½, c2 (cost) min 0 → (½, 0); anti-ideal (0, ½).
    result = zc.topsis([[1, 10], [2, 20], [3, 15]], [0.5, 0.5], [1, -1], normalisation="minmax")
    r = math.sqrt(0.3125)  # √(¼² + ½²)
    expected = [0.5 / (0.5 + 0.5), 0.25 / (r + 0.25), r / (0.25 + r)]
    np.testing.assert_allclose(result.closeness, expected, rtol=1e-15)
    np.testing.assert_allclose(result.d_best, [0.5, r, 0.25], rtol=1e-15)
    np.testing.assert_array_equal(result.ranking, [2, 3, 1])


def test_topsis_vector_matches_published_weighted_matrix() -> None:
    # Textbook example (B. Sennaroğlu, Decision Analysis lecture notes on Yoon & Hwang 1995):
    # X = (17,12), (10,9), (8,6), weights 0.714, 0.286, both benefit. Published weighted matrix V (4 dp):
    # 0.5703 0.2124 / 0.3355 0.1593 / 0.2684 0.1062. A1 is best on both columns, A3 worst on both.
    x = [[17, 12], [10, 9], [8, 6]]
    result = zc.topsis(x, [0.714, 0.286], [1, 1], normalisation="vector")
    v = np.array(x) / np.sqrt([453, 261]) * [0.714, 0.286]  # √(17²+10²+8²) = √453, √(12²+9²+6²) = √261
    np.testing.assert_allclose(v, [[0.5703, 0.2124], [0.3355, 0.1593], [0.2684, 0.1062]], atol=5e-5)
    d_best = math.dist(v[1], v[0])
    d_worst = math.dist(v[1], v[2])
    np.testing.assert_allclose(result.closeness, [1.0, d_worst / (d_best + d_worst), 0.0], atol=1e-15)


def test_vikor_single_compromise_by_hand() -> None:
    # Opricovic & Tzeng (2004). Both benefit, weights ½, ½; f* = (3, 3), f⁻ = (1, 0).
    # A1 (1,3): gaps ½·2/2 = ½, 0 → S ½, R ½.  A2 (2,2): ¼, ½·1/3 = ⅙ → S 5/12, R ¼.
    # A3 (3,0): 0, ½ → S ½, R ½.
    # Q = ½(S − 5/12)/(1/12) + ½(R − ¼)/(¼) → A1 1, A2 0, A3 1.
    result = zc.vikor([[1, 3], [2, 2], [3, 0]], [0.5, 0.5], [1, 1], v=0.5)
    np.testing.assert_allclose(result.S, [0.5, 5 / 12, 0.5], rtol=1e-15)
    np.testing.assert_allclose(result.R, [0.5, 0.25, 0.5], rtol=1e-15)
    np.testing.assert_allclose(result.Q, [1.0, 0.0, 1.0], atol=1e-15)
    np.testing.assert_array_equal(result.ranking, [2, 1, 2])
    # C1: Q(2nd) − Q(1st) = 1 ≥ DQ = 1/(3 − 1); C2: A2 is also best by S and R → A2 alone.
    assert result.acceptable_advantage and result.acceptable_stability
    assert result.compromise == (1,)


def test_vikor_compromise_set_when_advantage_is_not_acceptable() -> None:
    # One benefit criterion and one cost criterion, weights ½, ½; f* = (4, 1), f⁻ = (1, 4).
    # A1 (4,4): gaps 0, ½ → S ½, R ½. A2 (3,2): ½·⅓, ½·⅓ → S ⅓, R ⅙. A3 (2,1): ⅓, 0 → S ⅓, R ⅓.
    # A4 (1,1): ½, 0 → S ½, R ½.  S* ⅓, S⁻ ½; R* ⅙, R⁻ ½.
    # Q = ½(S − ⅓)/⅙ + ½(R − ⅙)/⅓ → A1 1, A2 0, A3 ¼, A4 1.  DQ = 1/3: Q(A3) − Q(A2) = ¼ < ⅓, so C1 fails
    # and the compromise set is every alternative within DQ of the best: A2, A3.
    result = zc.vikor([[4, 4], [3, 2], [2, 1], [1, 1]], [0.5, 0.5], [1, -1])
    np.testing.assert_allclose(result.S, [0.5, 1 / 3, 1 / 3, 0.5], rtol=1e-15)
    np.testing.assert_allclose(result.R, [0.5, 1 / 6, 1 / 3, 0.5], rtol=1e-15)
    np.testing.assert_allclose(result.Q, [1.0, 0.0, 0.25, 1.0], atol=1e-15)
    assert not result.acceptable_advantage
    assert result.compromise == (1, 2)


def test_promethee2_usual_criterion_by_hand() -> None:
    # Brans & Vincke (1985), usual criterion P(d) = 1 if d > 0. c1 benefit (w .6), c2 cost (w .4).
    # A1 (1,5), A2 (2,3), A3 (3,4). π(A2,A1) = .6 + .4 = 1; π(A3,A1) = 1; π(A2,A3) = .4 (3 < 4);
    # π(A3,A2) = .6; π(A1,·) = 0. φ⁺ = row sums / 2 = (0, .7, .8); φ⁻ = column sums / 2 = (1, .3, .2).
    result = zc.promethee2([[1, 5], [2, 3], [3, 4]], [0.6, 0.4], [1, -1], preference="usual")
    np.testing.assert_allclose(result.positive_flow, [0.0, 0.7, 0.8], rtol=1e-15)
    np.testing.assert_allclose(result.negative_flow, [1.0, 0.3, 0.2], rtol=1e-15)
    np.testing.assert_allclose(result.net_flow, [-1.0, 0.4, 0.6], rtol=1e-14)
    np.testing.assert_array_equal(result.ranking, [3, 2, 1])


@pytest.mark.parametrize(
    ("preference", "params", "p_of"),
    [
        # linear (V-shape with indifference), q = ½, p = 1½: P(1) = (1 − ½)/1 = ½, P(2) = P(3) = 1.
        ("linear", {"q": 0.5, "p": 1.5}, {1: 0.5, 2: 1.0, 3: 1.0}),
        # v-shape, p = 4: P(d) = d/4.
        ("v-shape", {"p": 4.0}, {1: 0.25, 2: 0.5, 3: 0.75}),
        # level, q = 1, p = 2: P(1) = 0 (d ≤ q), P(2) = ½ (q < d ≤ p), P(3) = 1.
        ("level", {"q": 1.0, "p": 2.0}, {1: 0.0, 2: 0.5, 3: 1.0}),
        # u-shape, q = 1: P(1) = 0, P(2) = P(3) = 1.
        ("u-shape", {"q": 1.0}, {1: 0.0, 2: 1.0, 3: 1.0}),
        # gaussian, s = 1: P(d) = 1 − exp(−d²/2).
        ("gaussian", {"s": 1.0}, {d: 1 - math.exp(-(d**2) / 2) for d in (1, 2, 3)}),
    ],
)
def test_promethee2_preference_functions_by_hand(
    preference: str, params: dict[str, float], p_of: dict[int, float]
) -> None:
    # One benefit criterion, values 0, 1, 3: the differences that matter are A2−A1 = 1, A3−A2 = 2, A3−A1 = 3.
    # φ⁺ = (0, P(1)/2, (P(3) + P(2))/2); φ⁻ = ((P(1) + P(3))/2, P(2)/2, 0).
    result = zc.promethee2([[0], [1], [3]], [1], [1], preference=preference, **params)  # type: ignore[arg-type]
    plus = [0.0, p_of[1] / 2, (p_of[3] + p_of[2]) / 2]
    minus = [(p_of[1] + p_of[3]) / 2, p_of[2] / 2, 0.0]
    np.testing.assert_allclose(result.net_flow, np.subtract(plus, minus), atol=1e-15)


def test_waspas_by_hand() -> None:
    # Zavadskas et al. (2012). c1 benefit (w ¾), c2 cost (w ¼). x̄: c1 x/4 → (½, 1); c2 2/x → (1, ½).
    # A1: WSM ¾·½ + ¼·1 = .625, WPM ½^¾·1.  A2: WSM ¾ + ¼·½ = .875, WPM 1·½^¼.
    result = zc.waspas([[2, 2], [4, 4]], [0.75, 0.25], [1, -1], lam=0.5)
    np.testing.assert_allclose(result.wsm, [0.625, 0.875], rtol=1e-15)
    np.testing.assert_allclose(result.wpm, [0.5**0.75, 0.5**0.25], rtol=1e-15)
    np.testing.assert_allclose(result.Q, [(0.625 + 0.5**0.75) / 2, (0.875 + 0.5**0.25) / 2], rtol=1e-15)
    np.testing.assert_allclose(zc.waspas([[2, 2], [4, 4]], [3, 1], [1, -1], lam=1.0).Q, [0.625, 0.875])


def test_copras_by_hand() -> None:
    # Zavadskas, Kaklauskas & Šarka (1994). c1 benefit, c2 cost, weights ½, ½.
    # Shares: c1 2/8, 6/8; c2 4/5, 1/5 → weighted A1 (.125, .4), A2 (.375, .1).
    # S⁺ = (.125, .375), S⁻ = (.4, .1); ΣS⁻ = .5, Σ1/S⁻ = 2.5 + 10 = 12.5.
    # Q = S⁺ + ΣS⁻/(S⁻·12.5) = (.125 + .1, .375 + .4) = (.225, .775); N = Q/max Q · 100.
    result = zc.copras([[2, 4], [6, 1]], [0.5, 0.5], [1, -1])
    np.testing.assert_allclose(result.s_plus, [0.125, 0.375], rtol=1e-15)
    np.testing.assert_allclose(result.s_minus, [0.4, 0.1], rtol=1e-15)
    np.testing.assert_allclose(result.Q, [0.225, 0.775], rtol=1e-15)
    np.testing.assert_allclose(result.utility, [0.225 / 0.775 * 100, 100.0], rtol=1e-15)
    np.testing.assert_array_equal(result.ranking, [2, 1])


def test_weights_are_divided_by_their_sum() -> None:
    x = [[1, 10], [2, 20], [3, 15]]
    np.testing.assert_array_equal(
        zc.topsis(x, [2, 2], [1, -1]).closeness, zc.topsis(x, [0.5, 0.5], [1, -1]).closeness
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: zc.topsis([[1, 2], [3, 4]], [1, 1, 1], [1, 1]), "3 given for 2 criteria"),
        (lambda: zc.topsis([[1, 2], [3, 4]], [1, 1], [1, 0]), "1 \\(benefit\\) or -1"),
        (lambda: zc.topsis([[1, np.nan], [3, 4]], [1, 1]), "row 1, column 2"),
        (lambda: zc.topsis([[1, 2], [3, 4]], [1, -1]), "must not be negative"),
        (lambda: zc.topsis([[1, 2], [3, 4]], [0, 0]), "sum to zero"),
        (lambda: zc.topsis([[1, 2], [1, 4]], [1, 1]), "column 1 is constant"),
        (lambda: zc.topsis([[1, 2]], [1, 1]), "at least two alternatives"),
        (lambda: zc.topsis([[1, 2], [3, 4]], [1, 1], normalisation="sum"), "not one of minmax, vector"),
        (lambda: zc.vikor([[1, 2], [3, 4]], [1, 1], v=2), "between 0 and 1"),
        (lambda: zc.promethee2([[1, 2], [3, 4]], [1, 1], preference="linear", q=1), "needs p"),
        (lambda: zc.promethee2([[1, 2], [3, 4]], [1, 1], preference="level", q=2, p=1), "greater than q"),
        (lambda: zc.waspas([[0, 2], [3, 4]], [1, 1]), "positive"),
        (lambda: zc.copras([[1, 0], [3, 2]], [1, 1], [1, -1]), "zero on every cost criterion"),
        (lambda: zc.topsis([[[1]]], [1]), "2-D"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        call()  # type: ignore[operator]


def test_rank_descending_ties_and_missing() -> None:
    np.testing.assert_array_equal(
        zc.rank_descending(np.array([3.0, 5.0, 3.0, np.nan, 1.0])), [2, 1, 2, np.nan, 4]
    )
