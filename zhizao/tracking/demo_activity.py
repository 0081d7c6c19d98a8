"""Synthetic tracking activity for the demo region, clearly marked as made up.

The real published figures (`tracking.demo.load_real_stats`) cover only a few targets. So that the cockpit,
the task list, the reminders and the monthly bulletin have something to show, the demo adds:

- registry aggregates: targets measurable from the (synthetic) enterprise registry, such as
  规模以上工业企业数量, are linked to a registry series and refreshed at the plan year's end;
- synthetic series: every other target of the demo year's plans that has no real series gets a monthly
  cumulative series for months 1-12 that ends near the target, with a deterministic spread of outcomes.
  The series name ends in （演示数据）, its description says it is made up, and every observation has the
  source 演示数据（虚构）. Series with real figures are never written to;
- task reports: each assignment's lead unit reports monthly (text ending in （演示数据）), most finishing by
  the deadline, a few late, blocked or skipping months.

Everything is seeded from the target or task itself, so a rerun gives the same values, and idempotent:
synthetic observations are upserted, links replaced and earlier demo reports deleted before new ones.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.plans.models import Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.tracking import linking
from zhizao.tracking.models import Observation, ProgressReport, TargetLink, TrackedSeries
from zhizao.tracking.observations import (
    ObservationInput,
    ensure_series,
    record_observation,
    refresh_registry_series,
)
from zhizao.tracking.progress import Measure, Qualifier, TargetSpec, Thresholds, is_amount
from zhizao.tracking.targets import spec_of
from zhizao.tracking.tasks import AssignmentView, list_assignments, report_progress

DEMO_YEAR = 2024
SEED = 2024
SYNTHETIC_MARK = "（演示数据）"
SYNTHETIC_SOURCE = "演示数据（虚构）"
SYNTHETIC_DESCRIPTION = (
    "演示数据（虚构）：按目标值生成的月度累计数，仅用于演示督查督办功能，不是实际统计数据。"
)
SYNTHETIC_NOTE = "虚构的演示数据"
REGISTRY_SOURCE = "企业库汇总（演示企业库，企业均为虚构）"
REPORT_MARK = "（演示数据）"
COUNT_UNITS = frozenset(
    {"家", "个", "场", "场次", "项", "座", "台", "户", "人", "条", "件", "所", "批", "次"}
)

# Targets measurable from the registry: indicator, unit, aggregate spec.
REGISTRY_SERIES = (("规模以上工业企业数量", "家", {"op": "count", "above_scale": True}),)

# Outcomes, cycled over the targets in plan order. Smooth targets (rates, or amounts of 20 or more) take
# every kind; small counts only complete early or keep pace (0, 1, 2 of a handful cannot lag by 10 points).
SMOOTH_OUTCOMES = (
    "on_track",
    "on_track",
    "lagging",
    "on_track",
    "ahead",
    "on_track",
    "on_track",
    "severe",
    "on_track",
    "recovering",
)
COARSE_OUTCOMES = ("ahead", "on_track")
# Report profiles, cycled over the assignments in plan order.
REPORT_PROFILES = ("done", "done", "late", "done", "done", "skip", "done", "blocked", "done", "done")
STEPS = ("摸底调研", "方案制定", "政策宣传解读", "企业走访服务", "项目调度推进", "督导检查", "经验总结")
OBSTACLES = ("用地指标", "资金拨付", "项目审批", "企业投资意愿")


@dataclass
class ActivityResult:
    registry_links: int = 0
    synthetic_series: int = 0
    synthetic_observations: int = 0
    synthetic_links: int = 0
    reports: int = 0


def is_synthetic(series: TrackedSeries) -> bool:
    return series.description == SYNTHETIC_DESCRIPTION


def demo_plans(session: Session, region_code: str, year: int | None = None) -> list[Plan]:
    """The region's own confirmed plans (not those of the regions above it), optionally of one year."""
    stmt = select(Plan).where(Plan.region_code == region_code, Plan.status == "confirmed").order_by(Plan.id)
    return [p for p in session.scalars(stmt) if year is None or p.year == year]


def replaceable_link(session: Session, target: PlanTarget) -> bool:
    """True when the target has no link, or only a link to a synthetic series."""
    link = linking.link_for(session, target.id)
    if link is None:
        return True
    series = session.get(TrackedSeries, link.series_id)
    return series is not None and is_synthetic(series)


def _open_targets(session: Session, plan: Plan) -> list[PlanTarget]:
    return [t for t in plan.targets if t.review_status != "rejected" and replaceable_link(session, t)]


# registry aggregates --------------------------------------------------------------------------------------


