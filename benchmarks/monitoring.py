"""Benchmark: one month's monitoring analysis of 1,000,000 firms × 24 months of 当月 output on DuckDB,
beside the same analysis written in pandas, in the same process.

The figures are made up: every firm reports 当月 工业总产值 for 24 months (two years), a few firms start or
stop in between, so some are new or exiting. Timed: `zhizao.monitoring.analysis.analyse` for one month
(June), grouped by region (20 districts), with the top firms, on tables already loaded into DuckDB; and a
pandas version of the same numbers (running 累计, like-for-like join, sums by district). Both must agree.
Not a test; prints figures.

    .venv/bin/python benchmarks/monitoring.py [--firms 1000000] [--month 6]
"""

from __future__ import annotations

import argparse
import time

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa

from zhizao.monitoring.analysis import Inputs, analyse

YEAR = 2025


def synthetic(firms: int, seed: int = 0) -> tuple[pa.Table, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    base = rng.lognormal(6.0, 1.2, firms)
    growth = rng.normal(0.05, 0.1, firms)
    first = np.where(rng.random(firms) < 0.03, rng.integers(1, 24, firms), 0)  # starts later (new)
    last = np.where(rng.random(firms) < 0.03, rng.integers(0, 23, firms), 23)  # stops earlier (exits)
    t = np.tile(np.arange(24, dtype=np.int64), firms)
    e = np.repeat(np.arange(firms, dtype=np.int64), 24)
    keep = (t >= np.repeat(first, 24)) & (t <= np.repeat(last, 24))
    value = np.repeat(base, 24) * (1 + np.repeat(growth, 24) * (t >= 12)) * rng.normal(1, 0.05, len(t))
    figures = pa.table(
        {
            "enterprise_id": e[keep],
            "indicator_id": pa.DictionaryArray.from_arrays(
                np.zeros(int(keep.sum()), dtype=np.int8), pa.array(["output_value"])
            ).cast(pa.string()),
            "year": (YEAR - 1 + t // 12)[keep],
            "month": (t % 12 + 1)[keep],
            "value": value[keep],
        }
    )
    regions = np.array([f"3702{i:02d}" for i in range(1, 21)])
    firm_frame = pd.DataFrame(
        {
            "enterprise_id": np.arange(firms, dtype=np.int64),
            "credit_code": [f"C{i:017d}" for i in range(firms)],
            "name": [f"企业{i}" for i in range(firms)],
            "region_code": regions[rng.integers(0, 20, firms)],
            "industry_code": np.char.add(rng.integers(13, 44, firms).astype(str), "10"),
            "above_scale": rng.random(firms) < 0.8,
            "revenue_last": base * 12,
            "employees_last": rng.integers(10, 2000, firms).astype(float),
        }
    )
    firm_frame["division"] = firm_frame.industry_code.str[:2]
    return figures, firm_frame


def pandas_version(figures: pd.DataFrame, firms: pd.DataFrame, month: int) -> pd.DataFrame:
    f = figures[figures.month <= month].sort_values(["enterprise_id", "year", "month"])
    f["cum"] = f.groupby(["enterprise_id", "year"]).value.cumsum()
    at = f[f.month == month]
    now = at[at.year == YEAR].set_index("enterprise_id").cum.rename("c")
    prev = at[at.year == YEAR - 1].set_index("enterprise_id").cum.rename("p")
    both = pd.concat([now, prev], axis=1, join="inner").join(firms.set_index("enterprise_id").region_code)
    sums = both.groupby("region_code").agg(c=("c", "sum"), p=("p", "sum"), firms=("c", "size"))
    sums["growing"] = (both.c > both.p).groupby(both.region_code).sum()
    sums["growth"] = (sums.c / sums.p - 1) * 100
    sums["contribution_pp"] = (sums.c - sums.p) / sums.p.sum() * 100
    return sums


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--month", type=int, default=6)
    args = parser.parse_args()

    figures, firms = synthetic(args.firms)
    print(f"{args.firms:,} firms, {figures.num_rows:,} monthly figures (24 months)")
    con = ibis.duckdb.connect()
    started = time.perf_counter()
    inputs = Inputs(
        con.create_table("figures", ibis.memtable(figures)),
        con.create_table("firms", ibis.memtable(pa.Table.from_pandas(firms, preserve_index=False))),
    )
    mapping = pd.DataFrame({"region_code": sorted(firms.region_code.unique())})
    mapping["group"] = mapping.region_code
    inputs = Inputs(inputs.figures, inputs.firms, con.create_table("regions", ibis.memtable(mapping)))
    loaded = time.perf_counter() - started

    started = time.perf_counter()
    result = analyse(
        con, inputs, year=YEAR, month=args.month, by="region", beside=None, top=10, history=False
    )
    duck = time.perf_counter() - started

    frame = figures.to_pandas()
    started = time.perf_counter()
    expected = pandas_version(frame, firms, args.month)
    pandas_time = time.perf_counter() - started

    got = {g.group: g for g in result.groups}
    worst = max(abs(got[r].growth - row.growth) for r, row in expected.iterrows())  # type: ignore[operator]
    assert worst < 1e-9, worst
    print(f"load into DuckDB:            {loaded:6.2f} s (once per session)")
    print(f"analyse one month on DuckDB: {duck:6.2f} s  (total growth {result.total.growth:.2f} %)")
    print(f"same numbers in pandas:      {pandas_time:6.2f} s  ({pandas_time / duck:.1f}× the DuckDB time)")
    print(f"largest growth difference:   {worst:.2e} pp")


if __name__ == "__main__":
    main()
