"""Demos of a prefecture other than the default one (370700 潍坊市) and of a province (370000 山东省), each
in a database of its own, migrated with that home region and demo-loaded, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import DATABASES, region_database
from zhizao.audit.models import AppMeta
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.demo.city import CityResult, load_demo_city
from zhizao.demo.load import load_demo
from zhizao.demo.population import DemoSpec
from zhizao.demo.regions import demo_region
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.plans.models import AssignmentUnit, Plan, PlanTask, TaskAssignment
from zhizao.reference import regions
from zhizao.reference.models import Unit
from zhizao.reference.units import unit_for_key
from zhizao.tracking.models import ProgressReport, TrackedSeries

WEIFANG, SHANDONG = "370700", "370000"
TODAY = date(2026, 3, 1)
# What only the default demo city's data holds (its documents, its own units, its place words).
QINGDAO_DEMO_WORDS = ("西海岸", "海洋发展局", "九大行动", "功能区", "青岛市南")


@dataclass
class LoadedDemo:
    session: Session
    result: CityResult


def _migrate(url: str, region_code: str) -> None:
    migrate.upgrade(url, home_region=region_code)


@pytest.fixture(scope="module", params=[(d, r) for r in (WEIFANG, SHANDONG) for d in DATABASES], ids=str)
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedDemo]:
    kind, code = request.param
    with region_database(kind, tmp_path_factory, code, _migrate) as url:
        engine = make_engine(url)
        session = Session(engine, expire_on_commit=False)
        spec = DemoSpec(
            size=240, region_code=code, seed=7, current_year=2026, through_month=2, chunk_size=100
        )
        result = load_demo_city(session, Actor.system(), spec, today=TODAY)
        session.commit()
        yield LoadedDemo(session, result)
        session.close()
        engine.dispose()


def _units(session: Session) -> dict[str, Unit]:
    return {u.name: u for u in session.scalars(select(Unit))}


def _texts(session: Session) -> dict[str, list[str]]:
    """The texts of the demo a user sees: units and aliases, plans, enterprises and their regions, series
    and reports."""
    units: list[str] = []
    for unit in session.scalars(select(Unit)):
        units += [unit.name, *(unit.aliases or [])]
    plans: list[str] = []
    for plan in session.scalars(select(Plan)):
        plans += [plan.title, plan.issuer or "", plan.source_text]
    codes = set(session.scalars(select(Enterprise.region_code).distinct()))
    enterprises = list(session.scalars(select(Enterprise.name)))
    enterprises += [regions.get(c).name for c in codes if regions.get(c)]  # type: ignore[union-attr]
    tracking = list(session.scalars(select(TrackedSeries.name))) + list(
        session.scalars(select(ProgressReport.text))
    )
    return {"units": units, "plans": plans, "enterprises": enterprises, "tracking": tracking}


def _lead_matches(session: Session) -> list[tuple[str, int | None]]:
    stmt = (
        select(AssignmentUnit.unit_text, AssignmentUnit.unit_id)
        .join(TaskAssignment, TaskAssignment.id == AssignmentUnit.assignment_id)
        .join(PlanTask, PlanTask.id == TaskAssignment.task_id)
        .where(AssignmentUnit.role == "lead")
    )
    return [(text, unit_id) for text, unit_id in session.execute(stmt)]


def test_demo_enterprises_sit_in_the_regions_real_districts(demo: LoadedDemo) -> None:
    code = demo.result.region.code
    found = set(demo.session.scalars(select(Enterprise.region_code).distinct()))
    if code == WEIFANG:
        weifang = {r.code for r in regions.children(WEIFANG)}
        assert {"370702", "370785"} <= weifang and len(weifang) == 12
        assert found <= weifang and len(found) >= 10
    else:
        cities = [r for r in regions.children(SHANDONG) if r.level == "city"]
        assert len(cities) == 16
        assert all(regions.get(c).level == "district" and c.startswith("37") for c in found)  # type: ignore[union-attr]
        assert len({regions.get(c).parent_code for c in found}) >= 12  # type: ignore[union-attr]
        for city in cities:  # a few counties each
            assert len([c for c in found if regions.get(c).parent_code == city.code]) <= 3  # type: ignore[union-attr]
    assert demo.session.get(AppMeta, "demo_region").value == code  # type: ignore[union-attr]


def test_demo_units_come_from_the_templates_of_its_level(demo: LoadedDemo) -> None:
    units = _units(demo.session)
    governments = sorted(u.region_code for u in units.values() if u.kind == "district")
    if demo.result.region.code == WEIFANG:
        assert units["市工业和信息化局"].region_code == WEIFANG
        assert "潍坊市工信局" in units["市工业和信息化局"].aliases
        assert "中共潍坊市委办公室" in units["市委办公室"].aliases
        assert units["潍城区政府"].region_code == "370702" and units["高密市政府"].region_code == "370785"
        assert governments == sorted(r.code for r in regions.children(WEIFANG))
        zone = units["潍坊高新技术产业开发区管委会（演示）"]
        assert zone.kind == "other" and "高新区管委会" in zone.aliases
        assert not [n for n in units if n.startswith("省")]
    else:
        assert "山东省工信厅" in units["省工业和信息化厅"].aliases
        assert "省人大常委会办公厅" in units and "省委组织部" in units
        assert units["潍坊市政府"].region_code == WEIFANG
        assert governments == sorted(r.code for r in regions.children(SHANDONG))
        assert not [n for n in units if n.startswith("市") or "管委会" in n]


def test_demo_accounts_belong_to_the_region(demo: LoadedDemo) -> None:
    code = demo.result.region.code
    users = {u.username: u for u in demo.session.scalars(select(User))}
    units = {u.id: u.name for u in demo.session.scalars(select(Unit))}
    assert {"admin", "analyst", "quxian", "gongxin", "fagai", "qiye"} <= set(users)
    district = users["quxian"].region_code
    expected_district = "370702" if code == WEIFANG else "370102"  # the first district (of the first city)
    assert district == expected_district
    level = "市" if code == WEIFANG else "省"
    assert units[users["gongxin"].unit_id] == f"{level}工业和信息化{'局' if code == WEIFANG else '厅'}"  # type: ignore[index]
    assert units[users["fagai"].unit_id] == f"{level}发展改革委"  # type: ignore[index]
    firm = demo.session.get(Enterprise, users["qiye"].enterprise_id)
    assert firm is not None and firm.region_code == district


def test_demo_plan_is_generated_for_the_region_and_marked_synthetic(demo: LoadedDemo) -> None:
    region = demo.result.region
    plans = list(demo.session.scalars(select(Plan)))
    assert demo.result.plans == len(plans) == 1
    plan = plans[0]
    assert plan.region_code == region.code and plan.status == "confirmed"
    assert plan.title.startswith(region.name) and "演示数据" in plan.title and "虚构" in plan.title
    leads = _lead_matches(demo.session)
    assert leads and all(unit_id is not None for _, unit_id in leads)
    activity = demo.result.activity
    assert activity.synthetic_series > 0 and activity.reports > 0 and activity.registry_links == 1
    assert demo.result.evaluation_run_id is not None


def test_demo_has_no_real_figures_where_none_are_shipped(demo: LoadedDemo) -> None:
    assert (demo.result.observations, demo.result.target_links) == (0, 0)


def test_demo_shows_no_trace_of_the_default_demo_city(demo: LoadedDemo) -> None:
    texts = _texts(demo.session)
    everything = [t for group in texts.values() for t in group]
    for word in QINGDAO_DEMO_WORDS:
        assert not [t for t in everything if word in t], word
    assert not [t for t in texts["plans"] + texts["tracking"] if "青岛" in t or "黄岛" in t]
    if demo.result.region.code == WEIFANG:
        assert not [t for t in everything if "青岛" in t or "黄岛" in t]
    else:
        # a province demo has 青岛市 as one of its sixteen cities: its government is a unit, and enterprises
        # may sit in its first counties (黄岛区 is one), under their real names; nothing else of the city
        units = _units(demo.session)
        assert {t for t in texts["units"] if "青岛" in t} == {"青岛市政府", *units["青岛市政府"].aliases}


def test_demo_region_of_a_municipality_and_a_province_with_direct_counties() -> None:
    beijing = demo_region("110000")
    assert beijing.level == "province" and len(beijing.districts) == 16
    assert all(regions.get(d).parent_code == "110000" for d in beijing.districts)  # type: ignore[union-attr]
    assert unit_for_key("110000", "industry") == "市工业和信息化局"  # a 直辖市 has 局, not 厅
    hubei = demo_region("420000")
    assert "429004" in hubei.districts  # 仙桃市, a county-level city the province governs directly


def test_demo_refused_outside_the_home_region(
    session: Session, home_region: Callable[[str | None], None]
) -> None:
    home_region(WEIFANG)
    spec = DemoSpec(size=10, region_code="370200", current_year=2026, through_month=1)
    with pytest.raises(InvalidInput, match="不在本系统的区域 370700 内"):
        load_demo(session, Actor.system(), spec, force=True)
