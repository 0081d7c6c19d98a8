from datetime import date

import pytest

from zhizao.cultivation.programme import in_force, load_programme, parse_programme, shipped, shipped_ids
from zhizao.errors import InvalidInput

SHIPPED = {
    "sme", "above-scale", "xiaoshenggui", "chuangxinxing-2022", "zhuanjingtexin-2022", "xiaojuren-2022",
    "zhuanjingtexin-2026", "xiaojuren-2026", "danxiangguanjun-2023", "gaoqi-2016", "kaimenhong", "baobao",
    "beizeng",
}  # fmt: skip

MINIMAL = """
id: test
name: 测试
issuer: 某部门
document: 测〔2026〕1号
effective_from: 2026-01-01
sources: [{title: 测试文件}]
criteria:
  all:
    - id: revenue
      label: 营业收入
      data: {indicator: revenue}
      op: ">="
      threshold: {2025-01-01: 1000, 2026-04-01: 1500}
"""


def test_shipped_programmes_have_the_fixed_ids_and_cite_sources() -> None:
    assert set(shipped_ids()) == SHIPPED
    for p in shipped():
        assert p.sources and all(s.title for s in p.sources)
        assert p.document and p.issuer


def test_parse_programme_names_the_bad_key() -> None:
    bad = MINIMAL.replace('op: ">="', 'op: ">="\n      clause: 1\n      bogus: 2')
    with pytest.raises(InvalidInput) as err:
        parse_programme(bad)
    assert "criteria.all.0.bogus" in err.value.message


def test_parse_programme_rejects_a_criterion_without_test_or_data() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_programme(MINIMAL.replace("{indicator: revenue}", "{indicator: revenue, title: gaoqi}"))
    assert "criteria.all.0.data" in err.value.message
    with pytest.raises(InvalidInput) as err:
        parse_programme(MINIMAL.replace('      op: ">="\n', ""))
    assert "criteria.all.0" in err.value.message


def test_parse_programme_rejects_unknown_attribute_and_title() -> None:
    with pytest.raises(InvalidInput, match="unknown attribute"):
        parse_programme(MINIMAL.replace("{indicator: revenue}", "{attribute: colour}"))
    with pytest.raises(InvalidInput, match="unknown title"):
        parse_programme(MINIMAL.replace("{indicator: revenue}", "{title: hero}"))


def test_threshold_values_follow_their_effective_dates() -> None:
    leaf = parse_programme(MINIMAL).leaves()[0]
    assert leaf.threshold_on(date(2026, 3, 31)) == 1000
    assert leaf.threshold_on(date(2026, 4, 1)) == 1500
    assert leaf.threshold_on(date(2024, 12, 31)) is None


def test_in_force_picks_the_rule_set_of_the_day() -> None:
    programmes = shipped()
    before = {p.family_id: p.id for p in in_force(programmes, date(2026, 3, 31))}
    after = {p.family_id: p.id for p in in_force(programmes, date(2026, 4, 1))}
    assert (
        before["zhuanjingtexin"] == "zhuanjingtexin-2022" and after["zhuanjingtexin"] == "zhuanjingtexin-2026"
    )
    assert before["xiaojuren"] == "xiaojuren-2022" and after["xiaojuren"] == "xiaojuren-2026"
    renewal = {p.family_id: p.id for p in in_force(programmes, date(2026, 4, 1), "renewal")}
    assert renewal["zhuanjingtexin"] == "zhuanjingtexin-2022"
    assert "zhuanjingtexin" not in {p.family_id for p in in_force(programmes, date(2027, 1, 1), "renewal")}
    assert [p.id for p in in_force(programmes, date(2026, 4, 1), only="zhuanjingtexin")] == [
        "zhuanjingtexin-2026"
    ]


def test_load_programme_unknown_name_lists_the_shipped_ones() -> None:
    with pytest.raises(InvalidInput, match="sme"):
        load_programme("nothing-here")
