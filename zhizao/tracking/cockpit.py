"""The tracking cockpit: one function per page gathers its data, and pure functions turn that data into
ECharts option dicts (a sparkline per target, tasks by unit as a stacked bar, a target's series against its
target and the 序时进度 line). The pages, the htmx fragments and the JSON API render the same calls."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput
from zhizao.plans import queries as plan_queries
from zhizao.plans.models import PlanTarget
from zhizao.tracking import linking
from zhizao.tracking.alerts import Alert, alerts_as_of, by_unit
from zhizao.tracking.models import Observation, TargetLink, TrackedSeries
from zhizao.tracking.monthly import plan_month
from zhizao.tracking.observations import list_observations, list_series
from zhizao.tracking.progress import STATUS_COLOURS, Point, Status, is_amount, period_of
from zhizao.tracking.schedule import Period, elapsed_share, month_end
from zhizao.tracking.targets import TargetProgress, get_plan, get_target, get_target_progress, plan_progress
from zhizao.tracking.tasks import AssignmentView, ReportStatus

STATUS_ORDER = [Status.SEVERE, Status.LAGGING, Status.ON_TRACK, Status.COMPLETED, Status.NO_DATA]
REPORT_COLOURS = {
    ReportStatus.NOT_STARTED: "#9E9E9E",
    ReportStatus.IN_PROGRESS: "#3273DC",
    ReportStatus.COMPLETED: "#1E7B34",
    ReportStatus.BLOCKED: "#C62828",
}
SPARK_POINTS = 12


# months and dates -------------------------------------------------------------------------------------------


def parse_month(value: str) -> date:
    """'2024-06' → the last day of that month."""
    try:
        year, month = (int(part) for part in value.strip().split("-"))
        return month_end(year, month)
    except ValueError:
        raise InvalidInput(f"月份格式应为 YYYY-MM：{value}") from None


def default_as_of(plan_year: int | None, today: date) -> date:
    """Today, or the end of the plan's year when that year is over."""
    if plan_year is not None and plan_year < today.year:
        return month_end(plan_year, 12)
    return today


def month_choices(year: int, today: date) -> list[str]:
    """'YYYY-MM' of every month of `year` that has begun by `today` (all twelve for a past year)."""
    last = 12 if year < today.year else (today.month if year == today.year else 12)
    return [f"{year}-{m:02d}" for m in range(1, last + 1)]


# page data --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetTile:
    """One square of the traffic-light grid."""

    target_id: int
    indicator: str
    target_label: str
    status: Status
    latest_value: float | None
    latest_label: str | None
    completion: float | None
    gap: float | None
    schedule: float | None
    note: str
    series_name: str | None
    points: list[Point]

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def colour(self) -> str:
        return "#" + STATUS_COLOURS[self.status]

    @property
    def css_class(self) -> str:
        return f"status-{self.status.value}"


def tile_of(tp: TargetProgress, as_of: date) -> TargetTile:
    """A target's tile as of a date: readings after that date are not shown (they were not known yet)."""
    p = tp.progress
    return TargetTile(
        tp.target_id,
        tp.indicator,
        tp.target_label,
        p.status,
        p.latest.value if p.latest else None,
        p.latest.label if p.latest else None,
        p.completion,
        p.gap,
        p.schedule,
        p.note,
        tp.series_name,
        [point for point in tp.points if point.end <= as_of],
    )


@dataclass(frozen=True)
class UnitStatusRow:
    unit_name: str
    counts: dict[str, int]  # ReportStatus value -> assignments

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tasks_by_unit(views: list[AssignmentView]) -> list[UnitStatusRow]:
    """Assignments per owning unit and latest report status, the unit with most assignments first."""
    counts: dict[str, Counter[str]] = {}
    for view in views:
        counts.setdefault(view.owner[1], Counter())[view.status.value] += 1
    rows = [UnitStatusRow(name, {s.value: c[s.value] for s in ReportStatus}) for name, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.total, r.unit_name))


@dataclass
class PlanCockpit:
    plan_id: int
    title: str
    year: int | None
    as_of: date
    schedule: float
    tiles: list[TargetTile]
    units: list[UnitStatusRow]
    alerts: list[Alert]
    months: list[str] = field(default_factory=list)
    progress: list[TargetProgress] = field(default_factory=list)

    @property
    def status_counts(self) -> dict[str, int]:
        counts = Counter(t.status.value for t in self.tiles)
        return {s.value: counts[s.value] for s in STATUS_ORDER}

    @property
    def month(self) -> str:
        return f"{self.as_of.year}-{self.as_of.month:02d}"


