"""Index definition files and `zhizao index run`: the COINr example coin and the Overview pipeline written
as definition files reproduce COINr's index and ranks; bad definitions and data give clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.composite.definition import IndexDefinition, load_definition, parse_definition
from zhizao.composite.pipeline import run_index
from zhizao.composite.sensitivity import index_sensitivity, index_sobol
from zhizao.errors import InvalidInput

from .conftest import Asem


def asem_definition(asem: Asem, **steps: Any) -> dict[str, Any]:
    meta = asem.meta
    indicators = [
        {
            "code": r.iCode,
            "name": r.iName,
            "parent": r.Parent,
            "direction": int(r.Direction),
            "unit": r.Unit,
            "weight": float(r.Weight),
            **({"denominator": r.Denominator} if isinstance(r.Denominator, str) else {}),
        }
        for r in meta[meta.Type == "Indicator"].itertuples()
    ]
    aggregates = [
        {
            "code": r.iCode,
            "name": r.iName,
            "weight": float(r.Weight),
            **({"parent": r.Parent} if isinstance(r.Parent, str) else {}),
        }
        for r in meta[meta.Type == "Aggregate"].itertuples()
    ]
    return {
        "name": "ASEM Sustainable Connectivity",
        "unit_column": "uCode",
        "indicators": indicators,
        "aggregates": aggregates,
        "steps": steps,
    }


def test_example_coin_as_a_definition_reproduces_coinr(asem: Asem) -> None:
    defn = parse_definition(
        yaml.safe_dump(asem_definition(asem, impute="group_mean", impute_group="EurAsia_group", winmax=5))
    )
    result = run_index(defn, pd.read_csv(asem.folder / "input_ASEM_iData.csv")).scores.set_index("uCode")
    expected = asem.table("example_coin_results_full_scores.csv")
    result = result.loc[expected.index]
    np.testing.assert_allclose(result.Index, expected.Index, rtol=1e-9)
    np.testing.assert_array_equal(result["rank"], expected.Rank)
    np.testing.assert_allclose(result.Physical, expected.Physical, rtol=1e-9)


def test_cli_index_run_writes_the_overview_pipeline(asem: Asem, tmp_path: Path) -> None:
    definition = tmp_path / "asem.yaml"
    definition.write_text(
        yaml.safe_dump(asem_definition(asem, screen=0.9), allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path / "index.csv"
    result = CliRunner().invoke(
        app,
        [
            "index",
            "run",
            "--definition",
            str(definition),
            "--data",
            str(asem.folder / "input_ASEM_iData.csv"),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "数据不足" in result.output
    written = pd.read_csv(out, encoding="utf-8-sig").set_index("uCode").sort_index()
    expected = asem.table("overview_pipeline_results_aggs.csv")
    assert list(written.index) == list(expected.index)
    np.testing.assert_allclose(written.Index, expected.Index, rtol=1e-9)
    np.testing.assert_array_equal(written["rank"], expected.Rank)


def test_distance_to_target_indicator_scores_against_the_target() -> None:
    # x = (1, 2, 4), target 3: 1 − (3 − x)/(3 − 1) = 0, ½, 1.5 → capped at 1; × 100.
    defn = parse_definition(
        """
name: t
indicators:
  - {code: a, parent: index, normalisation: dist_to_target, target: 3}
  - {code: b, parent: index, weight: 0}
aggregates:
  - {code: index}
