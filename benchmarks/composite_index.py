"""Benchmark: an index definition over a panel, run as the chain of Ibis steps on DuckDB
(`zhizao.composite.pipeline.run_index`) beside the same definition on arrays (`run_index_arrays`), in the
same process, on the same data; checks that they agree (1e-9) and prints both times and their ratio.

The panel: `--units` units × `--years` years × `--indicators` indicators (10 pillars, 2 sub-indices), log-
normal values with 2 % gaps; previous-year imputation, COINr's outlier treatment, min–max per year, the
arithmetic mean. Not a test; prints figures (absolute times depend on the machine's load).

    .venv/bin/python benchmarks/composite_index.py [--units 2000] [--years 5] [--indicators 50]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from zhizao.composite.definition import IndexDefinition
from zhizao.composite.pipeline import run_index, run_index_arrays


def definition(indicators: int) -> IndexDefinition:
    return IndexDefinition.model_validate(
        {
            "name": "benchmark",
            "unit_column": "unit",
            "year_column": "year",
            "indicators": [
                {"code": f"i{j}", "parent": f"p{j % 10}", "direction": -1 if j % 5 == 0 else 1}
                for j in range(indicators)
            ],
            "aggregates": [{"code": f"p{k}", "parent": f"s{k % 2}"} for k in range(10)]
            + [{"code": "s0", "parent": "index"}, {"code": "s1", "parent": "index"}, {"code": "index"}],
            "steps": {"impute": "previous", "treat": True, "winmax": 5, "normalisation": "minmax"},
        }
    )


def panel(units: int, years: int, indicators: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = units * years
    x = rng.lognormal(0.0, 0.8, (rows, indicators))
    x[rng.random(x.shape) < 0.02] = np.nan
    frame = pd.DataFrame(x, columns=[f"i{j}" for j in range(indicators)])
    frame.insert(0, "year", np.repeat(np.arange(2020, 2020 + years), units))
    frame.insert(0, "unit", np.tile([f"u{i:05d}" for i in range(units)], years))
    return frame


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--indicators", type=int, default=50)
    args = parser.parse_args()
    defn, frame = definition(args.indicators), panel(args.units, args.years, args.indicators)
    print(f"{len(frame):,} rows ({args.units:,} units × {args.years} years) × {args.indicators} indicators")
    start = time.perf_counter()
    tables = run_index(defn, frame).scores
    t_tables = time.perf_counter() - start
    start = time.perf_counter()
    arrays = run_index_arrays(defn, frame).scores
    t_arrays = time.perf_counter() - start
    np.testing.assert_allclose(tables["index"], arrays["index"], rtol=1e-9)
    assert (tables["rank"].to_numpy() == arrays["rank"].to_numpy()).all()
    print(f"Ibis steps on DuckDB (run_index):  {t_tables:7.2f} s")
    print(
        f"arrays (run_index_arrays):         {t_arrays:7.2f} s  ({t_arrays / t_tables:.2f}× the DuckDB time)"
    )
    print("index and ranks agree (1e-9)")


if __name__ == "__main__":
    main()
