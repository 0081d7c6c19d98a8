"""Made-up firms in the database: two districts of the test home region, output and electricity by month."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

YEAR = 2025
HUANGDAO, SHINAN = "370211", "370202"


@dataclass
class Stored:
    up: Enterprise  # 黄岛区, grows 20 %
    down: Enterprise  # 市南区, falls 30 %
    fresh: Enterprise  # 黄岛区, new this year


def _month_figures(
    session: Session, firm: Enterprise, indicator: str, year: int, values: list[float]
) -> None:
    for month, value in enumerate(values, start=1):
        session.add(
            EnterpriseFigure(
                enterprise_id=firm.id, indicator_id=indicator, year=year, month=month, value=value
            )
        )


def store_firms(session: Session) -> Stored:
    up = add_enterprise(session, name="示例增长制造有限公司", region_code=HUANGDAO, industry_code="3670")
    down = add_enterprise(session, name="示例下降制造有限公司", region_code=SHINAN, industry_code="2611")
    fresh = add_enterprise(session, name="示例新增制造有限公司", region_code=HUANGDAO, industry_code="3670")
    _month_figures(session, up, "output_value", YEAR - 1, [100.0, 100.0, 100.0])
    _month_figures(session, up, "output_value", YEAR, [120.0, 120.0, 120.0])
    _month_figures(session, down, "output_value", YEAR - 1, [100.0, 100.0, 100.0])
    _month_figures(session, down, "output_value_ytd", YEAR, [70.0, 140.0, 210.0])
    _month_figures(session, fresh, "output_value", YEAR, [10.0, 10.0, 10.0])
    _month_figures(session, down, "electricity", YEAR - 1, [10.0, 10.0, 10.0])
    _month_figures(session, down, "electricity", YEAR, [5.0, 5.0, 5.0])
    session.flush()
    return Stored(up, down, fresh)


@pytest.fixture
def stored(session: Session) -> Stored:
    return store_firms(session)


@pytest.fixture(autouse=True)
def _home(home_region) -> None:  # type: ignore[no-untyped-def]
    home_region("370200")
