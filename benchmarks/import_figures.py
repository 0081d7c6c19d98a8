"""Benchmark: a 200,000-row figures workbook imported the way a user does it, beside a plain baseline.

    .venv/bin/python benchmarks/import_figures.py [--rows 200000] [--postgres]

Builds a database with the file's enterprises (SQLite in a temporary folder, or with `--postgres` a fresh
PostgreSQL database `zhizao_bench_import` on 127.0.0.1:5432) and an .xlsx of `--rows` figure rows (four
years per enterprise, four indicator columns, one in 元). Then, in the same run:

- the user's path: `python -m zhizao import figures FILE --yes` in a subprocess, from process start to rows
  committed (read, every check, compare with the database, write with history and audit), and the same
  with `--dry-run` (read, check and compare only);
- the baseline: a plain script doing the least an import must (pandas.read_excel with openpyxl, reshape to
  one row per value, `DataFrame.to_sql` into a scratch table of the same database): no checks, no history.

Prints wall and CPU seconds (user + system of the process; a PostgreSQL server's own CPU is not included),
the CLI as a multiple of the baseline, and peak memory of each (max RSS). Not part of the test suite; wall
times on a loaded machine vary with the queue, CPU times and ratios much less.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

YEARS = (2021, 2022, 2023, 2024)
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "税收(元)",
    "营业收入(万元)",
    "用地面积(亩)",
    "用电量(万千瓦时)",
]
PG_NAME = "zhizao_bench_import"
BASELINE = """
import sys, pandas as pd, sqlalchemy as sa
frame = pd.read_excel(sys.argv[1], engine="openpyxl")
long = frame.melt(id_vars=["统一社会信用代码", "企业名称", "年度"], var_name="indicator", value_name="value")
long = long.dropna(subset=["value"])
engine = sa.create_engine(sys.argv[2])
with engine.begin() as connection:
    long.to_sql("bench_baseline", connection, if_exists="replace", index=False, chunksize=50_000)
print(len(long))
"""


def database(folder: Path, postgres: bool) -> str:
    if not postgres:
        return f"sqlite:///{folder / 'bench.db'}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        admin.execute(f"CREATE DATABASE {PG_NAME}")
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def build(folder: Path, rows: int, postgres: bool = False) -> tuple[str, Path]:
    url = database(folder, postgres)
    migrate.upgrade(url)
    enterprises = rows // len(YEARS)
    codes = [credit_code.complete(f"91370211MA{i:07d}") for i in range(enterprises)]
    engine = make_engine(url)
    with Session(engine) as session:
        session.execute(
            insert(Enterprise),
            [
                {"credit_code": c, "name": f"企业{i}", "region_code": "370211", "industry_code": "3360"}
                for i, c in enumerate(codes)
            ],
        )
        session.commit()
    engine.dispose()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(HEADER)
    for i, code in enumerate(codes):
        for year in YEARS:
            sheet.append([code, f"企业{i}", year, 1_000_000 + i, 500 + i % 97, 30 + i % 13, 12.5 + i % 7])
    path = folder / "figures.xlsx"
    workbook.save(path)
    return url, path


# runs a command and reports its peak memory (each measured in its own wrapper process)
PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print('usage', usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr); "
    "sys.exit(done.returncode)"
)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall seconds from process start to exit, its CPU seconds, its peak RSS in MB, last output line)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *command], env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    _, peak, cpu = done.stderr.strip().splitlines()[-1].split()
    lines = done.stdout.strip().splitlines()
    return took, float(cpu), int(peak) / 1e3, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (COPY) instead of SQLite")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f} (machine with {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        url, path = build(Path(tmp), args.rows, args.postgres)
        size = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size:.1f} MB) in {time.perf_counter() - started:.1f}s")
        env = {**os.environ, "ZHIZAO_DATABASE_URL": url, "COLUMNS": "200"}
        cli = [sys.executable, "-m", "zhizao", "import", "figures", str(path)]
        base, base_cpu, base_rss, _ = timed([sys.executable, "-c", BASELINE, str(path), url], env)
        print(
            f"baseline (pandas.read_excel + to_sql, no checks): {base:.1f}s wall, {base_cpu:.1f}s CPU, "
            f"peak {base_rss:.0f} MB"
        )
        took, cpu, rss, _ = timed([*cli, "--dry-run"], env)
        print(
            f"zhizao import figures --dry-run (read, check, compare): {took:.1f}s wall, {cpu:.1f}s CPU "
            f"({cpu / base_cpu:.2f}× the baseline's CPU), peak {rss:.0f} MB"
        )
        took, cpu, rss, last = timed([*cli, "--yes"], env)
        print(
            f"zhizao import figures --yes (process start to rows committed): {took:.1f}s wall, "
            f"{cpu:.1f}s CPU ({cpu / base_cpu:.2f}× the baseline's CPU; wall {took / base:.2f}×), "
            f"{args.rows / took:,.0f} rows/s; {last}"
        )
        engine = make_engine(url)
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(EnterpriseFigure))
        engine.dispose()
        print(f"figures stored: {stored:,}; peak memory of the CLI process (max RSS): {rss:.0f} MB")


if __name__ == "__main__":
    main()
