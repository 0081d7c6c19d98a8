"""Normalisations, imputation and aggregations the COINr references do not cover, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

import zhizao.composite as zc
from zhizao.composite.hierarchy import root_of
from zhizao.errors import InvalidInput


def test_goalposts_truncate_and_reverse_for_cost() -> None:
    # Benefit, goalposts 10–20: (x − 10)/10 → 5 → 0 (truncated), 15 → ½, 25 → 1 (truncated); × 100.
    # Cost, goalposts 2–6: (6 − x)/4 → 3 → ¾.
    x = [[5, 3], [15, 3], [25, 3]]
    y = zc.goalposts(x, lower=[10, 2], upper=[20, 6], scale=100, directions=[1, -1])
    np.testing.assert_allclose(y, [[0, 75], [50, 75], [100, 75]])
    np.testing.assert_allclose(zc.goalposts([[25.0]], 10, 20, truncate=False), [[1.5]])
    with pytest.raises(InvalidInput, match="upper goalpost is not above"):
        zc.goalposts(x, lower=[20, 2], upper=[10, 6])


def test_distance_to_target_refuses_a_column_already_at_target() -> None:
    with pytest.raises(InvalidInput, match="column 1 every unit already reaches the target"):
        zc.dist_to_target([[5.0], [6.0]], [5.0])


def test_minmax_refuses_constant_column_and_keeps_gaps() -> None:
    y = zc.minmax([[1.0, 0.0], [np.nan, 1.0], [3.0, 2.0]], 0, 10)
    np.testing.assert_allclose(y, [[0, 0], [np.nan, 5], [10, 10]])
    with pytest.raises(InvalidInput, match="column 2 is constant"):
        zc.minmax([[1.0, 4.0], [2.0, 4.0]])


def test_vector_sum_and_linear_max_by_hand() -> None:
    np.testing.assert_allclose(zc.vector([[3.0], [4.0]]), [[0.6], [0.8]])
    np.testing.assert_allclose(zc.sum_share([[1.0], [3.0]]), [[0.25], [0.75]])
    np.testing.assert_allclose(zc.linear_max([[2.0, 2.0], [4.0, 4.0]], [1, -1]), [[0.5, 1.0], [1.0, 0.5]])


def test_impute_previous_carries_the_last_value_forward_per_unit() -> None:
    # Rows out of order: unit a 2021 missing → a's 2020 value; unit b's first year stays missing.
    units = ["a", "b", "a", "b", "a"]
    years = [2021, 2020, 2020, 2021, 2022]
    x = [[np.nan], [np.nan], [1.0], [5.0], [np.nan]]
    np.testing.assert_array_equal(zc.impute_previous(x, units, years), [[1.0], [np.nan], [1.0], [5.0], [1.0]])


def test_aggregations_by_hand() -> None:
    x = [[1.0, 4.0], [2.0, np.nan]]
    w = [1, 3]
    # Arithmetic (1 + 12)/4; geometric 1^¼·4^¾; harmonic 4/(1 + ¾); a missing component is skipped.
    np.testing.assert_allclose(zc.arithmetic_mean(x, w), [13 / 4, 2.0])
    np.testing.assert_allclose(zc.geometric_mean(x, w), [4**0.75, 2.0])
    np.testing.assert_allclose(zc.harmonic_mean(x, w), [4 / 1.75, 2.0])
    np.testing.assert_allclose(zc.generalised_mean(x, w, p=2), [np.sqrt((1 + 48) / 4), 2.0])
    np.testing.assert_allclose(zc.generalised_mean(x, w, p=1), zc.arithmetic_mean(x, w))
    # With dat_thresh 0.9 the second unit (half its data) gets no score.
    np.testing.assert_allclose(zc.arithmetic_mean(x, w, dat_thresh=0.9), [13 / 4, np.nan])
    with pytest.raises(InvalidInput, match="positive"):
        zc.geometric_mean([[0.0, 1.0]])


def test_copeland_by_hand() -> None:
    # Equal weights. A (3,1), B (2,2), C (1,3): every pair splits one win each (O = ½), so nobody
    # outranks anybody: all Copeland scores 0.
    np.testing.assert_array_equal(zc.copeland([[3, 1], [2, 2], [1, 3]]), [0, 0, 0])
    # Weights (2, 1): the first criterion decides (O = ⅔ > ½): A beats B and C, B beats C → 2, 0, −2.
    np.testing.assert_array_equal(zc.copeland([[3, 1], [2, 2], [1, 3]], [2, 1]), [2, 0, -2])


def test_hierarchy_refuses_two_tops_and_wrong_method_count() -> None:
    scores = {"a": np.array([1.0]), "b": np.array([2.0])}
    with pytest.raises(InvalidInput, match="one top element"):
        root_of({"a": "p", "b": "q", "p": None, "q": None}, list(scores))
    with pytest.raises(InvalidInput, match="2 given for 1 levels"):
        zc.aggregate_hierarchy(scores, {"a": "p", "b": "p", "p": None}, methods=["arithmetic", "geometric"])
