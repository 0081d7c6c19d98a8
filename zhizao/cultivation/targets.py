"""Plan targets ↔ programmes: a target such as 新增专精特新中小企业300家 linked to the programme whose title
it counts.

The link is tracking's own, not a second progress path: a registry series (`tracked_series`, kind
`registry`, aggregate `{"op": "titles", "title": ..., "since": first year of the target's period}`) counts
the firms newly recognised with the programme's title (`zhizao.tracking.observations`), and it is confirmed
as the target's series (`zhizao.tracking.linking.confirm_link`). Progress, 序时进度 and status then come
from `zhizao.tracking.targets` exactly as for every other target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.scope import Actor, require_role
from zhizao.cultivation.programme import Programme, load_programme, shipped_ids
from zhizao.cultivation.titles import TITLE_LABELS
from zhizao.errors import InvalidInput, NotFound
from zhizao.plans.models import Plan, PlanTarget
from zhizao.plans.queries import plan_clause
from zhizao.reference import home
from zhizao.tracking.linking import confirm_link
from zhizao.tracking.models import TargetLink, TrackedSeries
from zhizao.tracking.observations import EDITORS, ensure_series, refresh_registry_series
from zhizao.tracking.progress import period_of
from zhizao.tracking.targets import TargetProgress, get_target, get_target_progress, spec_of

OP = "titles"


@dataclass(frozen=True)
class TargetChoice:
    target_id: int
    plan_title: str
    text: str


def _titled(programme_id: str) -> Programme:
    if programme_id not in shipped_ids():
        raise NotFound("没有这个培育项目")
    programme = load_programme(programme_id)
    if programme.title is None:
        raise InvalidInput("该项目不认定称号，目标进度无法按新认定企业计数")
    return programme


def title_series(session: Session, title: str, since: int) -> TrackedSeries:
    """The registry series counting firms first recognised with `title` from `since` (created once)."""
    name = f"新认定{TITLE_LABELS.get(title, title)}数量（{since}年起累计）"
    aggregate = {"op": OP, "title": title, "since": since}
    return ensure_series(session, name, "家", kind="registry", aggregate=aggregate)


def _region(target: PlanTarget) -> str:
    region = target.plan.region_code or home.home_region_code()
    if region is None:
        raise InvalidInput("规划没有所属地区，无法按地区汇总新认定企业")
    return region


def link_target(session: Session, actor: Actor, target_id: int, programme_id: str, as_of: date) -> TargetLink:
    """Link a plan target to a programme: its progress counts the firms newly recognised with the
    programme's title in the target's period (from the year after its base year, or its target year)."""
    require_role(actor, *EDITORS)
    programme = _titled(programme_id)
    target = get_target(session, actor, target_id)
    spec = spec_of(target)
    if spec.measure not in ("increase", "level"):
        raise InvalidInput("只有数量目标（新增、达到）可以按新认定企业计数")
    if spec.target_year is None:
        spec = type(spec)(
            spec.measure, spec.value, spec.qualifier, spec.unit, target.plan.year, spec.base_year
        )
    since = period_of(spec, as_of).start_year
    assert programme.title is not None
    series = title_series(session, programme.title, since)
    region = _region(target)
    link = confirm_link(session, actor, target_id, series.id, region_code=region)
    refresh_registry_series(session, series, region, as_of)
    with acting_as(actor.username):
        record(
            session,
            "link",
            "target_links",
            str(target_id),
            {"programme": programme_id, "series": series.name, "region": region},
        )
    return link


def refresh_title_targets(session: Session, as_of: date, title: str | None = None) -> int:
    """Recount every target linked to a title series (after a list is imported); the number refreshed."""
    links = session.scalars(select(TargetLink).join(TrackedSeries, TrackedSeries.id == TargetLink.series_id))
    done = 0
    for link in links:
        aggregate = link.series.aggregate or {}
        if aggregate.get("op") != OP or (title is not None and aggregate.get("title") != title):
            continue
        region = link.region_code or home.home_region_code()
        if region is not None:
            refresh_registry_series(session, link.series, region, as_of)
            done += 1
    return done


def programme_targets(
    session: Session, actor: Actor, programme: Programme, as_of: date
) -> list[TargetProgress]:
    """The plan targets linked to the programme's title that the actor may see, with their progress."""
    if programme.title is None:
        return []
    found: list[TargetProgress] = []
    for link in session.scalars(select(TargetLink).order_by(TargetLink.target_id)):
        aggregate = link.series.aggregate or {}
        if aggregate.get("op") != OP or aggregate.get("title") != programme.title:
            continue
        try:
            found.append(get_target_progress(session, actor, link.target_id, as_of))
        except NotFound:
            continue
    return found


def target_choices(session: Session, actor: Actor, limit: int = 300) -> list[TargetChoice]:
    """Quantity targets of the plans the actor may see (not rejected), to link from a programme page."""
    query = (
        select(PlanTarget.id, Plan.title, PlanTarget.text, PlanTarget.indicator)
        .join(Plan, Plan.id == PlanTarget.plan_id)
        .where(plan_clause(actor), PlanTarget.review_status != "rejected")
        .where(PlanTarget.measure.in_(("increase", "level")))
        .order_by(Plan.id.desc(), PlanTarget.position, PlanTarget.id)
        .limit(limit)
    )
    return [
        TargetChoice(tid, plan, (text or indicator)[:120])
        for tid, plan, text, indicator in session.execute(query)
    ]
