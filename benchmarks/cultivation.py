"""Benchmark: every enterprise × every shipped cultivation programme on DuckDB, beside plain pandas.

Builds a synthetic population (`zhizao.cultivation.synthetic`: three years of figures, Q1 months, titles and
declared facts) and times, in the same process:

- the user's path: `evaluate_population` over every shipped programme as one Ibis expression, executed on
  DuckDB to an Arrow table (every criterion's state, value and points; status, level and rank score);
- a plain pandas version of two programmes only (`above-scale` and `xiaoshenggui`: pivot, then column
  arithmetic), as a baseline for what a hand-written script costs.

The two pandas programmes are checked against the engine's statuses. Not a test; prints figures.

    .venv/bin/python benchmarks/cultivation.py [--enterprises 100000] [--as-of 2026-06-30]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import ibis
import numpy as np
import pandas as pd

from zhizao.cultivation.evaluate import evaluate_population
from zhizao.cultivation.programme import shipped
from zhizao.cultivation.runs import as_inputs
from zhizao.cultivation.synthetic import population


def pandas_two(frames: dict[str, pd.DataFrame], last_year: int) -> pd.DataFrame:
    """above-scale and xiaoshenggui written by hand in pandas."""
    e = frames["enterprises"].set_index("enterprise_id")
    f = frames["figures"]
    revenue = f[(f.indicator_id == "revenue") & (f.month == 0) & (f.year == last_year)].set_index(
        "enterprise_id"
    )
    rev = revenue["value"].reindex(e.index)
    division = e["industry_code"].str[:2]
    industrial = (division >= "06") & (division <= "46")
    above = np.where(rev.isna(), "possible", np.where(rev >= 2000, "eligible", "not_eligible"))
    above = np.where(~industrial, "not_eligible", above)
    in_band = (rev >= 1000) & (rev < 2000)
    small = np.where(rev.isna(), "possible", np.where(in_band, "eligible", "not_eligible"))
    small = np.where(~industrial | e["above_scale"], "not_eligible", small)
    return pd.DataFrame({"above-scale": above, "xiaoshenggui": small}, index=e.index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--as-of", default="2026-06-30")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    frames = population(args.enterprises, last_year=as_of.year - 1)
    programmes = shipped()
    con = ibis.duckdb.connect()

    start = start_engine = time.perf_counter()
    expr = evaluate_population(as_inputs(frames), programmes, as_of)
    built = time.perf_counter()
    result = con.to_pyarrow(expr)
    engine_seconds = time.perf_counter() - start

    start = time.perf_counter()
    baseline = pandas_two(frames, as_of.year - 1)
    pandas_seconds = time.perf_counter() - start

    ours = result.select(["enterprise_id", "above_scale::status", "xiaoshenggui::status"]).to_pandas()
    ours = ours.set_index("enterprise_id").reindex(baseline.index)
    same = (ours["above_scale::status"] == baseline["above-scale"]).all() and (
        ours["xiaoshenggui::status"] == baseline["xiaoshenggui"]
    ).all()
    print(f"{args.enterprises:,} enterprises × {len(programmes)} programmes, as of {as_of}")
    print(f"  engine (Ibis → DuckDB, every programme): {engine_seconds:6.2f} s", end="")
    print(f"  (building the expression {built - start_engine:.2f} s; {result.num_columns} columns)")
    print(f"  plain pandas, two programmes only:       {pandas_seconds:6.2f} s")
    print(f"  pandas statuses equal to the engine's:   {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
