"""Targets of a plan with their progress and status as of a date; per-plan thresholds.

Scope: an actor sees the targets of the plans `plans.queries.plan_clause` lets them see (administrators and
analysts every plan; a department or district the confirmed plans that assign work to their unit; an
enterprise none). A plan or target out of scope is `NotFound`, exactly like a missing one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound
from zhizao.plans.models import Plan, PlanTarget
from zhizao.plans.queries import plan_clause
from zhizao.tracking.models import PlanTrackingSettings, TargetLink, TrackedSeries
from zhizao.tracking.observations import series_points
from zhizao.tracking.progress import Point, Progress, Status, TargetSpec, Thresholds, evaluate, is_amount

SETTING_FIELDS = ("lag_yellow", "lag_red", "rate_yellow", "rate_red", "rank_red", "about_rate", "about_level")


@dataclass(frozen=True)
class TargetProgress:
    target_id: int
    indicator: str
    text: str
    spec: TargetSpec
    series_id: int | None
    series_name: str | None
    progress: Progress
    points: list[Point] = field(default_factory=list)

    @property
    def target_label(self) -> str:
        qualifier = {"about": "左右", "at_least": "以上", "at_most": "以内"}.get(self.spec.qualifier, "")
        return f"{self.spec.value:g}{self.spec.unit}{qualifier}"


def get_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """The plan, if the actor may see it (NotFound otherwise, whether or not it exists)."""
    plan = session.scalar(select(Plan).where(Plan.id == plan_id, plan_clause(actor)))
    if plan is None:
        raise NotFound(f"规划 {plan_id} 不存在")
    return plan


def get_target(session: Session, actor: Actor, target_id: int) -> PlanTarget:
    """A target of a plan the actor may see (NotFound otherwise, whether or not it exists)."""
    target = session.scalar(
        select(PlanTarget).join(Plan).where(PlanTarget.id == target_id, plan_clause(actor))
    )
    if target is None:
        raise NotFound(f"目标 {target_id} 不存在")
    return target


def plan_settings(session: Session, plan_id: int) -> PlanTrackingSettings:
    """The plan's thresholds (defaults when none were set; not added to the session)."""
    stored = session.get(PlanTrackingSettings, plan_id)
    if stored is not None:
        return stored
    defaults = Thresholds()
    return PlanTrackingSettings(
        plan_id=plan_id, due_soon_days=15, **{name: getattr(defaults, name) for name in SETTING_FIELDS}
    )


def thresholds_for(session: Session, plan_id: int) -> Thresholds:
    stored = plan_settings(session, plan_id)
    return Thresholds(**{name: getattr(stored, name) for name in SETTING_FIELDS})


def update_settings(session: Session, actor: Actor, plan_id: int, **values: float) -> PlanTrackingSettings:
    require_role(actor, Role.ADMIN)
    get_plan(session, actor, plan_id)
    unknown = set(values) - {*SETTING_FIELDS, "due_soon_days"}
    if unknown:
        raise InvalidInput(f"未知设置项：{'、'.join(sorted(unknown))}")
    if any(v is None or v < 0 for v in values.values()):
        raise InvalidInput("阈值不能为负数")
    current = plan_settings(session, plan_id)
    merged = {name: getattr(current, name) for name in (*SETTING_FIELDS, "due_soon_days")}
    merged.update(values)
    if merged["lag_red"] < merged["lag_yellow"] or merged["rate_red"] < merged["rate_yellow"]:
        raise InvalidInput("严重滞后阈值不能小于滞后阈值")
    stored = session.get(PlanTrackingSettings, plan_id) or PlanTrackingSettings(plan_id=plan_id)
    for name, value in merged.items():
        setattr(stored, name, value)
    session.add(stored)
    session.flush()
    return stored


def spec_of(target: PlanTarget) -> TargetSpec:
    return TargetSpec(
        target.measure, target.value, target.qualifier, target.unit, target.target_year, target.base_year
    )


def target_progress(
    session: Session, target: PlanTarget, plan: Plan, as_of: date, thresholds: Thresholds
) -> TargetProgress:
    spec = spec_of(target)
    if spec.target_year is None and plan.year:
        spec = TargetSpec(spec.measure, spec.value, spec.qualifier, spec.unit, plan.year, spec.base_year)
    link = session.scalar(select(TargetLink).where(TargetLink.target_id == target.id))
    if link is None:
        progress = Progress(Status.NO_DATA, note="尚未关联监测指标")
        return TargetProgress(target.id, target.indicator, target.text, spec, None, None, progress)
    series = session.get(TrackedSeries, link.series_id)
    assert series is not None
    additive = spec.measure == "increase" or (is_amount(spec) and spec.measure == "reduction")
    points = series_points(session, series.id, link.region_code or plan.region_code, additive)
    progress = evaluate(spec, points, as_of, thresholds, link.base_value)
    return TargetProgress(
        target.id, target.indicator, target.text, spec, series.id, series.name, progress, points
    )


def plan_progress(session: Session, actor: Actor, plan_id: int, as_of: date) -> list[TargetProgress]:
    """Every target of the plan (rejected ones left out) with its progress as of `as_of`; NotFound when
    the actor may not see the plan."""
    plan = get_plan(session, actor, plan_id)
    thresholds = thresholds_for(session, plan_id)
    targets = session.scalars(
        select(PlanTarget)
        .where(PlanTarget.plan_id == plan_id, PlanTarget.review_status != "rejected")
        .order_by(PlanTarget.position, PlanTarget.id)
    )
    return [target_progress(session, t, plan, as_of, thresholds) for t in targets]


def get_target_progress(session: Session, actor: Actor, target_id: int, as_of: date) -> TargetProgress:
    """A target's progress as of `as_of`; NotFound when the actor may not see its plan."""
    target = get_target(session, actor, target_id)
    return target_progress(session, target, target.plan, as_of, thresholds_for(session, target.plan_id))
