"""Enterprise figures from the database as Arrow, pivoted in DuckDB: the wide table evaluations read.

PostgreSQL, given an engine (the CLI): ADBC's driver, which reads binary COPY into Arrow in C. Given a
session or connection (a web request's transaction, whose flushed rows must be seen): two `COPY ... TO
STDOUT` (CSV) on that connection into a temporary file that Arrow's multi-threaded CSV reader parses.
SQLite (the small installation) is read through its cursor into Arrow columns. Either way DuckDB pivots the
long figures (enterprise, year, indicator, value) into one column per figure and joins the registry.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from zhizao.evaluation.method import FIGURE_FIELDS
from zhizao.imports.wide import normalise

ENTERPRISE_COLUMNS = (
    "id",
    "credit_code",
    "name",
    "region_code",
    "industry_code",
    "established_on",
    "above_scale",
    "tags",
)
FIGURE_SCHEMA = pa.schema(
    [("enterprise_id", pa.int64()), ("year", pa.int64()), ("figure", pa.int32()), ("value", pa.float64())]
)
ENTERPRISE_SCHEMA = pa.schema([(c, pa.int64() if c == "id" else pa.string()) for c in ENTERPRISE_COLUMNS])


def read_database_arrow(years: list[int], bind: Any = None) -> pa.Table:
    """The wide table (one row per enterprise and year, whole-year figures: month 0), typed and checked.

    `bind` is an Engine, a Connection or a Session (its connection, so rows it has flushed but not
    committed are read too); None means the configured database."""
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    if isinstance(bind, Session):
        bind = bind.connection()
    if isinstance(bind, Connection):
        return _read(bind, years)
    if bind is None:
        from zhizao.db.session import get_engine

        bind = get_engine()
    if bind.dialect.name == "postgresql":  # committed rows only: its own connection, through ADBC
        return _read_adbc(bind.url.render_as_string(hide_password=False), years)
    with bind.connect() as connection:
        return _read(connection, years)


def read_database(years: list[int], bind: Any = None) -> pd.DataFrame:
    """`read_database_arrow` as a pandas frame."""
    return read_database_arrow(years, bind).to_pandas()


def _figure_sql(years: list[int], dialect: str) -> str:
    wanted = ", ".join(f"'{f}'" for f in FIGURE_FIELDS)
    numbered = " ".join(f"WHEN '{f}' THEN {i}" for i, f in enumerate(FIGURE_FIELDS))
    in_years = ", ".join(str(int(y)) for y in years) or "NULL"
    return (
        f"SELECT enterprise_id, year, CASE indicator_id {numbered} END AS figure, value "
        f"FROM enterprise_figures WHERE month = 0 AND year IN ({in_years}) AND indicator_id IN ({wanted})"
    )


def _enterprise_sql(dialect: str) -> str:
    date = "to_char(established_on, 'YYYY-MM-DD')" if dialect == "postgresql" else "established_on"
    flag = "CASE WHEN above_scale THEN '1' ELSE '0' END"
    tags = "CAST(tags AS TEXT)"
    return (
        f"SELECT id, credit_code, name, region_code, industry_code, {date}, {flag}, {tags} FROM enterprises"
    )


def read_query(connection: Any, query: str, schema: pa.Schema) -> pa.Table:
    """The rows of `query` on a SQLAlchemy connection as Arrow with `schema` (COPY on PostgreSQL)."""
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        return _copy_out(raw, query, schema)
    return _cursor(raw, query, schema)


def _read(connection: Any, years: list[int]) -> pa.Table:
    dialect = connection.dialect.name
    figures = read_query(connection, _figure_sql(years, dialect), FIGURE_SCHEMA)
    enterprises = read_query(connection, _enterprise_sql(dialect), ENTERPRISE_SCHEMA)
    return normalise(_pivot(figures, enterprises))


def _read_adbc(url: str, years: list[int]) -> pa.Table:
    """PostgreSQL through ADBC: the driver reads binary COPY into Arrow in C, no row touches Python."""
    import adbc_driver_postgresql.dbapi as adbc

    uri = "postgresql://" + url.split("://", 1)[1]
    with adbc.connect(uri) as connection, connection.cursor() as cursor:
        tables = []
        for query, schema in (
            (_figure_sql(years, "postgresql"), FIGURE_SCHEMA),
            (_enterprise_sql("postgresql"), ENTERPRISE_SCHEMA),
        ):
            cursor.execute(query)
            tables.append(cursor.fetch_arrow_table().rename_columns(schema.names).cast(schema))
    wide = _pivot(*tables)
    del tables  # the long figures are no longer needed: free them before the checks copy the wide table
    return normalise(wide)


def _copy_out(raw: Any, query: str, schema: pa.Schema) -> pa.Table:
    """`COPY (query) TO STDOUT` as CSV, through a temporary file, into Arrow with `schema`."""
    import pyarrow.csv as pacsv

    with tempfile.TemporaryDirectory(prefix="zhizao-copy-") as folder:
        path = Path(folder) / "rows.csv"
        statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"
        with path.open("wb") as out, raw.cursor() as cursor, cursor.copy(statement) as copy:
            for chunk in copy:
                out.write(chunk)
        if path.stat().st_size == 0:
            return schema.empty_table()
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=schema.names, block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(zip(schema.names, schema.types, strict=True)),
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )


def _cursor(raw: Any, query: str, schema: pa.Schema) -> pa.Table:
    """Rows of a DB-API cursor, a batch at a time, into Arrow (SQLite: small installations)."""
    cursor = raw.cursor()
    try:
        cursor.execute(query)
        batches = []
        while rows := cursor.fetchmany(100_000):
            columns = list(zip(*rows, strict=True))
            arrays = [pa.array(c, type=t) for c, t in zip(columns, schema.types, strict=True)]
            batches.append(pa.record_batch(arrays, schema=schema))
    finally:
        cursor.close()
    return pa.Table.from_batches(batches, schema)


def _pivot(figures: pa.Table, enterprises: pa.Table) -> pa.Table:
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("figures", figures)
    con.register("enterprises", enterprises)
    columns = ", ".join(f"max(value) FILTER (WHERE figure = {i}) AS {f}" for i, f in enumerate(FIGURE_FIELDS))
    return con.sql(
        "SELECT e.id AS enterprise_id, e.credit_code, e.name, e.region_code, e.industry_code, "
        f"e.established_on, e.above_scale, e.tags, w.year, {', '.join(f'w.{f}' for f in FIGURE_FIELDS)} "
        f"FROM (SELECT enterprise_id, year, {columns} FROM figures GROUP BY enterprise_id, year) w "
        "JOIN enterprises e ON e.id = w.enterprise_id"
    ).to_arrow_table()
