"""A city installation other than the default demo city: its own plan document gets its 市X局 units matched
against its own unit list (the names of the city and its province stripped, not one city's)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.conftest import DATABASES, region_database
from zhizao.auth.scope import Actor
from zhizao.db.session import make_engine
from zhizao.plans import intake, units
from zhizao.reference import regions

WEIFANG = "370700"
EXCERPT = Path(__file__).parent / "data" / "weifang-2024-industry-measures.txt"


@pytest.fixture(scope="module", params=DATABASES)
def weifang_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    with region_database(request.param, tmp_path_factory, WEIFANG) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def weifang(weifang_engine: Engine) -> Iterator[Session]:
    connection = weifang_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


def lead_units(session: Session, system: Actor) -> dict[str, list[tuple[str, str | None]]]:
    plan = intake.import_document(session, system, EXCERPT)
    assert plan.region_code == WEIFANG  # the installation's region
    names = units.unit_names(
        session, [u.unit_id for t in plan.tasks for a in t.assignments for u in a.units if u.unit_id]
    )
    return {
        task.number: [
            (u.unit_text, names.get(u.unit_id) if u.unit_id else None)
            for a in task.assignments
            for u in a.units
        ]
        for task in plan.tasks
    }


def test_weifang_plan_matches_weifang_units(weifang: Session, system: Actor) -> None:
    found = lead_units(weifang, system)

    task_one = found["1"]
    assert task_one[:2] == [("潍坊市工业和信息化局", "市工业和信息化局"), ("市统计局", "市统计局")]
    districts = [name for text, name in task_one if text == "各县市区政府"]
    expected = [f"{r.name}政府" for r in regions.children(WEIFANG)]
    assert districts == expected and len(districts) == 12
    assert districts[0] == "潍城区政府" and "高密市政府" in districts
    assert found["2"] == [
        ("市工业和信息化局", "市工业和信息化局"),
        ("市发展改革委", "市发展改革委"),
        ("市财政局", "市财政局"),
    ]
    assert found["3"] == [
        ("市发改委", "市发展改革委"),
        ("市自然资源和规划局", "市自然资源和规划局"),
        ("市人力资源和社会保障局", "市人力资源社会保障局"),
        ("中共潍坊市委组织部", "市委组织部"),
    ]
    assert found["4"] == [
        ("市工信局", "市工业和信息化局"),
        ("市地方金融管理局", "市地方金融管理局"),
        ("潍城区人民政府", "潍城区政府"),
    ]


def test_all_zones_phrase_stands_for_every_zone_unit(weifang: Session, system: Actor) -> None:
    before = [u.name for u in units.UnitMatcher.load(weifang).match("各开发区")]
    assert before == ["潍坊高新技术产业开发区管委会（演示）"]  # the synthetic zone of the test database
    units.add_unit(weifang, system, "潍坊滨海经济技术开发区管委会", "other")

    matcher = units.UnitMatcher.load(weifang)
    found = [u.name for u in matcher.match("市属开发区管委会")]
    assert found == [u.name for u in matcher.match("各开发区")] == [*before, "潍坊滨海经济技术开发区管委会"]


def test_weifang_installation_does_not_strip_another_city(weifang: Session) -> None:
    matcher = units.UnitMatcher.load(weifang)

    assert [u.name for u in matcher.match("潍坊市财政局")] == ["市财政局"]
    # not aliases of any unit: found by stripping the city's name
    assert [u.name for u in matcher.match("潍坊市市场监管局")] == ["市市场监管局"]
    assert [u.name for u in matcher.match("潍坊市委组织部")] == ["市委组织部"]
    assert [u.name for u in matcher.match("统计局")] == ["市统计局"]
    assert matcher.match("青岛市财政局") == []
    assert matcher.match("黄岛区人民政府") == []
    assert matcher.match("省工业和信息化厅") == []
