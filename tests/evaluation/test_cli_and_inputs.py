"""The method file loader, input reading and the `zhizao evaluate` command (DuckDB only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from tests.evaluation.conftest import enterprise
from zhizao.cli.evaluate import evaluate as evaluate_command
from zhizao.errors import InvalidInput
from zhizao.evaluation.inputs import normalise_frame, read_frame
from zhizao.evaluation.method import load_method, parse_method, preset_names

CHINESE_HEADERS = {
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "region_code": "区划代码",
    "industry_code": "行业代码",
    "above_scale": "是否规上",
    "established_on": "成立日期",
    "tags": "标签",
    "year": "年度",
    "land_mu": "用地面积(亩)",
    "tax": "税收实际贡献(万元)",
    "revenue": "营业收入",
    "energy_tce": "综合能耗(吨标准煤)",
}


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    app.command("evaluate")(evaluate_command)
    app.command("noop")(lambda: None)  # keeps `evaluate` a named sub-command
    return app


def sample_csv(path: Path) -> Path:
    rows = [enterprise(f"E{i:02d}", tax=float(10 + i), year=y) for y in (2023, 2024) for i in range(10)]
    rows[-1]["industry_code"] = "4411"
    frame = pd.DataFrame(rows).rename(columns=CHINESE_HEADERS)
    frame["是否规上"] = "是"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_load_presets_all_valid_and_name_sources() -> None:
    assert {"huaian-2024", "huangyan-2022", "shandong", "jingde-minmax"} <= set(preset_names())
    for name in preset_names():
        method = load_method(name)
        assert method.sources, name
        assert len(method.digest()) == 64


def test_parse_method_names_the_bad_key() -> None:
    text = (
        Path(load_method.__code__.co_filename)
        .parent.joinpath("presets", "huaian-2024.yaml")
        .read_text("utf-8")
    )
    bad = text.replace("min_land_mu: 3", "min_land_mu: three")
    with pytest.raises(InvalidInput) as caught:
        parse_method(bad)
    assert "pools.1.min_land_mu" in caught.value.message
    with pytest.raises(InvalidInput, match=r"pools\.0\.colour"):
        parse_method(text.replace("label: 规上\n", "label: 规上\n    colour: red\n"))
    with pytest.raises(InvalidInput, match="add up to 1"):
        parse_method(text.replace("share: 0.05", "share: 0.06"))


def test_parse_method_accepts_toml() -> None:
    toml = """
id = "t"
title = "toml"
[[pools]]
id = "all"
label = "全部"
[[indicators]]
id = "tax_per_mu"
label = "亩均税收"
numerator = "tax"
denominator = "land_mu"
weight = 100
[classes]
mode = "threshold"
items = [{id = "A", label = "优", min_score = 50}, {id = "B", label = "其他"}]
"""
    assert parse_method(toml, toml=True).indicators[0].weight == 100


def test_read_frame_chinese_headers(tmp_path: Path) -> None:
    frame = read_frame(sample_csv(tmp_path / "in.csv"))
    assert {"credit_code", "tax", "land_mu", "above_scale"} <= set(frame.columns)
    assert frame["above_scale"].all()
    assert frame["region_code"].iloc[0] == "320800"


def test_normalise_frame_reports_row_and_column() -> None:
    frame = pd.DataFrame([enterprise("E1"), enterprise("E2", tax="abc", above_scale="maybe")])
    with pytest.raises(InvalidInput) as caught:
        normalise_frame(frame)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(3, "tax"), (3, "above_scale")}


def test_cli_evaluate_writes_one_row_per_enterprise(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    data = str(sample_csv(tmp_path / "in.csv"))
    args = ["evaluate", "--method", "huaian-2024", "--year", "2024", "--data", data, "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--sensitivity", "20"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"credit_code": str})
    assert len(table) == 10
    assert (table["class"] == "T").sum() == 1
    assert {"tax_per_mu__value", "tax_per_mu__benchmark", "tax_per_mu__score", "reasons", "share_A"} <= set(
        table.columns
    )


def test_cli_evaluate_unknown_method_is_a_message(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "--method", "nowhere", "--year", "2024", "--out", "x.csv"])
    assert result.exit_code == 1
    assert "没有这个评价方法" in result.output
