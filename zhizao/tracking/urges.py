"""催办: the supervising office's reminder to the unit that owns an assignment.

An urge is recorded against the owning unit (audited like every change) and stays *open* until the unit
reports progress on the assignment: a report written at or after the urge answers it. The unit sees its
open urges (被催办, who and when) on its home page, its task list and the assignment page; the office sees
how often each assignment was urged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, not_, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans.models import PlanTask, TaskAssignment
from zhizao.reference.models import Unit
from zhizao.tracking.models import ProgressReport
from zhizao.tracking.tasks import assignment_clause, get_assignment
from zhizao.tracking.text import task_title
from zhizao.tracking.urge_models import TaskUrge

URGING_ROLES = (Role.ADMIN, Role.ANALYST)
MAX_NOTE = 500


@dataclass(frozen=True)
class UrgeNotice:
    """The open 催办 of one assignment: the latest urge (who, when, what) and how many are open."""

    assignment_id: int
    task_label: str
    unit_name: str
    author: str  # the urging user's display name (or user name)
    at: datetime  # UTC, as every stored time
    note: str
    times: int

    @property
    def href(self) -> str:
        return f"/tracking/tasks/{self.assignment_id}"


def urge(session: Session, actor: Actor, assignment_id: int, note: str = "") -> TaskUrge:
    """催办 an assignment: record it against the unit that owns it (audited)."""
    if actor.role not in URGING_ROLES:
        raise Forbidden("当前账号无权催办")
    assignment = get_assignment(session, actor, assignment_id)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"催办说明不能超过 {MAX_NOTE} 字")
    owners = [u for u in assignment.units if u.role in ("lead", "responsible") and u.unit_id]
    record = TaskUrge(
        assignment_id=assignment.id,
        unit_id=owners[0].unit_id if owners else None,
        note=note or "请尽快报送进展",
        author=actor.username,
    )
    with acting_as(actor.username):
        session.add(record)
        session.flush()
    return record


def urges_of(session: Session, actor: Actor, assignment_id: int) -> list[TaskUrge]:
    """The 催办 records of an assignment the actor may see, newest first."""
    get_assignment(session, actor, assignment_id)
    return list(
        session.scalars(
            select(TaskUrge)
            .where(TaskUrge.assignment_id == assignment_id)
            .order_by(TaskUrge.created_at.desc(), TaskUrge.id.desc())
        )
    )


def urge_counts(session: Session, assignment_ids: list[int]) -> dict[int, int]:
    """How often each assignment was urged (open or answered)."""
    if not assignment_ids:
        return {}
    rows = session.execute(
        select(TaskUrge.assignment_id, func.count())
        .where(TaskUrge.assignment_id.in_(assignment_ids))
        .group_by(TaskUrge.assignment_id)
    )
    return {assignment_id: n for assignment_id, n in rows}


def _unanswered() -> ColumnElement[bool]:
    """No progress report on the urged assignment written at or after the urge."""
    answered = exists().where(
        ProgressReport.assignment_id == TaskUrge.assignment_id,
        ProgressReport.created_at >= TaskUrge.created_at,
    )
    return not_(answered)


def open_urges(
    session: Session, actor: Actor, assignment_ids: list[int] | None = None
) -> dict[int, UrgeNotice]:
    """The open 催办 of the assignments the actor may see (of `assignment_ids`, when given), by assignment."""
    if assignment_ids is not None and not assignment_ids:
        return {}
    stmt = (
        select(TaskUrge, PlanTask.number, PlanTask.title, PlanTask.text, Unit.name, User.display_name)
        .join(TaskAssignment, TaskAssignment.id == TaskUrge.assignment_id)
        .join(PlanTask, PlanTask.id == TaskAssignment.task_id)
        .outerjoin(Unit, Unit.id == TaskUrge.unit_id)
        .outerjoin(User, User.username == TaskUrge.author)
        .where(assignment_clause(actor), and_(PlanTask.review_status != "rejected", _unanswered()))
        .order_by(TaskUrge.created_at, TaskUrge.id)
    )
    if assignment_ids is not None:
        stmt = stmt.where(TaskUrge.assignment_id.in_(assignment_ids))
    found: dict[int, UrgeNotice] = {}
    for record, number, title, text, unit_name, display_name in session.execute(stmt):
        earlier = found.get(record.assignment_id)
        label = f"{number or ''} {task_title(title, text)}".strip()
        found[record.assignment_id] = UrgeNotice(
            record.assignment_id,
            label,
            unit_name or "",
            display_name or record.author,
            record.created_at,
            record.note,
            (earlier.times if earlier else 0) + 1,
        )
    return found


def urged_board(session: Session, actor: Actor) -> list[UrgeNotice] | None:
    """The home page's 被催办 list: the actor's open urges, the latest first (None when there are none)."""
    notices = sorted(open_urges(session, actor).values(), key=lambda n: n.at, reverse=True)
    return notices or None
