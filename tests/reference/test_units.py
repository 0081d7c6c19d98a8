from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.errors import InvalidInput
from zhizao.reference.models import Unit
from zhizao.reference.units import (
    init_units,
    level_word,
    short_name,
    units_for_region,
    write_units,
)

# A slice of the region table, given explicitly so the generation is tested apart from the shipped table.
NAMES = {
    "370000": "山东省",
    "370700": "潍坊市",
    "370702": "潍城区",
    "370724": "临朐县",
    "370785": "高密市",
}


def by_name(code: str, children: list[str]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    return {s.name: (s.kind, s.region_code, s.aliases) for s in units_for_region(code, NAMES, children)}


@pytest.mark.parametrize(
    ("name", "word", "short"),
    [
        ("山东省", "省", "山东"),
        ("潍坊市", "市", "潍坊"),
        ("潍城区", "区", "潍城"),
        ("临朐县", "县", "临朐"),
        ("广西壮族自治区", "自治区", "广西"),
        ("延边朝鲜族自治州", "州", "延边朝鲜族"),
    ],
)
def test_level_word_and_short_name(name: str, word: str, short: str) -> None:
    assert (level_word(name), short_name(name)) == (word, short)


def test_units_for_city_have_the_short_names_people_write() -> None:
    units = by_name("370700", ["370702", "370724", "370785"])

    kind, region, aliases = units["市工业和信息化局"]
    assert (kind, region) == ("department", "370700")
    assert {"市工信局", "潍坊市工业和信息化局", "潍坊市工信局"} <= set(aliases)
    assert {"市发改委", "潍坊市发展和改革委员会"} <= set(units["市发展改革委"][2])
    assert "中共潍坊市委办公室" in units["市委办公室"][2]
    assert "潍坊市人大常委会办公室" in units["市人大常委会办公室"][2]
    assert units["潍城区政府"] == ("district", "370702", ("潍城区人民政府", "潍城区"))
    assert units["临朐县政府"][1] == "370724" and units["高密市政府"][1] == "370785"
    assert not any("省" in name for name in units)


def test_units_for_province_are_departments_of_a_province_and_city_governments() -> None:
    units = by_name("370000", ["370700"])

    assert {"省工信厅", "山东省工业和信息化厅", "山东省工信厅"} <= set(units["省工业和信息化厅"][2])
    assert "省人社厅" in units["省人力资源社会保障厅"][2]
    assert "中共山东省委组织部" in units["省委组织部"][2]
    assert "山东省人大常委会办公厅" in units["省人大常委会办公厅"][2]
    assert units["潍坊市政府"] == ("district", "370700", ("潍坊市人民政府", "潍坊市"))
    assert "市工业和信息化局" not in units


def test_units_for_county_take_its_own_level_word() -> None:
    units = by_name("370724", [])

    assert {"县工信局", "县经济和信息化局", "临朐县工业和信息化局"} <= set(units["县工业和信息化局"][2])
    assert "中共临朐县委办公室" in units["县委办公室"][2]


def test_units_for_unknown_region_refused() -> None:
    with pytest.raises(InvalidInput, match="不存在"):
        units_for_region("379999", NAMES, [])


def test_init_units_writes_and_is_idempotent(session: Session) -> None:
    assert init_units(session, "370000") > 0
    assert init_units(session, "370000") == 0
    unit = session.scalars(select(Unit).where(Unit.name == "省工业和信息化厅")).one()
    assert unit.region_code == "370000" and "山东省工信厅" in unit.aliases


def test_init_units_without_home_region_writes_nothing(session: Session) -> None:
    assert init_units(session, None) == 0


def test_write_units_drops_aliases_of_another_region(session: Session) -> None:
    # the test database holds a city's units; the same relative name generated for another city
    write_units(session, units_for_region("370700", NAMES, []))

    unit = session.scalars(select(Unit).where(Unit.name == "市工业和信息化局")).one()
    assert unit.region_code == "370700"
    assert "潍坊市工信局" in unit.aliases
    assert not any("青岛" in alias for alias in unit.aliases)
