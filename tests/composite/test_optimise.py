"""Optimised weights (COINr's get_opt_weights) and the R-style Nelder–Mead search behind them."""

from __future__ import annotations

import numpy as np
import pytest

import zhizao.composite as zc
from zhizao.errors import InvalidInput

from .conftest import Asem


def test_equal_influence_weights_match_coinr(asem: Asem) -> None:
    """get_opt_weights(itarg = "equal", Level = 3) on the example coin: Conn 0.3902439…, Sust 0.6097560…"""
    aggregated = asem.table("example_coin_dset_Aggregated.csv")
    expected = asem.table("weights_opt_equal_level3.csv").set_index("iCode").Weight
    got = zc.balance_weights(aggregated[["Conn", "Sust"]].to_numpy())
    np.testing.assert_allclose(got.weights, expected[["Conn", "Sust"]].to_numpy(dtype=float), rtol=1e-9)
    assert got.converged
    assert got.obtained == pytest.approx([0.5, 0.5], abs=0.01)  # COINr's loose default tolerance


def test_a_tighter_tolerance_balances_closer(asem: Asem) -> None:
    aggregated = asem.table("example_coin_dset_Aggregated.csv")[["Conn", "Sust"]].to_numpy()
    loose = zc.balance_weights(aggregated)
    tight = zc.balance_weights(aggregated, tolerance=1e-8)
    assert abs(tight.obtained[0] - 0.5) < abs(loose.obtained[0] - 0.5)
    assert tight.weights.sum() == pytest.approx(1.0)


def test_unequal_target_importances_are_followed() -> None:
    rng = np.random.default_rng(7)
    components = rng.normal(size=(200, 3)) + rng.normal(size=(200, 1))
    got = zc.balance_weights(components, [2, 1, 1], tolerance=1e-8)
    assert got.target is not None and got.target == pytest.approx([0.5, 0.25, 0.25])
    assert got.obtained == pytest.approx(got.target, abs=0.02)
    assert got.weights[0] > got.weights[1]


def test_infomax_maximises_the_sum_of_correlations() -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(size=(300, 1))
    components = np.hstack([base + 0.1 * rng.normal(size=(300, 1)), rng.normal(size=(300, 1))])
    got = zc.balance_weights(components, optimise="infomax", tolerance=1e-8)
    assert got.correlations.sum() > np.corrcoef(components.mean(axis=1), components.T)[0, 1:].sum()
    assert got.target is None and got.obtained == pytest.approx(got.correlations)


def test_nelder_mead_follows_r_optim_on_rosenbrock() -> None:
    """R: optim(c(-1.2, 1), fr) gives par 1.000260 1.000506, value 8.825241e-08, 195 evaluations."""

    def rosenbrock(x: np.ndarray) -> float:
        return float(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2)

    found = zc.nelder_mead(rosenbrock, [-1.2, 1.0])
    assert found.x == pytest.approx([1.000260, 1.000506], abs=5e-7)
    assert found.value == pytest.approx(8.825241e-08, rel=1e-6)
    assert found.evaluations == 195


@pytest.mark.parametrize(
    ("components", "target", "message"),
    [
        (np.ones((5, 1)), "equal", "至少两个分量"),
        (np.ones((5, 2)), [1, 2, 3], "目标重要性需要 2 个"),
        (np.ones((5, 2)), "balanced", "equal 或一组数"),
    ],
)
def test_bad_inputs_are_refused(components: np.ndarray, target: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        zc.balance_weights(components, target)  # type: ignore[arg-type]


def test_benefit_of_the_doubt_scores_each_unit_at_its_best() -> None:
    y = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.4, 0.4], [0.2, 0.9]])
    got = zc.benefit_of_the_doubt(y)
    # (0.5, 0.5) at its best: w = (1, 0.8/0.9), held back by (0.2, 0.9); (0.4, 0.4) is 0.8 of it
    assert got.scores == pytest.approx([1.0, 1.0, 0.5 + 0.4 / 0.9, 0.4 + 0.32 / 0.9, 1.0])
    assert np.all(y @ got.weights.T <= 1 + 1e-9)  # no unit scores above 1 under anyone's weights
    assert got.shares.sum(axis=1) == pytest.approx(np.ones(5))


def test_benefit_of_the_doubt_with_one_indicator_is_the_share_of_the_best() -> None:
    y = np.array([[2.0], [4.0], [1.0]])
    assert zc.benefit_of_the_doubt(y).scores == pytest.approx([0.5, 1.0, 0.25])


def test_minimum_shares_bind_and_lower_specialist_scores() -> None:
    y = np.array([[1.0, 0.1], [0.1, 1.0], [0.6, 0.6]])
    free = zc.benefit_of_the_doubt(y)
    restricted = zc.benefit_of_the_doubt(y, min_share=0.3)
    assert free.scores[0] == pytest.approx(1.0)
    assert restricted.scores[0] < free.scores[0]
    assert np.all(restricted.shares >= 0.3 - 1e-9)


def test_benefit_of_the_doubt_refuses_negative_or_missing_values() -> None:
    with pytest.raises(InvalidInput, match="非负"):
        zc.benefit_of_the_doubt([[1.0, -1.0], [1.0, 1.0]])
    with pytest.raises(InvalidInput, match="第 2 行第 1 列缺值"):
        zc.benefit_of_the_doubt([[1.0, 1.0], [np.nan, 1.0]])
