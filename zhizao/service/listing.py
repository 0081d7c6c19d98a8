"""The data of the service pages, gathered once per page (the routes only render it): the 诉求 list with
its filters and time left, one 诉求 with its history and the steps the actor may take, and the
enterprise's portal (its 诉求 and its 帮包 officer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.reference import workdays
from zhizao.reference.models import Unit
from zhizao.service import config, requests
from zhizao.service.models import ServiceCategory, ServiceRequest, ServiceRequestEvent
from zhizao.service.requests import OPEN, Clock


@dataclass(frozen=True)
class Row:
    request: ServiceRequest
    enterprise: str
    category: str
    department: str
    clock: Clock


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category_id: int | None = None
    department_id: int | None = None
    overdue: bool = False

    def __post_init__(self) -> None:
        if self.status and self.status not in requests.STATUS_LABELS:
            raise InvalidInput(f"未知的诉求状态: {self.status}")


def _unit_names(session: Session, ids: set[int]) -> dict[int, str]:
    return {u.id: u.name for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))} if ids else {}


def _firm_names(session: Session, ids: set[int]) -> dict[int, str]:
    return (
        {e.id: e.name for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}
        if ids
        else {}
    )


def _labels(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: config.category_label(session, c) for i in ids if (c := session.get(ServiceCategory, i))}


def rows(session: Session, actor: Actor, as_of: date, filters: Filters = Filters()) -> list[Row]:
    """The actor's 诉求 with the filters applied, the most urgent first."""
    query = requests.visible(actor)
    if filters.status:
        query = query.where(ServiceRequest.status == filters.status)
    if filters.category_id:
        query = query.where(ServiceRequest.category_id == filters.category_id)
    if filters.department_id:
        query = query.where(ServiceRequest.department_id == filters.department_id)
    if filters.overdue:
        query = query.where(
            ServiceRequest.status.in_(OPEN),
            ServiceRequest.paused_since.is_(None),
            ServiceRequest.complete_due < as_of,
        )
    found = session.scalars(query.order_by(ServiceRequest.complete_due, ServiceRequest.id)).all()
    result = _build(session, found, as_of)
    return sorted(result, key=lambda x: (not x.clock.running, x.clock.days_left or 0, x.request.id))


def _build(session: Session, found: Sequence[ServiceRequest], as_of: date) -> list[Row]:
    calendar = workdays.load(session)
    firms = _firm_names(session, {r.enterprise_id for r in found})
    units = _unit_names(session, {r.department_id for r in found if r.department_id})
    categories = _labels(session, {r.category_id for r in found})
    return [
        Row(
            r,
            firms.get(r.enterprise_id, ""),
            categories.get(r.category_id, ""),
            units.get(r.department_id, "") if r.department_id else "",
            requests.clock(r, calendar, as_of),
        )
        for r in found
    ]


@dataclass(frozen=True)
class Event:
    event: ServiceRequestEvent
    label: str
    department: str


@dataclass
class RequestPage:
    row: Row
    category: ServiceCategory
    events: list[Event]
    actions: list[str]
    departments: list[Unit] = field(default_factory=list)


def _actions(actor: Actor, r: ServiceRequest) -> list[str]:
    handler = actor.role is Role.ADMIN or (actor.role is Role.DEPARTMENT and actor.unit_id == r.department_id)
    acts: list[str] = []
    if handler and r.status == requests.PENDING:
        acts += ["accept", "return"]
    if handler and r.status == requests.HANDLING:
        acts += (
            ["resume"] if r.paused_since else ["reply", "complete", "pause", "extension_request", "return"]
        )
    if actor.role is Role.ADMIN and r.status == requests.HANDLING and r.extension_requested:
        acts.append("extension_approve")
    if actor.role is Role.ADMIN and r.status in (*OPEN, requests.RETURNED):
        acts.append("transfer")
    if actor.role in (Role.ADMIN, Role.DISTRICT) and r.status == requests.DONE:
        acts.append("callback")
    return acts


def request_page(session: Session, actor: Actor, request_id: int, as_of: date) -> RequestPage:
    r = requests.get(session, actor, request_id)
    [row] = _build(session, [r], as_of)
    history = requests.events(session, actor, request_id)
    units = _unit_names(session, {e.department_id for e in history if e.department_id})
    category = session.get(ServiceCategory, r.category_id)
    assert category is not None
    page = RequestPage(
        row,
        category,
        [
            Event(e, requests.EVENT_LABELS.get(e.kind, e.kind), units.get(e.department_id or 0, ""))
            for e in history
        ],
        _actions(actor, r),
    )
    if "transfer" in page.actions:
        page.departments = list(
            session.scalars(select(Unit).where(Unit.kind == "department").order_by(Unit.name))
        )
    return page


def firms(session: Session, actor: Actor, q: str = "", limit: int = 50) -> Sequence[Enterprise]:
    """The firms the actor may file for or visit, by name, for the forms' choice lists: at most `limit`,
    narrowed by `q` (a fragment of the name, or the start of the credit code)."""
    stmt = select(Enterprise).where(enterprise_clause(actor, Enterprise.id, Enterprise.region_code))
    q = q.strip()
    if q:
        stmt = stmt.where(
            or_(
                Enterprise.name.contains(q, autoescape=True),
                Enterprise.credit_code.startswith(q.upper(), autoescape=True),
            )
        )
    return session.scalars(stmt.order_by(Enterprise.name).limit(limit)).all()
