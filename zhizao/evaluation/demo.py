"""A stored evaluation for the demo city, so the evaluation pages have results to show."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.evaluation.models import EvaluationRun
from zhizao.evaluation.runs import run_and_store

DEMO_METHOD = "huaian-2024"

FORECAST = "output_value_expected"  # 预计全年工业总产值: a forecast, not a reported year


def latest_complete_year(session: Session) -> int | None:
    """The latest year with whole-year figures (month 0) whose previous year has them too. A forecast
    (预计全年工业总产值) of the current year does not make it complete."""
    years = (
        select(EnterpriseFigure.year)
        .where(EnterpriseFigure.month == 0, EnterpriseFigure.indicator_id != FORECAST)
        .distinct()
    )
    present = set(session.scalars(years))
    complete = [y for y in present if y - 1 in present]
    return max(complete) if complete else None


def store_demo_run(session: Session, actor: Actor) -> EvaluationRun:
    """Run `huaian-2024` on the latest complete year of the database's figures and store it."""
    year = latest_complete_year(session)
    if year is None:
        raise InvalidInput("数据库中没有连续两年的企业年度数据, 无法运行演示评价")
    return run_and_store(session, actor, DEMO_METHOD, year, params={"demo": True})


__all__ = ["DEMO_METHOD", "latest_complete_year", "store_demo_run"]
