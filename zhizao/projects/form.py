"""The monthly 调度 form: one workbook per owner or responsible unit (or all the projects an actor sees),
one row per project for the reporting month, filled with what is stored and with last month's figures
beside the empty cells of this month. The columns are the import's own labels, so the filled form imports
as it is (`importing`)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.office.tables import AMOUNT, DATE, Column, write_table
from zhizao.projects.columns import AMOUNTS, DATES, FORM_ORDER, label
from zhizao.projects.models import STAGE_LABELS, SUSPENDED_LABEL, Project, ProjectMonth, ProjectPlan
from zhizao.projects.store import visible
from zhizao.reference.models import Region, Unit

NOTES = (
    "每个项目每月一行；「年度」「月份」为报告期。",
    "本年完成投资：1月至报告月累计完成的投资（万元）；自开始建设累计完成投资：项目开工以来累计（万元）。",
    "「上月…」两列仅供参考，导入时不读取。",
    "新项目：在表末增加一行，须填写项目名称、项目类型、项目级别、所属区域。",
    "项目状态：谋划、储备、开工、在建、竣工、达效，或停缓建（请填写停缓建原因）。",
    "导入时整表校验：有任何错误则全部不导入，并给出带批注的错误报告。",
)


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def form_projects(
    session: Session, actor: Actor, year: int, unit_id: int | None = None, enterprise_id: int | None = None
) -> list[Project]:
    """The projects of a form: the actor's, optionally of one unit or owner, not 达效 before the year."""
    query = visible(actor).order_by(Project.region_code, Project.id)
    if unit_id is not None:
        query = query.where(Project.unit_id == unit_id)
    if enterprise_id is not None:
        query = query.where(Project.enterprise_id == enterprise_id)
    return [p for p in session.scalars(query) if p.effect_actual is None or p.effect_actual.year >= year]


def write_form(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    unit_id: int | None = None,
    enterprise_id: int | None = None,
) -> bytes:
    """The .xlsx form for `year`-`month`."""
    if not 1 <= month <= 12:
        raise InvalidInput("月份应为1-12")
    projects = form_projects(session, actor, year, unit_id, enterprise_id)
    ids = [p.id for p in projects]
    prev_year, prev_month = _previous(year, month)
    last = {
        m.project_id: m
        for m in session.scalars(
            select(ProjectMonth).where(
                ProjectMonth.project_id.in_(ids),
                ProjectMonth.year == prev_year,
                ProjectMonth.month == prev_month,
            )
        )
    }
    plans = dict(
        session.execute(
            select(ProjectPlan.project_id, ProjectPlan.annual_plan).where(
                ProjectPlan.project_id.in_(ids), ProjectPlan.year == year
            )
        ).all()
    )
    regions = dict(session.execute(select(Region.code, Region.name)).all())
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    owners = dict(
        session.execute(
            select(Enterprise.id, Enterprise.credit_code).where(
                Enterprise.id.in_({p.enterprise_id for p in projects if p.enterprise_id})
            )
        ).all()
    )
    columns = [
        Column(label(f), number_format=AMOUNT if f in AMOUNTS else DATE if f in DATES else None)
        for f in FORM_ORDER
    ] + [Column("上月本年完成投资(万元)", AMOUNT), Column("上月自开始建设累计完成投资(万元)", AMOUNT)]
    rows = []
    for p in projects:
        values = {
            "name": p.name,
            "code": p.code,
            "kind": p.kind,
            "level": p.level,
            "region": f"{p.region_code} {regions.get(p.region_code, '')}".strip(),
            "owner_code": owners.get(p.enterprise_id) if p.enterprise_id else None,
            "owner_name": p.owner_name or None,
            "unit": units.get(p.unit_id) if p.unit_id else None,
            "leader": p.leader or None,
            "chain_code": p.chain_code,
            "node_code": p.node_code,
            "annual_plan": plans.get(p.id),
            "status": SUSPENDED_LABEL if p.suspended_on else STAGE_LABELS.get(p.stage, ""),
            "suspend_reason": p.suspend_reason or None,
            "year": year,
            "month": month,
        }
        for attr in ("total_investment", "new_output", *DATES):
            values[attr] = getattr(p, attr)
        before = last.get(p.id)
        rows.append(
            [values.get(f) for f in FORM_ORDER]
            + [before.year_actual if before else None, before.cumulative if before else None]
        )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "月度调度"
    write_table(
        sheet,
        columns,
        rows,
        title=f"重点项目月度调度表（{year}年{month}月）",
        note=f"金额单位：万元 · 生成日期：{date.today().isoformat()}",
    )
    notes = workbook.create_sheet("填报说明")
    for index, text in enumerate(NOTES, start=1):
        notes.cell(row=index, column=1, value=text)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
