"""Benchmark: the huaian-2024 evaluation on N synthetic enterprises, DuckDB (Ibis) vs plain pandas, and the
sensitivity analysis (1,000 runs over 100,000 enterprises). Not a test; prints figures.

    .venv/bin/python benchmarks/evaluate.py [--n 1000000] [--sensitivity-n 100000] [--runs 1000]
"""

from __future__ import annotations

import argparse
import time

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa

from zhizao.evaluation.method import load_method
from zhizao.evaluation.pipeline import evaluate
from zhizao.evaluation.sensitivity import sensitivity

YEAR = 2024
REGIONS = [f"3208{i:02d}" for i in range(1, 11)]
WEIGHTS = {"tax_per_mu": ("tax", 45.0), "revenue_per_mu": ("revenue", 35.0), "tax_per_tce": ("tax", 20.0)}
DENOMINATOR = {"tax_per_mu": "land_mu", "revenue_per_mu": "land_mu", "tax_per_tce": "energy_tce"}


def generate(n: int, seed: int = 0) -> pd.DataFrame:
    """n enterprises × 2 years: lognormal figures, 1% net tax refunds, 1% zero energy, 2% utilities."""
    rng = np.random.default_rng(seed)
    codes = np.char.add("91320800MA", np.char.zfill(np.arange(n).astype(str), 8))
    base = {
        "credit_code": codes,
        "name": codes,
        "region_code": rng.choice(REGIONS, n),
        "industry_code": np.where(rng.random(n) < 0.02, "4411", "3411"),
        "above_scale": rng.random(n) < 0.4,
        "established_on": pd.to_datetime(rng.integers(1990, 2025, n).astype(str) + "-06-30").date,
        "tags": np.where(rng.random(n) < 0.005, "|在建|", ""),
    }
    frames = []
    for year in (YEAR - 1, YEAR):
        land = rng.lognormal(2.5, 0.8, n)
        frame = pd.DataFrame(base)
        frame["year"] = year
        frame["land_mu"] = land
        frame["tax"] = land * rng.lognormal(2.0, 0.7, n) * np.where(rng.random(n) < 0.01, -0.2, 1.0)
        frame["revenue"] = land * rng.lognormal(4.5, 0.6, n)
        frame["energy_tce"] = np.where(rng.random(n) < 0.01, 0.0, land * rng.lognormal(1.5, 0.8, n))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def pandas_huaian(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The same preset, written the straightforward way with pandas (vectorised, no row loops)."""
    df = df[df["year"].isin([year - 1, year])].copy()
    df["pool"] = np.where(df["above_scale"], "above", np.where(df["land_mu"] >= 3, "below", None))
    est_year = pd.to_datetime(df["established_on"]).dt.year
    t_industry = df["industry_code"].str[:2].isin(["44", "45", "46"])
    t_age = est_year > df["year"] - 2
    t_tag = df["tags"].str.contains("|在建|", regex=False) | df["tags"].str.contains("|搬迁|", regex=False)
    df["t_class"] = df["pool"].notna() & (t_industry | t_age | t_tag)
    df["graded"] = df["pool"].notna() & ~df["t_class"]
    for ind, (num, _w) in WEIGHTS.items():
        den = df[DENOMINATOR[ind]]
        df[ind] = (df[num] / den).where(den != 0)
    prev = df[(df["year"] == year - 1) & df["graded"]]
    bench = (prev.groupby(["region_code", "pool"])[list(WEIGHTS)].mean() * 2).add_suffix("__benchmark")
    cur = df[df["year"] == year].merge(bench, left_on=["region_code", "pool"], right_index=True, how="left")
    total = 0.0
    reasons = pd.Series("", index=cur.index)
    for ind, (num, weight) in WEIGHTS.items():
        ratio = cur[ind] / cur[f"{ind}__benchmark"].where(cur[f"{ind}__benchmark"] > 0)
        missing = ratio.isna() & cur["graded"]
        score = ratio.clip(lower=0).fillna(0).where(cur[num] >= 0, 0) * weight
        cur[f"{ind}__score"] = score.where(cur["graded"])
        reasons = reasons + np.where(missing, f"缺数据: {ind}; ", "")
        total = total + score
    cur["total"] = total.where(cur["graded"])
    cur["reasons"] = reasons + np.where(cur["t_class"], "T; ", "")
    graded = cur[cur["graded"]].sort_values(
        ["region_code", "pool", "total", "tax", "revenue", "credit_code"],
        ascending=[True, True, False, False, False, True],
    )
    groups = graded.groupby(["region_code", "pool"], sort=False)
    rank = groups.cumcount() + 1
    size = groups["credit_code"].transform("size")
    cls = np.select(
        [rank <= (size * c + 5000) // 10000 for c in (2000, 6000, 9500)], ["A", "B", "C"], default="D"
    )
    cur.loc[graded.index, "rank"] = rank
    cur.loc[graded.index, "class"] = cls
    cur.loc[cur["t_class"], "class"] = "T"
    return cur


def timed(label: str, func):  # type: ignore[no-untyped-def]
    """Wall time, and the process's CPU time (all threads): on a busy machine CPU time shows the work."""
    start, cpu = time.perf_counter(), time.process_time()
    value = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:8.2f} s  (CPU {time.process_time() - cpu:.2f} s)")
    return value, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="enterprises for the evaluation timing")
    parser.add_argument("--sensitivity-n", type=int, default=100_000, help="enterprises for sensitivity")
    parser.add_argument("--runs", type=int, default=1000, help="sensitivity runs")
    args = parser.parse_args()
    method = load_method("huaian-2024")

    frame, _ = timed(f"generate {args.n:,} enterprises × 2 years", lambda: generate(args.n))
    con = ibis.duckdb.connect()
    table = ibis.memtable(pa.Table.from_pandas(frame, preserve_index=False))

    def run_duckdb() -> pa.Table:
        return evaluate(table, method, YEAR, backend=con).to_pyarrow()

    timed("DuckDB (Ibis) warm-up", run_duckdb)
    ours, duck_s = timed("DuckDB (Ibis) evaluation, materialised", run_duckdb)
    theirs, pandas_s = timed("pandas evaluation of the same preset", lambda: pandas_huaian(frame, YEAR))
    print(f"{'speed-up DuckDB vs pandas':<52} {pandas_s / duck_s:8.1f} ×")
    same = ours.to_pandas().set_index("credit_code")["class"].sort_index()
    check = theirs.set_index("credit_code")["class"].sort_index()
    identical = bool((same.fillna("-") == check.fillna("-")).all())
    print(f"{'classes identical to the pandas implementation':<52} {identical}")

    small = ibis.memtable(pa.Table.from_pandas(generate(args.sensitivity_n, 1), preserve_index=False))
    result = evaluate(small, method, YEAR, backend=con)
    outcome, _ = timed(
        f"sensitivity: {args.runs} runs over {args.sensitivity_n:,} enterprises",
        lambda: sensitivity(result, runs=args.runs, weight_noise=0.25, benchmark_noise=0.1),
    )
    print(f"{'share of enterprises with a stable class':<52} {outcome.stable_share:8.1%}")


if __name__ == "__main__":
    main()
