"""Parity with COINr 1.1.14 on its ASEM example (../shared/composite-indicators/README.md): every step of
the example coin and every normalisation/aggregation variant the folder holds, to 1e-9 relative.

Where a reference value is close to 0 the relative error of a subtraction is meaningless, so an absolute
tolerance of 1e-12 applies as well (the worst absolute difference seen is 2e-15).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import zhizao.composite as zc
from zhizao.composite import uncertainty as ua
from zhizao.errors import InvalidInput

from .conftest import Asem

RTOL, ATOL = 1e-9, 1e-12


def close(got: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL)


def test_denominate_matches_coinr(asem: Asem) -> None:
    raw = asem.table("input_ASEM_iData.csv")
    ind = asem.meta[asem.meta.Type == "Indicator"]
    denominators = np.column_stack(
        [raw[d].to_numpy() if isinstance(d, str) else np.ones(len(raw)) for d in ind.Denominator]
    )
    close(
        zc.denominate(raw[asem.codes].to_numpy(), denominators),
        asem.matrix("example_coin_dset_Denominated.csv"),
    )


def test_impute_group_mean_matches_coinr(asem: Asem) -> None:
    groups = asem.table("input_ASEM_iData.csv").EurAsia_group.to_numpy()
    got = zc.impute_group(asem.matrix("example_coin_dset_Denominated.csv"), groups, "mean")
    assert np.isnan(asem.matrix("example_coin_dset_Denominated.csv")).sum() > 0
    close(got, asem.matrix("example_coin_dset_Imputed.csv"))


@pytest.mark.parametrize(
    ("reference", "impute"),
    [
        ("impute_example_i_mean.csv", lambda x: zc.impute_column(x, "mean")),
        # The vignette's groups: the first five rows "a", the last five "b".
        ("impute_example_i_median_grp.csv", lambda x: zc.impute_group(x, ["a"] * 5 + ["b"] * 5, "median")),
        ("impute_example_row_mean.csv", zc.impute_row_mean),
    ],
)
def test_impute_examples_match_coinr(
    asem: Asem, reference: str, impute: Callable[[np.ndarray], np.ndarray]
) -> None:
    given = asem.table("impute_example_input.csv").to_numpy(dtype=float)
    close(impute(given), asem.table(reference).to_numpy(dtype=float))


def test_treat_winsorise_then_log_matches_coinr(asem: Asem) -> None:
    treated, details = zc.treat(asem.matrix("example_coin_dset_Screened.csv"), winmax=5)
    close(treated, asem.matrix("example_coin_dset_Treated.csv"))
    dets = asem.table("example_coin_treat_dets_table.csv").set_index("iCode")
    points = pd.read_csv(asem.folder / "example_coin_treated_points.csv", keep_default_na=False)
    order = asem.table("example_coin_dset_Screened.csv").index  # points follow the Screened set's row order
    assert list(order) == sorted(order)
    for code, d in zip(asem.codes, details, strict=True):
        row = dets.loc[code]
        assert d.skew_before == pytest.approx(row["check_SkewKurt0.Skew"], rel=1e-12)
        assert d.kurt_before == pytest.approx(row["check_SkewKurt0.Kurt"], rel=1e-12)
        assert (d.how == "none") == bool(row["check_SkewKurt0.Pass"])
        if d.how != "none":
            assert d.n_winsorised == row["winsorise.nwin"]
            assert d.skew_after == pytest.approx(row["check_SkewKurt1.Skew"], rel=1e-12)
            assert d.kurt_after == pytest.approx(row["check_SkewKurt1.Kurt"], rel=1e-12)
        assert d.flags == tuple(points[code]), code
    assert sum(d.how == "winsorise" for d in details) == 15


def test_treat_example_falls_back_to_log_when_winsorising_fails(asem: Asem) -> None:
    """The vignette's Flights/Goods/Services on raw data: two columns winsorised, one already passing."""
    reference = pd.read_csv(asem.folder / "treat_example_Flights_Goods_Services_treated.csv")
    raw = pd.read_csv(asem.folder / "input_ASEM_iData.csv")  # the vignette keeps the file's row order
    treated, details = zc.treat(raw[["Flights", "Goods", "Services"]].to_numpy(), winmax=5)
    close(treated, reference.to_numpy(dtype=float))
    assert [d.how for d in details] == ["winsorise", "winsorise", "none"]
    assert [d.n_winsorised for d in details] == [1, 2, 0]


def test_treat_uses_log_when_winsorising_is_not_enough() -> None:
    """winmax=1 cannot tame one huge value among many big ones: log(x − min + 0.01(max − min))."""
    x = np.array([1.0] * 20 + [50.0, 60.0, 1000.0])
    treated, (detail,) = zc.treat(x[:, None], winmax=1)
    assert detail.how == "log"
    spread = 1000.0 - 1.0
    np.testing.assert_allclose(treated[:, 0], np.log(x - 1.0 + 0.01 * spread), rtol=1e-15)
    assert set(detail.flags) == {"log_CT"}


