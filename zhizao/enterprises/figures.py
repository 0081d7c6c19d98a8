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
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.errors import Forbidden, InvalidInput, NotFound, Problems
from zhizao.imports.models import FigureChange


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
    f = EnterpriseFigure
    key = (f.enterprise_id == enterprise_id, f.indicator_id == indicator_id, f.year == year, f.month == month)
    stored = session.execute(select(f.id, f.value).where(*key)).first()
    old = stored.value if stored else None
    if old == value:
        return old
    now = utcnow()
    source = f"manual:{actor.username}"[:100]
    figures = table_of(f)
    if stored is None:
        session.execute(
            insert(figures).values(
                enterprise_id=enterprise_id,
                indicator_id=indicator_id,
                year=year,
                month=month,
                value=value,
                source=source,
                updated_at=now,
            )
        )
    elif value is None:
        session.execute(delete(figures).where(figures.c.id == stored.id))
    else:
        session.execute(
            update(figures)
            .where(figures.c.id == stored.id)
            .values(value=value, source=source, updated_at=now)
        )
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