def link_registry_series(session: Session, actor: Actor, region_code: str, today: date) -> int:
    """Link targets measurable from the registry and refresh them at the plan year's end (or today).
    Returns the number of targets linked."""
    linked = 0
    for plan in demo_plans(session, region_code):
        year = plan.year or today.year
        as_of = min(date(year, 12, 31), today)
        for name, unit, aggregate in REGISTRY_SERIES:
            targets = [
                t
                for t in _open_targets(session, plan)
                if t.unit == unit
                and t.measure == Measure.LEVEL
                and linking.similarity(t.indicator, name) == 1
            ]
            if not targets:
                continue
            series = ensure_series(session, name, unit, kind="registry", aggregate=aggregate)
            if series.kind != "registry":
                continue  # a manual series of that name exists: leave it alone
            series.description = "由演示企业库汇总（企业为虚构）"
            obs = refresh_registry_series(session, series, region_code, as_of)
            obs.source, obs.entered_by = REGISTRY_SOURCE, actor.username
            for target in targets:
                linking.confirm_link(session, actor, target.id, series.id, region_code)
                linked += 1
    session.flush()
    return linked


# synthetic series -----------------------------------------------------------------------------------------


def target_rng(target: PlanTarget) -> random.Random:
    """A generator seeded from the target itself (stable across databases and runs)."""
    return random.Random(f"{SEED}:{target.indicator}:{target.measure}:{target.value}:{target.unit}")


def _smooth(spec: TargetSpec) -> bool:
    return not is_amount(spec) or spec.unit not in COUNT_UNITS or spec.value >= 20


def assign_outcomes(specs: list[TargetSpec]) -> list[str]:
    """An outcome for each target, in order: most keep pace, a few lag."""
    outcomes, smooth, coarse = [], 0, 0
    for spec in specs:
        if _smooth(spec):
            outcomes.append(SMOOTH_OUTCOMES[smooth % len(SMOOTH_OUTCOMES)])
            smooth += 1
        else:
            outcomes.append(COARSE_OUTCOMES[coarse % len(COARSE_OUTCOMES)])
            coarse += 1
    return outcomes


def completion_path(outcome: str, rng: random.Random) -> list[float]:
    """Achieved share of an amount target at the end of months 1-12."""
    months = range(1, 13)
    if outcome == "ahead":
        done, peak = rng.choice((4, 5, 6)), 1.02 + rng.uniform(0, 0.03)
        return [peak * m / done if m <= done else peak * (1 + 0.02 * (m - done)) for m in months]
    if outcome in ("lagging", "severe"):
        pace, end = (0.8, rng.uniform(0.91, 0.94)) if outcome == "lagging" else (0.6, rng.uniform(0.78, 0.81))
        return [pace * m / 12 if m <= 9 else pace * 0.75 + (end - pace * 0.75) * (m - 9) / 3 for m in months]
    if outcome == "recovering":
        end = rng.uniform(1.01, 1.04)
        return [0.82 * m / 12 if m <= 6 else 0.41 + (end - 0.41) * (m - 6) / 6 for m in months]
    end = rng.uniform(1.01, 1.06)
    return [end * m / 12 * (1 + rng.uniform(-0.015, 0.015)) if m < 12 else end for m in months]


def _rate_offsets(outcome: str, rng: random.Random, floor: float) -> list[float]:
    """Distance from the target rate (points, positive = better) at months 1-12; `floor` is the lowest
    distance still counted as met (−tolerance for 左右)."""
    offsets = []
    end = floor + (rng.uniform(1.0, 2.0) if outcome == "ahead" else rng.uniform(0.2, 0.8))
    for m in range(1, 13):
        wobble = rng.uniform(-0.6, 0.6) * (12 - m) / 12
        good = max(end + wobble, floor + 0.1)
        if outcome == "lagging":
            value = floor - (rng.uniform(0.6, 1.4) if m <= 9 else 0.3 + 0.15 * (12 - m))
        elif outcome == "severe":
            value = floor - (rng.uniform(2.4, 3.4) if m <= 9 else 2.3 + 0.1 * (12 - m))
        elif outcome == "recovering":
            value = floor - rng.uniform(0.6, 1.2) if m <= 6 else good
        else:
            value = good
        offsets.append(value)
    return offsets


