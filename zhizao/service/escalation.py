"""The escalation ladder for overdue 诉求: 催办 `cuiban_after` working days after the completion limit expired
(1: the next working day), then 通报 `tongbao_after` working days after the 催办 if still not completed. The
ladder is part of the installation's versioned configuration (`zhizao.service.config`).

`overdue()` says what is overdue on a day and the next step; `escalate()` records the steps that are due as
events of the 诉求 (once each; a transfer or a reopen starts the ladder again), for a daily cron run.

The two earlier limits have a reminder of their own: `lapses()` lists the open 诉求 whose department has
not made first contact (受理并联系企业) by the contact limit, or not replied by the reply limit; `remind()`
records each lapse once per clock as a 提醒 event the department sees on the 诉求."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.reference import workdays
from zhizao.reference.models import Unit
from zhizao.reference.workdays import WorkCalendar
from zhizao.service import config
from zhizao.service.models import ServiceCategory, ServiceRequest, ServiceRequestEvent
from zhizao.service.requests import OPEN, visible

STEP_LABELS = {"cuiban": "催办", "tongbao": "通报"}
LAPSE_LABELS = {"contact": "首次联系超时", "reply": "答复超时"}
REMINDER_KINDS = {"contact": "remind_contact", "reply": "remind_reply"}


@dataclass(frozen=True)
class Overdue:
    request_id: int
    title: str
    enterprise: str
    department: str
    due: date
    days_overdue: int
    done: tuple[str, ...]  # steps already taken: "cuiban", "tongbao"
    next_step: str | None  # "cuiban" | "tongbao" | None (all taken)
    next_on: date | None
    step_due: bool  # the next step is due on the day asked about

    @property
    def next_label(self) -> str:
        if self.next_step is None:
            return "已通报"
        when = "今日应" if self.step_due else f"{self.next_on.isoformat() if self.next_on else ''} "
        return f"{when}{STEP_LABELS[self.next_step]}"


def _steps_taken(session: Session, request: ServiceRequest) -> dict[str, date]:
    rows = session.scalars(
        select(ServiceRequestEvent).where(
            ServiceRequestEvent.request_id == request.id,
            ServiceRequestEvent.kind.in_(tuple(STEP_LABELS)),
            ServiceRequestEvent.on >= request.clock_start,
        )
    )
    return {row.kind: row.on for row in rows}


def _assess(session: Session, request: ServiceRequest, calendar: WorkCalendar, as_of: date) -> Overdue | None:
    if request.status not in OPEN or request.paused_since is not None or as_of <= request.complete_due:
        return None
    category = session.get(ServiceCategory, request.category_id)
    assert category is not None
    ladder = config.ladder_for(session, category)
    taken = _steps_taken(session, request)
    cuiban_on = taken.get("cuiban") or calendar.add_workdays(request.complete_due, ladder.cuiban_after)
    tongbao_on = calendar.add_workdays(cuiban_on, ladder.tongbao_after)
    if "cuiban" not in taken:
        next_step, next_on = "cuiban", cuiban_on
    elif "tongbao" not in taken:
        next_step, next_on = "tongbao", tongbao_on
    else:
        next_step, next_on = None, None
    enterprise = session.get(Enterprise, request.enterprise_id)
    unit = session.get(Unit, request.department_id) if request.department_id else None
    return Overdue(
        request_id=request.id,
        title=request.title,
        enterprise=enterprise.name if enterprise else "",
        department=unit.name if unit else "（未指定部门）",
        due=request.complete_due,
        days_overdue=calendar.workdays_between(request.complete_due, as_of),
        done=tuple(k for k in STEP_LABELS if k in taken),
        next_step=next_step,
        next_on=next_on,
        step_due=next_on is not None and as_of >= next_on,
    )


def overdue(session: Session, actor: Actor, as_of: date) -> list[Overdue]:
    """The actor's 诉求 overdue on `as_of` (completion limit passed, not paused), most overdue first."""
    calendar = workdays.load(session)
    query = visible(actor).where(
        ServiceRequest.status.in_(OPEN),
        ServiceRequest.paused_since.is_(None),
        ServiceRequest.complete_due < as_of,
    )
    found = [_assess(session, r, calendar, as_of) for r in session.scalars(query)]
    return sorted((o for o in found if o), key=lambda o: (-o.days_overdue, o.request_id))


