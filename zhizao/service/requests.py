"""诉求: filing, the handling steps, and the working-day clock.

Statuses: 待受理 (pending) → 办理中 (handling) → 已办结 (done) → 已回访 (visited); 退回 (returned: misrouted,
with a reason, waiting for the bureau to route it again). The clock (all in working days of the one calendar,
`zhizao.reference.workdays`): the day the current department received the 诉求 is day 0; each limit of the
category (first contact, reply, completion) runs for its days plus the working days paused (待企业补充材料)
plus, for completion, the approved extensions. An extension must be requested and approved before the
completion limit expires; the original due date is kept. On transfer (改派) the clock restarts at the new
department; a 退回 stops it (it counts against the router, not the department). A 回访 answered 不满意
reopens the 诉求 with a fresh completion limit.

Who sees what: `visible()` — the bureau all, a district its region's firms', a department the 诉求 it is
responsible for, an enterprise its own (the region and enterprise rules are `zhizao.auth.scope`'s).
Every change goes through the ORM inside `acting_as(actor)`, so the audit log records it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ParamSpec, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.enterprises.models import Enterprise
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.reference import workdays
from zhizao.reference.models import Unit
from zhizao.reference.workdays import WorkCalendar
from zhizao.service.models import ServiceCategory, ServiceRequest, ServiceRequestEvent

PENDING, HANDLING, DONE, VISITED, RETURNED = "pending", "handling", "done", "visited", "returned"
STATUS_LABELS = {PENDING: "待受理", HANDLING: "办理中", DONE: "已办结", VISITED: "已回访", RETURNED: "退回"}
OPEN = (PENDING, HANDLING)
P = ParamSpec("P")
T = TypeVar("T")
CHANNEL_LABELS = {"portal": "企业提交", "visit": "走访发现", "officer": "工作人员录入", "import": "导入"}
EVENT_LABELS = {
    "filed": "提交",
    "accept": "受理并联系企业",
    "reply": "答复",
    "complete": "办结",
    "return": "退回",
    "transfer": "改派",
    "pause": "暂停（待企业补充材料）",
    "resume": "恢复计时",
    "extension_request": "申请延期",
    "extension_approve": "批准延期",
    "callback": "回访",
    "reopen": "重新办理",
    "cuiban": "催办",
    "tongbao": "通报",
    "remind_contact": "提醒：首次联系超时",
    "remind_reply": "提醒：答复超时",
}


def _scope(actor: Actor) -> ColumnElement[bool]:
    clauses = [enterprise_clause(actor, ServiceRequest.enterprise_id, Enterprise.region_code)]
    if actor.role is Role.DEPARTMENT and actor.unit_id is not None:
        clauses.append(ServiceRequest.department_id == actor.unit_id)
    return or_(*clauses)


def visible(actor: Actor) -> Select[ServiceRequest]:
    """The 诉求 the actor may see, as a select to filter further."""
    return (
        select(ServiceRequest)
        .join(Enterprise, Enterprise.id == ServiceRequest.enterprise_id)
        .where(_scope(actor))
    )


def get(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    found = session.scalars(visible(actor).where(ServiceRequest.id == request_id)).first()
    if found is None:
        raise NotFound("找不到该诉求")
    return found


def _as_actor(action: Callable[P, T]) -> Callable[P, T]:
    """Run a step inside `acting_as(actor)`, so every flush it causes (autoflush included) is audited as the
    actor's. The step's second argument is the actor."""

    @functools.wraps(action)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        actor = args[1]
        assert isinstance(actor, Actor)
        with acting_as(actor.username):
            return action(*args, **kwargs)

    return run


# ---- the clock -------------------------------------------------------------------------------------------


def recompute(request: ServiceRequest, category: ServiceCategory, calendar: WorkCalendar) -> None:
    """Set the three due dates from the clock start, the paused days and the approved extensions."""
    start, paused = request.clock_start, request.paused_workdays
    request.contact_due = calendar.add_workdays(start, category.contact_days + paused)
    request.reply_due = calendar.add_workdays(start, category.reply_days + paused)
    request.complete_due = calendar.add_workdays(
        start, category.complete_days + paused + request.extension_days
    )


@dataclass(frozen=True)
class Clock:
    """Where a 诉求 stands on a day: working days left to the completion limit (negative: overdue)."""

    running: bool
    days_left: int | None
    overdue: bool
    label: str


def clock(request: ServiceRequest, calendar: WorkCalendar, as_of: date) -> Clock:
    if request.status not in OPEN:
        return Clock(False, None, False, STATUS_LABELS[request.status])
    if request.paused_since is not None:
        return Clock(False, None, False, "暂停计时")
    left = calendar.workdays_between(as_of, request.complete_due)
    if left >= 0:
        return Clock(True, left, False, f"剩余 {left} 个工作日")
    return Clock(True, left, True, f"超期 {-left} 个工作日")


# ---- filing ----------------------------------------------------------------------------------------------


def _check_filer(session: Session, actor: Actor, enterprise_id: int) -> Enterprise:
    enterprise = session.scalars(
        select(Enterprise).where(
            Enterprise.id == enterprise_id, enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
        )
    ).first()
    if enterprise is None:
        raise NotFound("找不到该企业")
    if actor.role not in (Role.ADMIN, Role.DISTRICT, Role.ENTERPRISE):
        raise Forbidden("当前账号不能登记诉求")
    return enterprise


@_as_actor
def file(
    session: Session,
    actor: Actor,
    *,
    enterprise_id: int,
    category_id: int,
    title: str,
    on: date,
    body: str = "",
    channel: str = "portal",
    visit_id: int | None = None,
    lawful: bool = True,
) -> ServiceRequest:
    """File a 诉求 for an enterprise (an enterprise for itself, an officer for a firm of their region); it
    goes to the category's responsible department and its clock starts on `on`."""
    _check_filer(session, actor, enterprise_id)
    category = session.get(ServiceCategory, category_id)
    if category is None:
        raise InvalidInput("未知的诉求类别")
    if not title.strip():
        raise InvalidInput("请填写诉求标题")
    if channel not in CHANNEL_LABELS:
        raise InvalidInput(f"未知的诉求来源: {channel}")
    request = ServiceRequest(
        enterprise_id=enterprise_id,
        category_id=category.id,
        department_id=category.department_id,
        visit_id=visit_id,
        channel=channel,
        title=title.strip()[:200],
        body=body.strip(),
        lawful=lawful,
        status=PENDING,
        filed_on=on,
        clock_start=on,
        paused_workdays=0,
        extension_days=0,
        extension_requested=0,
        reopen_count=0,
        return_reason="",
    )
    recompute(request, category, workdays.load(session))
    request.original_due = request.complete_due
    session.add(request)
    session.flush()
    _event(session, request, "filed", on, actor, title.strip())
    session.flush()
    return request


