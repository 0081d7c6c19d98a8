"""Uncertainty and sensitivity: COINr's 100 UA replications replayed at once by the vectorised engine, its
rank statistics, and its Sobol indices from the SA runs (../shared/composite-indicators/README.md)."""

from __future__ import annotations

import numpy as np
import pytest

import zhizao.composite as zc
from zhizao.composite import uncertainty as ua
from zhizao.errors import InvalidInput

from .conftest import Asem

NORMALISATIONS = {"n_minmax": zc.minmax, "n_zscore": zc.zscore}


def prepared_datasets(asem: Asem) -> tuple[list[dict[str, np.ndarray]], list[tuple[int, str]]]:
    """Each winmax × normalisation choice computed once (10 data sets), as the engine expects."""
    screened = asem.matrix("example_coin_dset_Screened.csv")
    datasets, keys = [], []
    for winmax in range(1, 6):
        treated, _ = zc.treat(screened, winmax=winmax)
        for name, params in [("n_minmax", (1, 100)), ("n_zscore", (10, 2))]:
            normalised = NORMALISATIONS[name](treated, *params, asem.directions)
            datasets.append({c: normalised[:, i] for i, c in enumerate(asem.codes)})
            keys.append((winmax, name))
    return datasets, keys


def test_replicate_matches_every_coinr_uncertainty_replication(asem: Asem) -> None:
    datasets, keys = prepared_datasets(asem)
    params = asem.table("UA_params_per_rep.csv")
    weight_sets = asem.table("UA_noisy_weight_sets.csv").pivot(
        index="weights_set", columns="iCode", values="Weight"
    )
    plan = ua.Plan(
        dataset=np.array([keys.index((r.winmax, r.f_n)) for r in params.itertuples()]),
        aggregation=np.array([0 if r.f_ag == "a_amean" else 1 for r in params.itertuples()]),
        weights={
            c: weight_sets.loc[params.weights_set.to_numpy(), c].to_numpy() for c in weight_sets.columns
        },
    )
    scores = ua.replicate(datasets, asem.parents, plan, ("arithmetic", "geometric"))
    expected = asem.table("UA_scores_per_rep.csv")
    np.testing.assert_allclose(scores, expected[[f"r_{i}" for i in range(1, 101)]].to_numpy().T, rtol=1e-9)

    stats = ua.rank_statistics(scores)
    reference = asem.table("UA_rankstats.csv")
    for ours, theirs in [("mean", "Mean"), ("median", "Median"), ("q5", "Q5"), ("q95", "Q95")]:
        np.testing.assert_allclose(getattr(stats, ours), reference[theirs].to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(
        ua.ranks_per_replication(expected.Nominal.to_numpy()[None, :])[0], reference.Nominal.to_numpy()
    )


def test_sobol_indices_match_coinr(asem: Asem) -> None:
    # N = 60, d = 3: rows of A, then B, then AB_1..AB_3, each a block of 60 runs. Target: mean |rank change|.
    runs = asem.table("SA_scores_per_rep.csv")
    y = ua.mean_abs_rank_change(runs[[f"r_{i}" for i in range(1, 301)]].to_numpy().T, runs.Nominal.to_numpy())
    n = 60
    indices = ua.sobol_indices(y[:n], y[n : 2 * n], y[2 * n :].reshape(3, n).T)
    reference = asem.table("SA_sensitivity_indices.csv")
    np.testing.assert_allclose(indices.first, reference.Si.to_numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(indices.total, reference.STi.to_numpy(), rtol=1e-9, atol=1e-15)


def test_replicate_equals_one_run_per_replication_with_noise_and_dropped_indicators(asem: Asem) -> None:
    datasets, _ = prepared_datasets(asem)
    rng = np.random.default_rng(7)
    n = 40
    weights = ua.noisy_weights(
        asem.weights, [c for c in asem.weights if asem.parents[c] is not None], n, 0.25, rng
    )
    weights["Goods"][::3] = 0.0  # drop one indicator in every third replication
    plan = ua.Plan(rng.integers(0, len(datasets), n), rng.integers(0, 3, n), weights)
    methods = ("arithmetic", "geometric", "harmonic")
    batch = ua.replicate(datasets, asem.parents, plan, methods)
    for r in range(n):
        one = zc.aggregate_hierarchy(
            datasets[plan.dataset[r]],
            asem.parents,
            {c: w[r] for c, w in weights.items()},
            methods[plan.aggregation[r]],
        )["Index"]
        np.testing.assert_allclose(batch[r], one, rtol=1e-12)


def test_noisy_weights_stay_within_the_noise_band() -> None:
    w = ua.noisy_weights({"a": 2.0, "b": 1.0}, ["a"], 1000, 0.25, np.random.default_rng(1))
    assert w["a"].min() >= 1.5 and w["a"].max() <= 2.5 and w["a"].std() > 0
    np.testing.assert_array_equal(w["b"], 1.0)


def test_sobol_indices_refuse_mismatched_runs() -> None:
    with pytest.raises(InvalidInput, match="N × d"):
        ua.sobol_indices(np.ones(5), np.ones(5), np.ones((4, 2)))


def test_mean_abs_rank_change_by_hand() -> None:
    # Nominal ranks (1, 2, 3); the run swaps the first two: |2 − 1| + |1 − 2| + 0 = 2 over 3 units.
    assert ua.mean_abs_rank_change(np.array([[2.0, 3.0, 1.0]]), np.array([3.0, 2.0, 1.0]))[
        0
    ] == pytest.approx(2 / 3)
