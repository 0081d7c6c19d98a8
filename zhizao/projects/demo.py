"""Synthetic key projects for the demo region, clearly marked as made up.

About forty projects owned by demo enterprises (themselves fictional) across the region's districts: every
name ends in （虚构）, every row has `synthetic` set, and the 包联 leaders are placeholders. The current year
has a plan, a year-start baseline (one project re-planned in the summer), monthly 调度 reports up to the last
month end with a deterministic spread of paces (ahead, on track, behind), a few 停缓建, a few without a plan
this year, and last year's completions with their 达效 figures. Earlier demo projects are replaced; projects
that are not synthetic are never touched.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.enterprises.models import Enterprise
from zhizao.projects.baseline import freeze_year_start, replan
from zhizao.projects.facts import month_end, period_of
from zhizao.projects.models import Project, ProjectBaseline, ProjectChange, ProjectMonth, ProjectPlan
from zhizao.reference.models import Unit

SEED = 2024
COUNT = 40
MARK = "（虚构）"
WORKS = (
    "年产10万台智能装备",
    "数字化车间改造",
    "新材料扩产",
    "智能工厂建设",
    "绿色化改造",
    "研发中心建设",
    "高端零部件产业化",
    "生产线自动化升级",
    "新能源电池材料",
    "工业互联网平台",
)
KINDS = ("重点项目", "技改项目", "技改项目", "招商项目")
LEVELS = ("省级", "市级", "市级", "区级")


def _name(firm: Enterprise, work: str) -> str:
    return f"{firm.name.removesuffix(MARK)}{work}项目{MARK}"


def _units(session: Session) -> list[int]:
    preferred = ("工业和信息化", "发展和改革", "商务", "科学技术")
    units = session.scalars(select(Unit).where(Unit.kind == "department").order_by(Unit.id)).all()
    chosen = [u.id for u in units if any(word in u.name for word in preferred)]
    return chosen or [u.id for u in units[:4]]


def load_demo_projects(session: Session, actor: Actor, today: date | None = None) -> int:
    """Replace the demo projects; returns how many were written."""
    require_role(actor, Role.ADMIN)
    old = select(Project.id).where(Project.synthetic.is_(True))
    for child in (ProjectMonth, ProjectPlan, ProjectBaseline, ProjectChange):
        session.execute(delete(child).where(child.project_id.in_(old)))
    session.execute(delete(Project).where(Project.synthetic.is_(True)))
    period = period_of(today or date.today())
    year, last_month = period.year, period.month
    firms = session.scalars(
        select(Enterprise).where(Enterprise.above_scale.is_(True)).order_by(Enterprise.id).limit(400)
    ).all()
    if not firms:
        return 0
    rng = random.Random(SEED)
    units = _units(session)
    picked = rng.sample(list(firms), min(COUNT, len(firms)))
    written: list[Project] = []
    for index, firm in enumerate(picked):
        project = _project(session, rng, index, firm, units, year, last_month)
        written.append(project)
    session.flush()
    freeze_year_start(session, actor, year)
    planned = [p for p in written if p.suspended_on is None and p.start_actual is not None]
    if planned and last_month >= 8:
        replan(
            session,
            actor,
            planned[0].id,
            year,
            on=date(year, 7, 15),
            reason="用地指标调整（演示）",
            approved_by="演示审批单位",
            annual_plan=_annual(session, planned[0].id, year) * 0.8,
        )
    record(
        session,
        "demo_load",
        Project.__tablename__,
        "synthetic-demo",
        {"projects": len(written), "year": year},
    )
    return len(written)


def _annual(session: Session, project_id: int, year: int) -> float:
    plan = session.scalar(
        select(ProjectPlan.annual_plan).where(ProjectPlan.project_id == project_id, ProjectPlan.year == year)
    )
    return float(plan or 0.0)


def _project(
    session: Session, rng: random.Random, index: int, firm: Enterprise, units: list[int], year: int, last: int
) -> Project:
    total = float(rng.randrange(5, 120) * 1000)
    kind, level = KINDS[index % len(KINDS)], LEVELS[index % len(LEVELS)]
    project = Project(
        name=_name(firm, WORKS[index % len(WORKS)]),
        code=f"{year}-{firm.region_code}-{firm.industry_code[:2]}-03-{900000 + index:06d}",
        kind=kind,
        level=level,
        enterprise_id=firm.id,
        owner_name=firm.name,
        region_code=firm.region_code,
        unit_id=units[index % len(units)] if units else None,
        leader=f"演示包联领导{index % 6 + 1}{MARK}",
        total_investment=total,
        synthetic=True,
    )
    role = index % 10  # 0: completed last year, 1: no plan this year, 2: suspended, else building this year
    if role == 0:
        project.start_planned = project.start_actual = date(year - 2, 4, 1)
        project.complete_planned = date(year - 1, 6, 30)
        project.complete_actual = date(year - 1, 6, 30) + timedelta(days=rng.randrange(0, 60))
        project.stage = "complete"
        if index % 20 == 0:
            project.effect_actual, project.stage = date(year, 3, 31), "effect"
            project.new_output = round(total * rng.uniform(0.8, 2.0), 0)
    elif role == 1:
        project.stage = "reserve" if index % 20 == 1 else "conceive"
        project.start_planned = date(year + 1, 3, 1)
    else:
        start_month = 1 + index % max(last, 1)
        project.start_planned = date(year, start_month, 1)
        delay = rng.choice((0, 0, 10, 20, 45))
        started = project.start_planned + timedelta(days=delay)
        project.start_actual = started if started <= month_end(year, last) else None
        project.stage = "build" if project.start_actual else "reserve"
        project.complete_planned = date(year + 1, 12, 31) if index % 3 else month_end(year, max(1, last - 1))
        if not index % 3 and index % 2 == 0 and project.start_actual and role != 2:
            project.complete_actual = project.complete_planned - timedelta(days=rng.randrange(0, 20))
            project.stage = "complete"
        if role == 2:
            project.suspended_on = month_end(year, max(1, last - 2))
            project.suspend_reason = "资金暂未到位（演示）"
    session.add(project)
    session.flush()
    if role in (0, 1):
        return project
    annual = round(total * rng.uniform(0.3, 0.6), 0)
    session.add(ProjectPlan(project_id=project.id, year=year, annual_plan=annual))
    pace = (0.55, 0.75, 0.9, 1.0, 1.05, 1.25)[index % 6]
    before = round(total * 0.1, 0) if project.start_actual and project.start_actual.year < year else 0.0
    if project.start_actual is None:
        return project
    first = project.start_actual.month if project.start_actual.year == year else 1
    stop = project.suspended_on.month if project.suspended_on else last
    for month in range(first, last + 1):
        done = round(annual * pace * min(month, stop) / 12, 0)
        session.add(
            ProjectMonth(
                project_id=project.id,
                year=year,
                month=month,
                year_actual=done,
                cumulative=before + done,
                stage="suspended" if project.suspended_on and month >= stop else "build",
                issues="用地手续办理中（演示）" if pace < 0.8 and month == last else "",
            )
        )
    return project
