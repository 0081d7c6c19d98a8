"""Keeping plans: review their items, confirm them, delete them. Creating a plan is `zhizao.plans.intake`.

A plan starts in `review`: every target and task is `pending` until a person accepts or rejects it, and
may be edited meanwhile. Confirming needs no pending item left (or accepts the rest when asked); rejected
items are then removed, so a confirmed plan holds exactly what was accepted. Every change is audited under
the acting person's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import utcnow
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.plans.fields import (
    MEASURES,
    QUALIFIERS,
    ROLES,
    fill_units,
    read_choice,
    read_date,
    read_number,
    read_year,
    unit_list,
)
from zhizao.plans.models import Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.plans.reading.deadlines import read_deadline
from zhizao.plans.units import UnitMatcher

REVIEW_STATES = ("pending", "accepted", "rejected")
EDITORS = (Role.ADMIN, Role.ANALYST)


def _plan_in_review(session: Session, actor: Actor, plan_id: int) -> Plan:
    require_role(actor, *EDITORS)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    if plan.status != "review":
        raise InvalidInput("计划已确认,不能再修改")
    return plan


def _item(session: Session, actor: Actor, model: type[Any], item_id: int) -> Any:
    require_role(actor, *EDITORS)  # before the lookup: a refused role learns nothing of what exists
    item = session.get(model, item_id)
    if item is None:
        raise NotFound(f"条目 {item_id} 不存在")
    plan_id = item.plan_id if hasattr(item, "plan_id") else item.task.plan_id
    _plan_in_review(session, actor, plan_id)
    return item


def update_target(session: Session, actor: Actor, target_id: int, changes: Mapping[str, Any]) -> PlanTarget:
    """Edit a target's indicator, measure, value, unit, qualifier, target_year or base_year."""
    target: PlanTarget = _item(session, actor, PlanTarget, target_id)
    problems = Problems()
    values: dict[str, Any] = {}
    for key, raw in changes.items():
        if key == "indicator":
            values[key] = str(raw or "").strip()[:200]
            if not values[key]:
                problems.error("指标名称不能为空", None, key)
        elif key == "measure":
            values[key] = read_choice(raw, MEASURES, problems, None, key)
        elif key == "qualifier":
            values[key] = read_choice(raw, QUALIFIERS, problems, None, key)
        elif key == "value":
            values[key] = read_number(raw, problems, None, key)
        elif key == "unit":
            values[key] = str(raw or "").strip()[:30]
        elif key in ("target_year", "base_year"):
            values[key] = read_year(raw, problems, None, key)
        else:
            problems.error(f"不能修改的字段: {key}", None, key)
    if problems.errors:
        raise InvalidInput("目标修改有误", problems.items)
    with acting_as(actor.username):
        for key, value in values.items():
            setattr(target, key, value)
        if values:
            target.confidence, target.reasons = None, None  # a person wrote it now: nothing left to doubt
        session.flush()
    return target


def update_task(session: Session, actor: Actor, task_id: int, changes: Mapping[str, Any]) -> PlanTask:
    """Edit a task's number or title."""
    task: PlanTask = _item(session, actor, PlanTask, task_id)
    unknown = set(changes) - {"number", "title"}
    if unknown:
        raise InvalidInput(f"不能修改的字段: {', '.join(sorted(unknown))}")
    with acting_as(actor.username):
        if "number" in changes:
            task.number = str(changes["number"] or "").strip()[:20]
        if "title" in changes:
            task.title = str(changes["title"] or "").strip()[:300] or None
        session.flush()
    return task


