from __future__ import annotations

import pandas as pd
from ibis.backends import BaseBackend

from zhizao.monitoring.analysis import Inputs
from zhizao.monitoring.warnings import Thresholds, find_warnings

from .firms import FIRMS, YEAR, figures


def _figures() -> pd.DataFrame:
    extra = [(5, "electricity", y, m, v) for m in (1, 2) for y, v in ((YEAR - 1, 10.0), (YEAR, 5.0))]
    return pd.concat([figures(), pd.DataFrame(extra, columns=figures().columns)], ignore_index=True)


def _kinds(backend: BaseBackend, thresholds: Thresholds | None = None) -> set[tuple[str, str]]:
    found = find_warnings(backend, Inputs.of(_figures(), FIRMS), year=YEAR, month=2, thresholds=thresholds)
    return {(w.credit_code, w.kind) for w in found}


def test_find_warnings_with_evidence(backend: BaseBackend) -> None:
    assert _kinds(backend) == {
        ("B", "output_drop"),  # 300 against 400
        ("B", "falling_months"),  # 当月 150 < 200 in months 1 and 2
        ("B", "heavy_drag"),  # two thirds of the base
        ("D", "stopped"),  # reported last year, not this year
        ("E", "electricity_drop"),  # 10 against 20
    }
    found = find_warnings(backend, Inputs.of(_figures(), FIRMS), year=YEAR, month=2)
    heavy = next(w for w in found if w.kind == "heavy_drag")
    assert "拉低总量16.67个百分点" in heavy.evidence and heavy.region_code == "370212"


def test_thresholds_are_configurable(backend: BaseBackend) -> None:
    kinds = _kinds(backend, Thresholds(output_drop=0.3, electricity_drop=0.6, weight=0.9))
    assert kinds == {("B", "falling_months"), ("D", "stopped")}


def test_firm_that_stops_mid_year_is_flagged(backend: BaseBackend) -> None:
    rows = [(9, "output_value", YEAR, 1, 10.0)]
    frame = pd.DataFrame(rows, columns=figures().columns)
    firms = pd.concat([FIRMS, FIRMS.iloc[[0]].assign(enterprise_id=9, credit_code="Z")])
    found = find_warnings(backend, Inputs.of(frame, firms), year=YEAR, month=2)
    assert [(w.credit_code, w.kind) for w in found] == [("Z", "stopped")]
