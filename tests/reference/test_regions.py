"""The shipped GB/T 2260 table: its structure, the published totals of its edition, known codes and names,
codes abolished with their successors, and the database holding the same rows after `db upgrade`.

Edition: 民政部 2024年中华人民共和国县以上行政区划代码 (as of 31 December 2024), plus the one later change
two sources confirm (2025: 重庆 江北区 and 渝北区 → 两江新区). See zhizao/reference/data/README.md.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhizao.reference import regions
from zhizao.reference.data_files import district_codes, read_rows, region_names
from zhizao.reference.models import Region
from zhizao.reference.seed import sync_reference

ROWS = list(read_rows("regions.csv"))
BY_CODE = {row["code"]: row for row in ROWS}

# 民政部's totals as of 31 December 2024 (省级 counts 台湾省, 香港, 澳门; 地级 and 县级 exclude them):
# 省级 34; 地级 333 = 293 地级市 + 7 地区 + 30 自治州 + 3 盟; 县级 2,846 = 977 市辖区 + 397 县级市
# + 1,301 县 + 117 自治县 + 49 旗 + 3 自治旗 + 1 特区 + 1 林区. The end-2023 statistics published the
# same figures but 1,299 县 (2,844 县级); 和安县 and 和康县 were set up on 27 December 2024.
PUBLISHED_2024 = {"province": 34, "city": 333, "district": 2846}
KINDS_2024 = {
    "地级市": 293,
    "地区": 7,
    "自治州": 30,
    "盟": 3,
    "市辖区": 977,
    "县级市": 397,
    "县": 1301,
    "自治县": 117,
    "旗": 49,
    "自治旗": 3,
    "特区": 1,
    "林区": 1,
}


def kind_of(row: dict[str, str]) -> str | None:
    """The kind of a prefecture or county-level unit, read from its name (as 民政部's statistics count)."""
    name = row["name"]
    if row["level"] == "province":
        return None
    if row["level"] == "city":
        return next((k for k in ("自治州", "地区", "盟") if name.endswith(k)), "地级市")
    for kind in ("神农架林区", "特区", "自治旗", "旗", "自治县", "区", "市", "县"):
        if name.endswith(kind):
            return {"神农架林区": "林区", "区": "市辖区", "市": "县级市"}.get(kind, kind)
    return "?"


def in_2024(row: dict[str, str]) -> bool:
    return (not row["valid_from"] or int(row["valid_from"]) <= 2024) and (
        not row["valid_to"] or int(row["valid_to"]) > 2024
    )


def test_codes_are_unique_six_digit_codes() -> None:
    codes = [row["code"] for row in ROWS]
    assert len(codes) == len(set(codes))
    assert all(regions.is_region_code(code) for code in codes)
    assert codes == sorted(codes)


def test_columns_are_the_documented_ones() -> None:
    assert list(ROWS[0]) == [
        "code",
        "name",
        "name_en",
        "level",
        "parent_code",
        "valid_from",
        "valid_to",
        "successor_code",
    ]


def test_every_parent_is_in_the_table_one_level_up() -> None:
    for row in ROWS:
        if row["level"] == "province":
            assert row["parent_code"] == "", row
            continue
        parent = BY_CODE[row["parent_code"]]
        assert row["code"].startswith(regions.prefix(parent["code"])), row
        if row["level"] == "city":
            assert parent["level"] == "province", row
        else:  # a prefecture's county, or one its province governs directly
            assert parent["level"] in ("city", "province"), row
        if not row["valid_to"]:
            assert not parent["valid_to"], f"{row['code']} in use under abolished {parent['code']}"


def test_level_matches_the_code_shape() -> None:
    for row in ROWS:
        assert row["level"] == regions.level_of(row["code"]), row


def test_county_level_units_under_a_province_are_municipal_or_directly_governed() -> None:
    # Municipalities' districts and 省直辖县级 units (xx90xx) are the only county-level rows whose parent
    # is a province; there are no 市辖区/县 placeholder rows (xx0100, xx0200) in the table.
    under_province = {
        row["code"]
        for row in ROWS
        if row["level"] == "district" and BY_CODE[row["parent_code"]]["level"] == "province"
    }
    municipalities = ("11", "12", "31", "50")
    assert all(code.startswith(municipalities) or code[2:4] == "90" for code in under_province)
    assert {"429004", "429005", "429006", "429021", "469001", "659001", "419001"} <= under_province
    assert not any(row["name"] in ("市辖区", "县") for row in ROWS)


def test_counts_per_level_match_the_published_totals_of_2024() -> None:
    counts = Counter(row["level"] for row in ROWS if in_2024(row))
    assert counts == PUBLISHED_2024
    assert regions.level_counts(year=2024) == PUBLISHED_2024


def test_counts_per_kind_match_the_published_totals_of_2024() -> None:
    kinds = Counter(kind_of(row) for row in ROWS if in_2024(row) and row["level"] != "province")
    assert kinds == KINDS_2024


def test_counts_in_use_are_2024_plus_the_later_changes() -> None:
    # 2025: 江北区 500105 and 渝北区 500112 abolished, 两江新区 500157 set up.
    assert regions.level_counts() == {"province": 34, "city": 333, "district": 2846 - 2 + 1}


def test_hong_kong_macao_and_taiwan_are_province_rows_without_children() -> None:
    for code, name in {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}.items():
        assert BY_CODE[code]["name"] == name
        assert BY_CODE[code]["level"] == "province"
        assert regions.children(code) == []


@pytest.mark.parametrize(
    ("code", "name", "level", "parent"),
    [
        ("110000", "北京市", "province", ""),
        ("110101", "东城区", "district", "110000"),
        ("310115", "浦东新区", "district", "310000"),
        ("320200", "无锡市", "city", "320000"),
        ("320213", "梁溪区", "district", "320200"),
        ("320214", "新吴区", "district", "320200"),
        ("330000", "浙江省", "province", ""),
        ("370000", "山东省", "province", ""),
        ("370200", "青岛市", "city", "370000"),
        ("370215", "即墨区", "district", "370200"),
        ("370700", "潍坊市", "city", "370000"),
        ("370116", "莱芜区", "district", "370100"),
        ("370117", "钢城区", "district", "370100"),
        ("420000", "湖北省", "province", ""),
        ("429004", "仙桃市", "district", "420000"),
        ("429021", "神农架林区", "district", "420000"),
        ("441900", "东莞市", "city", "440000"),
        ("460300", "三沙市", "city", "460000"),
        ("460302", "西沙区", "district", "460300"),
        ("520203", "六枝特区", "district", "520200"),
        ("540481", "米林市", "district", "540400"),
        ("620200", "嘉峪关市", "city", "620000"),
        ("653228", "和康县", "district", "653200"),
        ("653229", "和安县", "district", "653200"),
        ("659012", "白杨市", "district", "650000"),
        ("152900", "阿拉善盟", "city", "150000"),
        ("150726", "新巴尔虎左旗", "district", "150700"),
        ("500157", "两江新区", "district", "500000"),
    ],
)
def test_known_codes_have_their_names_and_parents(code: str, name: str, level: str, parent: str) -> None:
    row = BY_CODE[code]
    assert (row["name"], row["level"], row["parent_code"], row["valid_to"]) == (name, level, parent, "")


def test_weifang_has_its_twelve_county_level_units() -> None:
    names = {code: BY_CODE[code]["name"] for code in district_codes("370700")}
    assert names == {
        "370702": "潍城区",
        "370703": "寒亭区",
        "370704": "坊子区",
        "370705": "奎文区",
        "370724": "临朐县",
        "370725": "昌乐县",
        "370781": "青州市",
        "370782": "诸城市",
        "370783": "寿光市",
        "370784": "安丘市",
        "370785": "高密市",
        "370786": "昌邑市",
    }


def test_district_codes_of_a_city_leave_out_abolished_codes() -> None:
    assert district_codes("320200") == ["320205", "320206", "320211", "320213", "320214", "320281", "320282"]
    assert len(district_codes("370200")) == 10
    assert "371202" not in district_codes("371200")


@pytest.mark.parametrize(
    ("code", "name", "valid_to", "successor"),
    [
        # 国函〔2018〕163号 of 26 December 2018: 莱芜市 abolished, its area to 济南市; the 2018 table has
        # 莱芜区 370116 and 钢城区 370117 instead.
        ("371200", "莱芜市", "2018", "370100"),
        ("371202", "莱城区", "2018", "370116"),
        ("371203", "钢城区", "2018", "370117"),
        ("110103", "崇文区", "2010", "110101"),
        ("320202", "崇安区", "2015", "320213"),
        ("540422", "米林县", "2023", "540481"),
        ("500105", "江北区", "2025", "500157"),
        ("500112", "渝北区", "2025", "500157"),
    ],
)
def test_abolished_codes_keep_their_row_with_a_successor(
    code: str, name: str, valid_to: str, successor: str
) -> None:
    row = BY_CODE[code]
    assert (row["name"], row["valid_to"], row["successor_code"]) == (name, valid_to, successor)
    assert regions.current_code(code) == successor
    assert region_names()[code] == name  # old figures still show a name


def test_every_abolished_code_leads_to_a_region_in_use() -> None:
    abolished = [row for row in ROWS if row["valid_to"]]
    assert len(abolished) > 300
    for row in abolished:
        assert int(row["valid_to"]) >= 2010, row
        successor = BY_CODE[row["successor_code"]]
        assert not successor["valid_to"], row
        assert int(row["valid_from"]) < int(row["valid_to"]), row
    assert all(not row["successor_code"] for row in ROWS if not row["valid_to"])


def test_lookups_on_the_shipped_table() -> None:
    weifang = regions.get("370700")
    assert weifang is not None and weifang.name == "潍坊市" and weifang.in_use
    assert regions.get("999999") is None
    laiwu = regions.get("371200")
    assert laiwu is not None and not laiwu.in_use and laiwu.in_use_in(2017) and not laiwu.in_use_in(2018)
    assert [r.code for r in regions.children("371200")] == []
    assert [r.code for r in regions.children("371200", include_abolished=True)] == ["371202", "371203"]
    hubei = {r.code for r in regions.children("420000")}
    assert "420100" in hubei and "429004" in hubei
    assert len(regions.children(None)) == 34
    shandong_counties = regions.descendants("370000", level="district")
    assert "370702" in {r.code for r in shandong_counties}
    assert all(r.code.startswith("37") and r.in_use for r in shandong_counties)
    assert len(regions.descendants("370700")) == 12
    assert regions.current_code("370702") == "370702"
    assert regions.current_code("999999") is None
    assert len(regions.records()) == sum(regions.level_counts().values())


def test_provinces_and_prefectures_in_use_have_english_names() -> None:
    assert all(row["name_en"] for row in ROWS if row["level"] != "district" and not row["valid_to"])
    assert BY_CODE["370000"]["name_en"] == "Shandong Province"  # the names there were before are kept
    assert BY_CODE["370200"]["name_en"] == "Qingdao"
    assert BY_CODE["370211"]["name_en"] == "Huangdao District"
    assert BY_CODE["140400"]["name_en"] == "Changzhi"
    assert BY_CODE["610100"]["name_en"] == "Xi'an"
    assert BY_CODE["650100"]["name_en"] == "Urumqi"
    assert BY_CODE["810000"]["name_en"] == "Hong Kong Special Administrative Region"


def test_database_holds_the_shipped_rows(session: Session) -> None:
    stored = {
        region.code: (
            region.name,
            region.level,
            region.parent_code or "",
            str(region.valid_from or ""),
            str(region.valid_to or ""),
            region.successor_code or "",
        )
        for region in session.scalars(select(Region))
    }
    shipped = {
        row["code"]: (
            row["name"],
            row["level"],
            row["parent_code"],
            row["valid_from"],
            row["valid_to"],
            row["successor_code"],
        )
        for row in ROWS
    }
    assert stored == shipped


def test_sync_restores_a_changed_region_and_then_changes_nothing(session: Session) -> None:
    session.execute(update(Region).where(Region.code == "370700").values(name="改过的名字", valid_to=1999))
    assert sync_reference(session) == 2
    assert session.get(Region, "370700", populate_existing=True).name == "潍坊市"  # type: ignore[union-attr]
    assert sync_reference(session) == 0
