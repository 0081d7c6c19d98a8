"""Declared facts: what an enterprise states for criteria whose data the bureau does not hold.

The form is made from exactly the criteria that are `unknown` for the enterprise and read a declared fact;
each answer may carry evidence (the safe attachment store of `zhizao.tracking.attachments`). A district or
bureau reviewer accepts or rejects it; only accepted values reach the engine. Everything is audited. A
declaration outside the actor's scope is not found (404), so its existence does not leak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, may_edit_enterprise, require_role
from zhizao.cultivation.models import Declaration
from zhizao.cultivation.programme import Criterion, Programme
from zhizao.cultivation.runs import evaluate_database
from zhizao.db.base import utcnow
from zhizao.enterprises.models import Enterprise
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.tracking import attachments


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    unit: str
    value_type: str  # number | bool
    programmes: tuple[str, ...]
    clause: str


def _visible(session: Session, actor: Actor, enterprise_id: int) -> Enterprise:
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.id == enterprise_id, visible))
    if enterprise is None:
        raise NotFound("企业不存在")
    return enterprise


def declaration_form(
    session: Session, actor: Actor, enterprise_id: int, programmes: list[Programme], as_of: date
) -> list[FormField]:
    """The fields to ask: declared facts of criteria that are unknown for this enterprise, once per key."""
    _visible(session, actor, enterprise_id)
    by_key: dict[str, tuple[Criterion, list[str]]] = {}
    readings = {p.id: {r.id: r for leaf in p.leaves() for r in leaf.readings()} for p in programmes}
    for outcome in evaluate_database(session, actor, programmes, as_of, only=[enterprise_id]):
        for entry in outcome.criteria:
            c = readings[outcome.programme].get(entry["id"])
            if c is None or c.data.declared is None or entry["value"] is not None:
                continue
            if entry["status"] not in ("unknown", "manual_review"):
                continue
            _first, names = by_key.setdefault(c.data.declared, (c, []))
            if outcome.programme not in names:
                names.append(outcome.programme)
    return [
        FormField(key, c.label, c.unit, c.data.value_type, tuple(names), c.clause)
        for key, (c, names) in sorted(by_key.items())
    ]


def declare(
    session: Session,
    actor: Actor,
    enterprise_id: int,
    key: str,
    value: float,
    year: int,
    evidence: attachments.CheckedFile | None = None,
) -> Declaration:
    """An enterprise (or an officer on its behalf) declares one fact, pending review."""
    enterprise = _visible(session, actor, enterprise_id)
    if actor.role not in (Role.ENTERPRISE, Role.DISTRICT, Role.ADMIN):
        raise Forbidden("当前账号不能申报企业数据")
    if actor.role is not Role.ENTERPRISE and not may_edit_enterprise(actor, enterprise.region_code):
        raise Forbidden("无权为该企业申报数据")
    if not key or len(key) > 60 or not math.isfinite(value):
        raise InvalidInput("申报项或数值不正确")
    stored = attachments.store(evidence) if evidence is not None else ""
    item = Declaration(
        enterprise_id=enterprise_id,
        key=key,
        value=float(value),
        year=year,
        status="pending",
        evidence=stored,
        declared_by=actor.username,
    )
    session.add(item)
    session.flush()
    with acting_as(actor.username):
        record(session, "declare", "cultivation_declarations", str(item.id), {"key": key, "value": value})
    return item


def get_declaration(session: Session, actor: Actor, declaration_id: int) -> Declaration:
    """One declaration the actor may see (another enterprise's is not found)."""
    d = Declaration
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    item = session.scalar(
        select(d).join(Enterprise, Enterprise.id == d.enterprise_id).where(d.id == declaration_id, visible)
    )
    if item is None:
        raise NotFound("申报不存在")
    return item


def review(session: Session, actor: Actor, declaration_id: int, accept: bool, note: str = "") -> Declaration:
    """A district or bureau reviewer accepts or rejects a pending declaration."""
    require_role(actor, Role.ADMIN, Role.DISTRICT)
    item = get_declaration(session, actor, declaration_id)
    if item.status != "pending":
        raise InvalidInput("该申报已审核")
    if not accept and not note.strip():
        raise InvalidInput("退回申报请填写原因")
    item.status = "accepted" if accept else "rejected"
    item.reviewer = actor.username
    item.reviewed_at = utcnow()
    item.review_note = note.strip()[:400]
    session.flush()
    with acting_as(actor.username):
        record(
            session,
            "review",
            "cultivation_declarations",
            str(item.id),
            {"status": item.status, "note": item.review_note},
        )
    return item


def pending(session: Session, actor: Actor) -> list[Declaration]:
    """Declarations waiting for review, in the actor's scope."""
    d = Declaration
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    query = select(d).join(Enterprise, Enterprise.id == d.enterprise_id).where(d.status == "pending", visible)
    return list(session.scalars(query.order_by(d.declared_at)))
