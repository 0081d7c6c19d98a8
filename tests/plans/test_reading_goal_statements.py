"""Goals as news items, reports and 若干措施 state them (made-up sentences): quoted goal statements,
doublings, 双双/均, history sentences, 对…的 qualifications across clauses, counts that are no goals."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import Target, parse_text

HEAD = (
    "示例市促进制造业发展三年行动方案(2024—2026年)\n"
    "为加快推进示例市制造业高质量发展,加强科技创新,支持企业做大做强,促进产业转型升级,"
    "强化要素保障,完善政策体系,推动数字化、绿色化、智能化发展,打造先进制造业集群,"
    "结合本市实际,现制定如下行动方案,请各区、各部门认真组织实施。\n"
    "一、工作目标\n"
)


def targets(sentence: str, head: str = HEAD) -> list[Target]:
    return parse_text(head + sentence + "\n").targets


def keys(found: list[Target]) -> list[tuple]:
    return [(t.indicator, t.measure, t.value, t.unit, t.qualifier, t.base_year) for t in found]


def test_find_targets_reads_goals_inside_a_quoted_statement() -> None:
    found = targets("《方案》提出了“到2026年,示例园区营业收入达到500亿元、工业投资年均增长12%以上”的目标。")
    assert keys(found) == [
        ("示例园区营业收入", "level", 500, "亿元", "exact", None),
        ("工业投资", "growth", 12, "%", "at_least", None),
    ]


def test_find_targets_keeps_a_quoted_name_masked() -> None:
    assert targets("深入实施“518”工程,推动企业上云。") == []


def test_find_targets_reads_doubling_against_a_base_year_as_growth() -> None:
    found = targets("园区工业产值较2023年翻一番、亿元企业数量较2023年倍增、出口额较2023年翻两番。")
    assert [(t.measure, t.value, t.unit, t.base_year) for t in found] == [
        ("growth", 100, "%", 2023),
        ("growth", 100, "%", 2023),
        ("growth", 300, "%", 2023),
    ]
    assert "园区工业产值" in found[0].indicator


def test_find_targets_skips_doubling_without_a_base_year() -> None:
    assert targets("深入实施企业倍增计划,推动工业倍增发展。") == []


def test_find_targets_gives_each_subject_of_shuangshuang_the_value() -> None:
    found = targets("力争电子信息和生物医药产业规模双双突破800亿元。")
    assert [(t.indicator, t.value, t.unit, t.qualifier) for t in found] == [
        ("电子信息产业规模", 800, "亿元", "at_least"),
        ("生物医药产业规模", 800, "亿元", "at_least"),
    ]


def test_find_targets_gives_each_subject_of_jun_the_value() -> None:
    found = targets("软件业务收入、信息服务收入同比均增长10%左右。")
    assert [(t.indicator, t.measure, t.value, t.qualifier) for t in found] == [
        ("软件业务收入", "growth", 10, "about"),
        ("信息服务收入", "growth", 10, "about"),
    ]


def test_find_targets_pairs_one_subject_with_each_respective_value() -> None:
    found = targets("城乡居民人均可支配收入分别增长5%、7%。")
    assert [(t.indicator, t.measure, t.value) for t in found] == [
        ("城乡居民人均可支配收入", "growth", 5),
        ("城乡居民人均可支配收入", "growth", 7),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "截至去年,全市工业总产值达2800亿元,占全省比重为12.5%。",
        "过去五年,全市新增高新技术企业800家,规上工业增加值年均增长7%。",
        "“十三五”期间,全市培育百亿元级企业12家、上市公司20家。",
    ],
)
def test_find_targets_skips_a_sentence_reporting_history(sentence: str) -> None:
    assert targets(sentence) == []


def test_find_targets_keeps_goals_of_the_plans_own_five_year_period() -> None:
    head = HEAD.replace("三年行动方案(2024—2026年)", "“十四五”发展规划")
    found = targets("“十四五”期间,全市新增专精特新企业200家。", head)
    assert [(t.value, t.unit, t.measure) for t in found] == [(200, "家", "increase")]


def test_find_targets_skips_qualifications_of_an_opening_dui_across_clauses() -> None:
    sentence = "对上半年产值20亿元及以上、50亿元以下,且产值较上年同期增长15%及以上的工业企业,给予30万元奖励。"
    assert targets(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "我市出台了12条支持政策,推动工业经济稳进提质。",
        "推进产业向高端化、智能化、绿色化、服务化等4个方向转型。",
        "《意见》从要素保障、招商引资、企业培育等五个方面提出二十条具体举措。",
        "示例bet365名品汇_365名站网站上线。",
    ],
)
def test_find_targets_skips_counts_that_are_no_goals(sentence: str) -> None:
    assert targets(sentence) == []


def test_find_targets_reads_a_news_headline_above_the_paragraph_naming_the_plan() -> None:
    text = (
        "示例省:到2026年制造业增加值占GDP比重达35%左右\n"
        "本报讯 到2026年,全省制造业增加值占GDP比重达到35%左右。\n"
        "示例省人民政府近日印发《示例省制造业发展三年行动计划(2024—2026年)》,提出培育先进制造业集群,"
        "推动制造业高端化、智能化、绿色化发展,加快建设制造强省。\n"
    )
    found = parse_text(text).targets
    assert [(t.indicator, t.measure, t.value, t.qualifier) for t in found] == [
        ("制造业增加值占GDP比重", "share", 35, "about")
    ]


def test_find_targets_reads_no_goals_in_a_report_of_results() -> None:
    text = (
        "示例市工业经济运行情况\n"
        "一年来,示例市工业经济运行总体平稳,新型工业化加快推进。全市规模以上工业增加值同比增长6.1%,"
        "高新技术企业达1200家,累计培育专精特新中小企业300家,新培育国家级绿色工厂12家,"
        "制造业投资持续扩大,产业结构进一步优化,推进企业数字化转型,加强产业链协同发展。\n"
    )
    assert parse_text(text).targets == []


def test_parse_text_reads_an_award_news_item_as_a_policy() -> None:
    text = (
        "近日,市政府下发《关于促进工业经济稳定增长若干措施的通知》,对增产增效的规模企业给予奖励。\n"
        "对单月产值同比增长超20%的规模以上工业企业,每月奖励5万元;市财政每月安排100万元奖励资金,"
        "鼓励企业开足马力、扩大产能、多作贡献,市重点工作督查组将逐月对各县区工业经济指标完成情况进行专项督查,"
        "并由市政府每月进行专项通报,对稳增长做出成绩的工业企业相关人员给予奖励。\n"
    )
    assert parse_text(text).targets == []  # read, not refused as "not a policy document"


def test_find_targets_reads_a_share_of_a_set_reaching_a_state() -> None:
    found = targets("到2026年,确保全市80%以上的规上工业企业实现数字化改造。")
    assert [(t.indicator, t.measure, t.value, t.qualifier, t.target_year) for t in found] == [
        ("规上工业企业", "share", 80, "at_least", 2026)
    ]


def test_find_targets_skips_a_share_that_says_who_qualifies() -> None:
    assert targets("支持产值增长20%以上的企业加大技术改造投入。") == []
