"""The data of the project pages, gathered once per page (routes and the CLI only render it): the list with
its filters and each project's progress, and one project with its stages, its investment against plan and
baseline (the chart's options), its monthly reports, its baselines and the history of its values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.projects import baseline, effect
from zhizao.projects import settings as project_settings
from zhizao.projects.facts import facts, load_projects, month_end, period_of
from zhizao.projects.models import (
    STAGE_LABELS,
    STAGES,
    SUSPENDED_LABEL,
    Project,
    ProjectBaseline,
    ProjectChange,
    ProjectMonth,
    ProjectPlan,
)
from zhizao.projects.progress import STATUS_LABELS, ProjectProgress, per_project
from zhizao.projects.store import get
from zhizao.reference import regions as region_tree
from zhizao.reference.models import Region, Unit


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    level: str = ""
    region: str = ""
    status: str = ""
    chain: str = ""
    q: str = ""

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUS_LABELS:
            raise InvalidInput(f"未知的进度状态: {self.status}")
        if self.level and self.level not in project_settings.LEVELS:
            raise InvalidInput(f"未知的项目级别: {self.level}")

    def describe(self) -> str:
        parts = [self.kind, self.level, self.region, STATUS_LABELS.get(self.status, ""), self.chain, self.q]
        return "筛选：" + " · ".join(p for p in parts if p) if any(parts) else ""


@dataclass(frozen=True)
class Item:
    project: Project
    region_name: str
    unit_name: str
    progress: ProjectProgress | None

    @property
    def stage_label(self) -> str:
        return SUSPENDED_LABEL if self.project.suspended_on else STAGE_LABELS.get(self.project.stage, "")


def _names(session: Session) -> tuple[dict[str, str], dict[int, str]]:
    regions = dict(session.execute(select(Region.code, Region.name)).all())
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    return regions, units


def items(session: Session, actor: Actor, as_of: date, filters: Filters = Filters()) -> list[Item]:
    """The projects the actor sees, with their progress as of the month end of `as_of`, filtered."""
    projects = load_projects(session, actor)
    if filters.kind:
        projects = [p for p in projects if p.kind == filters.kind]
    if filters.level:
        projects = [p for p in projects if p.level == filters.level]
    if filters.region:
        projects = [p for p in projects if region_tree.contains(filters.region, p.region_code)]
    if filters.chain:
        projects = [p for p in projects if p.chain_code == filters.chain]
    if filters.q:
        projects = [p for p in projects if filters.q in p.name or filters.q in (p.code or "")]
    rules = project_settings.load(session)
    progress = per_project(facts(session, actor, period_of(as_of), projects=projects), as_of, rules)
    regions, units = _names(session)
    found = [
        Item(
            p,
            regions.get(p.region_code, p.region_code),
            units.get(p.unit_id, "") if p.unit_id else "",
            progress.get(p.id),
        )
        for p in projects
    ]
    if filters.status:
        found = [i for i in found if i.progress and i.progress.status == filters.status]
    return found


@dataclass(frozen=True)
class StageStep:
    stage: str
    label: str
    planned: date | None
    actual: date | None

    @property
    def slipped_days(self) -> int | None:
        """Days the actual date is later than planned (or, not reached, how late it is already)."""
        if self.planned is None:
            return None
        if self.actual is not None:
            return (self.actual - self.planned).days
        return None


@dataclass
class Page:
    project: Project
    as_of: date
    region_name: str
    unit_name: str
    owner: Enterprise | None
    progress: ProjectProgress | None
    stages: list[StageStep]
    months: list[ProjectMonth]
    plans: dict[int, float]
    baselines: list[ProjectBaseline]
    changes: list[ProjectChange]
    effect: effect.Effect
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def stage_label(self) -> str:
        return SUSPENDED_LABEL if self.project.suspended_on else STAGE_LABELS.get(self.project.stage, "")


def page(session: Session, actor: Actor, project_id: int, as_of: date) -> Page:
    project = get(session, actor, project_id)
    rules = project_settings.load(session)
    progress = per_project(facts(session, actor, period_of(as_of), projects=[project]), as_of, rules)
    regions, units = _names(session)
    months = list(
        session.scalars(
            select(ProjectMonth)
            .where(ProjectMonth.project_id == project.id)
            .order_by(ProjectMonth.year.desc(), ProjectMonth.month.desc())
        )
    )
    plans = dict(
        session.execute(
            select(ProjectPlan.year, ProjectPlan.annual_plan).where(ProjectPlan.project_id == project.id)
        ).all()
    )
    changes = list(
        session.scalars(
            select(ProjectChange)
            .where(ProjectChange.project_id == project.id)
            .order_by(ProjectChange.at.desc(), ProjectChange.id.desc())
            .limit(200)
        )
    )
    stages = [
        StageStep(s, STAGE_LABELS[s], getattr(project, f"{s}_planned"), getattr(project, f"{s}_actual"))
        for s in STAGES
    ]
    result = Page(
        project=project,
        as_of=as_of,
        region_name=regions.get(project.region_code, project.region_code),
        unit_name=units.get(project.unit_id, "") if project.unit_id else "",
        owner=session.get(Enterprise, project.enterprise_id) if project.enterprise_id else None,
        progress=progress.get(project.id),
        stages=stages,
        months=months,
        plans=plans,
        baselines=baseline.baselines(session, actor, project.id),
        changes=changes,
        effect=effect.effect_of(session, project),
    )
    result.chart = chart_options(result, period_of(as_of).year)
    return result


def chart_options(p: Page, year: int) -> dict[str, Any]:
    """ECharts options: the year's 本年完成投资 by month (bars) against the current plan spread over the
    months (序时计划), the annual plan and the baseline in force each month (step lines)."""
    months = list(range(1, 13))
    actual = {m.month: m.year_actual for m in p.months if m.year == year}
    plan = p.plans.get(year)
    versions = sorted((b for b in p.baselines if b.year == year), key=lambda b: b.version)

    def baseline_at(month: int) -> float | None:
        value = None
        for b in versions:
            if b.frozen_on <= month_end(year, month):
                value = b.annual_plan
        return value

    series: list[dict[str, Any]] = [
        {"name": "本年完成投资", "type": "bar", "data": [actual.get(m) for m in months]},
        {
            "name": "序时计划",
            "type": "line",
            "lineStyle": {"type": "dashed"},
            "data": [round(plan * m / 12, 2) if plan else None for m in months],
        },
        {"name": "年度计划", "type": "line", "step": "end", "symbol": "none", "data": [plan for _ in months]},
        {
            "name": "基线",
            "type": "line",
            "step": "end",
            "symbol": "none",
            "data": [baseline_at(m) for m in months],
        },
    ]
    return {
        "title": {"text": f"{year}年投资进度（万元）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 50},
        "xAxis": {"type": "category", "data": [f"{m}月" for m in months]},
        "yAxis": {"type": "value", "name": "万元"},
        "series": series,
    }
