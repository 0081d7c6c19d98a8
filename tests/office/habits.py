"""What every exported worksheet is checked for when read back: the habits of an Excel user."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zhizao.office.tables import display_width


def read_sheet(content: bytes, name: str | None = None) -> Worksheet:
    book = load_workbook(io.BytesIO(content))
    sheet = book[name] if name else book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def header_row(sheet: Worksheet) -> int:
    """The header's row: under the title and note rows when there are any."""
    return int(sheet.freeze_panes[1:]) - 1


def headers(sheet: Worksheet) -> list[Any]:
    return [c.value for c in sheet[header_row(sheet)]]


def data_rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=header_row(sheet) + 1, values_only=True))


def column(sheet: Worksheet, header: str) -> list[Any]:
    index = headers(sheet).index(header)
    return [row[index] for row in data_rows(sheet)]


def assert_excel_habits(sheet: Worksheet, *, title: str | None = None, numbers: tuple[str, ...] = ()) -> None:
    """Title row (when `title`) with a note naming the export time; a bold filled header frozen under the
    scroll; an autofilter from the header over the data; widths that fit the headers; `numbers` columns
    holding numbers (or nothing) with a number format, never text."""
    row = header_row(sheet)
    if title is not None:
        assert row == 3
        assert sheet["A1"].value == title and sheet["A1"].font.b
        assert "导出时间" in str(sheet["A2"].value)
    names = headers(sheet)
    for cell in sheet[row]:
        assert cell.font.b, cell.coordinate
        assert cell.fill.fgColor.rgb not in (None, "00000000"), cell.coordinate
    assert sheet.freeze_panes == f"A{row + 1}"
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{row}:")
    last = get_column_letter(len(names))
    assert sheet.auto_filter.ref.split(":")[1].startswith(last)
    for index, name in enumerate(names, start=1):
        width = sheet.column_dimensions[get_column_letter(index)].width
        assert width is not None and width >= min(display_width(name), 60), (name, width)
    for name in numbers:
        index = names.index(name) + 1
        values = [sheet.cell(r, index) for r in range(row + 1, sheet.max_row + 1)]
        assert values, name
        for cell in values:
            if cell.value is None:
                continue
            assert isinstance(cell.value, int | float | date | datetime), (name, cell.value)
            assert cell.number_format != "General", (name, cell.number_format)
