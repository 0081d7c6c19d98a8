"""Levels other areas read: the 三级帮包 level of an enterprise (市级 / 区(市)级 / 镇(街道)级).

The enterprise-service area assigns 帮包 by this level; it comes from the `baobao` programme (expected new
output = 预计全年工业总产值 − 上年度工业总产值), so a changed forecast changes the level on the next call.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import evaluate_database

BAOBAO = "baobao"


def baobao_levels(
    session: Session, actor: Actor, as_of: date, enterprise_ids: list[int] | None = None
) -> dict[int, str | None]:
    """Enterprise id → 帮包 level for the enterprises the actor sees (None: the forecast or last year's
    output is missing, or the firm is not industrial)."""
    outcomes = evaluate_database(session, actor, [load_programme(BAOBAO)], as_of, only=enterprise_ids)
    return {o.enterprise_id: o.level for o in outcomes}


def baobao_level(session: Session, actor: Actor, enterprise_id: int, as_of: date) -> str | None:
    """One enterprise's 帮包 level (None when it cannot be determined or the actor may not see the firm)."""
    return baobao_levels(session, actor, as_of, [enterprise_id]).get(enterprise_id)