def test_normalised_dataset_and_index_match_coinr(asem: Asem) -> None:
    normalised = zc.minmax(asem.matrix("example_coin_dset_Treated.csv"), 0, 100, asem.directions)
    close(normalised, asem.matrix("example_coin_dset_Normalised.csv"))
    scores = zc.aggregate_hierarchy(
        {c: normalised[:, i] for i, c in enumerate(asem.codes)}, asem.parents, asem.weights
    )
    aggregated = asem.table("example_coin_dset_Aggregated.csv")
    for code in [
        "Physical",
        "ConEcFin",
        "Political",
        "Instit",
        "P2P",
        "Environ",
        "Social",
        "SusEcFin",
        "Conn",
        "Sust",
        "Index",
    ]:
        close(scores[code], aggregated[code].to_numpy())
    full = asem.table("example_coin_results_full_scores.csv")
    np.testing.assert_allclose(scores["Index"], full.Index.to_numpy(), atol=1e-11)  # rounded to 12 dp
    np.testing.assert_array_equal(zc.rank_descending(scores["Index"]), full.Rank.to_numpy())


NORMALISATIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "minmax_0_100": lambda x, d: zc.minmax(x, 0, 100, d),
    "minmax_1_100": lambda x, d: zc.minmax(x, 1, 100, d),
    "zscore_10_2": lambda x, d: zc.zscore(x, 10, 2, d),
    "zscore_0_1": lambda x, d: zc.zscore(x, 0, 1, d),
    "rank": zc.rank,
    "borda": zc.borda,
    "prank": zc.percentile_rank,
    "dist2max": zc.dist_to_max,
}


@pytest.mark.parametrize("name", list(NORMALISATIONS))
def test_normalisation_matches_coinr(asem: Asem, name: str) -> None:
    treated = asem.matrix("example_coin_dset_Treated.csv")
    close(NORMALISATIONS[name](treated, asem.directions), asem.matrix(f"normalised_treated_{name}.csv"))


def test_frac_max_matches_coinr_and_refuses_cost_columns(asem: Asem) -> None:
    """COINr gives ±Inf for a cost column whose minimum is 0 (its maximum after ×−1 is 0); we refuse it."""
    treated = asem.matrix("example_coin_dset_Treated.csv")
    expected = asem.matrix("normalised_treated_fracmax.csv")
    usable = np.nanmax(treated * asem.directions, axis=0) != 0
    assert (~usable).sum() == 3
    close(zc.frac_max(treated[:, usable], asem.directions[usable]), expected[:, usable])
    with pytest.raises(InvalidInput, match="maximum of 0"):
        zc.frac_max(treated, asem.directions)


@pytest.mark.parametrize("cap", [False, True])
def test_distance_to_target_matches_coinr(asem: Asem, cap: bool) -> None:
    raw = asem.matrix("input_ASEM_iData.csv")
    expected = asem.matrix(f"normalised_raw_dist2targ_iMetaTarget_{'capmax' if cap else 'nocap'}.csv")
    got = zc.dist_to_target(raw, asem.targets, asem.directions, cap=cap)
    close(got, expected)
    assert bool(np.nanmax(got) > 1) == (not cap)


AGGREGATIONS: dict[str, dict[str, object]] = {
    "amean": {"methods": "arithmetic"},
    "gmean": {"methods": "geometric"},
    "hmean": {"methods": "harmonic"},
    "genmean_p2": {"methods": "generalised", "p": 2.0},
    "copeland": {"methods": "copeland"},
    "mixed_amean_gmean_amean": {"methods": ["arithmetic", "geometric", "arithmetic"]},
    "amean_datthresh0.9": {"methods": "arithmetic", "dat_thresh": 0.9},
}


@pytest.mark.parametrize("name", list(AGGREGATIONS))
def test_aggregation_matches_coinr(asem: Asem, name: str) -> None:
    normalised = zc.minmax(asem.matrix("example_coin_dset_Treated.csv"), 1, 100, asem.directions)
    scores = zc.aggregate_hierarchy(
        {c: normalised[:, i] for i, c in enumerate(asem.codes)},
        asem.parents,
        asem.weights,
        **AGGREGATIONS[name],  # type: ignore[arg-type]
    )
    expected = asem.table(f"agg_minmax1_100_{name}_results.csv")
    for code in expected.columns.drop("Rank"):
        close(scores[code], expected[code].to_numpy())
    np.testing.assert_array_equal(zc.rank_descending(scores["Index"]), expected.Rank.to_numpy())


