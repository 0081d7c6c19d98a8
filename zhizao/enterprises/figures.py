"""Writing enterprise figures by hand: a correction of one value, with its history and an audit entry.

Imports write figures in bulk (`zhizao.imports.writes`); this is the one-value path the web form uses.
District officers may correct only their own district's enterprises (`may_edit_enterprise`); an enterprise
outside the actor's scope is not found, so its existence does not leak.
"""

from __future__ import annotations

import math

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.scope import Actor, enterprise_clause, may_edit_enterprise
from zhizao.db.base import table_of, utcnow
from zhizao.db.upsert import insert_new
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.errors import Forbidden, InvalidInput, NotFound, Problems
from zhizao.imports.models import FigureChange

FigureKey = tuple[int, str, int, int]  # enterprise, indicator, year, month


def correct_figure(
    session: Session,
    actor: Actor,
    enterprise_id: int,
    indicator_id: str,
    year: int,
    value: float | None,
    note: str,
    month: int = 0,
) -> float | None:
    """Set (or, with value None, remove) one figure. Returns the old value. A note saying why is required."""
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.id == enterprise_id, visible))
    if enterprise is None:
        raise NotFound("企业不存在")
    if not may_edit_enterprise(actor, enterprise.region_code):
        raise Forbidden("无权修改该企业的数据（区县账号只能修改本区县企业）")
    _check(session.get(Indicator, indicator_id), indicator_id, year, month, value, note)
    key = (enterprise_id, indicator_id, year, month)
    old = _write_locked(session, key, value, f"manual:{actor.username}")
    if old == value:
        return old
    now = utcnow()
    session.execute(
        insert(table_of(FigureChange)).values(
            enterprise_id=enterprise_id,
            indicator_id=indicator_id,
            year=year,
            month=month,
            old_value=old,
            new_value=value,
            import_id=None,
            actor=actor.username,
            at=now,
            reason="manual",
            note=note.strip()[:400],
        )
    )
    with acting_as(actor.username):
        record(
            session,
            "correct",
            "enterprise_figures",
            f"{enterprise_id},{indicator_id},{year},{month}",
            {"value": {"old": old, "new": value}, "note": note.strip()},
        )
    return old


def _write_locked(session: Session, key: FigureKey, value: float | None, source: str) -> float | None:
    """Replace the stored figure with `value` and return the value it replaced, read under a lock.

    The row is read `FOR UPDATE` (PostgreSQL; on SQLite the transaction already holds the write lock), so
    no other writer can change it between this read and the write: the old value is the one replaced.
    A first value is inserted with `ON CONFLICT DO NOTHING`; when another writer inserted the same key
    meanwhile, nothing is inserted and the loop locks and replaces that writer's row instead."""
    enterprise_id, indicator_id, year, month = key
    f = EnterpriseFigure
    figures = table_of(f)
    where = (
        f.enterprise_id == enterprise_id,
        f.indicator_id == indicator_id,
        f.year == year,
        f.month == month,
    )
    source = source[:100]
    while True:
        stored = session.execute(select(f.id, f.value).where(*where).with_for_update()).first()
        if stored is not None and stored.value == value:
            return value
        if stored is not None and value is None:
            session.execute(delete(figures).where(figures.c.id == stored.id))
            return float(stored.value)
        if stored is not None:
            session.execute(
                update(figures)
                .where(figures.c.id == stored.id)
                .values(value=value, source=source, updated_at=utcnow())
            )
            return float(stored.value)
        if value is None:
            return None
        values = {
            "enterprise_id": enterprise_id,
            "indicator_id": indicator_id,
            "year": year,
            "month": month,
            "value": value,
            "source": source,
            "updated_at": utcnow(),
        }
        if insert_new(session, figures, values) is not None:
            return None


def _check(
    indicator: Indicator | None, indicator_id: str, year: int, month: int, value: float | None, note: str
) -> None:
    problems = Problems()
    if indicator is None:
        problems.error(f"未知指标 {indicator_id}", column="indicator_id")
    if not note.strip():
        problems.error("请填写修改原因", column="note")
    if not 1990 <= year <= 2100:
        problems.error(f"年度 {year} 不正确", column="year")
    if not 0 <= month <= 12:
        problems.error(f"月份 {month} 不正确", column="month")
    if value is not None and not math.isfinite(value):
        problems.error("数值不正确", column="value")
    elif value is not None and indicator is not None:
        if indicator.non_negative and value < 0:
            problems.error(f"{indicator.label}不能为负数", column="value")
        if indicator.value_type == "integer" and not float(value).is_integer():
            problems.error(f"{indicator.label}应为整数", column="value")
    if problems.errors:
        raise InvalidInput("数据未保存：" + "；".join(p.message for p in problems.errors), problems.items)
