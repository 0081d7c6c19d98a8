"""Writing a stored run's result rows: built in DuckDB from the Arrow result, written in bulk.

PostgreSQL takes them with `COPY ... FROM STDIN` (CSV written by Arrow, a batch at a time) on the session's
own connection, so they belong to the session's transaction like any other write; SQLite with
`executemany` in large batches. The JSON of each row (indicator parts, reasons) is made by DuckDB, not by
a Python loop over rows.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from zhizao.evaluation.method import Method
from zhizao.evaluation.steps.common import col

INDICATOR_PARTS = ("value", "benchmark", "score", "weight", "norm", "missing", "negative")
STORED_PARTS = (*INDICATOR_PARTS, "group_mean", "group_rank")
COLUMNS = (
    "run_id",
    "enterprise_id",
    "credit_code",
    "name",
    "region_code",
    "industry_code",
    "above_scale",
    "pool",
    "class_id",
    "class_label",
    "quota_class",
    "total",
    "adjust_points",
    "rank",
    "group_size",
    "indicators",
    "reasons",
)
BATCH_ROWS = 50_000


def write_results(session: Session, results: pa.Table, method: Method, run_id: int) -> int:
    """Insert one `evaluation_results` row per row of `results`; returns how many were written."""
    import duckdb

    from zhizao.evaluation.database import read_query

    connection = session.connection()
    con = duckdb.connect()
    con.register("r", results)
    if "enterprise_id" in results.column_names:
        enterprise = "r.enterprise_id"
        joined = "r"
    else:  # a file's rows: the registry's id for each credit code
        ids = read_query(connection, "SELECT credit_code, id FROM enterprises", _IDS)
        con.register("ids", ids)
        enterprise = "ids.id"
        joined = "r LEFT JOIN ids ON ids.credit_code = r.credit_code"
    rows = con.sql(_rows_sql(results.schema, method, run_id, enterprise, joined)).to_arrow_table()
    if connection.dialect.name == "postgresql":
        _copy_in(connection.connection.driver_connection, rows)
    else:
        _insert_many(connection.connection.driver_connection, rows)
    return rows.num_rows


_IDS = pa.schema([("credit_code", pa.string()), ("id", pa.int64())])


def _clean(name: str, kind: pa.DataType) -> str:
    """A column as JSON-safe SQL: NaN and infinities become NULL (JSON has no NaN). Numbers are stored to 10
    decimals: DuckDB's parallel aggregates may order a sum differently from one run to the next, and a rerun
    must store the same results, not ones that differ in the last binary digit."""
    c = f'r."{name}"'
    return f"CASE WHEN isfinite({c}) THEN round({c}, 10) END" if pa.types.is_floating(kind) else c


def _rows_sql(schema: pa.Schema, method: Method, run_id: int, enterprise: str, joined: str) -> str:
    types = {f.name: f.type for f in schema}
    per_indicator = []
    for ind in method.indicators:
        parts = ", ".join(f"'{p}', {_clean(col(ind.id, p), types[col(ind.id, p)])}" for p in STORED_PARTS)
        per_indicator.append(f"'{ind.id}', json_object({parts})")
    indicators = f"CAST(json_object({', '.join(per_indicator)}) AS VARCHAR)" if per_indicator else "'{}'"
    reasons = "string_split(coalesce(r.reasons, ''), '; ')"
    return (
        f"SELECT {int(run_id)} AS run_id, {enterprise} AS enterprise_id, r.credit_code, "
        "coalesce(r.name, '') AS name, coalesce(r.region_code, '') AS region_code, "
        "coalesce(r.industry_code, '') AS industry_code, coalesce(r.above_scale, false) AS above_scale, "
        "r.pool, r.class AS class_id, r.class_label, r.quota_class, "
        f"{_clean('total', types['total'])} AS total, "
        f"{_clean('adjust_points', types['adjust_points'])} AS adjust_points, "
        "CAST(r.rank AS BIGINT) AS rank, CAST(r.group_size AS BIGINT) AS group_size, "
        f"{indicators} AS indicators, "
        f"CAST(to_json(list_filter({reasons}, lambda x: x <> '')) AS VARCHAR) AS reasons "
        f"FROM {joined}"
    )


def _copy_in(raw: Any, rows: pa.Table) -> None:
    import pyarrow.csv as pacsv

    options = pacsv.WriteOptions(include_header=False, batch_size=BATCH_ROWS)
    statement = f"COPY evaluation_results ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for batch in rows.to_batches(max_chunksize=BATCH_ROWS):
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            copy.write(buffer.getvalue())


def _insert_many(raw: Any, rows: pa.Table) -> None:
    marks = ", ".join("?" for _ in COLUMNS)
    statement = f"INSERT INTO evaluation_results ({', '.join(COLUMNS)}) VALUES ({marks})"
    cursor = raw.cursor()
    try:
        for batch in rows.to_batches(max_chunksize=BATCH_ROWS):
            columns = [batch.column(name).to_pylist() for name in COLUMNS]
            cursor.executemany(statement, list(zip(*columns, strict=True)))
    finally:
        cursor.close()
