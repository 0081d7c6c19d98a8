"""The enterprise's own portal: one page of everything the bureau holds about the firm and offers it.

- its profile and latest yearly figures (`enterprises.registry.get_enterprise`, the actor's own firm only);
- its 亩产效益 class with the reasons (the newest evaluation run it is in:
  `evaluation.results.explain_result`);
- its cultivation programmes with the status and the gap on each criterion (the newest cultivation run);
- its 诉求 with status and working days left (`listing.rows`), and the categories to file a new one;
- the policies that apply to it (政策清单): tasks and targets of confirmed plans covering its region that
  name its industry (the 大类 or 小类 name, without the 制造业/业 ending) or address 规上 firms when it is
  规上, and the programmes it is eligible or possibly eligible for;
- its 帮包 officer's name, level and contact.

Everything is read through the enterprise's own scope: `build()` refuses any other role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import list_runs, results_of
from zhizao.enterprises.registry import EnterpriseDetail, get_enterprise
from zhizao.errors import NotFound, ZhizaoError
from zhizao.evaluation.results import Explanation, explain_result, latest_result_for
from zhizao.plans.models import Plan, PlanTarget, PlanTask
from zhizao.reference import regions
from zhizao.service import assignments, config, listing
from zhizao.service.models import ServiceCategory

PROGRAMME_STATES = {
    "eligible": "符合条件",
    "possible": "可能符合（缺少数据）",
    "manual_review": "需人工审核",
    "not_eligible": "暂不符合",
}
OFFERED = ("eligible", "possible")
ABOVE_SCALE_WORDS = ("规上", "规模以上")
_ENDING = re.compile(r"(制造业|工业|产业|业)$")


@dataclass(frozen=True)
class Officer:
    name: str
    level: str
    contact: str
    account: str


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    status: str
    status_label: str
    level: str | None
    gaps: list[str]  # the criteria not met or not known, each with its gap in words


@dataclass(frozen=True)
class PolicyItem:
    kind: str  # task | target | programme
    source: str  # the plan's title, or 企业培育
    text: str
    why: str
    link: str = ""


@dataclass
class PortalPage:
    enterprise: EnterpriseDetail
    officer: Officer | None
    evaluation: Explanation | None
    programmes: list[Programme]
    requests: list[listing.Row]
    categories: list[ServiceCategory]
    policies: list[PolicyItem] = field(default_factory=list)


def _own(actor: Actor) -> int:
    if actor.role is not Role.ENTERPRISE or actor.enterprise_id is None:
        raise NotFound("企业服务门户仅供企业账号使用")
    return actor.enterprise_id


def officer(session: Session, actor: Actor, enterprise_id: int, as_of: date) -> Officer | None:
    current = assignments.current(session, actor, enterprise_id, as_of)
    if current is None:
        return None
    user = session.get(User, current.officer_id)
    if user is None:
        return None
    name = user.display_name or user.username
    return Officer(name, assignments.LEVEL_LABELS[current.level], current.contact, user.username)


def evaluation(session: Session, actor: Actor, enterprise_id: int) -> Explanation | None:
    found = latest_result_for(session, actor, enterprise_id)
    if found is None:
        return None
    return explain_result(session, actor, found[0], enterprise_id=enterprise_id)


def _programme_name(programme_id: str) -> str:
    try:
        return load_programme(programme_id).name
    except (ZhizaoError, OSError, ValueError):
        return programme_id


def _gaps(criteria: list[dict[str, Any]]) -> list[str]:
    out = []
    for c in criteria:
        gap = str(c.get("gap") or "")
        if gap and c.get("status") not in ("met", "符合"):
            out.append(f"{c.get('label', '')}：{gap}")
    return out


def programmes(session: Session, actor: Actor, enterprise_id: int) -> list[Programme]:
    runs = list_runs(session, limit=1)
    if not runs:
        return []
    rows = [r for r in results_of(session, actor, runs[0].id) if r.enterprise_id == enterprise_id]
    order = list(PROGRAMME_STATES)
    found = [
        Programme(
            r.programme,
            _programme_name(r.programme),
            r.status,
            PROGRAMME_STATES.get(r.status, r.status),
            r.level,
            _gaps(list(r.criteria or [])),
        )
        for r in rows
    ]
    return sorted(found, key=lambda p: (order.index(p.status) if p.status in order else 9, p.name))


def _keywords(enterprise: EnterpriseDetail) -> list[str]:
    words = []
    for name in (enterprise.division_name, enterprise.industry_name):
        if not name:
            continue
        words.append(name)
        stem = _ENDING.sub("", name)
        if len(stem) >= 2 and stem != name:
            words.append(stem)
    return list(dict.fromkeys(words))


def _why(text: str, words: list[str], above_scale: bool) -> str | None:
    for word in words:
        if word in text:
            return f"涉及本企业所属行业「{word}」"
    if above_scale and any(w in text for w in ABOVE_SCALE_WORDS):
        return "面向规模以上工业企业"
    return None


def policies(session: Session, enterprise: EnterpriseDetail, offered: list[Programme]) -> list[PolicyItem]:
    """The 政策清单: plan items that concern the firm, then the programmes it is (possibly) eligible for."""
    plans = [
        p
        for p in session.scalars(select(Plan).where(Plan.status == "confirmed").order_by(Plan.id.desc()))
        if not p.region_code or regions.contains(p.region_code, enterprise.region_code)
    ]
    words = _keywords(enterprise)
    out: list[PolicyItem] = []
    for plan in plans:
        items: list[tuple[str, str]] = [
            ("task", f"{t.title or ''} {t.text}".strip())
            for t in session.scalars(
                select(PlanTask)
                .where(PlanTask.plan_id == plan.id, PlanTask.review_status != "rejected")
                .order_by(PlanTask.position)
            )
        ]
        items += [
            ("target", t.text or t.indicator)
            for t in session.scalars(
                select(PlanTarget)
                .where(PlanTarget.plan_id == plan.id, PlanTarget.review_status != "rejected")
                .order_by(PlanTarget.position)
            )
        ]
        for kind, text in items:
            why = _why(text, words, enterprise.above_scale)
            if why:
                out.append(PolicyItem(kind, plan.title, text[:300], why))
    for p in offered:
        if p.status in OFFERED:
            out.append(PolicyItem("programme", "企业培育", p.name, p.status_label, "/cultivation/mine"))
    return out


def build(session: Session, actor: Actor, as_of: date) -> PortalPage:
    """The enterprise account's portal, as of a day (for the working days left)."""
    own = _own(actor)
    enterprise = get_enterprise(session, actor, own)
    offered = programmes(session, actor, own)
    try:
        categories = config.categories(session)
    except NotFound:
        categories = []
    return PortalPage(
        enterprise=enterprise,
        officer=officer(session, actor, own, as_of),
        evaluation=evaluation(session, actor, own),
        programmes=offered,
        requests=listing.rows(session, actor, as_of, listing.Filters()),
        categories=categories,
        policies=policies(session, enterprise, offered),
    )
