"""Repeated 诉求 as policy issues: a category raised by several firms (`analytics.repeated`) is linked to
the plan task that is to answer it, and the task's page counts the linked 诉求.

A link names the category by its code, so it holds across configuration versions; a 大类 link counts its
小类 too. Only the bureau (administrators and analysts) links and unlinks, and only to tasks of confirmed
plans; each link and unlink is audited. The counts are of the 诉求 the viewer may see (`requests.visible`),
so a district sees its own firms' and a department its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound
from zhizao.plans.models import Plan, PlanTask
from zhizao.service.models import ServiceCategory, ServicePolicyLink, ServiceRequest
from zhizao.service.requests import OPEN, visible

LINKERS = (Role.ADMIN, Role.ANALYST)


@dataclass(frozen=True)
class TaskOption:
    id: int
    plan_title: str
    label: str


@dataclass(frozen=True)
class LinkedTask:
    link_id: int
    category_code: str
    task_id: int
    label: str


@dataclass(frozen=True)
class LinkedCount:
    """The 诉求 of one linked category the viewer may see: total, open, and distinct firms."""

    link_id: int
    category_code: str
    category_name: str
    requests: int
    open: int
    firms: int
    note: str


def _task_label(task: PlanTask) -> str:
    return f"{task.number} {task.title or task.text[:40]}".strip()


def task_options(session: Session) -> list[TaskOption]:
    """The tasks of confirmed plans, to choose from when linking."""
    rows = session.execute(
        select(PlanTask, Plan.title)
        .join(Plan, Plan.id == PlanTask.plan_id)
        .where(Plan.status == "confirmed")
        .order_by(Plan.id, PlanTask.position, PlanTask.id)
    )
    return [TaskOption(task.id, str(title), _task_label(task)) for task, title in rows]


def link(
    session: Session, actor: Actor, category_code: str, task_id: int, note: str = ""
) -> ServicePolicyLink:
    """Link the 诉求 of a category (by code) to a task of a confirmed plan."""
    require_role(actor, *LINKERS)
    code = category_code.strip()
    if session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == code).limit(1)) is None:
        raise InvalidInput(f"未知的诉求类别编码: {code}")
    task = session.get(PlanTask, task_id)
    if task is None:
        raise NotFound("找不到该任务")
    plan = session.get(Plan, task.plan_id)
    if plan is None or plan.status != "confirmed":
        raise InvalidInput("只能关联已确认规划中的任务")
    existing = session.scalar(
        select(ServicePolicyLink).where(
            ServicePolicyLink.category_code == code, ServicePolicyLink.task_id == task_id
        )
    )
    if existing is not None:
        raise InvalidInput("该类别已关联到这个任务")
    with acting_as(actor.username):
        created = ServicePolicyLink(
            category_code=code, task_id=task_id, note=note.strip()[:400], created_by=actor.username
        )
        session.add(created)
        session.flush()
    return created


def unlink(session: Session, actor: Actor, link_id: int) -> None:
    require_role(actor, *LINKERS)
    found = session.get(ServicePolicyLink, link_id)
    if found is None:
        raise NotFound("找不到该关联")
    with acting_as(actor.username):
        session.delete(found)
        session.flush()


def tasks_by_category(session: Session, codes: list[str]) -> dict[str, list[LinkedTask]]:
    """The tasks each category code is linked to (for the analytics page's repeated 诉求)."""
    rows = session.execute(
        select(ServicePolicyLink, PlanTask)
        .join(PlanTask, PlanTask.id == ServicePolicyLink.task_id)
        .where(ServicePolicyLink.category_code.in_(codes))
        .order_by(ServicePolicyLink.id)
    )
    found: dict[str, list[LinkedTask]] = {}
    for link_row, task in rows:
        found.setdefault(link_row.category_code, []).append(
            LinkedTask(link_row.id, link_row.category_code, task.id, _task_label(task))
        )
    return found


def counts_for_task(session: Session, actor: Actor, task_id: int) -> list[LinkedCount]:
    """For each category linked to the task: the viewer's visible 诉求 of it (and of its 小类)."""
    links = session.scalars(
        select(ServicePolicyLink).where(ServicePolicyLink.task_id == task_id).order_by(ServicePolicyLink.id)
    ).all()
    out = []
    parent = aliased(ServiceCategory)
    for item in links:
        query = (
            visible(actor)
            .join(ServiceCategory, ServiceCategory.id == ServiceRequest.category_id)
            .outerjoin(parent, parent.id == ServiceCategory.parent_id)
            .where(or_(ServiceCategory.code == item.category_code, parent.code == item.category_code))
            .with_only_columns(
                func.count(ServiceRequest.id),
                func.sum(case((ServiceRequest.status.in_(OPEN), 1), else_=0)),
                func.count(func.distinct(ServiceRequest.enterprise_id)),
            )
        )
        total, still_open, firms = session.execute(query).one()
        name = session.scalar(
            select(ServiceCategory.name)
            .where(ServiceCategory.code == item.category_code)
            .order_by(ServiceCategory.config_id.desc())
            .limit(1)
        )
        out.append(
            LinkedCount(
                item.id,
                item.category_code,
                str(name or item.category_code),
                int(total),
                int(still_open or 0),
                int(firms),
                item.note,
            )
        )
    return out
