"""当月/累计 reconciliation: a 累计 that falls and one that does not add up to the 当月 values are listed
with the firm, the month and the numbers, by district; a district sees its own firms only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import app, as_user, client  # noqa: F401  (the web fixtures, for the page)
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import Forbidden
from zhizao.monitoring.reconciliation import flags_by_district, reconciliation_flags

from .conftest import HUANGDAO, SHINAN, YEAR, Stored

ADMIN = Actor.system()


def add_flagged(session: Session, stored: Stored) -> None:
    # the growing firm reports 当月 120 × 3 but a 1–3月 累计 of 300: does not add up
    session.add(
        EnterpriseFigure(
            enterprise_id=stored.up.id, indicator_id="output_value_ytd", year=YEAR, month=3, value=300.0
        )
    )
    falling = add_enterprise(session, name="示例回落制造有限公司", region_code=SHINAN, industry_code="2611")
    for month, value in ((1, 50.0), (2, 40.0)):
        session.add(
            EnterpriseFigure(
                enterprise_id=falling.id, indicator_id="output_value_ytd", year=YEAR, month=month, value=value
            )
        )
    session.flush()


def test_flags_list_the_firm_month_and_numbers_by_district(session: Session, stored: Stored) -> None:
    add_flagged(session, stored)
    flags = reconciliation_flags(session, ADMIN, YEAR, 3)
    found = {(f.name, f.month, f.kind): f for f in flags}
    assert set(found) == {
        ("示例增长制造有限公司", 3, "mismatch"),
        ("示例回落制造有限公司", 2, "cum_falls"),
    }
    mismatch = found[("示例增长制造有限公司", 3, "mismatch")]
    assert (mismatch.reported_cum, mismatch.month_sum, mismatch.district) == (300.0, 360.0, HUANGDAO)
    assert mismatch.label == "累计与当月之和不符"
    falls = found[("示例回落制造有限公司", 2, "cum_falls")]
    assert (falls.reported_cum, falls.previous_cum, falls.district) == (40.0, 50.0, SHINAN)
    assert sorted(flags_by_district(flags)) == sorted({mismatch.district_name, falls.district_name})
    # as of February the March mismatch is not there yet
    assert [f.kind for f in reconciliation_flags(session, ADMIN, YEAR, 2)] == ["cum_falls"]


def test_district_sees_only_its_firms_flags(session: Session, stored: Stored) -> None:
    add_flagged(session, stored)
    huangdao = Actor("huangdao", Role.DISTRICT, region_code=HUANGDAO)
    assert [f.name for f in reconciliation_flags(session, huangdao, YEAR, 3)] == ["示例增长制造有限公司"]
    with pytest.raises(Forbidden):
        reconciliation_flags(session, Actor("e", Role.ENTERPRISE), YEAR, 3)


def test_reconciliation_page_lists_every_district(
    session: Session,
    stored: Stored,
    as_user: Callable[..., Any],  # noqa: F811
) -> None:
    add_flagged(session, stored)
    page = as_user("analyst").get("/monitoring/reconciliation?month=2025-03")
    assert page.status_code == 200
    assert "示例回落制造有限公司" in page.text and "累计与当月之和不符" in page.text


def test_reconciliation_page_of_a_district_shows_its_firms_only(
    session: Session,
    stored: Stored,
    as_user: Callable[..., Any],  # noqa: F811
) -> None:
    add_flagged(session, stored)
    own = as_user("district", region_code=HUANGDAO).get("/monitoring/reconciliation")  # latest month
    assert own.status_code == 200
    assert "示例增长制造有限公司" in own.text and "示例回落制造有限公司" not in own.text
