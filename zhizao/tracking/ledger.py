"""The ledger (台账) as .xlsx: a sheet of targets and a sheet of task assignments, coloured as on screen."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.office.tables import (
    DATE,
    DECIMAL,
    PERCENT,
    PLAIN_INTEGER,
    POINTS,
    Column,
    exported_note,
    write_table,
)
from zhizao.tracking.monthly import TASK_CATEGORIES, PlanMonth, plan_month
from zhizao.tracking.progress import STATUS_COLOURS, Status, measure_label
from zhizao.tracking.text import one_line

TARGET_COLUMNS = [
    Column("指标"),
    Column("目标"),
    Column("计量"),
    Column("目标年份", PLAIN_INTEGER),
    Column("监测指标"),
    Column("最新值", DECIMAL),
    Column("数据期"),
    Column("完成度", PERCENT),
    Column("差距(百分点)", POINTS),
    Column("序时进度", PERCENT),
    Column("年末预计", DECIMAL),
    Column("预计方法"),
    Column("状态"),
    Column("说明"),
]
TASK_COLUMNS = [
    Column("任务"),
    Column("牵头单位"),
    Column("责任单位"),
    Column("完成时限", DATE, width=12),
    Column("最近报送"),
    Column("报送日期", DATE, width=12),
    Column("完成%", PLAIN_INTEGER),
    Column("报送状态"),
    Column("情况"),
]
TARGET_HEADERS = ["序号", *(c.header for c in TARGET_COLUMNS)]
TASK_HEADERS = ["序号", *(c.header for c in TASK_COLUMNS)]
TASK_COLOURS = {
    "completed": STATUS_COLOURS[Status.COMPLETED],
    "in_progress": STATUS_COLOURS[Status.ON_TRACK],
    "lagging": STATUS_COLOURS[Status.LAGGING],
    "overdue": STATUS_COLOURS[Status.SEVERE],
}
WHITE = Font(color="FFFFFF", bold=True)
HEADER_ROW = 3  # under the title and the note


def _colour(sheet: Worksheet, row: int, column: int, colour: str) -> None:
    cell = sheet.cell(row, column)
    cell.fill = PatternFill("solid", fgColor=colour)
    cell.font = WHITE


def _note(month: PlanMonth) -> str:
    day = month.as_of
    return exported_note(f"截至{day.year}年{day.month}月{day.day}日 · 序时进度{month.schedule:.1%}")


def _targets_sheet(sheet: Worksheet, month: PlanMonth) -> None:
    sheet.title = "目标"
    rows = []
    for t in month.targets:
        p = t.progress
        projection = p.projection
        rows.append([
            t.indicator, t.target_label, measure_label(t.spec.measure),
            t.spec.target_year, t.series_name or "", p.latest.value if p.latest else None,
            p.latest.label if p.latest else "", p.completion, p.gap, p.schedule,
            projection.value if projection else None, projection.method if projection else "",
            p.label, p.note,
        ])  # fmt: skip
    write_table(sheet, TARGET_COLUMNS, rows, title=f"《{month.plan.title}》目标台账", note=_note(month))
    status = TARGET_HEADERS.index("状态") + 1
    for offset, t in enumerate(month.targets, start=1):
        _colour(sheet, HEADER_ROW + offset, status, t.progress.status.colour)


def _tasks_sheet(sheet: Worksheet, month: PlanMonth) -> None:
    sheet.title = "任务"
    rows = []
    for v in month.assignments:
        latest = v.latest
        rows.append([
            v.task_label, "、".join(n for _, n in v.lead_units), "、".join(n for _, n in v.responsible_units),
            v.deadline or v.deadline_text or "", one_line(latest.text) if latest else "",
            latest.reported_on if latest else None, latest.percent if latest else None, v.status.label,
            TASK_CATEGORIES[month.categories[v.id]],
        ])  # fmt: skip
    write_table(sheet, TASK_COLUMNS, rows, title=f"《{month.plan.title}》任务台账", note=_note(month))
    category = TASK_HEADERS.index("情况") + 1
    for offset, v in enumerate(month.assignments, start=1):
        _colour(sheet, HEADER_ROW + offset, category, TASK_COLOURS[month.categories[v.id]])


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