def synthetic_values(spec: TargetSpec, outcome: str, rng: random.Random) -> list[float]:
    """Cumulative readings (1-N月) for months 1-12 of a target's year, following `outcome`."""
    if spec.measure == Measure.RANK:
        behind = {"lagging": 1, "severe": 3, "ahead": -1}.get(outcome, 0)
        return [
            float(max(1, spec.value + (1 if outcome == "recovering" and m <= 6 else behind)))
            for m in range(1, 13)
        ]
    if is_amount(spec):
        shares = completion_path(outcome, rng)
        if spec.qualifier == Qualifier.AT_MOST:  # a ceiling: keeping well under it is the good outcome
            scale = {"lagging": 1.06, "severe": 1.25, "recovering": 0.98}.get(outcome, 0.92)
            shares = [scale * (m / 12 if spec.measure == Measure.INCREASE else 1.0) for m in range(1, 13)]
        integer = spec.unit in COUNT_UNITS
        up = outcome in ("on_track", "ahead")
        values, previous = [], 0.0
        for share in shares:
            raw = spec.value * share
            if not integer:
                value = round(raw, 2)
            elif share >= 1:  # reached: the target itself or a little over, not rounded up past it
                value = float(max(round(raw), math.ceil(spec.value)))
            else:
                value = float(math.ceil(raw - 1e-9) if up else round(raw))
            previous = max(previous, value)
            values.append(previous)
        return values
    tolerance = Thresholds().about_rate if spec.qualifier == Qualifier.ABOUT else 0.0
    sign = -1.0 if spec.qualifier == Qualifier.AT_MOST else 1.0
    offsets = _rate_offsets(outcome, rng, -tolerance)
    values = [round(spec.value + sign * d, 1) for d in offsets]
    return [min(v, 100.0) if spec.unit == "%" and spec.measure == Measure.SHARE else v for v in values]


def _ours(session: Session, series: TrackedSeries) -> bool:
    """A manual series that is synthetic, or new: no observation from any other source."""
    if series.kind != "manual" or series.description not in ("", SYNTHETIC_DESCRIPTION):
        return False
    other = select(Observation.id).where(
        Observation.series_id == series.id, Observation.source != SYNTHETIC_SOURCE
    )
    return session.scalar(other.limit(1)) is None


def _series_name(target: PlanTarget, used: set[str]) -> str:
    suffix = {"growth": "增速", "share": "占比", "reduction": "降幅", "rank": "排名"}.get(target.measure, "")
    base = target.indicator.strip()
    if suffix and not base.endswith((suffix, "增长", "率", "比重", "名次")):
        base += suffix
    name, n = f"{base}{SYNTHETIC_MARK}", 2
    while name in used:
        name, n = f"{base}{SYNTHETIC_MARK[:-1]}{n}）", n + 1
    used.add(name)
    return name[:200]


def load_synthetic_series(
    session: Session, actor: Actor, region_code: str, year: int = DEMO_YEAR
) -> ActivityResult:
    """A synthetic monthly series for every target of the year's demo plans that has no real series."""
    result = ActivityResult()
    used: set[str] = set()
    for plan in demo_plans(session, region_code, year):
        targets = sorted(_open_targets(session, plan), key=lambda t: (t.position, t.id))
        specs = [spec_of(t) for t in targets]
        for target, spec, outcome in zip(targets, specs, assign_outcomes(specs), strict=True):
            series = ensure_series(session, _series_name(target, used), target.unit)
            if not _ours(session, series):
                continue  # never write into a series with real figures
            series.description = SYNTHETIC_DESCRIPTION
            values = synthetic_values(spec, outcome, target_rng(target))
            for month, value in enumerate(values, start=1):
                item = ObservationInput(
                    series.id,
                    region_code,
                    "ytd",
                    spec.target_year or year,
                    month,
                    value,
                    SYNTHETIC_SOURCE,
                    SYNTHETIC_NOTE,
                )
                record_observation(session, actor, item)
                result.synthetic_observations += 1
            linking.confirm_link(session, actor, target.id, series.id, region_code)
            result.synthetic_series += 1
            result.synthetic_links += 1
    _drop_unlinked_synthetic(session)
    session.flush()
    return result


def _drop_unlinked_synthetic(session: Session) -> None:
    """Synthetic series no target links to any more (a target renamed, or now linked to real figures)."""
    linked = select(TargetLink.series_id)
    stale = list(
        session.scalars(
            select(TrackedSeries.id).where(
                TrackedSeries.description == SYNTHETIC_DESCRIPTION, TrackedSeries.id.not_in(linked)
            )
        )
    )
    if stale:
        session.execute(delete(Observation).where(Observation.series_id.in_(stale)))
        session.execute(delete(TrackedSeries).where(TrackedSeries.id.in_(stale)))
        record(session, "demo_series_removed", TrackedSeries.__tablename__, "", {"ids": stale})


# task reports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedReport:
    month: int
    day: int
    text: str
    status: str  # a ReportStatus label
    percent: int


def _deadline_month(deadline: date | None, year: int) -> int:
    if deadline is None or deadline.year > year:
        return 12
    return max(1, deadline.month) if deadline.year == year else 1


