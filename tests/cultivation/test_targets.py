"""A plan target linked to a programme: progress counts the firms newly recognised with the programme's
title in the target's period, through tracking's series, observations and progress."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.targets import link_target, programme_targets
from zhizao.cultivation.titles import import_titles
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans.models import Plan, PlanTarget
from zhizao.tracking.progress import Status
from zhizao.tracking.targets import get_target_progress

AS_OF = date(2026, 6, 30)


def _target(session: Session, value: float, target_year: int, base_year: int | None = None) -> PlanTarget:
    plan = Plan(title="专精特新培育方案", year=target_year, region_code="370200", status="confirmed")
    target = PlanTarget(
        position=0, indicator="新增专精特新中小企业", measure="increase", value=value, unit="家",
        qualifier="at_least", target_year=target_year, base_year=base_year, review_status="accepted",
    )  # fmt: skip
    plan.targets.append(target)
    session.add(plan)
    session.flush()
    return target


def _title(session: Session, enterprise_id: int, year: int, title: str = "zhuanjingtexin") -> None:
    session.add(
        EnterpriseTitle(
            enterprise_id=enterprise_id,
            title=title,
            year=year,
            valid_from=date(year, 1, 1),
            valid_to=date(year + 2, 12, 31),
        )
    )
    session.flush()


def test_single_year_target_counts_firms_first_recognised_that_year(session: Session) -> None:
    target = _target(session, 4, 2026)
    new = [add_enterprise(session, region_code="370211") for _ in range(2)]
    renewed = add_enterprise(session, region_code="370211")
    elsewhere = add_enterprise(session, region_code="370102")  # outside the plan's region
    for firm in new:
        _title(session, firm.id, 2026)
    _title(session, renewed.id, 2023)
    _title(session, renewed.id, 2026)  # 复核: not a new firm
    _title(session, elsewhere.id, 2026)
    _title(session, new[0].id, 2026, "gaoqi")  # another title is not counted
    link_target(session, Actor.system(), target.id, "zhuanjingtexin-2026", AS_OF)
    progress = get_target_progress(session, Actor.system(), target.id, AS_OF).progress
    assert progress.latest is not None and progress.latest.value == 2
    assert progress.completion == 0.5
    assert progress.status in (Status.ON_TRACK, Status.LAGGING, Status.SEVERE)
    shown = programme_targets(session, Actor.system(), load_programme("zhuanjingtexin-2022"), AS_OF)
    assert [t.target_id for t in shown] == [target.id]  # the same title, whichever rule set
    assert programme_targets(session, Actor.system(), load_programme("gaoqi-2016"), AS_OF) == []


def test_multi_year_target_cumulates_from_the_year_after_its_base(session: Session) -> None:
    target = _target(session, 10, 2027, base_year=2024)
    for year in (2024, 2025, 2025, 2026):  # 2024 is the base year: before the period
        _title(session, add_enterprise(session, region_code="370211").id, year)
    link_target(session, Actor.system(), target.id, "zhuanjingtexin-2026", AS_OF)
    progress = get_target_progress(session, Actor.system(), target.id, AS_OF).progress
    assert progress.latest is not None and (progress.latest.year, progress.latest.value) == (2026, 3)
    assert progress.completion == 0.3


def test_import_of_a_list_refreshes_linked_targets(session: Session, tmp_path: Path) -> None:
    year = date.today().year
    target = _target(session, 2, year)
    firm = add_enterprise(session, region_code="370211")
    link_target(session, Actor.system(), target.id, "xiaojuren-2026", date.today())
    before = get_target_progress(session, Actor.system(), target.id, date.today()).progress
    assert before.latest is not None and before.latest.value == 0
    path = tmp_path / "list.csv"
    path.write_text(f"统一社会信用代码,企业名称\n{firm.credit_code},{firm.name}\n", encoding="utf-8")
    import_titles(session, Actor.system(), path, "xiaojuren", year)
    after = get_target_progress(session, Actor.system(), target.id, date.today()).progress
    assert after.latest is not None and after.latest.value == 1 and after.completion == 0.5


def test_link_needs_a_titled_programme_a_quantity_target_and_an_editor(session: Session) -> None:
    target = _target(session, 300, 2026)
    with pytest.raises(InvalidInput):
        link_target(session, Actor.system(), target.id, "xiaoshenggui", AS_OF)  # no title recognised
    with pytest.raises(Forbidden):
        link_target(session, Actor("d", Role.DISTRICT, region_code="370211"), target.id, "gaoqi-2016", AS_OF)
    target.measure = "growth"
    session.flush()
    with pytest.raises(InvalidInput):
        link_target(session, Actor.system(), target.id, "gaoqi-2016", AS_OF)
