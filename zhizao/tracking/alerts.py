"""Alerts on task assignments as of a date, and reminders to units through a pluggable notifier.

- overdue (逾期): the deadline has passed and the assignment is not complete;
- due soon (临期): the deadline is within N days (default 15, per plan);
- no report (本月未报送): no report on the assignment this month;
- blocked (受阻): the latest report says 受阻.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.tracking.models import ProgressReport
from zhizao.tracking.targets import plan_settings
from zhizao.tracking.tasks import AssignmentView, ReportStatus, list_assignments

log = logging.getLogger("zhizao.tracking.remind")


class AlertKind(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_REPORT = "no_report"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return {"overdue": "逾期", "due_soon": "临期", "no_report": "本月未报送", "blocked": "受阻"}[
            self.value
        ]


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    assignment_id: int
    plan_id: int
    task_label: str
    unit_id: int | None
    unit_name: str
    deadline: date | None
    message: str

    @property
    def label(self) -> str:
        return self.kind.label


def _reported_this_month(session: Session, ids: list[int], as_of: date) -> set[int]:
    if not ids:
        return set()
    rows = session.scalars(
        select(ProgressReport.assignment_id).where(
            ProgressReport.assignment_id.in_(ids),
            ProgressReport.reported_on >= as_of.replace(day=1),
            ProgressReport.reported_on <= as_of,
        )
    )
    return set(rows)


def due_text(deadline: date, as_of: date) -> str:
    """How far off a deadline not yet passed is, as the lists say it: 今日到期, 明日到期, 距期限还有 N 天."""
    days = (deadline - as_of).days
    if days == 0:
        return f"今日到期（{deadline}）"
    if days == 1:
        return f"明日到期（{deadline}）"
    return f"距期限还有 {days} 天（{deadline}）"


def _alerts_for(view: AssignmentView, as_of: date, due_days: int, reported: bool) -> list[Alert]:
    unit_id, unit_name = view.owner

    def alert(kind: AlertKind, message: str) -> Alert:
        return Alert(kind, view.id, view.plan_id, view.task_label, unit_id, unit_name, view.deadline, message)

    if view.status is ReportStatus.COMPLETED:
        return []
    found = []
    if view.deadline and view.deadline < as_of:
        found.append(
            alert(AlertKind.OVERDUE, f"已逾期 {(as_of - view.deadline).days} 天（期限 {view.deadline}）")
        )
    elif view.deadline and view.deadline <= as_of + timedelta(days=due_days):
        found.append(alert(AlertKind.DUE_SOON, due_text(view.deadline, as_of)))
    if view.status is ReportStatus.BLOCKED:
        found.append(
            alert(AlertKind.BLOCKED, f"最近报送为受阻：{view.latest.text[:60] if view.latest else ''}")
        )
    if not reported:
        found.append(alert(AlertKind.NO_REPORT, f"{as_of.year}年{as_of.month}月尚未报送进展"))
    return found


def alerts_as_of(
    session: Session,
    actor: Actor,
    as_of: date,
    plan_id: int | None = None,
    unit_id: int | None = None,
    due_soon_days: int | None = None,
) -> list[Alert]:
    """Alerts on the assignments the actor may see, as of `as_of`."""
    views = list_assignments(session, actor, plan_id=plan_id, unit_id=unit_id, as_of=as_of)
    reported = _reported_this_month(session, [v.id for v in views], as_of)
    days: dict[int, int] = {}
    found: list[Alert] = []
    for view in views:
        if view.plan_id not in days:
            days[view.plan_id] = (
                due_soon_days
                if due_soon_days is not None
                else plan_settings(session, view.plan_id).due_soon_days
            )
        found.extend(_alerts_for(view, as_of, days[view.plan_id], view.id in reported))
    order = list(AlertKind)
    return sorted(found, key=lambda a: (order.index(a.kind), a.unit_name, a.deadline or date.max))


def by_unit(alerts: list[Alert]) -> dict[str, list[Alert]]:
    """A reminder list per unit (the unit the assignment belongs to)."""
    grouped: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        grouped[alert.unit_name].append(alert)
    return dict(sorted(grouped.items()))


class Notifier(Protocol):
    """Delivers one unit's reminders (e-mail, SMS, an instant-messaging robot, ...)."""

    def notify(self, unit_name: str, alerts: list[Alert], as_of: date) -> None: ...


class LogNotifier:
    """Writes reminders to the log (the default: no mail server is assumed)."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or log
        self.sent: list[tuple[str, int]] = []

    def notify(self, unit_name: str, alerts: list[Alert], as_of: date) -> None:
        for alert in alerts:
            self.logger.info(
                "%s 提醒 %s：[%s] %s %s", as_of, unit_name, alert.label, alert.task_label, alert.message
            )
        self.sent.append((unit_name, len(alerts)))


def send_reminders(
    session: Session,
    as_of: date,
    notifier: Notifier,
    unit_id: int | None = None,
    plan_id: int | None = None,
) -> dict[str, list[Alert]]:
    """Compute every alert as of `as_of` (as the system) and hand each unit its list."""
    grouped = by_unit(alerts_as_of(session, Actor.system(), as_of, plan_id=plan_id, unit_id=unit_id))
    for unit_name, alerts in grouped.items():
        notifier.notify(unit_name, alerts, as_of)
    return grouped
