"""Baselines: the plan frozen at the start of a year (version 0) and at each approved re-plan (versions 1,
2, ...). The current plan may change through the monthly 调度 (a new 年度计划投资 in the form); the baseline
changes only through `replan`, which records who approved it and why. Progress can be measured against
either (`facts.Basis`): the current plan, or the baseline in force at the period end."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput
from zhizao.projects.models import Project, ProjectBaseline, ProjectChange, ProjectPlan
from zhizao.projects.store import get, visible


def _plan(session: Session, project_id: int, year: int) -> ProjectPlan | None:
    return session.scalars(
        select(ProjectPlan).where(ProjectPlan.project_id == project_id, ProjectPlan.year == year)
    ).first()


def _freeze(
    session: Session, project: Project, year: int, version: int, on: date, reason: str, approved_by: str
) -> ProjectBaseline:
    plan = _plan(session, project.id, year)
    row = ProjectBaseline(
        project_id=project.id,
        year=year,
        version=version,
        frozen_on=on,
        reason=reason,
        approved_by=approved_by,
        annual_plan=plan.annual_plan if plan else None,
        total_investment=project.total_investment,
        start_planned=project.start_planned,
        complete_planned=project.complete_planned,
    )
    session.add(row)
    return row


def freeze_year_start(session: Session, actor: Actor, year: int, on: date | None = None) -> int:
    """Freeze version 0 of `year` for every project the actor sees that has a plan for the year and no
    baseline yet. Returns how many were frozen; running it again freezes nothing."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    frozen_already = set(
        session.scalars(select(ProjectBaseline.project_id).where(ProjectBaseline.year == year))
    )
    planned = set(session.scalars(select(ProjectPlan.project_id).where(ProjectPlan.year == year)))
    count = 0
    for project in session.scalars(visible(actor).order_by(Project.id)):
        if project.id in planned and project.id not in frozen_already:
            _freeze(session, project, year, 0, on or date(year, 1, 1), "年初基线", actor.username)
            count += 1
    session.flush()
    return count


def replan(
    session: Session,
    actor: Actor,
    project_id: int,
    year: int,
    *,
    on: date,
    reason: str,
    approved_by: str,
    annual_plan: float | None = None,
    total_investment: float | None = None,
    start_planned: date | None = None,
    complete_planned: date | None = None,
) -> ProjectBaseline:
    """An approved re-plan: change the current plan and freeze it as the next baseline version."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    project = get(session, actor, project_id)
    if not reason.strip() or not approved_by.strip():
        raise InvalidInput("调整计划须写明原因和批准人")
    if (annual_plan is not None and annual_plan < 0) or (
        total_investment is not None and total_investment < 0
    ):
        raise InvalidInput("投资额不能为负数")
    changes: list[tuple[str, object, object]] = []
    if annual_plan is not None:
        plan = _plan(session, project.id, year)
        changes.append(("annual_plan", plan.annual_plan if plan else None, annual_plan))
        if plan is None:
            session.add(ProjectPlan(project_id=project.id, year=year, annual_plan=annual_plan))
        else:
            plan.annual_plan = annual_plan
    for name, value in (
        ("total_investment", total_investment),
        ("start_planned", start_planned),
        ("complete_planned", complete_planned),
    ):
        if value is not None:
            changes.append((name, getattr(project, name), value))
            setattr(project, name, value)
    for name, old, new in changes:
        session.add(
            ProjectChange(
                project_id=project.id,
                field=name,
                year=year,
                old_value=_text(old),
                new_value=_text(new),
                actor=actor.username,
                reason="replan",
                month=0,
            )
        )
    session.flush()
    version = session.scalar(
        select(func.max(ProjectBaseline.version)).where(
            ProjectBaseline.project_id == project.id, ProjectBaseline.year == year
        )
    )
    row = _freeze(
        session, project, year, (version + 1) if version is not None else 0, on, reason, approved_by
    )
    session.flush()
    return row


def baselines(session: Session, actor: Actor, project_id: int) -> list[ProjectBaseline]:
    get(session, actor, project_id)
    return list(
        session.scalars(
            select(ProjectBaseline)
            .where(ProjectBaseline.project_id == project_id)
            .order_by(ProjectBaseline.year, ProjectBaseline.version)
        )
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return (
        value.isoformat()
        if isinstance(value, date)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )
