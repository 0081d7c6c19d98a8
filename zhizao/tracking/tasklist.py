"""The task list as the supervising office works it: filters (plan, unit, latest status, alert, deadline
window, 被催办), paging, each row with how far off its deadline is (今日到期, 已逾期 N 天), how often it has
been urged and, while the unit has not reported since, the open 催办 (who, when): `zhizao.tracking.urges`."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans import queries as plan_queries
from zhizao.reference.collation import sort_pinyin
from zhizao.tracking.alerts import Alert, AlertKind, alerts_as_of, due_text
from zhizao.tracking.tasks import AssignmentView, ReportStatus, list_assignments
from zhizao.tracking.urges import UrgeNotice, open_urges, urge_counts

MAX_ID = 2_147_483_647  # ids are 32-bit integers in the database (as zhizao.web.params)
PAGE_SIZES = (20, 50, 100, 200)


class TaskQuery(BaseModel):
    """Filters and paging of the task list (query parameters of the page)."""

    plan_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    status: ReportStatus | None = None
    alert: AlertKind | None = None
    due_from: date | None = None
    due_to: date | None = None
    urged: bool = False  # only the assignments urged since their unit last reported
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=50, ge=1, le=500)

    @field_validator("plan_id", "unit_id", "status", "alert", "due_from", "due_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class TaskRow:
    number: int  # 序号 over the filtered list
    view: AssignmentView
    due: str  # 今日到期 / 已逾期 N 天 / 距期限还有 N 天 / 已完成 / ''
    overdue: bool
    urges: int  # every 催办, answered or not
    urged: UrgeNotice | None = None  # the open 催办: urged since the unit last reported


@dataclass
class TaskPage:
    rows: list[TaskRow]
    total: int
    page: int
    per_page: int
    plans: list[tuple[int, str]] = field(default_factory=list)  # filter choices
    units: list[tuple[int, str]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _due(view: AssignmentView, today: date) -> tuple[str, bool]:
    if view.status is ReportStatus.COMPLETED:
        return "已完成", False
    if view.deadline is None:
        return "", False
    if view.deadline < today:
        return f"已逾期 {(today - view.deadline).days} 天", True
    return due_text(view.deadline, today).split("（")[0], False


def search_tasks(session: Session, actor: Actor, query: TaskQuery, today: date) -> TaskPage:
    """The assignments the actor may see, filtered and paged (deadline order: the most urgent first)."""
    views = list_assignments(session, actor, plan_id=query.plan_id, unit_id=query.unit_id)
    all_views = views if query.plan_id is None and query.unit_id is None else list_assignments(session, actor)
    if query.status is not None:
        views = [v for v in views if v.status is query.status]
    if query.alert is not None:
        flagged = {a.assignment_id for a in _alerts(session, actor, today, query) if a.kind is query.alert}
        views = [v for v in views if v.id in flagged]
    if query.due_from is not None:
        views = [v for v in views if v.deadline is not None and v.deadline >= query.due_from]
    if query.due_to is not None:
        views = [v for v in views if v.deadline is not None and v.deadline <= query.due_to]
    if query.urged:
        pending = open_urges(session, actor, [v.id for v in views])
        views = [v for v in views if v.id in pending]
    views.sort(key=lambda v: (v.status is ReportStatus.COMPLETED, v.deadline or date.max, v.plan_id, v.id))
    start = (query.page - 1) * query.per_page
    shown = views[start : start + query.per_page]
    urges = urge_counts(session, [v.id for v in shown])
    urged = open_urges(session, actor, [v.id for v in shown])
    rows = []
    for offset, view in enumerate(shown, start=start + 1):
        due, overdue = _due(view, today)
        rows.append(TaskRow(offset, view, due, overdue, urges.get(view.id, 0), urged.get(view.id)))
    plans = [(p.id, p.title) for p in plan_queries.list_plans(session, actor, status="confirmed")]
    owners = Counter(v.owner for v in all_views if v.owner[0] is not None)
    units = sort_pinyin(
        ((unit_id, name) for unit_id, name in owners if unit_id is not None), key=lambda u: u[1]
    )
    return TaskPage(rows, len(views), query.page, query.per_page, plans, units)


def _alerts(session: Session, actor: Actor, today: date, query: TaskQuery) -> list[Alert]:
    return alerts_as_of(session, actor, today, plan_id=query.plan_id, unit_id=query.unit_id)
