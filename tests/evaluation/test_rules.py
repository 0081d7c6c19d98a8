"""Hand-computed small cases for every rule of the method file, on every backend.

The base test method (conftest): one pool, 亩均税收 = tax / land_mu with a fixed benchmark 10 and weight
100, so with the default 10 亩 an enterprise's score is simply tax × 1; whole-city ranking; quota 20/40/35/5.
"""

from __future__ import annotations

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from tests.evaluation.conftest import BASE_METHOD, enterprise, make_method, run
from zhizao.evaluation.method import load_method

IND = BASE_METHOD["indicators"][0]


def test_select_t_class_by_industry_age_and_tag(backend: BaseBackend) -> None:
    method = make_method(t_class={"industry_divisions": ["44", "46"], "max_age_years": 2, "tags": ["在建"]})
    rows = [
        enterprise("UTIL", industry_code="4411"),
        enterprise("WATER", industry_code="46"),
        enterprise("NEW", established_on="2023-01-01"),  # founded < 2 years before 2024-12-31
        enterprise("OLD", established_on="2022-12-31"),  # exactly 2 years: graded
        enterprise("BUILD", tags="在建|高新"),
        enterprise("NODATE", established_on=None),
    ]
    out = run(backend, rows, method)
    assert list(out.index[out["class"] == "T"]) == ["BUILD", "NEW", "UTIL", "WATER"]
    assert out.loc["NEW", "reasons"] == "T: 成立不足2年"
    assert out.loc["UTIL", "reasons"] == "T: 行业大类 44/46"
    assert out.loc["BUILD", "reasons"] == "T: 标签「在建」"
    assert out.loc["OLD", "group_size"] == 2  # T firms are not in the quota n
    assert out.loc["UTIL", "total"] != out.loc["UTIL", "total"]  # NaN: T is not scored


def test_select_pools_by_scale_and_land(backend: BaseBackend) -> None:
    method = make_method(
        pools=[
            {"id": "above", "label": "规上", "above_scale": True},
            {"id": "below", "label": "规下", "above_scale": False, "min_land_mu": 3},
        ]
    )
    rows = [
        enterprise("BIG"),
        enterprise("SMALL3", above_scale=False, land_mu=3.0),
        enterprise("TINY", above_scale=False, land_mu=2.9),
    ]
    out = run(backend, rows, method)
    assert out["pool"].fillna("-").to_dict() == {"BIG": "above", "SMALL3": "below", "TINY": "-"}
    assert pd.isna(out.loc["TINY", "class"])
    assert out.loc["TINY", "reasons"] == "不在任何评价范围(池)内"


def test_benchmark_twice_previous_year_mean_of_graded_in_region(backend: BaseBackend) -> None:
    method = load_method("huaian-2024")
    rows = [
        enterprise("A1", year=2023, tax=40.0),  # 亩均税收 4
        enterprise("A2", year=2023, tax=60.0),  # 6
        enterprise("AT", year=2023, tax=1000.0, industry_code="4411"),  # T: not in the mean
        enterprise("B1", year=2023, tax=100.0, region_code="320803"),
        enterprise("A1", tax=50.0),
        enterprise("B1", tax=100.0, region_code="320803"),
        enterprise("C1", tax=100.0, region_code="320804"),  # no previous year in its region
    ]
    out = run(backend, rows, method)
    assert out.loc["A1", "tax_per_mu__benchmark"] == pytest.approx(10.0)  # 2 × mean(4, 6)
    assert out.loc["A1", "tax_per_mu__score"] == pytest.approx(5.0 / 10.0 * 45)
    assert out.loc["B1", "tax_per_mu__benchmark"] == pytest.approx(20.0)
    assert out.loc["B1", "tax_per_mu__score"] == pytest.approx(10.0 / 20.0 * 45)
    assert out.loc["C1", "tax_per_mu__score"] == 0
    assert "缺数据: 亩均税收" in out.loc["C1", "reasons"]


def test_adjustments_veto_downgrade_and_points(backend: BaseBackend) -> None:
    method = make_method(
        adjustments=[
            {"tag": "重大安全事故", "force_class": "D"},
            {"tag": "环保处罚", "downgrade": 1},
            {"tag": "高新技术企业", "points": 15},
        ]
    )
    rows = [enterprise(f"E{i}", tax=float(10 * (i + 1))) for i in range(10)]  # totals 10..100
    rows[9]["tags"] = "重大安全事故"  # rank 1 → still rank 1, class D
    rows[8]["tags"] = "环保处罚"  # rank 2: A → B
    rows[0]["tags"] = "高新技术企业"  # 10 + 15 = 25 → overtakes E1 (20)
    out = run(backend, rows, method)
    assert out.loc["E9", "rank"] == 1
    assert out.loc["E9", "quota_class"] == "A"
    assert out.loc["E9", "class"] == "D"
    assert out.loc["E9", "reasons"] == "否决: 重大安全事故 → D"
    assert (out.loc["E8", "quota_class"], out.loc["E8", "class"]) == ("A", "B")
    assert out.loc["E0", "total"] == pytest.approx(25.0)
    assert out.loc["E0", "rank"] == 9
    assert (out.loc["E1", "rank"], out.loc["E1", "class"]) == (10, "C")  # 10 ≤ round_half_up(0.95 × 10)
    assert out.loc["E0", "reasons"] == "加分 15: 高新技术企业"


