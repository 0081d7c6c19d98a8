"""The error report: the rows of the file as a workbook, bad cells highlighted with a comment on each, and a
second sheet listing every problem. Written row by row (openpyxl write-only), so a large file stays cheap.

The report is built from the values read, whatever the input format (.xlsx, .xls, .csv); the original
workbook's formatting is not copied.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from zhizao.errors import Problem
from zhizao.imports.readers import Table
from zhizao.office import cells
from zhizao.office.tables import PLAIN_INTEGER, Column, stream_table

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


def problem_where(problem: Problem) -> str:
    parts = [f"第{problem.row}行" if problem.row else "", f"{problem.column}列" if problem.column else ""]
    return " ".join(p for p in parts if p)


def write_report(table: Table, problems: list[Problem], out: Path) -> Path:
    """Write the highlighted copy of `table` with `problems` to `out` (.xlsx)."""
    by_cell: dict[tuple[int, int], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row:
            column = column_index_from_string(problem.column) if problem.column else 1
            by_cell[(problem.row, column)].append(problem)
    workbook = Workbook(write_only=True)
    sheet: Worksheet = workbook.create_sheet(table.sheet_name or "数据")
    for number, row in table.rows():
        width = max([len(row)] + [c for (r, c) in by_cell if r == number]) if by_cell else len(row)
        row_cells = []
        for index in range(1, width + 1):
            value = row[index - 1] if index <= len(row) else None
            cell = cells.cell(sheet, value)
            found = by_cell.get((number, index))
            if found:
                errors = any(p.severity == "error" for p in found)
                cell.fill = ERROR_FILL if errors else WARNING_FILL
                text = "\n".join(
                    f"[{SEVERITY_LABELS.get(p.severity, p.severity)}] {p.message}" for p in found
                )
                cell.comment = Comment(text, "zhizao", width=300, height=40 + 20 * len(found))
            row_cells.append(cell)
        sheet.append(row_cells)
    _problem_sheet(workbook, problems)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def _problem_sheet(workbook: Workbook, problems: list[Problem]) -> None:
    sheet = workbook.create_sheet("问题清单")
    errors = sum(1 for p in problems if p.severity == "error")
    columns = [Column("行", PLAIN_INTEGER), Column("列"), Column("级别"), Column("说明", width=80)]
    rows = ([p.row, p.column, SEVERITY_LABELS.get(p.severity, p.severity), p.message] for p in problems)
    title = f"问题清单（错误{errors}处，警告{len(problems) - errors}处）"
    stream_table(sheet, columns, rows, title=title, serial=False)