def report_schedule(
    title: str, deadline: date | None, profile: str, index: int, year: int = DEMO_YEAR
) -> list[PlannedReport]:
    """The monthly reports of one assignment under `profile`:

    - done: percent rises to 100 and the report in the deadline month says 已完成;
    - late: still 推进中 (at most 90%) after the deadline, all year;
    - blocked: rises to about 60%, then 受阻 from mid-year (or the deadline, if earlier) on;
    - skip: keeps pace to about 90% but sends nothing in June and December (本月未报送)."""
    last = _deadline_month(deadline, year)
    day = 20 + index % 8
    planned: list[PlannedReport] = []
    for month in range(1, 13):
        step = STEPS[(index + month) % len(STEPS)]
        percent = min(100, round(100 * month / last))
        if profile == "done":
            if month > last:
                break
            if month == last:
                planned.append(
                    PlannedReport(
                        month, day, f"已完成{title}工作，各项任务已落实到位{REPORT_MARK}", "已完成", 100
                    )
                )
                break
            text = f"{month}月已完成{title}相关{step}工作，累计完成约{percent}%{REPORT_MARK}"
            planned.append(PlannedReport(month, day, text, "推进中", percent))
        elif profile == "late":
            percent = min(90, round(75 * month / last))
            text = f"{month}月已完成{title}部分{step}工作，累计完成约{percent}%，进度慢于计划{REPORT_MARK}"
            planned.append(PlannedReport(month, day, text, "推进中", percent))
        elif profile == "blocked":
            stuck = min(6, last)
            percent = min(60, round(60 * month / stuck))
            if month < stuck:
                text = f"{month}月已完成{title}相关{step}工作，累计完成约{percent}%{REPORT_MARK}"
                planned.append(PlannedReport(month, day, text, "推进中", percent))
            else:
                obstacle = OBSTACLES[index % len(OBSTACLES)]
                text = f"{title}受{obstacle}制约，推进受阻，已提请协调解决{REPORT_MARK}"
                planned.append(PlannedReport(month, day, text, "受阻", percent))
        elif month not in (6, 12):  # skip
            percent = min(90, round(90 * month / last))
            text = f"{month}月已完成{title}相关{step}工作，累计完成约{percent}%{REPORT_MARK}"
            planned.append(PlannedReport(month, day, text, "推进中", percent))
    return planned


def _short_title(view: AssignmentView) -> str:
    title = (view.task_title or "").strip().rstrip("。；;，,") or f"第{view.task_number}项任务"
    return title[:24]


def _reporter(view: AssignmentView, usernames: dict[int, str]) -> Actor:
    unit_id = view.owner[0]
    if unit_id is None:
        return Actor.system()
    return Actor(username=usernames.get(unit_id, "演示报送员"), role=Role.DEPARTMENT, unit_id=unit_id)


def delete_demo_reports(session: Session, plan_id: int) -> int:
    """Remove earlier demo reports (text ending in （演示数据）) of a plan's assignments."""
    assignments = select(TaskAssignment.id).join(PlanTask).where(PlanTask.plan_id == plan_id)
    stmt = delete(ProgressReport).where(
        ProgressReport.assignment_id.in_(assignments), ProgressReport.text.endswith(REPORT_MARK)
    )
    removed = session.execute(stmt.execution_options(synchronize_session="fetch")).rowcount  # type: ignore[attr-defined]
    if removed:
        record(
            session, "demo_reports_replaced", ProgressReport.__tablename__, str(plan_id), {"removed": removed}
        )
    return int(removed or 0)


def load_demo_reports(
    session: Session,
    actor: Actor,
    region_code: str,
    usernames: dict[int, str] | None = None,
    year: int = DEMO_YEAR,
) -> int:
    """Monthly progress reports on every assignment of the year's demo plans, made through
    `tasks.report_progress` as a department user of the assignment's lead unit. Returns the count."""
    require_role(actor, Role.ADMIN)
    written = 0
    for plan in demo_plans(session, region_code, year):
        delete_demo_reports(session, plan.id)
        views = list_assignments(session, actor, plan_id=plan.id)
        for index, view in enumerate(views):
            profile = REPORT_PROFILES[index % len(REPORT_PROFILES)]
            reporter = _reporter(view, usernames or {})
            for item in report_schedule(_short_title(view), view.deadline, profile, index, year):
                report_progress(
                    session,
                    reporter,
                    view.id,
                    reported_on=date(year, item.month, item.day),
                    text=item.text,
                    status=item.status,
                    percent=item.percent,
                )
                written += 1
    return written


def load_demo_activity(
    session: Session,
    actor: Actor,
    region_code: str,
    usernames: dict[int, str] | None = None,
    today: date | None = None,
) -> ActivityResult:
    """Registry links, synthetic series and task reports for the demo region (see the module docstring)."""
    require_role(actor, Role.ADMIN)
    linked = link_registry_series(session, actor, region_code, today or date.today())
    result = ActivityResult(registry_links=linked)
    series = load_synthetic_series(session, actor, region_code)
    result.synthetic_series = series.synthetic_series
    result.synthetic_observations = series.synthetic_observations
    result.synthetic_links = series.synthetic_links
    result.reports = load_demo_reports(session, actor, region_code, usernames)
    return result
