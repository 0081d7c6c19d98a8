"""The index pipeline as one chain of Ibis steps gives the same index on DuckDB and PySpark as COINr and
as the array pipeline: the example coin (group-mean imputation, winsorise-then-log), the Overview
pipeline (screening), a yearly panel (previous-year imputation, distance to target, one year asked)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from ibis.backends import BaseBackend

from zhizao.composite.definition import load_definition, parse_definition
from zhizao.composite.pipeline import run_index, run_index_arrays
from zhizao.errors import InvalidInput

from .conftest import Asem
from .test_index_pipeline import asem_definition, regional_panel


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    numbers = [c for c in got.columns if pd.api.types.is_float_dtype(expected[c])]
    np.testing.assert_allclose(
        got[numbers].to_numpy(dtype=float), expected[numbers].to_numpy(dtype=float), rtol=1e-9, atol=1e-12
    )
    others = [c for c in got.columns if c not in numbers]
    assert got[others].astype(str).equals(expected[others].astype(str))


def test_example_coin_on_tables_matches_coinr_and_arrays(backend: BaseBackend, asem: Asem) -> None:
    defn = parse_definition(
        yaml.safe_dump(asem_definition(asem, impute="group_mean", impute_group="EurAsia_group", winmax=5))
    )
    data = pd.read_csv(asem.folder / "input_ASEM_iData.csv")
    result = run_index(defn, data, backend=backend)
    same(result.scores, run_index_arrays(defn, data).scores)
    scores = result.scores.set_index("uCode")
    expected = asem.table("example_coin_results_full_scores.csv")
    np.testing.assert_allclose(scores.loc[expected.index, "Index"], expected.Index, rtol=1e-9)
    np.testing.assert_array_equal(scores.loc[expected.index, "rank"], expected.Rank)
    assert sum(t.how == "winsorise" for t in result.treatments.values()) > 0


def test_overview_pipeline_on_tables_screens_like_coinr(backend: BaseBackend, asem: Asem) -> None:
    defn = parse_definition(yaml.safe_dump(asem_definition(asem, screen=0.9)))
    data = pd.read_csv(asem.folder / "input_ASEM_iData.csv")
    result = run_index(defn, data, backend=backend)
    arrays = run_index_arrays(defn, data)
    same(result.scores, arrays.scores)
    assert result.dropped_units == arrays.dropped_units
    expected = asem.table("overview_pipeline_results_aggs.csv")
    scores = result.scores.set_index("uCode").sort_index()
    np.testing.assert_allclose(scores.Index, expected.Index, rtol=1e-9)


@pytest.mark.parametrize("year", [None, 2025])
def test_regional_panel_on_tables_matches_arrays(backend: BaseBackend, year: int | None) -> None:
    defn = load_definition("regional-hqd")
    frame = regional_panel()
    same(run_index(defn, frame, year, backend=backend).scores, run_index_arrays(defn, frame, year).scores)


def small(**steps: Any) -> Any:
    return parse_definition(
        yaml.safe_dump(
            {
                "name": "t",
                "indicators": [
                    {"code": "a", "parent": "p"},
                    {"code": "b", "parent": "p", "direction": -1, "weight": 2},
                    {"code": "c", "parent": "q", "normalisation": "goalposts", "goalposts": [0, 10]},
                    {"code": "d", "parent": "q", "normalisation": "rank"},
                ],
                "aggregates": [
                    {"code": "index"},
                    {"code": "p", "parent": "index"},
                    {"code": "q", "parent": "index", "weight": 3},
                ],
                "steps": {"treat": False, "lower": 1, **steps},
            }
        )
    )


@pytest.mark.parametrize(
    "aggregation", ["arithmetic", "geometric", "harmonic", "generalised", ["harmonic", "geometric"]]
)
def test_means_and_goalposts_on_tables_match_arrays(backend: BaseBackend, aggregation: Any) -> None:
    frame = pd.DataFrame(
        {
            "unit": list("uvwxyz"),
            "a": [1.0, 4.0, np.nan, 2.0, 8.0, 3.0],
            "b": [5.0, 1.0, 2.0, np.nan, 3.0, 9.0],
            "c": [0.5, 4.0, 9.0, 7.0, 9.5, 2.5],
            "d": [3.0, 3.0, 1.0, 7.0, np.nan, 2.0],
        }
    )
    if aggregation == "arithmetic":  # goalposts truncate to [0, 1]; only the arithmetic mean takes a 0
        frame["c"] = [-1.0, 4.0, 12.0, 7.0, 10.0, 2.5]
    defn = small(aggregation=aggregation, p=3, dat_thresh=0.5)
    same(run_index(defn, frame, backend=backend).scores, run_index_arrays(defn, frame).scores)


def test_table_pipeline_refuses_what_the_arrays_refuse(backend: BaseBackend) -> None:
    frame = pd.DataFrame({"unit": ["u", "v"], "a": [1.0, 2.0], "b": [1.0, 2.0], "c": [0.0, 1.0], "d": [1, 2]})
    with pytest.raises(InvalidInput, match="positive"):
        run_index(small(aggregation="geometric", lower=0), frame, backend=backend)
    with pytest.raises(InvalidInput, match="2030"):
        run_index(load_definition("regional-hqd"), regional_panel(), 2030, backend=backend)
