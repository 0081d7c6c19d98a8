"""The worked examples of docs (shared/domain/mu-efficiency.md §6), on every backend."""

from __future__ import annotations

import pytest
from ibis.backends import BaseBackend

from tests.evaluation.conftest import enterprise, make_method, run
from zhizao.evaluation.method import load_method


def test_evaluate_huangyan_hypothetical_firms(backend: BaseBackend) -> None:
    above = enterprise(
        "HY1",
        land_mu=45.0,
        tax=900.0,
        value_added=5200.0,
        energy_tce=2600.0,
        emission_eq=1.3,
        employees=310.0,
        rd_expense=410.0,
        revenue=15000.0,
        year=2022,
    )
    below = enterprise("HY2", above_scale=False, land_mu=8.0, tax=70.0, electricity=260.0, year=2022)
    out = run(backend, [above, below], load_method("huangyan-2022"), year=2022)
    scores = out.loc["HY1"]
    assert scores["tax_per_mu__score"] == pytest.approx(24.8994, abs=1e-4)
    assert scores["va_per_mu__score"] == pytest.approx(16.9735, abs=1e-4)
    assert scores["va_per_tce__score"] == pytest.approx(14.8478, abs=1e-4)
    assert scores["va_per_emission__score"] == pytest.approx(8.1139, abs=1e-4)
    assert scores["labour_productivity__score"] == pytest.approx(9.2471, abs=1e-4)
    assert scores["rd_intensity__score"] == pytest.approx(9.0508, abs=1e-4)
    assert round(scores["total"], 2) == 83.13
    assert out.loc["HY2", "tax_per_mu__score"] == pytest.approx(37.738, abs=1e-3)
    assert out.loc["HY2", "tax_per_kwh__score"] == pytest.approx(57.234, abs=1e-3)
    assert round(out.loc["HY2", "total"], 2) == 94.97


def test_evaluate_jingde_minmax_check(backend: BaseBackend) -> None:
    """x = 20, min = 2, max = 50, w = 40 → 40 × (20 + 80 × 18/48) / 100 = 20.0."""
    method = make_method(
        indicators=[
            {
                "id": "tax_per_mu",
                "label": "亩均税收",
                "numerator": "tax",
                "denominator": "land_mu",
                "weight": 40,
            }
        ],
        scoring={"method": "minmax", "floor_points": 20, "scope": ["pool"]},
    )
    rows = [
        enterprise(code, land_mu=1.0, tax=tax) for code, tax in (("MIN", 2.0), ("MID", 20.0), ("MAX", 50.0))
    ]
    out = run(backend, rows, method)
    assert out.loc["MID", "tax_per_mu__score"] == pytest.approx(20.0)
    assert out.loc["MIN", "tax_per_mu__score"] == pytest.approx(8.0)
    assert out.loc["MAX", "tax_per_mu__score"] == pytest.approx(40.0)


def test_evaluate_jingde_preset_runs(backend: BaseBackend) -> None:
    rows = [
        enterprise(f"J{i}", tax=10.0 * (i + 1), value_added=50.0, employees=10.0, rd_expense=5.0)
        for i in range(4)
    ]
    out = run(backend, rows, load_method("jingde-minmax"))
    assert out.loc["J3", "rank"] == 1
    assert out.loc["J0", "tax_per_mu__score"] == pytest.approx(45 * 0.2)