# ---- handling steps --------------------------------------------------------------------------------------


def _event(
    session: Session,
    request: ServiceRequest,
    kind: str,
    on: date,
    actor: Actor,
    note: str = "",
    data: dict[str, object] | None = None,
) -> ServiceRequestEvent:
    event = ServiceRequestEvent(
        request_id=request.id,
        kind=kind,
        on=on,
        actor=actor.username,
        department_id=request.department_id,
        note=note[:1000],
        data=data or {},
    )
    session.add(event)
    return event


def _handler(actor: Actor, request: ServiceRequest) -> None:
    """The responsible department (or an administrator) acts on a 诉求."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.DEPARTMENT and actor.unit_id is not None and actor.unit_id == request.department_id:
        return
    raise Forbidden("只有责任部门可以办理该诉求")


def _status(request: ServiceRequest, *allowed: str) -> None:
    if request.status not in allowed:
        names = "、".join(STATUS_LABELS[s] for s in allowed)
        raise InvalidInput(f"该诉求当前为“{STATUS_LABELS[request.status]}”，此操作仅适用于: {names}")


def _not_paused(request: ServiceRequest) -> None:
    if request.paused_since is not None:
        raise InvalidInput("该诉求暂停计时中，请先恢复计时")


def _not_before(request: ServiceRequest, on: date) -> None:
    if on < request.clock_start:
        raise InvalidInput("日期早于本部门接收该诉求的日期")


def _save(
    session: Session,
    actor: Actor,
    request: ServiceRequest,
    kind: str,
    on: date,
    note: str = "",
    **data: object,
) -> ServiceRequest:
    category = session.get(ServiceCategory, request.category_id)
    assert category is not None
    recompute(request, category, workdays.load(session))
    _event(session, request, kind, on, actor, note, dict(data))
    session.flush()
    return request


@_as_actor
def accept(session: Session, actor: Actor, request_id: int, on: date, note: str = "") -> ServiceRequest:
    """受理: the department takes the 诉求 and contacts the firm (the first-contact limit)."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, PENDING)
    _not_before(request, on)
    request.status, request.contacted_on = HANDLING, on
    return _save(session, actor, request, "accept", on, note)


