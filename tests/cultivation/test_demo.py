"""The demo's made-up cultivation data: titles from the larger firms, forecasts, and a stored run."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.scope import Actor
from zhizao.cultivation.demo import MARK, load_demo_cultivation
from zhizao.cultivation.models import CultivationResult, EnterpriseTitle
from zhizao.enterprises.models import EnterpriseFigure


def test_demo_cultivation_marks_titles_forecasts_and_stores_a_run(session: Session) -> None:
    for k in range(60):
        add_enterprise(
            session, name=f"培育演示{k}有限公司", figures={2025: {"output_value": 1000.0 + 100 * k}}
        )
    result = load_demo_cultivation(session, Actor.system(), date(2026, 6, 30))
    assert result.titles >= 4 and result.forecasts == 60 and result.run_id is not None
    titles = session.scalars(select(EnterpriseTitle)).all()
    assert titles and all(t.list_name == MARK and t.valid_to > t.valid_from for t in titles)
    forecasts = session.scalar(
        select(func.count()).where(
            EnterpriseFigure.indicator_id == "output_value_expected", EnterpriseFigure.source == MARK
        )
    )
    assert forecasts == 60
    levels = set(
        session.scalars(select(CultivationResult.level).where(CultivationResult.programme == "baobao"))
    )
    assert levels - {None}  # the 帮包 rule gave levels from the forecasts
    again = load_demo_cultivation(session, Actor.system(), date(2026, 6, 30))  # replaces, not adds
    assert session.scalar(select(func.count()).select_from(EnterpriseTitle)) == again.titles
