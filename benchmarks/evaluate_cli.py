"""Benchmark: `zhizao evaluate` as a user runs it (a parquet file in, a parquet file out), beside pandas.

The pandas implementation runs the same preset; both are timed as separate processes (start to file
written) in the same run.

    .venv/bin/python benchmarks/evaluate_cli.py [--n 1000000] [--workdir /tmp/zhizao-bench]

The data: n enterprises × 2 years (the synthetic generator of benchmarks/evaluate.py). Not a test; prints
figures. `--profile` writes a cProfile of the CLI run to <workdir>/evaluate.prof.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

YEAR = 2024
HERE = Path(__file__).resolve().parent


def build(n: int, path: Path) -> None:
    sys.path.insert(0, str(HERE))
    from evaluate import generate  # the same generator as the core benchmark

    generate(n).to_parquet(path, index=False)


def pandas_main(data: Path, out: Path) -> None:
    """The baseline process: read the parquet with pandas, evaluate with pandas, write parquet."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from evaluate import pandas_huaian

    frame = pd.read_parquet(data)
    pandas_huaian(frame, YEAR).to_parquet(out, index=False)


def timed_process(label: str, argv: list[str]) -> float:
    """Wall time of a child process, with its CPU time (on a shared machine CPU time shows the work)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"{label} failed with status {done.returncode}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"{label:<58} {elapsed:8.2f} s  (CPU {cpu:.2f} s)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="enterprises (two years each)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zhizao-bench"))
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds of each (the best is kept)")
    parser.add_argument("--profile", action="store_true", help="also run the CLI under cProfile")
    parser.add_argument("--pandas-run", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_run:
        pandas_main(*args.pandas_run)
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    data = args.workdir / f"data-{args.n}.parquet"
    if not data.exists():
        start = time.perf_counter()
        build(args.n, data)
        print(f"{'built ' + data.name:<58} {time.perf_counter() - start:8.2f} s")
    python = sys.executable
    cli = [python, "-m", "zhizao", "evaluate", "--method", "huaian-2024", "--year", str(YEAR)]
    cli += ["--data", str(data), "--out", str(args.workdir / "out.parquet")]
    baseline = [python, __file__, "--pandas-run", str(data), str(args.workdir / "out-pandas.parquet")]
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours.append(timed_process(f"zhizao evaluate CLI, {args.n:,} enterprises", cli))
        theirs.append(timed_process("pandas implementation (read, evaluate, write)", baseline))
    timed_process("python -c 'import zhizao.cli' (import cost)", [python, "-c", "import zhizao.cli"])
    print(f"{'best: zhizao evaluate CLI':<58} {min(ours):8.2f} s")
    print(f"{'best: pandas':<58} {min(theirs):8.2f} s")
    print(f"{'ratio pandas / CLI (>1: the CLI is faster)':<58} {min(theirs) / min(ours):8.2f} ×")
    _check_same(args.workdir)
    if args.profile:
        prof = args.workdir / "evaluate.prof"
        profiled = [python, "-m", "cProfile", "-o", str(prof), *cli[1:]]
        timed_process("CLI under cProfile", profiled)
        print(f"profile written to {prof}")


def _check_same(workdir: Path) -> None:
    import pandas as pd

    ours = pd.read_parquet(workdir / "out.parquet").set_index("credit_code")["class"].sort_index()
    theirs = pd.read_parquet(workdir / "out-pandas.parquet").set_index("credit_code")["class"]
    theirs = theirs.reindex(ours.index)
    same = bool((ours.fillna("-") == theirs.fillna("-")).all())
    print(f"{'classes identical to the pandas implementation':<58} {same}")


if __name__ == "__main__":
    main()