@_as_actor
def reply(session: Session, actor: Actor, request_id: int, on: date, note: str) -> ServiceRequest:
    """答复 the firm (the reply limit counts the first one)."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, HANDLING)
    _not_before(request, on)
    if not note.strip():
        raise InvalidInput("请填写答复内容")
    request.replied_on = request.replied_on or on
    return _save(session, actor, request, "reply", on, note)


@_as_actor
def complete(session: Session, actor: Actor, request_id: int, on: date, note: str) -> ServiceRequest:
    """办结."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, HANDLING)
    _not_paused(request)
    _not_before(request, on)
    if not note.strip():
        raise InvalidInput("请填写办理结果")
    request.status, request.completed_on = DONE, on
    request.replied_on = request.replied_on or on
    taken = workdays.load(session).workdays_between(request.clock_start, on) - request.paused_workdays
    request.workdays_taken, request.on_time = max(taken, 0), on <= request.complete_due
    return _save(session, actor, request, "complete", on, note)


@_as_actor
def return_request(session: Session, actor: Actor, request_id: int, on: date, reason: str) -> ServiceRequest:
    """退回: not this department's (misrouted); the bureau routes it again. Stops the clock."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, PENDING, HANDLING)
    if not reason.strip():
        raise InvalidInput("退回须说明理由")
    request.status, request.return_reason, request.paused_since = RETURNED, reason.strip()[:400], None
    return _save(session, actor, request, "return", on, reason)


@_as_actor
def transfer(
    session: Session, actor: Actor, request_id: int, on: date, department_id: int, note: str = ""
) -> ServiceRequest:
    """改派 to another department (by the bureau): the clock restarts there on `on`."""
    request = get(session, actor, request_id)
    if actor.role is not Role.ADMIN:
        raise Forbidden("只有管理员可以改派诉求")
    _status(request, PENDING, HANDLING, RETURNED)
    unit = session.get(Unit, department_id)
    if unit is None or unit.kind != "department":
        raise InvalidInput("请选择要改派的部门")
    if department_id == request.department_id and request.status != RETURNED:
        raise InvalidInput("该诉求已由这个部门办理")
    previous = request.department_id
    request.department_id, request.status, request.clock_start = department_id, PENDING, on
    request.paused_since, request.paused_workdays = None, 0
    request.extension_days = request.extension_requested = 0
    request.contacted_on = request.replied_on = None
    request.return_reason = ""
    _save(
        session, actor, request, "transfer", on, note, from_department=previous, to_department=department_id
    )
    request.original_due = request.complete_due
    session.flush()
    return request


@_as_actor
def pause(session: Session, actor: Actor, request_id: int, on: date, reason: str) -> ServiceRequest:
    """暂停计时 while waiting for the firm's material (only before the completion limit expires)."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, HANDLING)
    _not_paused(request)
    _not_before(request, on)
    if on > request.complete_due:
        raise InvalidInput("办理时限已过，不能再暂停计时")
    if not reason.strip():
        raise InvalidInput("暂停计时须说明原因")
    request.paused_since = on
    return _save(session, actor, request, "pause", on, reason)