def test_scoring_cap_and_floor(backend: BaseBackend) -> None:
    method = make_method(scoring={"method": "ratio", "cap": 1.5, "floor": 0.1})
    rows = [enterprise("HIGH", tax=300.0), enterprise("LOW", tax=0.0), enterprise("MID", tax=120.0)]
    out = run(backend, rows, method)
    assert out["tax_per_mu__score"].to_dict() == pytest.approx({"HIGH": 150.0, "LOW": 10.0, "MID": 120.0})


def test_scoring_negative_numerator_scores_zero(backend: BaseBackend) -> None:
    method = make_method(scoring={"method": "ratio", "floor": 0.1})
    out = run(backend, [enterprise("REFUND", tax=-50.0), enterprise("OK")], method)
    assert out.loc["REFUND", "tax_per_mu__value"] == pytest.approx(-5.0)
    assert out.loc["REFUND", "tax_per_mu__score"] == 0
    assert out.loc["REFUND", "reasons"] == "税收实际贡献为负: 亩均税收 计 0 分"  # no field ids


def test_scoring_inverse_lower_is_better(backend: BaseBackend) -> None:
    ind = {**IND, "direction": "lower", "scoring": {"method": "inverse"}}
    out = run(backend, [enterprise(c, tax=t) for c, t in [("AT", 100.0), ("HALF", 50.0), ("BAD", 250.0)]],
              make_method(indicators=[ind]))  # fmt: skip
    assert out["tax_per_mu__score"].to_dict() == pytest.approx({"AT": 50.0, "HALF": 75.0, "BAD": 0.0})


@pytest.mark.parametrize(
    ("rule", "expected_score", "expected_total"),
    [("zero", 0.0, 0.0), ("pool_mean", 60.0, 60.0), ("penalty", 0.0, -3.0)],
)
def test_missing_rules(backend: BaseBackend, rule: str, expected_score: float, expected_total: float) -> None:
    method = make_method(missing={"rule": rule, "points": 3, "scope": ["pool"]})
    rows = [
        enterprise("ZERO", land_mu=0.0),  # division by zero: missing, never an error
        enterprise("NOLAND", land_mu=None, above_scale=True),
        enterprise("E1", tax=40.0),
        enterprise("E2", tax=80.0),
    ]
    out = run(backend, rows, method)
    for code in ("ZERO", "NOLAND"):
        assert out.loc[code, "tax_per_mu__value"] != out.loc[code, "tax_per_mu__value"]  # NaN
        assert out.loc[code, "tax_per_mu__score"] == pytest.approx(expected_score)
        assert out.loc[code, "total"] == pytest.approx(expected_total)
        words = {"zero": "按零计分", "pool_mean": "按组内平均得分", "penalty": "扣分"}[rule]
        assert out.loc[code, "reasons"] == f"缺数据: 亩均税收（{words}）"


def test_rank_ties_follow_tie_break_then_credit_code(backend: BaseBackend) -> None:
    method = make_method(ranking={"scope": [], "tie_break": [{"field": "tax", "order": "desc"}]})
    rows = [
        enterprise("Z-MORE-TAX", land_mu=20.0, tax=200.0),  # 亩均 10, as the others
        enterprise("B-SAME", tax=100.0),
        enterprise("A-SAME", tax=100.0),
    ]
    out = run(backend, rows, method)
    assert out["rank"].to_dict() == {"Z-MORE-TAX": 1, "A-SAME": 2, "B-SAME": 3}


def test_rank_per_region(backend: BaseBackend) -> None:
    method = make_method(ranking={"scope": ["region"]})
    rows = [enterprise(f"R1-{i}", tax=float(i)) for i in range(1, 4)]
    rows += [enterprise(f"R2-{i}", tax=float(i), region_code="320803") for i in range(1, 3)]
    out = run(backend, rows, method)
    assert out["rank"].to_dict() == {"R1-1": 3, "R1-2": 2, "R1-3": 1, "R2-1": 2, "R2-2": 1}
    assert out["group_size"].to_dict() == {"R1-1": 3, "R1-2": 3, "R1-3": 3, "R2-1": 2, "R2-2": 2}


def test_classify_by_score_threshold(backend: BaseBackend) -> None:
    classes = {
        "mode": "threshold",
        "items": [
            {"id": "A", "label": "优", "min_score": 90},
            {"id": "B", "label": "良", "min_score": 60},
            {"id": "C", "label": "差"},
        ],
    }
    rows = [enterprise(c, tax=t) for c, t in [("E90", 90.0), ("E89", 89.9), ("E60", 60.0), ("E10", 10.0)]]
    out = run(backend, rows, make_method(classes=classes))
    assert out["class"].to_dict() == {"E10": "C", "E60": "B", "E89": "B", "E90": "A"}
