"""The one way a workbook writer puts a value in a cell: user text stays text, and never breaks the file.

- Text that starts with = + - @, a tab or a carriage return could run as a formula in a spreadsheet
  (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`; openpyxl would even store `=...` as a live formula). Such a cell
  is written as a string (`data_type` 's') with Excel's quote prefix set: the text is kept exactly as the
  user typed it (an export imported again reads the same value) and Excel and LibreOffice show it as text,
  still text after the cell is edited. We chose this over prepending an apostrophe to the value, the CSV
  remedy, because in a workbook the apostrophe would become part of the data.
- Characters a workbook cannot hold (control characters, openpyxl's ILLEGAL_CHARACTERS_RE, e.g. NUL) are
  replaced by U+FFFD instead of failing the whole export.
- Numbers, dates and booleans stay what they are.

`row(sheet, values)` is for `sheet.append` (normal and write-only sheets), `put(sheet, r, c, value)` for a
cell by position, `cell(sheet, value)` when the caller styles the cell itself (write-only sheets).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` with the characters a workbook cannot hold replaced."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)


def _as_text(target: Cell) -> Cell:
    target.data_type = "s"
    target.quotePrefix = True
    return target


def cell(sheet: Any, value: Any) -> Cell:
    """A cell of `sheet` (either mode) holding `value` safely, for `sheet.append` after styling."""
    if isinstance(value, str):
        value = clean_text(value)
        made = WriteOnlyCell(sheet, value=value)
        return _as_text(made) if value.startswith(FORMULA_START) else made
    return WriteOnlyCell(sheet, value=value)


def row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """`values` ready for `sheet.append`: plain values where they are safe, a text cell where not."""
    out: list[Any] = []
    for value in values:
        if isinstance(value, str):
            value = clean_text(value)
            if value.startswith(FORMULA_START):
                value = _as_text(WriteOnlyCell(sheet, value=value))
        out.append(value)
    return out


def put(sheet: Worksheet, row_index: int, column: int, value: Any) -> Cell:
    """`sheet.cell(row_index, column)` set to `value` safely."""
    target = sheet.cell(row=row_index, column=column)
    if isinstance(value, str):
        value = clean_text(value)
        target.value = value
        if value.startswith(FORMULA_START):
            _as_text(target)
    else:
        target.value = value
    return target
