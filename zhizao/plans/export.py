"""The Excel workbook of a plan: the familiar 任务分解表
(序号, 重点任务, 牵头单位, 责任单位, 配合单位, 完成时限) and a 目标表 of its targets."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.office import cells
from zhizao.plans.queries import TargetRow, TaskRow, get_plan, target_rows, task_rows

TASK_HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限")
TASK_WIDTHS = (6, 60, 22, 26, 26, 18)
TARGET_HEADER = ("序号", "指标", "类型", "目标值", "单位", "口径", "目标年份", "基期年份", "原文")
TARGET_WIDTHS = (6, 30, 8, 10, 8, 8, 10, 10, 60)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EMPTY_BRACKETS = re.compile(r"[(（〔【\[]\s*[)）〕】\]]")
_LEADING_NUMBER = re.compile(
    r"^\s*(\d+[.、．]|[(（][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十]+、)\s*"
)


def task_content(row: TaskRow) -> str:
    """The task as the table's 重点任务 shows it: its text without the responsibility notes and leading
    number, or its title."""
    text = row.text or ""
    for assignment in row.assignments:
        if assignment.note_text:
            text = text.replace(assignment.note_text, "")
    text = _EMPTY_BRACKETS.sub("", _LEADING_NUMBER.sub("", text)).strip()
    return text or row.title or ""


def _lines(values: list[str]) -> str:
    return "\n".join(v for v in values if v)


def _task_cells(index: int, row: TaskRow) -> list[object]:
    notes = row.assignments
    join = "、".join
    return [
        index,
        task_content(row),
        _lines([join(a.lead) for a in notes]),
        _lines([join(a.responsible) for a in notes]),
        _lines([join(a.cooperating) for a in notes]),
        _lines([a.deadline_text or (a.deadline.isoformat() if a.deadline else "") for a in notes]),
    ]


def _target_cells(index: int, row: TargetRow) -> list[object]:
    value = int(row.value) if float(row.value).is_integer() else row.value
    return [
        index,
        row.indicator,
        row.measure_label,
        value,
        row.unit,
        row.qualifier_label,
        row.target_year,
        row.base_year,
        row.text,
    ]


def _sheet(
    sheet: Worksheet, title: str, header: tuple[str, ...], widths: tuple[int, ...], rows: list[list[object]]
) -> None:
    last = get_column_letter(len(header))
    sheet.merge_cells(f"A1:{last}1")
    cells.put(sheet, 1, 1, title)
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = _CENTER
    sheet.row_dimensions[1].height = 36
    for col, (name, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = sheet.cell(row=2, column=col, value=name)
        cell.font = Font(name="黑体", bold=True)
        cell.alignment = _CENTER
        cell.border = _BORDER
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=3):
        for col, value in enumerate(values, start=1):
            cell = cells.put(sheet, r, col, value)
            cell.border = _BORDER
            cell.alignment = _CENTER if col == 1 else _WRAP
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def build_workbook(title: str, tasks: list[TaskRow], targets: list[TargetRow]) -> Workbook:
    """A workbook with the 任务分解表 and the 目标表 sheets."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务分解表"
    _sheet(
        sheet,
        f"{title}任务分解表",
        TASK_HEADER,
        TASK_WIDTHS,
        [_task_cells(i, r) for i, r in enumerate(tasks, 1)],
    )
    targets_sheet = book.create_sheet("目标表")
    _sheet(
        targets_sheet,
        f"{title}目标表",
        TARGET_HEADER,
        TARGET_WIDTHS,
        [_target_cells(i, r) for i, r in enumerate(targets, 1)],
    )
    return book


def export_plan(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    unit_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> tuple[str, bytes]:
    """The plan's workbook (its accepted items, filtered like the plan page) and a file name for it."""
    plan = get_plan(session, actor, plan_id)
    tasks = task_rows(
        session, actor, plan_id, unit_id=unit_id, due_from=due_from, due_to=due_to, include_rejected=False
    )
    targets = target_rows(session, actor, plan_id, include_rejected=False)
    book = build_workbook(plan.title, tasks, targets)
    buffer = io.BytesIO()
    book.save(buffer)
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", plan.title)[:60] or f"plan-{plan.id}"
    return f"{safe}-任务分解表.xlsx", buffer.getvalue()