def plan_cockpit(
    session: Session, actor: Actor, plan_id: int, as_of: date | None, today: date
) -> PlanCockpit:
    """A plan's targets (latest value, progress, status, series), tasks by unit and alerts as of `as_of`
    (default: today, or the end of a past plan year)."""
    plan = get_plan(session, actor, plan_id)  # NotFound when the actor may not see the plan
    as_of = as_of or default_as_of(plan.year, today)
    summary = plan_month(session, actor, plan_id, as_of)
    tiles = [tile_of(t, as_of) for t in summary.targets]
    return PlanCockpit(
        plan.id,
        plan.title,
        plan.year,
        as_of,
        summary.schedule,
        tiles,
        tasks_by_unit(summary.assignments),
        summary.alerts,
        month_choices(plan.year or as_of.year, today),
        summary.targets,
    )


@dataclass(frozen=True)
class PlanStatusSummary:
    plan_id: int
    title: str
    year: int | None
    counts: dict[str, int]  # Status value -> targets

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_summaries(session: Session, actor: Actor, today: date) -> list[PlanStatusSummary]:
    """Confirmed plans the actor may see, each with its targets counted by status (as of today, or the end
    of a past plan year)."""
    found = []
    for plan in plan_queries.list_plans(session, actor, status="confirmed"):
        as_of = default_as_of(plan.year, today)
        counts = Counter(t.progress.status.value for t in plan_progress(session, actor, plan.id, as_of))
        found.append(
            PlanStatusSummary(
                plan.id, plan.title, plan.year, {s.value: counts[s.value] for s in STATUS_ORDER}
            )
        )
    return found


@dataclass
class TargetPage:
    target: PlanTarget
    plan_title: str
    as_of: date
    progress: TargetProgress
    link: TargetLink | None
    region_code: str | None
    observations: list[Observation]
    suggestions: list[linking.Suggestion]
    series: list[TrackedSeries]

    @property
    def tile(self) -> TargetTile:
        return tile_of(self.progress, self.as_of)

    @property
    def base_value(self) -> float | None:
        return self.link.base_value if self.link else None


def target_page(
    session: Session, actor: Actor, target_id: int, as_of: date | None, today: date
) -> TargetPage:
    """A target with its progress, its linked series' observations and link suggestions."""
    target = get_target(session, actor, target_id)  # NotFound when the actor may not see its plan
    plan = target.plan
    when = as_of or default_as_of(target.target_year or plan.year, today)
    progress = get_target_progress(session, actor, target_id, when)
    link = linking.link_for(session, target_id)
    region = (link.region_code if link else None) or plan.region_code
    observations = list_observations(session, link.series_id, region) if link else []
    return TargetPage(
        target,
        plan.title,
        when,
        progress,
        link,
        region,
        observations,
        linking.suggest(session, target_id),
        list_series(session),
    )


@dataclass
class Reminders:
    as_of: date
    units: dict[str, list[Alert]]

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.units.values())


def reminders(
    session: Session,
    actor: Actor,
    as_of: date | None,
    plan_id: int | None = None,
    unit_id: int | None = None,
    today: date | None = None,
) -> Reminders:
    """The alerts the actor may see, as a reminder list per unit, as of `as_of` (default: today, or for one
    plan the end of its year when that year is over, so a past plan is not shown all overdue)."""
    if as_of is None:
        today = today or date.today()
        plan = get_plan(session, actor, plan_id) if plan_id is not None else None
        as_of = default_as_of(plan.year if plan else None, today)
    return Reminders(as_of, by_unit(alerts_as_of(session, actor, as_of, plan_id=plan_id, unit_id=unit_id)))


# chart options ----------------------------------------------------------------------------------------------


def sparkline_options(points: list[Point], colour: str) -> dict[str, Any]:
    """A small line without axes: the last readings of a target's series."""
    shown = points[-SPARK_POINTS:]
    return {
        "animation": False,
        "grid": {"left": 2, "right": 2, "top": 4, "bottom": 4},
        "tooltip": {"trigger": "axis", "confine": True},
        "xAxis": {"type": "category", "show": False, "data": [p.label for p in shown]},
        "yAxis": {"type": "value", "show": False, "scale": True},
        "series": [
            {
                "type": "line",
                "data": [p.value for p in shown],
                "symbol": "circle",
                "symbolSize": 3,
                "lineStyle": {"width": 1.5, "color": colour},
                "itemStyle": {"color": colour},
                "areaStyle": {"opacity": 0.12, "color": colour},
            }
        ],
    }


