"""Made-up firms with hand-computed numbers, shared by the monitoring tests."""

from __future__ import annotations

import pandas as pd

YEAR = 2025
FIRMS = pd.DataFrame(
    {
        "enterprise_id": [1, 2, 3, 4, 5],
        "credit_code": ["A", "B", "C", "D", "E"],
        "name": ["甲", "乙", "丙", "丁", "戊"],
        "region_code": ["370211", "370212", "370211", "370212", "370211"],
        "industry_code": ["3670", "2611", "3670", "2611", "3611"],
        "division": ["36", "26", "36", "26", "36"],
        "above_scale": [True, True, False, True, True],
        "revenue_last": [50000.0, 3000.0, 100.0, 500.0, None],
        "employees_last": [1200, 100, None, 30, None],
    }
)


def figures() -> pd.DataFrame:
    """A: 当月 110, 120 against 100, 100; B: 累计 150, 300 against 当月 200, 200; C new; D exiting;
    E from a zero base; A's electricity 10, 10 against 8, 8."""
    rows: list[tuple[int, str, int, int, float]] = []
    for m in (1, 2):
        rows += [(1, "output_value", YEAR - 1, m, 100.0), (1, "output_value", YEAR, m, [110.0, 120.0][m - 1])]
        rows += [
            (2, "output_value", YEAR - 1, m, 200.0),
            (2, "output_value_ytd", YEAR, m, [150.0, 300.0][m - 1]),
        ]
        rows += [(3, "output_value", YEAR, m, 50.0), (4, "output_value", YEAR - 1, m, 30.0)]
        rows += [(5, "output_value", YEAR - 1, m, 0.0), (5, "output_value", YEAR, m, 10.0)]
        rows += [(1, "electricity", YEAR - 1, m, 8.0), (1, "electricity", YEAR, m, 10.0)]
    return pd.DataFrame(rows, columns=["enterprise_id", "indicator_id", "year", "month", "value"])


REGIONS = pd.DataFrame({"region_code": ["370211", "370212"], "group": ["370211", "370212"]})
