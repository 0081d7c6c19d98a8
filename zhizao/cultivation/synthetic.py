"""A synthetic population for the engine: enterprises, figures, titles and declared facts as frames.

Deterministic (a seeded generator); used by the backend parity test and the benchmark. Not demo data:
no names or places, only what the criteria read.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

DECLARED_KEYS = (
    "debt_ratio",
    "main_revenue_share",
    "market_years",
    "ip_level",
    "strategic_field",
    "equity_2y",
    "rd_staff_share",
    "zjtx_score",
)
TITLE_NAMES = ("gaoqi", "chuangxinxing", "zhuanjingtexin", "xiaojuren", "beizeng")


def population(
    n: int, *, last_year: int = 2025, seed: int = 7, regions: tuple[str, ...] = ("R01", "R02", "R03")
) -> dict[str, pd.DataFrame]:
    """`n` enterprises with three years of whole-year figures, Q1 months of two years, some titles and
    some declared facts; about a tenth of each value is missing."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n + 1, dtype="int64")
    divisions = rng.choice(["13", "26", "33", "38", "39", "44", "51", "65"], n)
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ids,
            "credit_code": [f"S{i:017d}" for i in ids],
            "name": [f"E{i}" for i in ids],
            "region_code": rng.choice(list(regions), n),  # labels only: no criterion reads the region
            "industry_code": [f"{d}{rng.integers(10, 99)}" for d in divisions],
            "established_on": [date(2000, 1, 1) + timedelta(days=int(x)) for x in rng.integers(0, 9300, n)],
            "above_scale": rng.random(n) < 0.3,
        }
    )
    revenue = np.exp(rng.normal(7.6, 1.3, n))  # 万元, median about 2000
    rows = []
    for back in range(3):
        year = last_year - back
        scale = (1 + rng.normal(0.08, 0.12, n)) ** -back
        rows.append(_long(ids, "revenue", year, 0, revenue * scale, rng))
        rows.append(_long(ids, "output_value", year, 0, revenue * scale * 1.05, rng))
        rows.append(_long(ids, "rd_expense", year, 0, revenue * scale * rng.uniform(0, 0.08, n), rng))
        rows.append(_long(ids, "employees", year, 0, np.round(np.exp(rng.normal(4, 1.2, n))), rng))
    rows.append(_long(ids, "output_value", last_year - 2, 0, revenue * 0.8, rng))
    rows.append(
        _long(ids, "output_value_expected", last_year + 1, 0, revenue * rng.uniform(0.9, 1.6, n), rng)
    )
    for year, factor in ((last_year, 1.0), (last_year + 1, 1.2)):
        for month in (1, 2, 3):
            rows.append(_long(ids, "output_value", year, month, revenue * factor / 12, rng))
    figures = pd.concat(rows, ignore_index=True)
    titles = _titles(ids, rng, last_year)
    declared = pd.concat(
        [_long(ids, key, 0, 0, rng.uniform(0, 100, n), rng) for key in DECLARED_KEYS], ignore_index=True
    ).rename(columns={"indicator_id": "key"})[["enterprise_id", "key", "value"]]
    return {"enterprises": enterprises, "figures": figures, "titles": titles, "declared": declared}


def _long(
    ids: np.ndarray, indicator: str, year: int, month: int, values: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    keep = rng.random(len(ids)) > 0.1
    return pd.DataFrame(
        {
            "enterprise_id": ids[keep],
            "indicator_id": indicator,
            "year": year,
            "month": month,
            "value": np.round(values[keep], 2),
        }
    )


def _titles(ids: np.ndarray, rng: np.random.Generator, last_year: int) -> pd.DataFrame:
    frames = []
    for name in TITLE_NAMES:
        holders = ids[rng.random(len(ids)) < 0.08]
        start = [date(last_year - int(k), 7, 1) for k in rng.integers(0, 4, len(holders))]
        frames.append(
            pd.DataFrame(
                {
                    "enterprise_id": holders,
                    "title": name,
                    "valid_from": start,
                    "valid_to": [date(s.year + 3, 6, 30) for s in start],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