def test_copeland_from_outranking_matches_coinr_example(asem: Asem) -> None:
    matrix = pd.read_csv(asem.folder / "outrank_example_matrix.csv").to_numpy(dtype=float)
    expected = pd.read_csv(asem.folder / "outrank_example_copeland.csv").copeland.to_numpy(dtype=float)
    np.testing.assert_array_equal(zc.copeland_from_outranking(matrix), expected)


def test_overview_pipeline_with_screening_matches_coinr(asem: Asem) -> None:
    """The Overview vignette: Denominate → Screen (≥ 90 % data: 46 units) → Treat → Normalise → Aggregate,
    with the gaps left in (treatment and aggregation skip them)."""
    raw = asem.table("input_ASEM_iData.csv")
    ind = asem.meta[asem.meta.Type == "Indicator"]
    denominators = np.column_stack(
        [raw[d].to_numpy() if isinstance(d, str) else np.ones(len(raw)) for d in ind.Denominator]
    )
    x = zc.denominate(raw[asem.codes].to_numpy(), denominators)
    keep = zc.screen_units(x, 0.9)
    expected = asem.table("overview_pipeline_results_aggs.csv")
    assert list(raw.index[keep]) == list(expected.index)
    assert np.isnan(x[keep]).any()
    treated, _ = zc.treat(x[keep])
    normalised = zc.minmax(treated, 0, 100, asem.directions)
    scores = zc.aggregate_hierarchy(
        {c: normalised[:, i] for i, c in enumerate(asem.codes)}, asem.parents, asem.weights
    )
    for code in expected.columns.drop("Rank"):
        close(scores[code], expected[code].to_numpy())
    np.testing.assert_array_equal(zc.rank_descending(scores["Index"]), expected.Rank.to_numpy())


def test_pca_weights_match_coinr_per_group(asem: Asem) -> None:
    """get_PCA by groups at level 2: PC1 loadings of the standardised pillar scores within each sub-index."""
    aggregated = asem.table("example_coin_dset_Aggregated.csv")
    expected = asem.table("weights_PCA_level2.csv").set_index("iCode").Weight
    for group in ("Conn", "Sust"):
        pillars = [c for c, p in asem.parents.items() if p == group]
        result = zc.pca_weights(aggregated[pillars].to_numpy())
        close(result.loadings, expected[pillars].to_numpy())
        assert 0 < result.explained <= 1


def test_removing_each_pillar_matches_coinr(asem: Asem) -> None:
    normalised = asem.matrix("example_coin_dset_Normalised.csv")
    pillars = [c for c, p in asem.parents.items() if p in ("Conn", "Sust")]
    impact = ua.removal_impact(
        {c: normalised[:, i] for i, c in enumerate(asem.codes)}, asem.parents, pillars, asem.weights
    )
    expected = asem.table("remove_elements_level2_meanabsdiff.csv").set_index("element").MeanAbsDiff
    for pillar in pillars:
        assert impact[pillar] == pytest.approx(expected[pillar], rel=1e-12)


def test_effective_weights_match_coinr(asem: Asem) -> None:
    expected = asem.table("example_coin_effective_weights.csv").set_index("iCode").EffWeight
    got = zc.effective_weights(asem.parents, asem.weights)
    assert set(got) == set(expected.index)
    for code, value in expected.items():
        assert got[code] == pytest.approx(value, rel=1e-12), code


def test_ranks_and_group_ranks_match_coinr(asem: Asem) -> None:
    scores = asem.table("example_coin_dset_Aggregated.csv")
    ranks = asem.table("example_coin_results_aggs_ranks.csv")
    grouped = asem.table("example_coin_results_groupranks_GDPpc.csv")
    groups = asem.table("input_ASEM_iData.csv").GDPpc_group.loc[grouped.index]
    for code in ranks.columns:
        np.testing.assert_array_equal(zc.rank_descending(scores[code].to_numpy()), ranks[code].to_numpy())
        np.testing.assert_array_equal(
            zc.group_ranks(scores.loc[grouped.index, code].to_numpy(), groups.to_numpy()),
            grouped[code].to_numpy(),
        )


def test_indicator_index_correlations_match_coinr(asem: Asem) -> None:
    """get_corr(Level 1 vs Index, Pearson) on the Aggregated set. COINr blanks correlations that are not
    significant at 5 % (t-test, 49 degrees of freedom): |r| < t/√(t² + 49) with t = 2.0096, ≈ 0.2759."""
    aggregated = asem.table("example_coin_dset_Aggregated.csv")
    expected = pd.read_csv(asem.folder / "example_coin_corr_L1_vs_index.csv").set_index("Var2").Correlation
    critical = 2.0096 / np.sqrt(2.0096**2 + 49)
    for code, value in expected.items():
        got = np.corrcoef(aggregated[code], aggregated["Index"])[0, 1]
        if np.isnan(value):
            assert abs(got) < critical, code
        else:
            assert got == pytest.approx(value, rel=1e-9), code
            assert abs(got) >= critical, code
    assert expected.isna().sum() > 0
