"""Fixtures of the evaluation suite: a `backend` parametrized over DuckDB and PySpark, like ibis's own."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from zhizao.evaluation.method import Method
from zhizao.evaluation.pipeline import evaluate

BASE_METHOD: dict[str, Any] = {
    "id": "test",
    "title": "hand-computed test method",
    "pools": [{"id": "all", "label": "全部"}],
    "indicators": [
        {
            "id": "tax_per_mu",
            "label": "亩均税收",
            "numerator": "tax",
            "denominator": "land_mu",
            "weight": 100,
            "benchmark": {"method": "fixed", "values": {"*": 10}},
        }
    ],
    "ranking": {"scope": []},
    "classes": {
        "items": [
            {"id": "A", "label": "优先发展类", "share": 0.2},
            {"id": "B", "label": "鼓励提升类", "share": 0.4},
            {"id": "C", "label": "监管调控类", "share": 0.35},
            {"id": "D", "label": "落后整治类", "share": 0.05},
        ]
    },
}


def make_method(**changes: Any) -> Method:
    """The base test method with top-level keys replaced."""
    data = copy.deepcopy(BASE_METHOD)
    data.update(changes)
    return Method.model_validate(data)


def enterprise(code: str, **fields: Any) -> dict[str, Any]:
    """One input row with harmless defaults (规上, 10 亩, founded 2000, year 2024)."""
    row: dict[str, Any] = {
        "credit_code": code,
        "name": f"企业{code}",
        "region_code": "320800",
        "industry_code": "3411",
        "above_scale": True,
        "established_on": "2000-01-01",
        "tags": "",
        "year": 2024,
        "land_mu": 10.0,
        "tax": 100.0,
        "revenue": 1000.0,
        "energy_tce": 100.0,
    }
    row.update(fields)
    return row


def run(backend: BaseBackend, rows: list[dict[str, Any]], method: Method, year: int = 2024) -> pd.DataFrame:
    """Every working column of the evaluation, indexed by credit code."""
    result = evaluate(pd.DataFrame(rows), method, year, backend=backend)
    return result.execute(result.table).set_index("credit_code").sort_index()
