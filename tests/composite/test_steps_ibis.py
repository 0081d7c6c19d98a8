"""The Ibis steps on DuckDB and PySpark agree with COINr's references and with the numpy functions."""

from __future__ import annotations

from typing import Any

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from ibis.backends import BaseBackend

import zhizao.composite as zc
from zhizao.composite.steps import (
    aggregate_table,
    denominate_table,
    impute_previous_table,
    impute_table,
    normalise_table,
    screen_table,
)

from .conftest import Asem


def run(backend: BaseBackend, frame: pd.DataFrame, build: Any) -> pd.DataFrame:
    table = ibis.memtable(pa.Table.from_pandas(frame, preserve_index=False))
    return backend.execute(build(table)).sort_values("uCode").reset_index(drop=True)


CASES = {
    "minmax_1_100": {"method": "minmax", "lower": 1, "upper": 100},
    "zscore_10_2": {"method": "zscore", "mean": 10, "sd": 2},
    "rank": {"method": "rank"},
    "borda": {"method": "borda"},
    "prank": {"method": "percentile_rank"},
    "dist2max": {"method": "dist_to_max"},
}


@pytest.mark.parametrize("name", list(CASES))
def test_normalise_table_matches_coinr(backend: BaseBackend, asem: Asem, name: str) -> None:
    treated = asem.table("example_coin_dset_Treated.csv").reset_index()
    directions = dict(zip(asem.codes, asem.directions.tolist(), strict=True))
    got = run(
        backend, treated, lambda t: normalise_table(t, asem.codes, directions=directions, **CASES[name])
    )
    expected = asem.matrix(f"normalised_treated_{name}.csv")
    np.testing.assert_allclose(got[asem.codes].to_numpy(dtype=float), expected, rtol=1e-9, atol=1e-12)


def test_distance_to_target_table_matches_coinr(backend: BaseBackend, asem: Asem) -> None:
    raw = asem.table("input_ASEM_iData.csv").reset_index()[["uCode", *asem.codes]]
    directions = dict(zip(asem.codes, asem.directions.tolist(), strict=True))
    targets = dict(zip(asem.codes, asem.targets.tolist(), strict=True))
    got = run(
        backend,
        raw,
        lambda t: normalise_table(t, asem.codes, "dist_to_target", directions, targets=targets, cap=True),
    )
    expected = asem.matrix("normalised_raw_dist2targ_iMetaTarget_capmax.csv")
    np.testing.assert_allclose(got[asem.codes].to_numpy(dtype=float), expected, rtol=1e-9, atol=1e-12)


def test_per_year_normalisation_and_aggregation_match_numpy(backend: BaseBackend, asem: Asem) -> None:
    """The artificial 2018–2022 panel: min–max per year, then the Physical pillar (gaps skipped)."""
    panel = pd.read_csv(asem.folder / "input_ASEM_iData_p.csv")
    pillar = [c for c, p in asem.parents.items() if p == "Physical"]
    frame = panel[["uCode", "Time", *pillar]]
    got = run(
        backend,
        frame,
        lambda t: aggregate_table(
            normalise_table(t, pillar, "minmax", by=["Time"], upper=100), pillar, name="Physical"
        ),
    )
    got = got.sort_values(["Time", "uCode"]).reset_index(drop=True)
    assert got[pillar].isna().to_numpy().any()
    for year, block in frame.sort_values(["Time", "uCode"]).groupby("Time"):
        n = zc.minmax(block[pillar].to_numpy(dtype=float), 0, 100)
        mine = got[got.Time == year]
        np.testing.assert_allclose(mine[pillar].to_numpy(dtype=float), n, rtol=1e-12)
        np.testing.assert_allclose(mine.Physical.to_numpy(dtype=float), zc.arithmetic_mean(n), rtol=1e-12)


def test_denominate_and_geometric_aggregate(backend: BaseBackend) -> None:
    frame = pd.DataFrame(
        {"uCode": ["a", "b", "c"], "x": [2.0, 8.0, 0.0], "y": [4.0, None, 1.0], "pop": [2.0, 4.0, 1.0]}
    )
    got = run(
        backend,
        frame,
        lambda t: aggregate_table(denominate_table(t, {"x": "pop"}), ["x", "y"], [1, 3], "g", "geometric"),
    )
    # a: x = 1, y = 4 → 1^¼·4^¾; b: y missing → x = 2; c: x = 0 has no logarithm → a gap.
    np.testing.assert_allclose(got.g[:2], [4**0.75, 2.0], rtol=1e-12)
    assert pd.isna(got.g[2])


def test_impute_and_screen_tables_match_coinr(backend: BaseBackend, asem: Asem) -> None:
    denominated = asem.table("example_coin_dset_Denominated.csv").reset_index()
    groups = asem.table("input_ASEM_iData.csv").EurAsia_group.reset_index()
    frame = denominated.merge(groups, on="uCode")[["uCode", "EurAsia_group", *asem.codes]]
    got = run(backend, frame, lambda t: impute_table(t, asem.codes, "mean", by=["EurAsia_group"]))
    np.testing.assert_allclose(
        got[asem.codes].to_numpy(dtype=float),
        asem.matrix("example_coin_dset_Imputed.csv"),
        rtol=1e-9,
        atol=1e-12,
    )
    kept = run(backend, frame, lambda t: screen_table(t, asem.codes, 0.9))
    expected = zc.screen_units(denominated[asem.codes].to_numpy(dtype=float), 0.9)
    assert list(kept.uCode) == sorted(denominated.uCode[expected])


def test_impute_median_and_previous_tables_match_numpy(backend: BaseBackend) -> None:
    frame = pd.DataFrame(
        {
            "uCode": ["A", "A", "A", "B", "B", "B", "C", "C", "C"],
            "year": [2022, 2023, 2024] * 3,
            "x": [1.0, np.nan, np.nan, np.nan, 5.0, np.nan, 2.0, 4.0, 9.0],
            "y": [np.nan, 2.0, 3.0, 7.0, np.nan, 1.0, 0.5, np.nan, 8.0],
        }
    )
    m = frame[["x", "y"]].to_numpy()
    previous = run(backend, frame, lambda t: impute_previous_table(t, ["x", "y"], "uCode", "year"))
    previous = previous.sort_values(["uCode", "year"]).reset_index(drop=True)
    np.testing.assert_allclose(
        previous[["x", "y"]].to_numpy(dtype=float),
        zc.impute_previous(m, frame.uCode, frame.year),
        equal_nan=True,
    )
    median = run(backend, frame, lambda t: impute_table(t, ["x", "y"], "median"))
    median = median.sort_values(["uCode", "year"]).reset_index(drop=True)
    np.testing.assert_allclose(median[["x", "y"]].to_numpy(dtype=float), zc.impute_column(m, "median"))
