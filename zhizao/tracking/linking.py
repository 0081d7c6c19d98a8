"""The indicator catalogue link: which tracked series measures a plan target.

Suggestions compare normalised names (difflib); a person confirms a link once and it is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import utcnow
from zhizao.errors import NotFound
from zhizao.plans.models import PlanTarget
from zhizao.tracking.models import TargetLink, TrackedSeries
from zhizao.tracking.observations import EDITORS, get_series
from zhizao.tracking.targets import get_target

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_NOISE = re.compile(r"全市|全省|同比|比上年|较上年|累计|增长率|增速|增长|数量|总额|[\s“”\"'《》、，,。]")
_SYNONYMS = (
    ("规上", "规模以上"),
    ("高企", "高新技术企业"),
    ("GDP总值", "生产总值"),
    ("GDP", "生产总值"),
    ("地区生产总值", "生产总值"),
)


def normalise(name: str) -> str:
    text = _BRACKETS.sub("", name)
    for short, full in _SYNONYMS:
        text = text.replace(short, full)
    return _NOISE.sub("", text)


def similarity(a: str, b: str) -> float:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    return SequenceMatcher(None, na, nb).ratio()


@dataclass(frozen=True)
class Suggestion:
    series_id: int
    name: str
    score: float


def suggest(session: Session, target_id: int, limit: int = 5, minimum: float = 0.5) -> list[Suggestion]:
    """Series whose name or an alias resembles the target's indicator, best first."""
    target = session.get(PlanTarget, target_id)
    if target is None:
        raise NotFound(f"目标 {target_id} 不存在")
    found = []
    for series in session.scalars(select(TrackedSeries)):
        score = max(similarity(target.indicator, n) for n in [series.name, *(series.aliases or [])])
        if score >= minimum:
            found.append(Suggestion(series.id, series.name, round(score, 3)))
    return sorted(found, key=lambda s: (-s.score, s.name))[:limit]


def confirm_link(
    session: Session,
    actor: Actor,
    target_id: int,
    series_id: int,
    region_code: str | None = None,
    base_value: float | None = None,
) -> TargetLink:
    """Link a target to the series that measures it (replacing an earlier link); NotFound for a target the
    actor may not see."""
    require_role(actor, *EDITORS)
    get_target(session, actor, target_id)
    get_series(session, series_id)
    link = session.scalar(select(TargetLink).where(TargetLink.target_id == target_id)) or TargetLink(
        target_id=target_id
    )
    link.series_id = series_id
    link.region_code = region_code
    link.base_value = base_value
    link.confirmed_by = actor.username
    link.confirmed_at = utcnow()
    session.add(link)
    session.flush()
    return link


def link_for(session: Session, target_id: int) -> TargetLink | None:
    return session.scalar(select(TargetLink).where(TargetLink.target_id == target_id))
