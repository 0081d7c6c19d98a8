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
from pathlib import Path

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
    upload_dir: Path | None = None,
) -> Declaration:
    """An enterprise (or an officer on its behalf) declares one fact, pending review."""
    enterprise = _visible(session, actor, enterprise_id)
    if actor.role not in (Role.ENTERPRISE, Role.DISTRICT, Role.ADMIN):
        raise Forbidden("当前账号不能申报企业数据")
    if actor.role is not Role.ENTERPRISE and not may_edit_enterprise(actor, enterprise.region_code):
        raise Forbidden("无权为该企业申报数据")
    if not key or len(key) > 60 or not math.isfinite(value):
        raise InvalidInput("申报项或数值不正确")
    stored = attachments.store(evidence, upload_dir) if evidence is not None else ""
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


def reviewed(session: Session, actor: Actor, limit: int = 50) -> list[Declaration]:
    """The latest accepted or rejected declarations in the actor's scope, newest first."""
    d = Declaration
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    query = select(d).join(Enterprise, Enterprise.id == d.enterprise_id).where(d.status != "pending", visible)
    return list(session.scalars(query.order_by(d.reviewed_at.desc(), d.id.desc()).limit(limit)))


def declarations_of(session: Session, actor: Actor, enterprise_id: int) -> list[Declaration]:
    """Everything the enterprise has declared (pending, accepted, rejected with the reason), newest first."""
    _visible(session, actor, enterprise_id)
    d = Declaration
    query = select(d).where(d.enterprise_id == enterprise_id).order_by(d.declared_at.desc(), d.id.desc())
    return list(session.scalars(query))


def evidence_path(
    session: Session, actor: Actor, declaration_id: int, upload_dir: Path | None = None
) -> Path:
    """The stored evidence file of a declaration the actor may see (NotFound when there is none)."""
    item = get_declaration(session, actor, declaration_id)
    if not item.evidence:
        raise NotFound("该申报没有证明材料")
    path = attachments.path_of(item.evidence, upload_dir)
    if not path.is_file():
        raise NotFound("证明材料文件不存在")
    return path


def declared_labels(programmes: list[Programme]) -> dict[str, str]:
    """The label of each declared fact the programmes read (the first criterion that reads it)."""
    labels: dict[str, str] = {}
    for p in programmes:
        for leaf in p.leaves():
            for c in leaf.readings():
                if c.data.declared is not None:
                    labels.setdefault(c.data.declared, c.label)
    return labels


_YES = {"1": 1.0, "是": 1.0, "true": 1.0, "0": 0.0, "否": 0.0, "false": 0.0}


def parse_answer(field: FormField, text: str) -> float:
    """A typed answer as the number the engine reads (yes/no as 1/0); InvalidInput naming the field."""
    value = text.strip()
    if field.value_type == "bool":
        if value.lower() not in _YES:
            raise InvalidInput(f"“{field.label}”请选择 是 或 否")
        return _YES[value.lower()]
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise InvalidInput(f"“{field.label}”应为数字") from None
    if not math.isfinite(number):
        raise InvalidInput(f"“{field.label}”应为数字")
    return number


def submit_form(
    session: Session,
    actor: Actor,
    enterprise_id: int,
    fields: list[FormField],
    answers: dict[str, str],
    evidence: dict[str, attachments.CheckedFile],
    year: int,
    upload_dir: Path | None = None,
) -> list[Declaration]:
    """Declare every answered field of the form (blank ones are skipped). Only the form's own keys are
    taken; every answer is checked before anything is written, so a bad one writes nothing."""
    by_key = {f.key: f for f in fields}
    stray = sorted((set(answers) | set(evidence)) - set(by_key))
    if stray:
        raise InvalidInput(f"不在申报表中的项目：{'、'.join(stray)}")
    values = {k: parse_answer(by_key[k], text) for k, text in answers.items() if text.strip()}
    if not values:
        raise InvalidInput("请至少填写一项")
    if set(evidence) - set(values):
        raise InvalidInput("上传了证明材料的项目请同时填写数值")
    return [
        declare(session, actor, enterprise_id, key, value, year, evidence.get(key), upload_dir)
        for key, value in sorted(values.items())
    ]