def tasks_bar_options(rows: list[UnitStatusRow], label: Any = None) -> dict[str, Any]:
    """Assignments per unit stacked by their latest report status (horizontal bars, largest unit on top).

    `label` translates the status names (defaults to the Chinese labels)."""
    name = label or (lambda text: text)
    units = [r.unit_name for r in reversed(rows)]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": 20, "top": 30, "bottom": 10, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": units},
        "series": [
            {
                "name": name(status.label),
                "type": "bar",
                "stack": "tasks",
                "itemStyle": {"color": REPORT_COLOURS[status]},
                "data": [r.counts.get(status.value, 0) for r in reversed(rows)],
            }
            for status in ReportStatus
        ],
    }


def _months_of(period: Period) -> list[tuple[int, int]]:
    months = []
    year, month = period.start_year, period.start_month
    while (year, month) <= (period.end_year, period.end_month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def target_chart_options(
    tp: TargetProgress, as_of: date, base_value: float | None = None, label: Any = None
) -> dict[str, Any]:
    """A target's readings over its period against its target line, like with like and with units.

    For amounts (a level, an increase) the 序时进度 line is drawn in the same unit: the value expected by
    each month's end (target × elapsed share, from the base value when there is one). For rates (growth,
    share, a reduction rate) the cumulative series is compared with the target rate itself — a growth of
    5.2% against a target of 6.5% — and no 0–100% time line is drawn beside it (it would compare a share of
    the year with a growth rate). Every value carries its unit; both lines are labelled at their ends."""
    name = label or (lambda text: text)
    unit = tp.spec.unit or ""
    period = period_of(tp.spec, as_of)
    months = _months_of(period)
    single_year = period.start_year == period.end_year
    categories = [f"{m}月" if single_year else f"{y}-{m:02d}" for y, m in months]
    readings = {(p.year, p.month): p.value for p in tp.points}
    amount = is_amount(tp.spec)
    actual_name = name("累计实际值") if not amount else name("实际值")
    series: list[dict[str, Any]] = [
        {
            "name": f"{actual_name}（{unit}）" if unit else actual_name,
            "type": "line",
            "connectNulls": True,
            "data": [readings.get(ym) for ym in months],
            "itemStyle": {"color": "#3273DC"},
            "label": {"show": True, "formatter": "{c}" + unit, "fontSize": 10},
        },
        {
            "name": f"{name('目标值')}（{unit}）" if unit else name("目标值"),
            "type": "line",
            "symbol": "none",
            "z": 3,
            "lineStyle": {"type": "dashed", "color": "#C62828", "width": 2},
            "itemStyle": {"color": "#C62828"},
            "endLabel": {"show": True, "formatter": f"{name('目标值')} {{c}}{unit}", "color": "#C62828"},
            "data": [tp.spec.value] * len(months),
        },
    ]
    values = [v for v in readings.values() if v is not None] + [tp.spec.value]
    y_axis: dict[str, Any] = {"type": "value", "name": unit, "axisLabel": {"formatter": "{value}" + unit}}
    if not amount:  # the target line inside the view, with room around the readings
        low, high = min(values), max(values)
        pad = max((high - low) * 0.2, abs(tp.spec.value) * 0.1, 0.5)
        y_axis |= {"min": round(low - pad, 1), "max": round(high + pad, 1)}
    if amount:
        shares = [elapsed_share(period, month_end(y, m)) for y, m in months]
        start = base_value if base_value is not None and tp.spec.measure == "level" else 0.0
        series.append(
            {
                "name": f"{name('序时进度')}（{unit}）" if unit else name("序时进度"),
                "type": "line",
                "symbol": "none",
                "lineStyle": {"type": "dotted", "color": "#E0A800"},
                "itemStyle": {"color": "#E0A800"},
                "data": [round(start + (tp.spec.value - start) * s, 4) for s in shares],
            }
        )
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 10, "right": 70, "top": 40, "bottom": 10, "containLabel": True},
        "xAxis": {"type": "category", "data": categories},
        "yAxis": [y_axis],
        "series": series,
    }