@_as_actor
def resume(session: Session, actor: Actor, request_id: int, on: date, note: str = "") -> ServiceRequest:
    """恢复计时: the working days after the pause began, up to and including `on`, are not counted."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    if request.paused_since is None:
        raise InvalidInput("该诉求没有暂停计时")
    if on < request.paused_since:
        raise InvalidInput("恢复日期早于暂停日期")
    days = workdays.load(session).workdays_between(request.paused_since, on)
    request.paused_workdays += days
    request.paused_since = None
    return _save(session, actor, request, "resume", on, note, paused_workdays=days)


@_as_actor
def request_extension(
    session: Session, actor: Actor, request_id: int, on: date, days: int, reason: str
) -> ServiceRequest:
    """申请延期: only before the completion limit expires."""
    request = get(session, actor, request_id)
    _handler(actor, request)
    _status(request, HANDLING)
    if days < 1:
        raise InvalidInput("延期天数应为正整数（工作日）")
    if on > request.complete_due:
        raise InvalidInput("延期须在办理时限届满前申请")
    if not reason.strip():
        raise InvalidInput("申请延期须说明理由")
    request.extension_requested = days
    return _save(session, actor, request, "extension_request", on, reason, days=days)


@_as_actor
def approve_extension(
    session: Session, actor: Actor, request_id: int, on: date, note: str = ""
) -> ServiceRequest:
    """批准延期 (the bureau), also before expiry: the completion limit moves, the original due date stays."""
    request = get(session, actor, request_id)
    if actor.role is not Role.ADMIN:
        raise Forbidden("只有管理员可以批准延期")
    _status(request, HANDLING)
    if not request.extension_requested:
        raise InvalidInput("没有待批准的延期申请")
    if on > request.complete_due:
        raise InvalidInput("办理时限已过，不能再批准延期")
    days = request.extension_requested
    request.extension_days += days
    request.extension_requested = 0
    return _save(session, actor, request, "extension_approve", on, note, days=days)


@_as_actor
def callback(
    session: Session,
    actor: Actor,
    request_id: int,
    on: date,
    *,
    resolved: bool,
    satisfied: bool,
    note: str = "",
) -> ServiceRequest:
    """回访 after 办结 (解决 and 满意 answered apart); 不满意 reopens it with a new completion limit."""
    request = get(session, actor, request_id)
    if actor.role not in (Role.ADMIN, Role.DISTRICT):
        raise Forbidden("只有管理员或地区工作人员可以回访")
    _status(request, DONE)
    request.resolved, request.satisfied = resolved, satisfied
    _save(session, actor, request, "callback", on, note, resolved=resolved, satisfied=satisfied)
    if satisfied:
        request.status = VISITED
        session.flush()
        return request
    request.status, request.completed_on, request.clock_start = HANDLING, None, on
    request.workdays_taken = request.on_time = None
    request.paused_workdays = request.extension_days = request.extension_requested = 0
    request.reopen_count += 1
    return _save(session, actor, request, "reopen", on, "回访不满意，重新办理")


def events(session: Session, actor: Actor, request_id: int) -> Sequence[ServiceRequestEvent]:
    get(session, actor, request_id)
    return session.scalars(
        select(ServiceRequestEvent)
        .where(ServiceRequestEvent.request_id == request_id)
        .order_by(ServiceRequestEvent.on, ServiceRequestEvent.id)
    ).all()
