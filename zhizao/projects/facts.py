"""The facts of each visible project as of a month end, read once from the database into an Arrow table:
its plan for the year (the current plan, or the baseline in force), what it has completed by the month, its
planned and actual 开工 and 竣工 dates and whether it is 停缓建. The analytics (`progress`) are Ibis
expressions over this table.

The period: `as_of` counts as the end of its month when it is the last day of a month, else the end of the
month before (a month's 调度 is complete only after the month ends)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.chains.models import Chain
from zhizao.projects.models import Project, ProjectBaseline, ProjectMonth, ProjectPlan
from zhizao.projects.store import visible
from zhizao.reference.models import Region, Unit

Basis = Literal["plan", "baseline"]
BASIS_LABELS = {"plan": "按现行计划", "baseline": "按基线计划"}

SCHEMA = pa.schema(
    [
        ("project_id", pa.int64()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("level", pa.string()),
        ("region", pa.string()),
        ("region_name", pa.string()),
        ("chain", pa.string()),
        ("chain_name", pa.string()),
        ("unit", pa.string()),
        ("annual_plan", pa.float64()),
        ("year_actual", pa.float64()),
        ("cumulative", pa.float64()),
        ("total_investment", pa.float64()),
        ("start_planned", pa.date32()),
        ("start_actual", pa.date32()),
        ("complete_planned", pa.date32()),
        ("complete_actual", pa.date32()),
        ("suspended", pa.bool_()),
    ]
)
UNSPECIFIED = "（未指定）"


@dataclass(frozen=True)
class Period:
    """The reporting month: its last day, year and month."""

    end: date

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def month(self) -> int:
        return self.end.month

    @property
    def first_day(self) -> date:
        return date(self.end.year, 1, 1)


def period_of(as_of: date) -> Period:
    last = calendar.monthrange(as_of.year, as_of.month)[1]
    if as_of.day == last:
        return Period(as_of)
    return Period(as_of.replace(day=1) - timedelta(days=1))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _baselines(session: Session, ids: list[int], period: Period) -> dict[int, ProjectBaseline]:
    """The baseline in force at the period end: the latest version frozen on or before it."""
    found: dict[int, ProjectBaseline] = {}
    rows = session.scalars(
        select(ProjectBaseline)
        .where(
            ProjectBaseline.project_id.in_(ids),
            ProjectBaseline.year == period.year,
            ProjectBaseline.frozen_on <= period.end,
        )
        .order_by(ProjectBaseline.project_id, ProjectBaseline.version)
    )
    for row in rows:
        found[row.project_id] = row
    return found


def _months(session: Session, ids: list[int], period: Period) -> dict[int, ProjectMonth]:
    """Each project's latest report of the year up to the period's month."""
    found: dict[int, ProjectMonth] = {}
    rows = session.scalars(
        select(ProjectMonth)
        .where(
            ProjectMonth.project_id.in_(ids),
            ProjectMonth.year == period.year,
            ProjectMonth.month <= period.month,
        )
        .order_by(ProjectMonth.project_id, ProjectMonth.month)
    )
    for row in rows:
        found[row.project_id] = row
    return found


def load_projects(session: Session, actor: Actor, project_ids: list[int] | None = None) -> list[Project]:
    query = visible(actor).order_by(Project.id)
    if project_ids is not None:
        query = query.where(Project.id.in_(project_ids))
    return list(session.scalars(query))


def facts(
    session: Session,
    actor: Actor,
    period: Period,
    basis: Basis = "plan",
    projects: list[Project] | None = None,
) -> pa.Table:
    """One row per project the actor sees (or of `projects`), in SCHEMA."""
    projects = load_projects(session, actor) if projects is None else projects
    ids = [p.id for p in projects]
    plans = {
        pid: value
        for pid, value in session.execute(
            select(ProjectPlan.project_id, ProjectPlan.annual_plan).where(
                ProjectPlan.project_id.in_(ids), ProjectPlan.year == period.year
            )
        )
    }
    baselines = _baselines(session, ids, period) if basis == "baseline" else {}
    months = _months(session, ids, period)
    regions = dict(session.execute(select(Region.code, Region.name)).all())
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    chains = dict(session.execute(select(Chain.code, Chain.name)).all())
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for p in projects:
        report = months.get(p.id)
        base = baselines.get(p.id)
        if basis == "baseline":
            annual = base.annual_plan if base else None
            start_planned = base.start_planned if base else None
            complete_planned = base.complete_planned if base else None
        else:
            annual, start_planned, complete_planned = plans.get(p.id), p.start_planned, p.complete_planned
        values = {
            "project_id": p.id,
            "name": p.name,
            "kind": p.kind,
            "level": p.level,
            "region": p.region_code,
            "region_name": regions.get(p.region_code, p.region_code),
            "chain": p.chain_code or UNSPECIFIED,
            "chain_name": chains.get(p.chain_code, p.chain_code) if p.chain_code else UNSPECIFIED,
            "unit": units.get(p.unit_id, UNSPECIFIED) if p.unit_id else UNSPECIFIED,
            "annual_plan": annual,
            "year_actual": report.year_actual if report else None,
            "cumulative": report.cumulative if report else None,
            "total_investment": p.total_investment,
            "start_planned": start_planned,
            "start_actual": p.start_actual if p.start_actual and p.start_actual <= period.end else None,
            "complete_planned": complete_planned,
            "complete_actual": (
                p.complete_actual if p.complete_actual and p.complete_actual <= period.end else None
            ),
            "suspended": p.suspended_on is not None and p.suspended_on <= period.end,
        }
        for name, value in values.items():
            columns[name].append(value)
    return pa.table(columns, schema=SCHEMA)
