"""Sensitivity analysis: vectorised perturbation of the weights over the materialised indicator matrix."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.evaluation.conftest import enterprise, make_method
from zhizao.evaluation.method import load_method
from zhizao.evaluation.pipeline import evaluate
from zhizao.evaluation.sensitivity import sensitivity


def test_sensitivity_without_noise_reproduces_the_evaluation() -> None:
    rows = [enterprise(f"E{i:02d}", tax=float(10 + i), revenue=float(2000 - 37 * i)) for i in range(30)]
    rows += [enterprise(f"P{i:02d}", year=2023, tax=float(10 + i), revenue=1500.0) for i in range(30)]
    result = evaluate(pd.DataFrame(rows), load_method("huaian-2024"), 2024)
    out = sensitivity(result, runs=7, weight_noise=0.0, chunk=3)
    assert out.stable_share == 1.0
    base = result.to_pandas().set_index("credit_code")
    per = out.per_enterprise.set_index("credit_code")
    for code, row in per.iterrows():
        assert row[f"share_{base.loc[code, 'class']}"] == 1.0
        assert row["rank_min"] == row["rank_max"] == base.loc[code, "rank"]


def test_sensitivity_with_noise_moves_only_close_enterprises() -> None:
    method = make_method(
        indicators=[
            {
                "id": "tax_per_mu",
                "label": "亩均税收",
                "numerator": "tax",
                "denominator": "land_mu",
                "weight": 50,
                "benchmark": {"method": "fixed", "values": {"*": 10}},
            },
            {
                "id": "rev_per_mu",
                "label": "亩均销售收入",
                "numerator": "revenue",
                "denominator": "land_mu",
                "weight": 50,
                "benchmark": {"method": "fixed", "values": {"*": 100}},
            },
        ],
        adjustments=[{"tag": "否决", "force_class": "D"}],
    )
    rows = [enterprise(f"E{i:02d}", tax=float(i), revenue=float(10 * i)) for i in range(1, 21)]
    rows.append(enterprise("SWING1", tax=50.0, revenue=1.0))
    rows.append(enterprise("SWING2", tax=1.0, revenue=500.0))
    rows.append(enterprise("VETO", tax=100.0, revenue=1000.0, tags="否决"))
    out = sensitivity(evaluate(pd.DataFrame(rows), method, 2024), runs=200, weight_noise=0.5, seed=1)
    per = out.per_enterprise.set_index("credit_code")
    assert per.loc["VETO", "share_D"] == 1.0
    assert per.loc["VETO", "rank_min"] == per.loc["VETO", "rank_max"] == 1
    assert per.loc["E01", "stable"]
    assert not per.loc["SWING1", "stable"]
    assert per.loc["SWING1", "rank_min"] < per.loc["SWING1", "rank_max"]
    assert 0 < out.stable_share < 1
    assert per.filter(like="share_").sum(axis=1).to_numpy() == pytest.approx(1.0)
