"""The Excel workbook of a plan: the familiar 任务分解表
(序号, 重点任务, 牵头单位, 责任单位, 配合单位, 完成时限) and a 目标表 of its targets."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.office.tables import PLAIN_INTEGER, Column, exported_note, write_table
from zhizao.plans.queries import TargetRow, TaskRow, get_plan, target_rows, task_rows
from zhizao.reference.models import Unit

TASK_COLUMNS = (
    Column("重点任务", width=60),
    Column("牵头单位", width=22),
    Column("责任单位", width=26),
    Column("配合单位", width=26),
    Column("完成时限", width=18),
)
TARGET_COLUMNS = (
    Column("指标", width=30),
    Column("类型"),
    Column("目标值"),
    Column("单位"),
    Column("口径"),
    Column("目标年份", PLAIN_INTEGER),
    Column("基期年份", PLAIN_INTEGER),
    Column("原文", width=60),
)
TASK_HEADER = ("序号", *(c.header for c in TASK_COLUMNS))
TARGET_HEADER = ("序号", *(c.header for c in TARGET_COLUMNS))

_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
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


def _task_cells(row: TaskRow) -> list[object]:
    notes = row.assignments
    join = "、".join
    return [
        task_content(row),
        _lines([join(a.lead) for a in notes]),
        _lines([join(a.responsible) for a in notes]),
        _lines([join(a.cooperating) for a in notes]),
        _lines([a.deadline_text or (a.deadline.isoformat() if a.deadline else "") for a in notes]),
    ]


def _target_cells(row: TargetRow) -> list[object]:
    value = int(row.value) if float(row.value).is_integer() else row.value
    return [
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
    sheet: Worksheet, title: str, note: str, columns: tuple[Column, ...], rows: list[list[object]]
) -> None:
    """The list through `office.tables.write_table`, wrapped and printed landscape one page wide."""
    count = write_table(sheet, columns, rows, title=title, note=note)
    for r in range(4, 4 + count):
        for col in range(1, len(columns) + 2):
            sheet.cell(r, col).alignment = _CENTER if col == 1 else _WRAP
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def build_workbook(title: str, tasks: list[TaskRow], targets: list[TargetRow], filters: str = "") -> Workbook:
    """A workbook with the 任务分解表 and the 目标表 sheets; `filters` describes the task filter."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "任务分解表"
    _sheet(sheet, f"{title}任务分解表", exported_note(filters), TASK_COLUMNS, [_task_cells(r) for r in tasks])
    targets_sheet = book.create_sheet("目标表")
    rows = [_target_cells(r) for r in targets]
    _sheet(targets_sheet, f"{title}目标表", exported_note(), TARGET_COLUMNS, rows)
    return book


def _filters(session: Session, unit_id: int | None, due_from: date | None, due_to: date | None) -> str:
    parts = []
    if unit_id is not None:
        parts.append(session.scalar(select(Unit.name).where(Unit.id == unit_id)) or str(unit_id))
    if due_from or due_to:
        parts.append(f"完成时限 {due_from or '…'} 至 {due_to or '…'}")
    return "筛选：" + " · ".join(parts) if parts else ""


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
    book = build_workbook(plan.title, tasks, targets, _filters(session, unit_id, due_from, due_to))
    buffer = io.BytesIO()
    book.save(buffer)
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", plan.title)[:60] or f"plan-{plan.id}"
    return f"{safe}-任务分解表.xlsx", buffer.getvalue()
