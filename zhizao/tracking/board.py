"""What the home cockpit shows of tracking, for any actor: targets counted by status across the plans the
actor may see (severe and lagging ones listed first, each with its gap to 序时进度), the task alerts
(overdue, due soon, blocked) and the units that have not reported this month. Every count carries the
address of the list behind it, so the page makes each number a link."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans import queries as plan_queries
from zhizao.reference.collation import sort_pinyin
from zhizao.tracking.alerts import Alert, AlertKind, alerts_as_of
from zhizao.tracking.cockpit import STATUS_ORDER, TargetTile, default_as_of, tile_of
from zhizao.tracking.progress import Status
from zhizao.tracking.targets import plan_progress

ATTENTION = (Status.SEVERE, Status.LAGGING)


@dataclass(frozen=True)
class BoardTarget:
    plan_id: int
    plan_title: str
    as_of: date
    tile: TargetTile

    @property
    def href(self) -> str:
        return f"/tracking/targets/{self.tile.target_id}"


@dataclass
class TargetBoard:
    counts: dict[str, int]  # Status value -> targets, in STATUS_ORDER
    targets: list[BoardTarget] = field(default_factory=list)  # severe first, then lagging, …

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def attention(self) -> list[BoardTarget]:
        return [t for t in self.targets if t.tile.status in ATTENTION]

    @staticmethod
    def href(status: str) -> str:
        return f"/tracking/targets?status={status}"

    @staticmethod
    def label(status: str) -> str:
        return Status(status).label


def target_board(session: Session, actor: Actor, today: date, status: str | None = None) -> TargetBoard:
    """The targets of every confirmed plan the actor may see, as of today (or the end of a past plan year),
    severe and lagging first; with `status`, only the targets of that status."""
    found: list[BoardTarget] = []
    for plan in plan_queries.list_plans(session, actor, status="confirmed"):
        as_of = default_as_of(plan.year, today)
        for progress in plan_progress(session, actor, plan.id, as_of):
            found.append(BoardTarget(plan.id, plan.title, as_of, tile_of(progress, as_of)))
    counts = Counter(t.tile.status.value for t in found)
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    found.sort(key=lambda t: (order[t.tile.status], _worst_first(t.tile.gap), t.plan_id))
    if status:
        found = [t for t in found if t.tile.status.value == status]
    return TargetBoard({s.value: counts[s.value] for s in STATUS_ORDER}, found)


def _worst_first(gap: float | None) -> float:
    return gap if gap is not None else float("inf")


@dataclass
class TaskBoard:
    as_of: date
    alerts: list[Alert]

    def of(self, kind: AlertKind) -> list[Alert]:
        return [a for a in self.alerts if a.kind is kind]

    @property
    def counts(self) -> dict[str, int]:
        return {kind.value: len(self.of(kind)) for kind in AlertKind}

    @property
    def urgent(self) -> list[Alert]:
        """Overdue assignments, then those due soon."""
        return self.of(AlertKind.OVERDUE) + self.of(AlertKind.DUE_SOON)

    @staticmethod
    def label(kind: str) -> str:
        return AlertKind(kind).label

    @property
    def unreported_units(self) -> list[str]:
        """Units owning an assignment that has no report this month (completed ones need none)."""
        return sort_pinyin({a.unit_name for a in self.of(AlertKind.NO_REPORT)})

    @staticmethod
    def href(kind: str) -> str:
        return "/tracking/reminders" if kind == AlertKind.NO_REPORT.value else f"/tracking/tasks?alert={kind}"


def task_board(session: Session, actor: Actor, today: date) -> TaskBoard:
    """The alerts on the assignments the actor may see, as of today."""
    return TaskBoard(today, alerts_as_of(session, actor, today))