def update_assignment(
    session: Session, actor: Actor, assignment_id: int, changes: Mapping[str, Any]
) -> TaskAssignment:
    """Edit an assignment's units (lead_units, responsible_units, cooperating_units: a list or a 、-separated
    string; matched again) and its deadline (YYYY-MM-DD, or read from deadline_text when empty)."""
    assignment: TaskAssignment = _item(session, actor, TaskAssignment, assignment_id)
    unknown = set(changes) - {
        "lead_units",
        "responsible_units",
        "cooperating_units",
        "deadline",
        "deadline_text",
    }
    if unknown:
        raise InvalidInput(f"不能修改的字段: {', '.join(sorted(unknown))}")
    problems = Problems()
    plan_year = assignment.task.plan.year
    deadline_text = changes.get("deadline_text", assignment.deadline_text)
    deadline = assignment.deadline
    if "deadline" in changes or "deadline_text" in changes:
        deadline = read_date(changes.get("deadline"), problems, None, "deadline") or read_deadline(
            deadline_text, plan_year
        )
    if problems.errors:
        raise InvalidInput("任务分工修改有误", problems.items)
    with acting_as(actor.username):
        if any(key in changes for key, _ in ROLES):
            current = {key: [u.unit_text for u in assignment.units if u.role == role] for key, role in ROLES}
            names = {
                key: _dedupe(unit_list(changes[key])) if key in changes else current[key] for key, _ in ROLES
            }
            fill_units(assignment, names, UnitMatcher.load(session))
            assignment.confidence, assignment.reasons = None, None  # the units are a person's now
        assignment.deadline = deadline
        assignment.deadline_text = str(deadline_text).strip()[:100] if deadline_text else None
        session.flush()
    return assignment


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def add_assignment(session: Session, actor: Actor, task_id: int) -> TaskAssignment:
    """Add an empty responsibility note to a task (to be filled with `update_assignment`)."""
    task: PlanTask = _item(session, actor, PlanTask, task_id)
    with acting_as(actor.username):
        assignment = TaskAssignment(position=len(task.assignments))
        task.assignments.append(assignment)
        session.flush()
    return assignment


def set_review_status(session: Session, actor: Actor, kind: str, item_id: int, status: str) -> Any:
    """Accept, reject or reset (pending) one target (`kind="target"`) or task (`kind="task"`)."""
    models = {"target": PlanTarget, "task": PlanTask}
    if kind not in models:
        raise InvalidInput(f"条目类型无效: {kind}")
    if status not in REVIEW_STATES:
        raise InvalidInput(f"审核状态无效: {status}")
    item = _item(session, actor, models[kind], item_id)
    with acting_as(actor.username):
        item.review_status = status
        session.flush()
    return item


def set_all_review_status(session: Session, actor: Actor, plan_id: int, status: str) -> int:
    """Set every pending item of a plan to `status`. Returns the number of items changed."""
    if status not in REVIEW_STATES:
        raise InvalidInput(f"审核状态无效: {status}")
    plan = _plan_in_review(session, actor, plan_id)
    changed = 0
    with acting_as(actor.username):
        items: list[PlanTarget | PlanTask] = [*plan.targets, *plan.tasks]
        for item in items:
            if item.review_status == "pending":
                item.review_status = status
                changed += 1
        session.flush()
    return changed


def confirm_plan(session: Session, actor: Actor, plan_id: int, *, accept_pending: bool = False) -> Plan:
    """Confirm a plan in review. Pending items block it unless `accept_pending`; rejected items are
    removed."""
    plan = _plan_in_review(session, actor, plan_id)
    items: list[PlanTarget | PlanTask] = [*plan.targets, *plan.tasks]
    pending = [i for i in items if i.review_status == "pending"]
    if pending and not accept_pending:
        raise InvalidInput(f"还有 {len(pending)} 条未审核，请先采纳或不采纳")
    if not any(i.review_status != "rejected" for i in items):
        raise InvalidInput("计划没有任何已采纳的目标或任务")
    with acting_as(actor.username):
        for item in pending:
            item.review_status = "accepted"
        plan.targets = [t for t in plan.targets if t.review_status == "accepted"]
        plan.tasks = [t for t in plan.tasks if t.review_status == "accepted"]
        plan.status = "confirmed"
        plan.confirmed_by = actor.username
        plan.confirmed_at = utcnow()
        session.flush()
    return plan


def delete_plan(session: Session, actor: Actor, plan_id: int) -> None:
    """Delete a plan with all its items (administrators; analysts only while it is in review)."""
    require_role(actor, *EDITORS)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    if plan.status == "confirmed" and actor.role is not Role.ADMIN:
        raise InvalidInput("已确认的计划只有管理员可以删除")
    with acting_as(actor.username):
        session.delete(plan)
        session.flush()


def plan_titled(session: Session, title: str) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.title == title)).first()
