"""免申即享: a policy benefit (programme + amount + clause) published to the firms eligible on held data
alone, each with the evidence snapshot of the run; the firm's 意愿确认 (confirm or decline) in its own view;
the confirmed list exported for payment. Every step is scoped and audited."""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.cultivation.models import BenefitEntry
from zhizao.cultivation.pools import benefit_list, enterprise_names
from zhizao.db.base import table_of, utcnow
from zhizao.db.upsert import insert_new
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, NotFound
from zhizao.office.tables import AMOUNT, Column, write_table


def publish_benefit(
    session: Session,
    actor: Actor,
    run_id: int,
    programme_id: str,
    benefit: str,
    amount: float,
    clause: str,
) -> list[BenefitEntry]:
    """List the firms eligible on held data alone for a benefit, each with its evidence snapshot.
    Re-publishing adds only firms not yet listed for the benefit."""
    require_role(actor, Role.ADMIN)
    if not benefit.strip() or not math.isfinite(amount) or amount < 0:
        raise InvalidInput("请填写政策名称和不小于0的金额")
    listed: list[BenefitEntry] = []
    table = table_of(BenefitEntry)
    for row in benefit_list(session, actor, run_id, programme_id):
        values = {
            "benefit": benefit.strip()[:120],
            "programme": programme_id,
            "run_id": run_id,
            "enterprise_id": row["enterprise_id"],
            "region_code": row["region_code"],
            "amount": float(amount),
            "clause": clause[:200],
            "evidence": row["evidence"],
            "status": "listed",
            "listed_by": actor.username,
            "listed_at": utcnow(),
        }
        new_id = insert_new(session, table, values)
        if new_id is not None:
            listed.append(session.get_one(BenefitEntry, new_id))
    with acting_as(actor.username):
        record(session, "publish", "cultivation_benefits", benefit, {"run": run_id, "listed": len(listed)})
    return listed


def benefits_for(session: Session, actor: Actor, benefit: str | None = None) -> list[BenefitEntry]:
    """Benefit entries the actor may see (an enterprise only its own)."""
    b = BenefitEntry
    query = select(b).join(Enterprise, Enterprise.id == b.enterprise_id)
    query = query.where(enterprise_clause(actor, Enterprise.id, Enterprise.region_code))
    if benefit is not None:
        query = query.where(b.benefit == benefit)
    return list(session.scalars(query.order_by(b.benefit, b.enterprise_id)))


def answer_benefit(session: Session, actor: Actor, entry_id: int, confirm: bool) -> BenefitEntry:
    """意愿确认: the enterprise confirms (or declines) a benefit listed for it."""
    require_role(actor, Role.ENTERPRISE)
    entry = next((e for e in benefits_for(session, actor) if e.id == entry_id), None)
    if entry is None:
        raise NotFound("没有这条政策兑现记录")
    if entry.status != "listed":
        raise InvalidInput("已确认过")
    entry.status = "confirmed" if confirm else "declined"
    entry.answered_by = actor.username
    entry.answered_at = utcnow()
    session.flush()
    with acting_as(actor.username):
        record(session, "answer", "cultivation_benefits", str(entry.id), {"status": entry.status})
    return entry


def payment_xlsx(session: Session, actor: Actor, benefit: str) -> bytes:
    """The confirmed firms of a benefit, for payment (拨付)."""
    entries = [e for e in benefits_for(session, actor, benefit) if e.status == "confirmed"]
    names = enterprise_names(session, actor, [e.enterprise_id for e in entries])
    codes = dict(
        session.execute(
            select(Enterprise.id, Enterprise.credit_code).where(
                Enterprise.id.in_([e.enterprise_id for e in entries])
            )
        ).all()
    )
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "拨付名单"
    columns = [
        Column("企业名称"),
        Column("统一社会信用代码"),
        Column("政策"),
        Column("金额(万元)", AMOUNT),
        Column("条款"),
        Column("确认时间"),
    ]
    rows = [
        [
            names.get(e.enterprise_id, ""),
            codes.get(e.enterprise_id, ""),
            e.benefit,
            e.amount,
            e.clause,
            e.answered_at.strftime("%Y-%m-%d %H:%M") if e.answered_at else "",
        ]
        for e in entries
    ]
    write_table(sheet, columns, rows, title=f"{benefit} 拨付名单 (免申即享)")  # 序号 first
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class BenefitSummary:
    benefit: str
    programme: str
    amount: float
    clause: str
    counts: dict[str, int]  # listed | confirmed | declined -> firms in the actor's scope


def benefit_summaries(session: Session, actor: Actor) -> list[BenefitSummary]:
    """Every published benefit with its firms by answer, counted in the actor's scope."""
    grouped: dict[str, list[BenefitEntry]] = {}
    for entry in benefits_for(session, actor):
        grouped.setdefault(entry.benefit, []).append(entry)
    return [
        BenefitSummary(
            name,
            entries[0].programme,
            entries[0].amount,
            entries[0].clause,
            dict(Counter(e.status for e in entries)),
        )
        for name, entries in sorted(grouped.items())
    ]
