"""Reading enterprise figures into the wide table the pipeline takes.

One row per enterprise and year. Files are read by the import's reader (`imports.columnar`: the same
file types, header vocabulary and units), then typed and checked here in one DuckDB pass over Arrow
columns; no Python runs per row. Bad cells are reported with their row and column (rows 1-based, as a
spreadsheet shows them); nothing is evaluated from a file with errors.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from zhizao.errors import InvalidInput
from zhizao.evaluation.database import read_database, read_database_arrow
from zhizao.evaluation.method import FIGURE_FIELDS, Method
from zhizao.imports.columnar import read_columns
from zhizao.imports.headers import Catalogue
from zhizao.imports.readers import UnusableFile
from zhizao.imports.wide import REQUIRED, normalise, normalise_into, to_arrow


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical headers and types; raises `InvalidInput` listing every bad cell."""
    return normalise(to_arrow(frame)).to_pandas()


def read_table(path: str | Path) -> pa.Table:
    """A .csv (UTF-8 or GB18030), .parquet, .xlsx or .xls file of enterprise figures, typed and checked."""
    try:
        columns = read_columns(Path(path), Catalogue.reference())
    except UnusableFile as exc:
        raise InvalidInput(exc.message, exc.problems) from exc
    return normalise(columns)


def read_into(path: str | Path, backend: BaseBackend) -> ir.Table | pa.Table:
    """The file as a table for `backend`. On DuckDB: a checked, typed view in the backend's own connection,
    so the evaluation reads a Parquet file in the same query that evaluates it; elsewhere: Arrow."""
    if backend.name != "duckdb":
        return read_table(path)
    try:
        columns = read_columns(Path(path), Catalogue.reference())
    except UnusableFile as exc:
        raise InvalidInput(exc.message, exc.problems) from exc
    con = backend.con
    view = normalise_into(con, columns)
    # named by its schema (taken from DuckDB here, not probed by Ibis) and run on `backend`
    schema = con.sql(f"SELECT * FROM {view} LIMIT 0").to_arrow_table().schema
    return ibis.table(ibis.Schema.from_pyarrow(schema), name=view)


def read_frame(path: str | Path) -> pd.DataFrame:
    """`read_table` as a pandas frame."""
    return read_table(path).to_pandas()


OPTIONAL_TYPES: dict[str, str] = {
    "name": "string",
    "industry_code": "string",
    "established_on": "date",
    "tags": "string",
    **{f: "float64" for f in FIGURE_FIELDS},
}


def as_table(data: ir.Table | pa.Table | pd.DataFrame, method: Method) -> ir.Table:
    """An Ibis table with every column the pipeline reads (absent optional columns become nulls).

    A pandas frame or an Arrow table is typed and checked first (once: a table `read_table` or
    `read_database_arrow` returned carries a mark and is taken as it is)."""
    if isinstance(data, pd.DataFrame | pa.Table):
        # Through Arrow: explicit types, and no pandas-option probing inside Ibis (pandas 3 warns on it).
        data = ibis.memtable(normalise(to_arrow(data) if isinstance(data, pd.DataFrame) else data))
    table = data
    missing_required = [c for c in REQUIRED if c not in table.columns]
    if missing_required:
        raise InvalidInput(f"输入数据缺少列: {', '.join(missing_required)}")
    additions = {c: ibis.null(t) for c, t in OPTIONAL_TYPES.items() if c not in table.columns}
    return table.mutate(**additions) if additions else table


__all__ = [
    "OPTIONAL_TYPES",
    "REQUIRED",
    "as_table",
    "normalise_frame",
    "read_database",
    "read_database_arrow",
    "read_frame",
    "read_into",
    "read_table",
]
