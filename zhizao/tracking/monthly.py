"""One month's tracking summary of a plan: what the bulletin, the ledger and the cockpit all render."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans.models import Plan
from zhizao.tracking.alerts import Alert, AlertKind, alerts_as_of
from zhizao.tracking.schedule import Period, elapsed_share, month_end
from zhizao.tracking.targets import TargetProgress, get_plan, plan_progress
from zhizao.tracking.tasks import AssignmentView, ReportStatus, list_assignments

TASK_CATEGORIES = {"completed": "已完成", "in_progress": "正常推进", "lagging": "滞后", "overdue": "逾期"}


@dataclass
class UnitTasks:
    unit_name: str
    counts: Counter[str] = field(default_factory=Counter)
    reported: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanMonth:
    plan: Plan
    as_of: date
    schedule: float
    targets: list[TargetProgress]
    assignments: list[AssignmentView]
    categories: dict[int, str]  # assignment id -> completed | in_progress | lagging | overdue
    alerts: list[Alert]
    units: list[UnitTasks]

    @property
    def target_counts(self) -> Counter[str]:
        return Counter(t.progress.status.value for t in self.targets)

    @property
    def task_counts(self) -> Counter[str]:
        return Counter(self.categories.values())

    @property
    def silent_units(self) -> list[str]:
        """Units that own an open assignment and did not report in the month."""
        return [u.unit_name for u in self.units if not u.reported]


def _category(view: AssignmentView, alerts: dict[int, set[AlertKind]]) -> str:
    if view.status is ReportStatus.COMPLETED:
        return "completed"
    kinds = alerts.get(view.id, set())
    if AlertKind.OVERDUE in kinds:
        return "overdue"
    if AlertKind.BLOCKED in kinds or AlertKind.NO_REPORT in kinds:
        return "lagging"
    return "in_progress"


def plan_month(session: Session, actor: Actor, plan_id: int, as_of: date) -> PlanMonth:
    """Targets, tasks and alerts of a plan as of `as_of` (the end of a month for a bulletin), as far as the
    actor may see them: NotFound for a plan out of scope; tasks and alerts of the assignments in scope."""
    plan = get_plan(session, actor, plan_id)
    targets = plan_progress(session, actor, plan_id, as_of)
    views = list_assignments(session, actor, plan_id=plan_id, as_of=as_of)
    alerts = alerts_as_of(session, actor, as_of, plan_id=plan_id)
    kinds: dict[int, set[AlertKind]] = defaultdict(set)
    for alert in alerts:
        kinds[alert.assignment_id].add(alert.kind)
    categories = {v.id: _category(v, kinds) for v in views}
    units: dict[str, UnitTasks] = {}
    for view in views:
        unit = units.setdefault(view.owner[1], UnitTasks(view.owner[1], reported=True))
        unit.counts[categories[view.id]] += 1
        if categories[view.id] != "completed" and AlertKind.NO_REPORT in kinds.get(view.id, set()):
            unit.reported = False
    year = plan.year or as_of.year
    schedule = elapsed_share(Period.year(year), as_of)
    ordered = sorted(units.values(), key=_key)
    return PlanMonth(plan, as_of, schedule, targets, views, categories, alerts, ordered)


def _key(unit: UnitTasks) -> tuple[int, str]:
    return (-unit.counts["overdue"] - unit.counts["lagging"], unit.unit_name)


def month_as_of(year: int, month: int) -> date:
    return month_end(year, month)
