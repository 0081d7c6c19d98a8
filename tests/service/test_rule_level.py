"""A 服务专员 assignment at the level the cultivation area's 三级帮包 rule gives (expected new output)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.service.conftest import World
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.service import assignments


def _figures(session: Session, enterprise_id: int, last_year: float, expected: float) -> None:
    session.add_all(
        [
            EnterpriseFigure(
                enterprise_id=enterprise_id, indicator_id="output_value", year=2024, value=last_year
            ),
            EnterpriseFigure(
                enterprise_id=enterprise_id, indicator_id="output_value_expected", year=2025, value=expected
            ),
        ]
    )
    session.flush()


@pytest.mark.parametrize(
    ("expected", "level"), [(70_000.0, "city"), (25_000.0, "district"), (15_000.0, "town")]
)
def test_auto_level_follows_the_expected_new_output(
    session: Session, world: World, expected: float, level: str
) -> None:
    _figures(session, world.firm_a.id, 10_000.0, expected)
    row = assignments.assign(
        session,
        world.actor("officer"),
        enterprise_id=world.firm_a.id,
        officer_id=world.users["officer"].id,
        level="auto",
        valid_from=date(2025, 6, 30),
    )
    assert row.level == level and row.basis.startswith("按三级帮包规则测算")


def test_auto_level_without_a_forecast_asks_for_a_level(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput, match="请手动选择帮包层级"):
        assignments.assign(
            session,
            world.actor("admin"),
            enterprise_id=world.firm_b.id,
            officer_id=world.users["officer"].id,
            level="auto",
            valid_from=date(2025, 6, 30),
        )
