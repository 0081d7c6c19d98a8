"""Reading a whole enterprise file into Arrow columns, for analytics (`zhizao evaluate --data`).

The same files as the import reads (`readers.open_table`: the content decides xlsx/xls/ods/CSV, CSV in
UTF-8 or GB18030) plus Parquet, and the same header vocabulary (`headers`: key fields, the indicator
catalogue with its aliases and the units a header may declare). The difference is the shape: instead of a
row at a time, every column comes back as one Arrow array, so the checks that follow run as set operations
in DuckDB and no Python runs per row.

Each table carries `__row`, the spreadsheet row number (1-based) every problem is reported against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from zhizao.imports.headers import HEADER_SEARCH_ROWS, Catalogue, key_field, unit_factor
from zhizao.imports.readers import Table, UnusableFile, open_table

ROW = "__row"
PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class FileColumns:
    """The columns of one file: Arrow data under canonical names, and where each came from."""

    table: pa.Table  # canonical column names, plus ROW
    headers: dict[str, str]  # canonical name -> header as written in the file
    factors: dict[str, float]  # canonical figure name -> unit factor (税收(元) -> 1e-4)
    parquet: Path | None = None  # a Parquet file is not read here: `table` is then its (empty) schema


def read_columns(path: Path, catalogue: Catalogue) -> FileColumns:
    """Read `path` (xlsx, xls, ods, csv or parquet) into canonical Arrow columns.

    A Parquet file is columnar already: only its schema is read, and DuckDB scans the file itself."""
    if _is_parquet(path):
        import pyarrow.parquet as pq

        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError) as exc:
            raise UnusableFile(f"无法读取 Parquet 文件 {path.name}: {exc}") from exc
        columns = canonical(schema.empty_table(), catalogue)
        return FileColumns(columns.table, columns.headers, columns.factors, parquet=path)
    raw, header_row = _raw_columns(path)
    return canonical(raw, catalogue, header_row)


def _is_parquet(path: Path) -> bool:
    if not path.exists():
        raise UnusableFile(f"文件不存在: {path}")
    with path.open("rb") as handle:
        return handle.read(4) == PARQUET_MAGIC


def canonical(raw: pa.Table, catalogue: Catalogue, header_row: int = 1) -> FileColumns:
    """Rename `raw`'s columns by the shared header vocabulary and number its rows (data from header_row+1)."""
    names: list[str] = []
    headers: dict[str, str] = {}
    factors: dict[str, float] = {}
    for header in raw.column_names:
        field, factor = _field(str(header), catalogue)
        if field in headers:
            raise UnusableFile(f"「{headers[field]}」和「{header}」是同一列，请删除其中一列")
        headers[field] = str(header)
        if factor != 1.0:
            factors[field] = factor
        names.append(field)
    table = raw.rename_columns(names)
    if ROW not in table.column_names:
        rows = pa.array(range(header_row + 1, header_row + 1 + table.num_rows), pa.int64())
        table = table.append_column(ROW, rows)
    return FileColumns(table, headers, factors)


def _field(header: str, catalogue: Catalogue) -> tuple[str, float]:
    known = key_field(header)
    if known is not None:
        return known, 1.0
    matched = catalogue.match(header)
    if matched is None:
        return header.strip(), 1.0
    info, unit = matched
    factor = unit_factor(info.unit, unit)
    if factor is None:
        raise UnusableFile(f"「{header}」的单位「{unit}」无法换算为{info.unit}")
    return info.id, factor


def _raw_columns(path: Path) -> tuple[pa.Table, int]:
    """(columns under the file's own headers, spreadsheet row number of the header)."""
    table = open_table(path)
    header_row, header = _header(table)
    if table.file_type == "csv":
        return _csv_columns(table, header_row, header), header_row
    return _sheet_columns(table, header_row, header), header_row


def _header(table: Table) -> tuple[int, list[str]]:
    """The header row as imports find it: the first of the first rows naming a credit-code column."""
    first: tuple[int, list[str]] | None = None
    for number, cells in table.rows():
        if number > HEADER_SEARCH_ROWS:
            break
        names = ["" if c is None else str(c).strip() for c in cells]
        if first is None and any(names):
            first = (number, names)
        if any(key_field(n) == "credit_code" for n in names if n):
            return number, names
    if first is None:
        raise UnusableFile("文件中没有数据")
    return first  # no credit-code column: the missing-column check names what is missing


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for index, name in enumerate(names):
        name = name or f"列{index + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return out


def _csv_columns(table: Table, header_row: int, header: list[str]) -> pa.Table:
    import pyarrow.csv as pacsv

    names = _unique(header)
    try:
        data = pacsv.read_csv(
            table.path,
            read_options=pacsv.ReadOptions(
                encoding=table.encoding.removesuffix("-sig"),
                skip_rows=header_row,
                column_names=names,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(delimiter=table._delimiter, invalid_row_handler=None),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True
            ),
        )
    except pa.ArrowInvalid as exc:
        raise UnusableFile(f"CSV格式错误: {exc}") from exc
    rows = pa.array(range(header_row + 1, header_row + 1 + data.num_rows), pa.int64())
    return _drop_blank(data.append_column(ROW, rows))


def _sheet_columns(table: Table, header_row: int, header: list[str]) -> pa.Table:
    sheet = table._sheet()
    values: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    first_row, first_col = sheet.start or (0, 0)
    skip = header_row - first_row  # rows of `values` up to and including the header
    body = values[skip:]
    names = _unique(header)
    columns: dict[str, pa.Array] = {}
    for index, name in enumerate(names):
        at = index - first_col
        if not header[index] or at < 0:
            continue
        cells = [row[at] if at < len(row) else "" for row in body]
        columns[name] = _column(cells)
    rows = pa.array(range(header_row + 1, header_row + 1 + len(body)), pa.int64())
    data = pa.table({**columns, ROW: rows}) if columns else pa.table({ROW: rows})
    return _drop_blank(data)


def _column(cells: list[Any]) -> pa.Array:
    """One worksheet column as Arrow: numbers stay numbers, anything mixed becomes text ("" is null)."""
    try:
        array = pa.array(cells)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        array = None
    if array is not None and pa.types.is_string(array.type):
        return pc.if_else(pc.equal(pc.utf8_trim_whitespace(array), ""), pa.scalar(None, pa.string()), array)
    if array is not None and not pa.types.is_null(array.type):
        return array
    cleaned = [None if c == "" else c for c in cells]
    try:
        return pa.array(cleaned)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([None if c is None else _text(c) for c in cleaned], pa.string())


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return str(cell.isoformat())
    return str(cell)


def _drop_blank(data: pa.Table) -> pa.Table:
    """Without rows that hold nothing, and without example rows (credit code starting with 示例)."""
    cells = [c for c in data.column_names if c != ROW]
    if not cells or data.num_rows == 0:
        return data
    filled = None
    for name in cells:
        present = pc.is_valid(data[name])
        filled = present if filled is None else pc.or_(filled, present)
    keep = filled
    for name in cells:
        if key_field(name) == "credit_code" and pa.types.is_string(data[name].type):
            example = pc.fill_null(pc.starts_with(pc.utf8_trim_whitespace(data[name]), "示例"), False)
            keep = pc.and_(keep, pc.invert(example))
    return data.filter(keep)
