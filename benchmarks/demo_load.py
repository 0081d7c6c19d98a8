"""Benchmark: loading the demo registry into PostgreSQL, the bulk way (`zhizao.demo.load`: COPY of Arrow-
written CSV, indexes and keys set aside and rebuilt) beside the row-by-row way it replaced (INSERT ...
RETURNING executemany of the enterprises, COPY row by row of the figures into the indexed tables), same
population, same run, each into a fresh database.

    .venv/bin/python benchmarks/demo_load.py [--size 10000] [--server postgresql+psycopg://postgres@127.0.0.1:5432]

The full-size figure is `time zhizao demo --size 1000000 --registry-only` on a migrated database.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.base import utcnow
from zhizao.db.session import make_engine
from zhizao.demo.load import FIGURE_SOURCE, load_demo
from zhizao.demo.population import DemoSpec, generate
from zhizao.enterprises.models import Enterprise


def _fresh(server: str, name: str) -> str:
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{server}/{name}"
    migrate.upgrade(url, home_region="370200")
    return url


def _drop(server: str, name: str) -> None:
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def row_by_row(session: Session, spec: DemoSpec) -> int:
    """The way before: enterprises by INSERT ... RETURNING, figures by COPY one row at a time."""
    connection = session.connection()
    now = utcnow()
    figures = 0
    raw = connection.connection.driver_connection
    sql = (
        "COPY enterprise_figures (enterprise_id, indicator_id, year, month, value, source, updated_at) "
        "FROM STDIN"
    )
    for chunk in generate(spec):
        rows = chunk.enterprise_rows()
        for row in rows:
            row["created_at"] = row["updated_at"] = now
        returning = insert(Enterprise).returning(Enterprise.id, sort_by_parameter_order=True)
        ids = np.fromiter(connection.execute(returning, rows).scalars(), dtype=np.int64, count=len(rows))
        with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
            for t in chunk.figure_tuples(ids):
                copy.write_row((*t, FIGURE_SOURCE, now))
                figures += 1
    return figures


def bulk(session: Session, spec: DemoSpec) -> int:
    return load_demo(session, Actor.system(), spec, accounts=False).figures


def _time(
    server: str, name: str, spec: DemoSpec, load: Callable[[Session, DemoSpec], int]
) -> tuple[float, int]:
    url = _fresh(server, name)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        with Session(engine) as session:
            figures = load(session, spec)
            session.commit()
        return time.perf_counter() - started, figures
    finally:
        engine.dispose()
        _drop(server, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    spec = DemoSpec.sized(args.size, 2024, "370200")
    before, figures = _time(args.server, "zhizao_bench_rows", spec, row_by_row)
    after, _ = _time(args.server, "zhizao_bench_bulk", spec, bulk)
    print(f"demo registry of {args.size:,} enterprises and {figures:,} figure rows into PostgreSQL:")
    print(f"  row by row (before)   {before:7.1f} s  {figures / before:10,.0f} figure rows/s")
    print(f"  bulk (now)            {after:7.1f} s  {figures / after:10,.0f} figure rows/s")
    print(f"  {before / after:.1f}× faster")


if __name__ == "__main__":
    main()
