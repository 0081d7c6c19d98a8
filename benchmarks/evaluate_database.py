"""Benchmark: `zhizao evaluate` reading the figures from PostgreSQL, beside the same evaluation from a Parquet
file of the same rows, both run as a user runs them (separate processes, start to file written), with the
peak memory of each process.

    .venv/bin/python benchmarks/evaluate_database.py [--n 1000000] [--years 2] [--keep]

Builds (once; `--keep` leaves it for the next run) a PostgreSQL database `zhizao_bench_eval` on
127.0.0.1:5432 with n enterprises and `--years` years of whole-year figures (land, tax, revenue, energy,
electricity: five figure rows per enterprise and year), loaded with COPY. Not a test; prints figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg

YEAR = 2024
SERVER = "postgresql://postgres@127.0.0.1:5432"
NAME = "zhizao_bench_eval"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{NAME}"


def build(n: int, years: int) -> None:
    from zhizao.db import migrate

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME}")
        admin.execute(f"CREATE DATABASE {NAME}")
    migrate.upgrade(URL)
    with psycopg.connect(f"{SERVER}/{NAME}") as pg:
        pg.execute("SET session_replication_role = replica")  # bulk load: no per-row foreign-key triggers
        regions = [
            r[0]
            for r in pg.execute("SELECT code FROM regions WHERE code NOT LIKE '%00' ORDER BY code LIMIT 10")
        ]
        con = duckdb.connect()
        region_list = "[" + ", ".join(f"'{r}'" for r in regions) + "]"
        enterprises = f"""
            SELECT i + 1 AS id, '91000000MA' || lpad(CAST(i AS VARCHAR), 8, '0') AS credit_code,
                   '企业' || i AS name, {region_list}[1 + i % {len(regions)}] AS region_code,
                   CASE WHEN hash(i, 'u') % 50 = 0 THEN '4411' ELSE '3411' END AS industry_code,
                   make_date(1990 + CAST(hash(i, 'y') % 35 AS INTEGER), 6, 30) AS established_on,
                   hash(i, 's') % 10 < 4 AS above_scale,
                   CASE WHEN hash(i, 't') % 200 = 0 THEN '["在建"]' ELSE '[]' END AS tags,
                   now() AS created_at, now() AS updated_at
            FROM range({n}) r(i)"""
        figures = f"""
            WITH base AS (SELECT i, y, exp(2.5 + 0.8 * (random() * 2 - 1)) AS land
                          FROM range({n}) r(i), range({YEAR - years + 1}, {YEAR + 1}) t(y))
            SELECT i + 1 AS enterprise_id, f.id AS indicator_id, y AS year, 0 AS month,
                   CASE f.id WHEN 'land_mu' THEN land WHEN 'tax' THEN land * (5 + 10 * random())
                             WHEN 'revenue' THEN land * (80 + 100 * random())
                             WHEN 'energy_tce' THEN land * (2 + 5 * random())
                             ELSE land * (10 + 20 * random()) END AS value,
                   '' AS source, now() AS updated_at
            FROM base, (VALUES ('land_mu'), ('tax'), ('revenue'), ('energy_tce'), ('electricity')) f(id)"""
        with tempfile.TemporaryDirectory() as folder:
            for table, query in (("enterprises", enterprises), ("enterprise_figures", figures)):
                path = Path(folder) / f"{table}.csv"
                con.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER true)")
                columns = path.open(encoding="utf-8").readline().strip()
                start = time.perf_counter()
                with (
                    pg.cursor() as cursor,
                    cursor.copy(
                        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
                    ) as copy,
                    path.open("rb") as handle,
                ):
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
                print(f"{'loaded ' + table:<58} {time.perf_counter() - start:8.2f} s")
        pg.execute("SELECT setval('enterprises_id_seq', (SELECT max(id) FROM enterprises))")
        pg.commit()
    with psycopg.connect(f"{SERVER}/{NAME}", autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE enterprise_figures")
        pg.execute("VACUUM ANALYZE enterprises")


def timed(label: str, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of one child process, measured by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *argv],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
            raise SystemExit(f"{label} failed with status {done.returncode}")
        peak_kb, user, system = report.read().split()[-3:]
    peak = int(peak_kb) / 1024
    print(f"{label:<58} {elapsed:8.2f} s  (CPU {float(user) + float(system):.2f} s, peak {peak:,.0f} MB)")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=2, help="years of figures in the database (≥ 2)")
    parser.add_argument("--keep", action="store_true", help="reuse the database if it exists")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zhizao-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (NAME,)).fetchone()
    if not (args.keep and exists):
        build(args.n, args.years)
    with psycopg.connect(f"{SERVER}/{NAME}") as pg:
        rows = pg.execute("SELECT count(*) FROM enterprise_figures").fetchone()
        firms = pg.execute("SELECT count(*) FROM enterprises").fetchone()
    print(f"database: {firms[0] if firms else 0:,} enterprises, {rows[0] if rows else 0:,} figure rows")

    env = {**os.environ, "ZHIZAO_DATABASE_URL": URL}
    python = sys.executable
    cli = [python, "-m", "zhizao", "evaluate", "--method", "huaian-2024", "--year", str(YEAR)]
    from_db, db_peak = timed(
        "zhizao evaluate, figures from PostgreSQL", [*cli, "--out", str(args.workdir / "db.parquet")], env
    )

    data = args.workdir / "db-input.parquet"
    export = (
        "from zhizao.evaluation.inputs import read_database_arrow; import pyarrow.parquet as pq; "
        f"pq.write_table(read_database_arrow([{YEAR - 1}, {YEAR}]).drop(['enterprise_id']), '{data}')"
    )
    subprocess.run([python, "-c", export], env=env, check=True)
    from_file, _ = timed(
        "zhizao evaluate, the same rows from a Parquet file",
        [*cli, "--data", str(data), "--out", str(args.workdir / "file.parquet")],
        env,
    )
    print(f"{'ratio database / parquet':<58} {from_db / from_file:8.2f} ×  (target < 3)")
    print(f"{'peak memory, database run':<58} {db_peak:8.0f} MB (target < 2048)")
    same = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{args.workdir / 'db.parquet'}') a "
        f"JOIN read_parquet('{args.workdir / 'file.parquet'}') b USING (credit_code) "
        "WHERE a.class IS DISTINCT FROM b.class"
    ).fetchall()[0][0]
    print(f"{'enterprises classed differently (database vs file)':<58} {same:8d}")


if __name__ == "__main__":
    main()
