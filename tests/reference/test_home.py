"""The home region: the setting and its check at start, names for titles and messages, the bureau that
issues bulletins, the level below a region, and grouping codes by it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from zhizao.config import Settings
from zhizao.reference import home, regions

SetHome = Callable[[str | None], None]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3707", "应为6位"),
        ("999999", "不是行政区划表中的代码"),
        ("110103", "已于2010年撤销，现行代码为 110101"),
    ],
)
def test_refuse_home_region_that_is_not_a_current_code(value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(home_region=value)


def test_accept_home_region_codes_at_each_level_and_blank() -> None:
    assert [Settings(home_region=c).home_region for c in ("370000", "370700", "370785")] == [
        "370000",
        "370700",
        "370785",
    ]
    assert Settings(home_region="").home_region is None


def test_name_the_home_region(home_region: SetHome) -> None:
    home_region("370700")
    assert home.home_region_code() == "370700"
    assert home.home_name() == "潍坊市" and home.home_name(english=True) == "Weifang"
    assert home.full_name("370785") == "山东省潍坊市高密市"
    assert home.outside_message("320205") == "行政区划代码 320205 不在本系统辖区（山东省潍坊市）内"
    assert home.covers("370785") and home.covers("370700") and not home.covers("370211")
    home_region(None)
    assert home.home_name() == "" and home.covers("320205") and home.full_name(None) == "全国"


@pytest.mark.parametrize(
    ("code", "bureau"),
    [
        ("370000", "山东省工业和信息化厅"),
        ("650000", "新疆维吾尔自治区工业和信息化厅"),
        ("110000", "北京市工业和信息化局"),
        ("370700", "潍坊市工业和信息化局"),
        ("370785", "高密市工业和信息化局"),
        ("370724", "临朐县工业和信息化局"),
        (None, "工业和信息化主管部门"),
    ],
)
def test_name_the_bureau_of_each_level(code: str | None, bureau: str) -> None:
    assert home.bureau_name(code) == bureau


def test_next_level_below_a_province_a_city_and_a_county(session: Session) -> None:
    cities = home.next_level(session, "370000")
    assert len(cities) == 16 and {p.level for p in cities} == {"city"}
    assert (cities[6].code, cities[6].name) == ("370700", "潍坊市")
    weifang = [p.code for p in home.next_level(session, "370700")]
    assert weifang[0] == "370702" and weifang[-1] == "370786" and "370785" in weifang and len(weifang) == 12
    assert [p.code for p in home.next_level(session, "370785")] == ["370785"]
    # 省直辖县级 units sit directly under their province, beside its cities
    assert "429004" in {p.code for p in home.next_level(session, "420000")}
    assert len(home.next_level(session, None)) == regions.level_counts()["province"]


def test_group_codes_under_a_root(session: Session) -> None:
    grouped = home.group_under(session, "370000", ["370785", "370702", "370700", "370211", "320205"])
    assert {code: place.code for code, place in grouped.items()} == {
        "370785": "370700",
        "370702": "370700",
        "370700": "370700",
        "370211": "370200",
        "320205": "320205",  # outside the root: kept under its own code, never dropped
    }
    assert grouped["370785"].name == "潍坊市"
    by_province = home.group_under(session, None, ["370785", "320205"])
    assert {c: p.name for c, p in by_province.items()} == {"370785": "山东省", "320205": "江苏省"}
    # an abolished code groups with its old parent's region
    assert home.group_under(session, "110000", ["110103"])["110103"].code == "110103"
    assert home.group_under(session, None, ["110103"])["110103"].code == "110000"