def escalate(session: Session, actor: Actor, as_of: date) -> list[Overdue]:
    """Record each step due on `as_of` (催办 first; 通报 only on a later run, counted from the 催办)."""
    taken: list[Overdue] = []
    with acting_as(actor.username):
        for item in overdue(session, actor, as_of):
            if item.step_due and item.next_step:
                request = session.get(ServiceRequest, item.request_id)
                assert request is not None
                note = f"超期 {item.days_overdue} 个工作日（办结时限 {item.due.isoformat()}）"
                session.add(
                    ServiceRequestEvent(
                        request_id=request.id,
                        kind=item.next_step,
                        on=as_of,
                        actor=actor.username,
                        department_id=request.department_id,
                        note=note,
                        data={},
                    )
                )
                taken.append(item)
        session.flush()
    return taken


@dataclass(frozen=True)
class Lapse:
    request_id: int
    title: str
    enterprise: str
    department: str
    limit: str  # "contact" | "reply"
    due: date
    days_late: int  # working days past the limit
    reminded: bool  # the 提醒 was recorded already (this clock)

    @property
    def label(self) -> str:
        return LAPSE_LABELS[self.limit]


def lapses(session: Session, actor: Actor, as_of: date) -> list[Lapse]:
    """The actor's open, running 诉求 past their first-contact or reply limit without it, most late first."""
    calendar = workdays.load(session)
    query = visible(actor).where(
        ServiceRequest.status.in_(OPEN),
        ServiceRequest.paused_since.is_(None),
        or_(
            and_(ServiceRequest.contacted_on.is_(None), ServiceRequest.contact_due < as_of),
            and_(ServiceRequest.replied_on.is_(None), ServiceRequest.reply_due < as_of),
        ),
    )
    found: list[Lapse] = []
    for request in session.scalars(query):
        if request.contacted_on is None and request.contact_due < as_of:
            limit, due = "contact", request.contact_due
        else:
            limit, due = "reply", request.reply_due
        reminded = session.scalar(
            select(ServiceRequestEvent.id).where(
                ServiceRequestEvent.request_id == request.id,
                ServiceRequestEvent.kind == REMINDER_KINDS[limit],
                ServiceRequestEvent.on >= request.clock_start,
            )
        )
        enterprise = session.get(Enterprise, request.enterprise_id)
        unit = session.get(Unit, request.department_id) if request.department_id else None
        found.append(
            Lapse(
                request_id=request.id,
                title=request.title,
                enterprise=enterprise.name if enterprise else "",
                department=unit.name if unit else "（未指定部门）",
                limit=limit,
                due=due,
                days_late=calendar.workdays_between(due, as_of),
                reminded=reminded is not None,
            )
        )
    return sorted(found, key=lambda x: (-x.days_late, x.request_id))


def remind(session: Session, actor: Actor, as_of: date) -> list[Lapse]:
    """Record a 提醒 for each lapse not yet reminded on this clock; return those recorded."""
    recorded: list[Lapse] = []
    with acting_as(actor.username):
        for lapse in lapses(session, actor, as_of):
            if lapse.reminded:
                continue
            request = session.get(ServiceRequest, lapse.request_id)
            assert request is not None
            session.add(
                ServiceRequestEvent(
                    request_id=request.id,
                    kind=REMINDER_KINDS[lapse.limit],
                    on=as_of,
                    actor=actor.username,
                    department_id=request.department_id,
                    note=f"{lapse.label} {lapse.days_late} 个工作日（时限 {lapse.due.isoformat()}）",
                    data={},
                )
            )
            recorded.append(lapse)
        session.flush()
    return recorded
