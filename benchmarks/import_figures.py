"""Benchmark: validate and import a 200,000-row figures workbook into a temporary SQLite database, or with
`--postgres` into a fresh PostgreSQL database `zhizao_bench_import` on 127.0.0.1:5432 (written with COPY).

    .venv/bin/python benchmarks/import_figures.py [--rows 200000] [--postgres]

Prints the time of a plain read of the file (every row through `open_table(...).rows()`, nothing checked: the
baseline), of the dry run (read + check + compare with the database), of the import (one pass: read + check +
write), rows per second and each as a multiple of the plain read, and the peak memory of the process
(ru_maxrss; with --tracemalloc also of the Python heap, which slows the run). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.imports import apply as importing
from zhizao.imports.readers import open_table

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--tracemalloc", action="store_true", help="trace the Python heap (slows the run)")
    parser.add_argument(
        "--postgres", action="store_true", help="import into PostgreSQL (COPY) instead of SQLite"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        url, path = build(Path(tmp), args.rows, args.postgres)
        size = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size:.1f} MB) in {time.perf_counter() - started:.1f}s")
        engine = make_engine(url)
        actor = Actor.system()
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        read_rows = sum(1 for _ in open_table(path).rows())
        baseline = time.perf_counter() - started
        print(f"plain read (baseline): {baseline:.1f}s, {read_rows:,} rows")
        with Session(engine) as session:
            started = time.perf_counter()
            checked = importing.preview(session, actor, path, "figures")
            took = time.perf_counter() - started
            print(
                f"validation (dry run): {took:.1f}s, {args.rows / took:,.0f} rows/s, "
                f"{took / baseline:.1f}× the plain read; {checked.created:,} values to create, "
                f"{checked.errors} errors, {checked.warnings} warnings"
            )
            started = time.perf_counter()
            result = importing.apply(session, actor, path, "figures", confirmed=True)
            session.commit()
            took = time.perf_counter() - started
            print(
                f"import ({engine.dialect.name}, file to committed rows): {took:.1f}s, "
                f"{args.rows / took:,.0f} rows/s, {took / baseline:.1f}× the plain read "
                f"(import #{result.import_id})"
            )
            stored = session.scalar(select(func.count()).select_from(EnterpriseFigure))
            print(f"figures stored: {stored:,}")
        if args.tracemalloc:
            print(f"peak Python heap: {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB")
            tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(f"peak process memory (max RSS): {rss:.0f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
