"""The one way a list goes out as a worksheet, with the habits of an Excel user.

A title row (what the list is), a note row (the filter that made it and when it was exported), a bold
filled header that stays frozen when scrolling, an autofilter over header and data, a 序号 column, column
widths that fit the content (a CJK character counts as two), numbers kept as numbers with a format per
column, and every text cell written safely through `office.cells`.

    write_table(sheet, [Column("企业名称"), Column("营业收入(万元)", number_format=AMOUNT)], rows,
                title="企业名录", note="筛选：黄岛区 · 2024年")

`stream_table` does the same on a write-only sheet (`Workbook(write_only=True)`), for lists of any length:
rows go out as they come, the column widths are fitted to the first `sample` rows.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhizao.office import cells

AMOUNT = "#,##0.00"  # 万元 and other amounts
INTEGER = "#,##0"
PLAIN_INTEGER = "0"  # years, codes kept as numbers, percents already ×100
DECIMAL = "#,##0.0###"  # values of mixed units (a rate, an amount)
PERCENT = "0.0%"  # a share stored as a fraction (0.123 → 12.3%)
POINTS = "0.0"  # a rate already in percent or percentage points
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_MIN_WIDTH, _MAX_WIDTH = 6.0, 60.0


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None
    width: float | None = None  # in characters; None fits the content


def display_width(value: Any) -> int:
    """How many character cells `value` takes in a spreadsheet column (a CJK character takes two)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def exported_note(filters: str = "") -> str:
    """The note row: the filter (if any) and the export time."""
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"{filters} · 导出时间：{stamp}" if filters else f"导出时间：{stamp}"


def write_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    note: str | None = None,
    serial: bool = True,
) -> int:
    """Write `rows` under a styled header on `sheet`; return the number of data rows written.

    With `serial` a 序号 column comes first. `note` defaults to the export time."""
    all_columns = [Column("序号", INTEGER), *columns] if serial else list(columns)
    width = len(all_columns)
    last = get_column_letter(width)
    r = 1
    if title is not None:
        sheet.merge_cells(f"A1:{last}1")
        cells.put(sheet, 1, 1, title).font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 28
        sheet.merge_cells(f"A2:{last}2")
        cells.put(sheet, 2, 1, note if note is not None else exported_note()).font = Font(
            size=9, color="666666"
        )
        r = 3
    header_row = r
    widths = [display_width(c.header) for c in all_columns]
    for col, column in enumerate(all_columns, start=1):
        target = cells.put(sheet, header_row, col, column.header)
        target.font = Font(bold=True)
        target.fill = _HEADER_FILL
        target.border = _BORDER
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    count = 0
    for count, values in enumerate(rows, start=1):
        row_index = header_row + count
        full = [count, *values] if serial else list(values)
        for col, (column, value) in enumerate(zip(all_columns, full, strict=True), start=1):
            target = cells.put(sheet, row_index, col, value)
            target.border = _BORDER
            if _formats(column, value):
                target.number_format = column.number_format
            widths[col - 1] = max(widths[col - 1], display_width(value))
    for col, column in enumerate(all_columns, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = _fitted(column, widths[col - 1])
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return count


def _formats(column: Column, value: Any) -> bool:
    """Whether `column`'s format applies to `value`: numbers to a number format, dates to a date one."""
    if not column.number_format or value is None or isinstance(value, bool | str):
        return False
    if column.number_format in (DATE, DATETIME):
        return isinstance(value, date)
    return isinstance(value, int | float)


def _fitted(column: Column, content: int) -> float:
    fitted = column.width if column.width is not None else content + 2
    return min(max(fitted, _MIN_WIDTH), _MAX_WIDTH)


def stream_table(
    sheet: Any,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    note: str | None = None,
    serial: bool = True,
    sample: int = 1000,
) -> int:
    """`write_table` for a write-only sheet: the same title, note, header, freeze, filter and formats,
    widths fitted to the first `sample` rows; return the number of data rows written."""
    all_columns = [Column("序号", INTEGER), *columns] if serial else list(columns)
    last = get_column_letter(len(all_columns))
    iterator = iter(rows)
    head = list(itertools.islice(iterator, sample))
    widths = [display_width(c.header) for c in all_columns]
    for number, values in enumerate(head, start=1):
        full = [number, *values] if serial else list(values)
        for index, value in enumerate(full):
            widths[index] = max(widths[index], display_width(value))
    for index, column in enumerate(all_columns, start=1):  # before the first row: <cols> comes first
        sheet.column_dimensions[get_column_letter(index)].width = _fitted(column, widths[index - 1])
    header_row = 3 if title is not None else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    if title is not None:
        heading = cells.cell(sheet, title)
        heading.font = Font(bold=True, size=14)
        heading.alignment = Alignment(horizontal="center", vertical="center")
        sheet.append([heading])
        remark = cells.cell(sheet, note if note is not None else exported_note())
        remark.font = Font(size=9, color="666666")
        sheet.append([remark])
        sheet.merged_cells.add(f"A1:{last}1")
        sheet.merged_cells.add(f"A2:{last}2")
    header = []
    for column in all_columns:
        target = cells.cell(sheet, column.header)
        target.font = Font(bold=True)
        target.fill = _HEADER_FILL
        target.border = _BORDER
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(target)
    sheet.append(header)
    count = 0
    for count, values in enumerate(itertools.chain(head, iterator), start=1):
        full = [count, *values] if serial else list(values)
        out: list[Any] = []
        for column, value in zip(all_columns, full, strict=True):
            target = cells.cell(sheet, value)
            if _formats(column, value):
                target.number_format = column.number_format
            out.append(target)
        sheet.append(out)
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    return count
