"""One header → field map for every import of a fixed form (a 调度 table, a park list, a 诉求 export).

A form declares its fields once: the id, the label it writes, the Chinese header aliases it accepts, whether
the column is required, the cell type, and optional unit conversion for amounts. `FieldMap.find` locates the
header row among the first rows of a sheet (the first row naming the anchor fields), maps every column,
refuses duplicate columns (or keeps the first, as a form chooses) and missing required ones, and returns
the imports' `HeaderMap`. `FieldMap.read` turns one data row into typed values or problems with their row
and column, through the imports' own cell parsers (`imports.cells`).

Headers are compared after `normalize_header` (full-width to half-width, no spaces, no `*` marks), and a
unit in brackets (`计划总投资(亿元)`) is split off and converted where the field declares a unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from openpyxl.utils import get_column_letter

from zhizao.imports import cells
from zhizao.imports.headers import (
    HEADER_SEARCH_ROWS,
    UNIT_FACTORS,
    Column,
    HeaderMap,
    normalize_header,
    split_unit,
)
from zhizao.imports.readers import Cell, Table, UnusableFile

Kind = Literal["text", "int", "number", "date", "yes_no"]


@dataclass(frozen=True)
class Field:
    """One column of a form. `unit`: the unit stored (a key of the imports' unit table); a header may
    declare another unit of the same kind and is converted. `max_length` cuts nothing: longer text is an
    error with the limit in the message."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: Kind = "text"
    unit: str = ""
    max_length: int | None = None
    hint: str = ""  # added to the message of a missing required value

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.label, *self.aliases)


@dataclass(frozen=True)
class Found:
    """What a header names: a field (with the unit factor), a reference column to skip (`field == ""`), or
    nothing (`field is None`)."""

    field: str | None
    factor: float = 1.0
    unit: str = ""


@dataclass
class RowValues:
    """The typed values of one data row (only cells that hold something) and the column of each."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    columns: dict[str, Column] = field(default_factory=dict)
    problems: list[tuple[str, Column | None]] = field(default_factory=list)

    def text(self, field_id: str) -> str:
        value = self.values.get(field_id)
        return "" if value is None else str(value)


class FieldMap:
    """The fields of one form and how its header row is found.

    - `anchors`: the fields a row must name to be the header row (default: the first field).
    - `skip`: headers the form writes for the reader's reference; skipped without a note.
    - `duplicates`: "error" refuses two columns naming one field; "first" keeps the first.
    - `merged`: refuse merged cells in the header row (a merged header hides a column).
    - `not_found`: the message when no header row is found in the first rows.
    """

    def __init__(
        self,
        fields: Sequence[Field],
        *,
        anchors: Sequence[str] | None = None,
        skip: Iterable[str] = (),
        duplicates: Literal["error", "first"] = "error",
        merged: bool = True,
        not_found: str | None = None,
        search_rows: int = HEADER_SEARCH_ROWS,
    ) -> None:
        self.fields = {f.id: f for f in fields}
        self.anchors = tuple(anchors or (fields[0].id,))
        self.duplicates = duplicates
        self.merged = merged
        self.search_rows = search_rows
        names = "」和「".join(self.fields[a].label for a in self.anchors)
        self.not_found = not_found or f"未找到表头：文件前{search_rows}行中没有「{names}」列"
        self._lookup: dict[str, str] = {}
        for f in fields:
            for name in f.names:
                self._lookup.setdefault(normalize_header(name), f.id)
        self._skip = {normalize_header(name) for name in skip}

    def label(self, field_id: str) -> str:
        """The label as the form writes it, with the unit of an amount: 计划总投资(万元)."""
        f = self.fields[field_id]
        return f"{f.label}({f.unit})" if f.unit else f.label

    def match(self, header: object) -> Found:
        key = normalize_header(header)
        base, unit = split_unit(key)
        if key in self._skip or base in self._skip:
            return Found("")
        field_id = self._lookup.get(key) or self._lookup.get(base)
        if field_id is None:
            return Found(None)
        declared = self.fields[field_id].unit
        if declared and unit and self._lookup.get(key) is None:
            factor = UNIT_FACTORS.get(declared, {}).get(unit)
            if factor is None:
                raise UnusableFile(f"列「{header}」的单位「{unit}」无法换算为{declared}")
            return Found(field_id, factor, unit)
        return Found(field_id)

    def find(self, table: Table) -> HeaderMap:
        """The header row (the first of the first rows naming every anchor field) and its columns."""
        for number, row in table.rows():
            if number > self.search_rows:
                break
            named = {self.match(c).field for c in row if c is not None and str(c).strip()}
            if all(a in named for a in self.anchors):
                if self.merged:
                    _refuse_merged(table, number)
                return self.map_row(number, row)
        raise UnusableFile(self.not_found)

    def map_row(self, number: int, row: Sequence[Cell]) -> HeaderMap:
        columns: list[Column] = []
        ignored: list[str] = []
        seen: dict[str, str] = {}
        for index, cell in enumerate(row):
            header = "" if cell is None else str(cell).strip()
            if not header:
                continue
            found = self.match(header)
            if found.field == "":
                continue
            if found.field is None:
                ignored.append(header)
                continue
            if found.field in seen:
                if self.duplicates == "first":
                    continue
                raise UnusableFile(f"「{seen[found.field]}」和「{header}」是同一列，请删除其中一列")
            seen[found.field] = header
            columns.append(Column(index, header, found.field, factor=found.factor, unit=found.unit))
        header_map = HeaderMap(number, tuple(columns), tuple(ignored))
        missing = [self.label(f.id) for f in self.fields.values() if f.required and f.id not in seen]
        if missing:
            raise UnusableFile(f"缺少必填列: {'、'.join(missing)}")
        return header_map

    def read(self, header: HeaderMap, number: int, row: Sequence[Cell]) -> RowValues:
        """One data row as typed values; each unreadable or missing required cell is a problem with its
        column (nothing raised: the caller collects them)."""
        out = RowValues(number)
        for column in header.columns:
            f = self.fields[column.field]
            cell = row[column.index] if column.index < len(row) else None
            out.columns[f.id] = column
            if cells.is_empty(cell):
                if f.required:
                    out.problems.append((f"{f.label}不能为空{f.hint}", column))
                continue
            try:
                value = PARSERS[f.kind](cell)
            except cells.CellError as error:
                out.problems.append((str(error), column))
                continue
            if value is None:
                continue
            if f.kind == "number" and column.factor != 1.0:
                value = float(value) * column.factor  # type: ignore[arg-type]
            if isinstance(value, str) and f.max_length is not None and len(value) > f.max_length:
                out.problems.append((f"不能超过{f.max_length}个字（现有{len(value)}个）", column))
                continue
            out.values[f.id] = value
        return out


def _int(cell: Cell) -> int | None:
    value = cells.number(cell)
    if value is None:
        return None
    if not float(value).is_integer():
        raise cells.CellError(f"应为整数，实际为「{cells.show(cell)}」")
    return int(value)


def _date(cell: Cell) -> date | None:
    return cells.a_date(cell)


PARSERS: dict[str, Callable[[Cell], object]] = {
    "text": cells.text,
    "int": _int,
    "number": cells.number,
    "date": _date,
    "yes_no": cells.yes_no,
}


def _refuse_merged(table: Table, header_row: int) -> None:
    for (r1, c1), (r2, c2) in table.merged_ranges:
        if r1 + 1 <= header_row <= r2 + 1 and c2 > c1:
            where = f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
            raise UnusableFile(f"表头含有合并单元格（{where}），请取消合并，每列只写一个标题")