steps: {treat: false}
"""
    )
    scores = run_index(defn, pd.DataFrame({"unit": ["x", "y", "z"], "a": [1, 2, 4], "b": [1, 2, 3]})).scores
    np.testing.assert_allclose(scores.a, [0, 50, 100])
    np.testing.assert_allclose(scores["index"], [0, 50, 100])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\nindicators: []\naggregates: [{code: i}]", "indicators"),
        (
            "name: x\nindicators: [{code: a, parent: p}]\naggregates: [{code: i}]",
            "parent p is not an aggregate",
        ),
        (
            "name: x\nindicators: [{code: a, parent: i, direction: 2}]\naggregates: [{code: i}]",
            "indicators.0.direction",
        ),
        (
            "name: x\nindicators: [{code: a, parent: i, normalisation: dist_to_target}]\n"
            "aggregates: [{code: i}]",
            "needs a target",
        ),
        (
            "name: x\nindicators: [{code: a, parent: i}]\naggregates: [{code: i}, {code: j}]",
            "exactly one aggregate",
        ),
        (
            "name: x\nindicators: [{code: a, parent: i}]\naggregates: [{code: i}]\n"
            "steps: {impute: group_mean}",
            "impute_group",
        ),
        (
            "name: x\nindicators: [{code: a, parent: i, colour: red}]\naggregates: [{code: i}]",
            "indicators.0.colour",
        ),
        ("- just a list", "顶层"),
    ],
)
def test_bad_definitions_name_the_key(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_definition(text)


def test_bad_data_names_the_column_and_row() -> None:
    defn = parse_definition("name: x\nindicators: [{code: a, parent: i}]\naggregates: [{code: i}]")
    with pytest.raises(InvalidInput, match="缺少列: a"):
        run_index(defn, pd.DataFrame({"unit": ["x"]}))
    with pytest.raises(InvalidInput, match="不是数字") as info:
        run_index(defn, pd.DataFrame({"unit": ["x", "y"], "a": ["1", "abc"]}))
    assert (info.value.problems[0].row, info.value.problems[0].column) == (3, "a")
    with_denominator = parse_definition(
        "name: x\nindicators: [{code: a, parent: i, denominator: pop}]\naggregates: [{code: i}]"
    )
    with pytest.raises(InvalidInput, match="不是数字") as info:
        run_index(with_denominator, pd.DataFrame({"unit": ["x", "y"], "a": [1, 2], "pop": [1, "n/a"]}))
    assert info.value.problems[0].column == "pop"


def test_cli_index_run_refuses_an_unknown_backend(asem: Asem, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "index",
            "run",
            "--definition",
            "regional-hqd",
            "--data",
            str(asem.folder / "input_ASEM_iData.csv"),
            "--out",
            str(tmp_path / "x.csv"),
            "--backend",
            "oracle",
        ],
    )
    assert result.exit_code != 0 and "不支持的计算后端 oracle" in result.output


def test_cli_reports_a_missing_definition_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["index", "run", "--definition", str(tmp_path / "no.yaml"), "--data", "x.csv", "--out", "o.csv"]
    )
    assert result.exit_code == 1
    assert "没有这个指数定义文件" in result.output
    with pytest.raises(InvalidInput):
        load_definition(tmp_path / "no.yaml")


def regional_panel(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    defn = load_definition("regional-hqd")
    rows = []
    for year in (2024, 2025):
        for r in range(8):
            row: dict[str, Any] = {"region_code": f"R{r}", "year": year, "population_10k": 50 + 10 * r}
            for ind in defn.indicators:
                row[ind.code] = float(rng.lognormal(1.0, 0.5))
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame.loc[(frame.region_code == "R0") & (frame.year == 2024), "rd_intensity"] = 3.0  # past the 2.2 target
    frame.loc[(frame.region_code == "R1") & (frame.year == 2025), "tax_per_mu"] = np.nan  # filled from 2024
    return frame


def test_shipped_regional_definition_runs_per_year() -> None:
    defn = load_definition("regional-hqd")
    assert [a.code for a in defn.aggregates if a.parent == "index"] == [
        "innovation",
        "structure",
        "efficiency",
        "green",
        "digital",
        "openness",
    ]
    frame = regional_panel()
    scores = run_index(defn, frame).scores
    for year in (2024, 2025):
        ranks = scores.loc[scores.year == year, "rank"]
        assert sorted(ranks) == list(range(1, 9))
    r0 = scores[(scores.region_code == "R0") & (scores.year == 2024)]
    assert r0.rd_intensity.item() == 100.0  # distance to target, capped
    assert not scores["index"].isna().any()
    only_2025 = run_index(defn, frame, year=2025).scores
    assert set(only_2025.year) == {2025}
    # The year is chosen after imputation, so R1's 2025 gap still takes its 2024 value: R1 gets the same
    # tax_per_mu score as a region whose 2025 value equals R1's 2024 value would.
    filled = frame.copy()
    r1 = filled.region_code == "R1"
    filled.loc[r1 & (filled.year == 2025), "tax_per_mu"] = filled.loc[
        r1 & (filled.year == 2024), "tax_per_mu"
    ].item()
    explicit = run_index(defn, filled, year=2025).scores
    np.testing.assert_allclose(only_2025["index"], explicit["index"], rtol=1e-15)


def test_sensitivity_without_noise_keeps_the_nominal_rank(asem: Asem) -> None:
    defn = parse_definition(
        yaml.safe_dump(asem_definition(asem, impute="group_mean", impute_group="EurAsia_group"))
    )
    frame = pd.read_csv(asem.folder / "input_ASEM_iData.csv")
    table = index_sensitivity(defn, frame, runs=5, weight_noise=0.0)
    np.testing.assert_array_equal(table.rank_q5, table["rank"])
    np.testing.assert_array_equal(table.rank_q95, table["rank"])
    noisy = index_sensitivity(defn, frame, runs=200, weight_noise=0.25, drop_share=0.5, seed=1)
    assert (noisy.rank_q5 <= noisy["rank"]).mean() > 0.9 and (noisy.rank_q95 > noisy.rank_q5).any()


def test_cli_index_sensitivity_writes_rank_intervals(asem: Asem, tmp_path: Path) -> None:
    definition = tmp_path / "asem.yaml"
    definition.write_text(
        yaml.safe_dump(
            asem_definition(asem, impute="group_mean", impute_group="EurAsia_group"), allow_unicode=True
        ),
        encoding="utf-8",
    )
    out = tmp_path / "ua.parquet"
    args = [
        "index",
        "sensitivity",
        "--definition",
        str(definition),
        "--data",
        str(asem.folder / "input_ASEM_iData.csv"),
    ]
    result = CliRunner().invoke(
        app,
        [
            *args,
            "--out",
            str(out),
            "--runs",
            "100",
            "--aggregation",
            "arithmetic",
            "--aggregation",
            "geometric",
        ],
    )
    # min–max to [0, 100] has zeros, which the geometric mean cannot take: a clear error, no file.
    assert result.exit_code == 1 and "positive" in result.output and not out.exists()
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--runs", "100"])
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert list(table.columns[-5:]) == ["rank", "rank_mean", "rank_median", "rank_q5", "rank_q95"]
    assert len(table) == 51


def _asem_index(asem: Asem) -> tuple[IndexDefinition, pd.DataFrame]:
    defn = parse_definition(
        yaml.safe_dump(asem_definition(asem, impute="group_mean", impute_group="EurAsia_group"))
    )
    return defn, pd.read_csv(asem.folder / "input_ASEM_iData.csv")


def test_sensitivity_over_normalisations_moves_ranks_without_weight_noise(asem: Asem) -> None:
    defn, frame = _asem_index(asem)
    table = index_sensitivity(defn, frame, runs=50, weight_noise=0.0, normalisations=("rank", "minmax"))
    assert (table.rank_q95 > table.rank_q5).any()  # the rank normalisation reorders some units
    with pytest.raises(InvalidInput, match="normalisation"):
        index_sensitivity(defn, frame, runs=5, normalisations=("cubic",))


def test_sobol_indices_name_the_input_that_moves_the_ranks(asem: Asem) -> None:
    defn, frame = _asem_index(asem)
    # Two identical aggregations are a choice without effect: its indices are exactly 0.
    table = index_sobol(defn, frame, runs=64, aggregations=("arithmetic", "arithmetic")).set_index("factor")
    assert list(table.index) == ["weights", "aggregation"]
    assert table.loc["aggregation", "total"] == 0 and table.loc["aggregation", "first"] == 0
    assert table.loc["weights", "total"] > 0.5
    both = index_sobol(defn, frame, runs=64, drop_share=0.5, normalisations=("rank",)).set_index("factor")
    assert list(both.index) == ["weights", "drop", "normalisation"]
    assert (both.total >= -0.05).all() and both.loc["normalisation", "名称"] == "标准化方法"
    with pytest.raises(InvalidInput, match="没有可变的输入"):
        index_sobol(defn, frame, runs=8, weight_noise=0.0)


def test_cli_index_sensitivity_writes_sobol_indices(asem: Asem, tmp_path: Path) -> None:
    definition = tmp_path / "asem.yaml"
    definition.write_text(
        yaml.safe_dump(
            asem_definition(asem, impute="group_mean", impute_group="EurAsia_group"), allow_unicode=True
        ),
        encoding="utf-8",
    )
    sobol = tmp_path / "sobol.csv"
    result = CliRunner().invoke(
        app,
        [
            "index",
            "sensitivity",
            "--definition",
            str(definition),
            "--data",
            str(asem.folder / "input_ASEM_iData.csv"),
            "--out",
            str(tmp_path / "ua.csv"),
            "--runs",
            "40",
            "--normalisation",
            "rank",
            "--sobol",
            str(sobol),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "标准化方法: 一阶" in result.output
    assert list(pd.read_csv(sobol).factor) == ["weights", "normalisation"]


def test_a_constant_indicator_is_left_out_rather_than_failing_the_index() -> None:
    defn = parse_definition(
        yaml.safe_dump(
            {
                "name": "t",
                "indicators": [
                    {"code": "a", "parent": "index"},
                    {"code": "b", "parent": "index"},
                ],
                "aggregates": [{"code": "index"}],
                "steps": {"treat": False},
            }
        )
    )
    frame = pd.DataFrame({"unit": ["x", "y", "z"], "a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    scores = run_index(defn, frame).scores.set_index("unit")
    assert scores["b"].isna().all()
    assert list(scores["index"]) == [0.0, 50.0, 100.0]  # the index is indicator a's score alone
