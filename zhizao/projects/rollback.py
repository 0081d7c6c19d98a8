"""Undoing a whole 调度 import (`zhizao import rollback N`, the imports page): every value it changed goes
back to what it was, the month reports and plans it added are deleted, and the projects it created are
removed.

Refused when a value the import wrote has changed since (a later import, a re-plan), or when a project it
created has data from elsewhere: undo that first. The undo is itself recorded in `project_changes`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput
from zhizao.imports.models import Import
from zhizao.projects.importing import _text
from zhizao.projects.models import Project, ProjectBaseline, ProjectChange, ProjectMonth, ProjectPlan

DATE_FIELDS = {
    "start_planned", "start_actual", "complete_planned", "complete_actual", "effect_planned", "effect_actual",
    "suspended_on", "conceive_planned", "conceive_actual", "reserve_planned", "reserve_actual",
    "build_planned", "build_actual",
}  # fmt: skip
FLOAT_FIELDS = {"total_investment", "new_output", "year_actual", "cumulative", "annual_plan"}
INT_FIELDS = {"enterprise_id", "unit_id"}
MONTH_FIELDS = {"year_actual", "cumulative", "stage", "issues"}


def _value(field: str, text: str | None) -> object:
    if text is None:
        return None
    if field in DATE_FIELDS:
        return date.fromisoformat(text)
    if field in FLOAT_FIELDS:
        return float(text)
    if field in INT_FIELDS:
        return int(text)
    return text


def _month(session: Session, change: ProjectChange) -> ProjectMonth | None:
    return session.scalars(
        select(ProjectMonth).where(
            ProjectMonth.project_id == change.project_id,
            ProjectMonth.year == change.year,
            ProjectMonth.month == change.month,
        )
    ).first()


def _plan(session: Session, change: ProjectChange) -> ProjectPlan | None:
    return session.scalars(
        select(ProjectPlan).where(
            ProjectPlan.project_id == change.project_id, ProjectPlan.year == change.year
        )
    ).first()


def _current(session: Session, change: ProjectChange) -> tuple[object, object]:
    """(the row holding the value, the value now)."""
    if change.field == "annual_plan":
        plan = _plan(session, change)
        return plan, plan.annual_plan if plan else None
    if change.field in MONTH_FIELDS and change.month:
        month = _month(session, change)
        return month, getattr(month, change.field) if month else None
    project = session.get(Project, change.project_id)
    return project, getattr(project, change.field) if project else None


def rollback_projects(session: Session, actor: Actor, found: Import) -> int:
    """Undo the 调度 import `found`; returns the number of values restored or removed."""
    changes = list(
        session.scalars(
            select(ProjectChange)
            .where(ProjectChange.import_id == found.id, ProjectChange.reason == "import")
            .order_by(ProjectChange.id.desc())
        )
    )
    created = {c.project_id for c in changes if c.field == "name" and c.old_value is None}
    conflicts = [c for c in changes if _text(_current(session, c)[1]) != c.new_value]
    later = session.scalars(  # data of a created project from another import still in force, or a re-plan
        select(ProjectChange.id)
        .outerjoin(Import, Import.id == ProjectChange.import_id)
        .where(
            ProjectChange.project_id.in_(created),
            ProjectChange.import_id.is_distinct_from(found.id),
            ProjectChange.reason != "rollback",
            (Import.status == "applied") | ProjectChange.import_id.is_(None),
        )
    ).first()
    frozen = session.scalars(
        select(ProjectBaseline.id).where(ProjectBaseline.project_id.in_(created))
    ).first()
    if conflicts or later is not None or frozen is not None:
        raise InvalidInput(f"导入 #{found.id} 之后有项目数据又被修改过，请先撤销之后的修改")
    for change in changes:
        if change.project_id in created:
            continue
        holder, _now = _current(session, change)
        old = _value(change.field, change.old_value)
        if holder is None:
            continue
        if (
            isinstance(holder, ProjectPlan | ProjectMonth)
            and change.old_value is None
            and _all_new(changes, change)
        ):
            session.delete(holder)
            session.flush()
            continue
        setattr(holder, change.field, old)
        session.add(
            ProjectChange(
                project_id=change.project_id,
                field=change.field,
                year=change.year,
                month=change.month,
                old_value=change.new_value,
                new_value=change.old_value,
                import_id=found.id,
                actor=actor.username,
                reason="rollback",
            )
        )
    for model in (ProjectMonth, ProjectPlan, ProjectBaseline, ProjectChange):
        session.execute(delete(model).where(model.project_id.in_(created)))
    session.execute(delete(Project).where(Project.id.in_(created)))
    session.flush()
    return len(changes)


def _all_new(changes: list[ProjectChange], change: ProjectChange) -> bool:
    """Whether the import created the plan or month row `change` belongs to (every value of it was new)."""
    if change.field == "annual_plan":
        return True
    same = [
        c
        for c in changes
        if c.project_id == change.project_id and c.year == change.year and c.month == change.month
        and c.field in MONTH_FIELDS
    ]  # fmt: skip
    return all(c.old_value is None for c in same)
