"""The ledger (台账) as .xlsx: a sheet of targets and a sheet of task assignments, coloured as on screen."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.office import cells
from zhizao.tracking.monthly import TASK_CATEGORIES, PlanMonth, plan_month
from zhizao.tracking.progress import STATUS_COLOURS, Status

TARGET_HEADERS = [
    "序号",
    "指标",
    "目标",
    "计量",
    "目标年份",
    "监测指标",
    "最新值",
    "数据期",
    "完成度",
    "差距(百分点)",
    "序时进度",
    "年末预计",
    "预计方法",
    "状态",
    "说明",
]
TASK_HEADERS = [
    "序号",
    "任务",
    "牵头单位",
    "责任单位",
    "完成时限",
    "最近报送",
    "报送日期",
    "完成%",
    "报送状态",
    "情况",
]
TASK_COLOURS = {
    "completed": STATUS_COLOURS[Status.COMPLETED],
    "in_progress": STATUS_COLOURS[Status.ON_TRACK],
    "lagging": STATUS_COLOURS[Status.LAGGING],
    "overdue": STATUS_COLOURS[Status.SEVERE],
}
WHITE = Font(color="FFFFFF", bold=True)


def _header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"


def _colour(sheet: Worksheet, column: int, colour: str) -> None:
    cell = sheet.cell(sheet.max_row, column)
    cell.fill = PatternFill("solid", fgColor=colour)
    cell.font = WHITE


def _targets_sheet(sheet: Worksheet, month: PlanMonth) -> None:
    sheet.title = "目标"
    _header(sheet, TARGET_HEADERS, [6, 28, 14, 10, 10, 26, 10, 14, 10, 12, 10, 10, 28, 10, 40])
    for number, t in enumerate(month.targets, start=1):
        p = t.progress
        projection = p.projection
        values = [
            number, t.indicator, t.target_label, t.spec.measure, t.spec.target_year, t.series_name or "",
            p.latest.value if p.latest else None, p.latest.label if p.latest else "",
            p.completion, p.gap, p.schedule, projection.value if projection else None,
            projection.method if projection else "", p.label, p.note,
        ]  # fmt: skip
        sheet.append(cells.row(sheet, values))
        for column in (9, 11):
            sheet.cell(sheet.max_row, column).number_format = "0.0%"
        _colour(sheet, 14, p.status.colour)


def _tasks_sheet(sheet: Worksheet, month: PlanMonth) -> None:
    sheet.title = "任务"
    _header(sheet, TASK_HEADERS, [6, 40, 20, 24, 12, 40, 12, 8, 10, 10])
    for number, v in enumerate(month.assignments, start=1):
        latest = v.latest
        category = month.categories[v.id]
        values = [
            number, v.task_label, "、".join(n for _, n in v.lead_units),
            "、".join(n for _, n in v.responsible_units), v.deadline or v.deadline_text or "",
            latest.text if latest else "", latest.reported_on if latest else None,
            latest.percent if latest else None, v.status.label, TASK_CATEGORIES[category],
        ]  # fmt: skip
        sheet.append(cells.row(sheet, values))
        sheet.cell(sheet.max_row, 5).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 7).number_format = "yyyy-mm-dd"
        _colour(sheet, 10, TASK_COLOURS[category])


def render(month: PlanMonth) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    _targets_sheet(first, month)
    _tasks_sheet(book.create_sheet(), month)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


REPORT_ROLES = (Role.ADMIN, Role.ANALYST)  # who may download bulletins and ledgers


def build_ledger(session: Session, actor: Actor, plan_id: int, as_of: date) -> bytes:
    """The ledger of a plan as of a date: administrators and analysts only; NotFound for a plan out of
    scope."""
    require_role(actor, *REPORT_ROLES)
    return render(plan_month(session, actor, plan_id, as_of))
