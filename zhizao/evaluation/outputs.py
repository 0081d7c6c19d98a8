"""Writing results: CSV (UTF-8 with BOM, so Excel opens Chinese text), Parquet or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from zhizao.errors import InvalidInput

if TYPE_CHECKING:
    from zhizao.evaluation.pipeline import EvaluationResult

EXCEL_MAX_ROWS = 1_048_575


def write_table(table: pa.Table | pd.DataFrame, path: str | Path) -> Path:
    """Write `table` by suffix; a bad suffix or an oversize sheet fails before anything is written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".parquet", ".xlsx"}:
        raise InvalidInput(f"不支持的输出类型 {suffix}: 请用 .csv、.parquet 或 .xlsx")
    if suffix == ".xlsx" and len(table) > EXCEL_MAX_ROWS:
        raise InvalidInput(f"{len(table)} 行超过 Excel 上限, 请输出 .csv 或 .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        arrow = table if isinstance(table, pa.Table) else pa.Table.from_pandas(table, preserve_index=False)
        pq.write_table(arrow, path)
        return path
    frame = table.to_pandas() if isinstance(table, pa.Table) else table
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        _write_xlsx(frame, path)
    return path


def write_result(result: EvaluationResult, path: str | Path) -> Path:
    """Write an evaluation's published table. Parquet from DuckDB is written by DuckDB itself (in parallel,
    straight from the query, never through Python); anything else through `write_table`."""
    path = Path(path)
    backend = result.backend
    if path.suffix.lower() == ".parquet" and backend is not None and backend.name == "duckdb":
        path.parent.mkdir(parents=True, exist_ok=True)
        backend.to_parquet(result.output(), path)
        return path
    return write_table(result.to_pyarrow(), path)


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """One sheet through `office.tables.stream_table` (header on row 1, as a data file; numbers with a
    format by column type; user text never runs as a formula)."""
    from openpyxl import Workbook

    from zhizao.office.tables import DECIMAL, INTEGER, Column, stream_table

    def fmt(dtype: object) -> str | None:
        if pd.api.types.is_integer_dtype(dtype):
            return INTEGER
        return DECIMAL if pd.api.types.is_float_dtype(dtype) else None

    columns = [Column(str(name), fmt(dtype)) for name, dtype in frame.dtypes.items()]
    rows = (
        [None if _missing(v) else v for v in values] for values in frame.itertuples(index=False, name=None)
    )
    book = Workbook(write_only=True)
    stream_table(book.create_sheet("评价结果"), columns, rows, serial=False)
    book.save(path)


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and value != value)
