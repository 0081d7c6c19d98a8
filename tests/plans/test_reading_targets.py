"""Quantified goals in made-up sentences: each construction the parser reads, and what it must not read."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import Target, parse_text
from zhizao.plans.reading.numbers import chinese_to_number

HEAD = (
    "示例市促进制造业发展三年行动方案(2024—2026年)\n"
    "为加快推进示例市制造业高质量发展,加强科技创新,支持企业做大做强,促进产业转型升级,"
    "强化要素保障,完善政策体系,推动数字化、绿色化、智能化发展,打造先进制造业集群,"
    "结合本市实际,经市政府同意,现制定如下行动方案,请各区、各部门认真组织实施。\n"
    "一、工作目标\n"
)


def targets(sentence: str) -> list[Target]:
    return parse_text(HEAD + sentence + "\n").targets


def one(sentence: str) -> Target:
    found = targets(sentence)
    assert len(found) == 1, [t.to_json() for t in found]
    return found[0]


def test_find_targets_reads_growth_with_about() -> None:
    t = one("全市装备制造业产值同比增长8%左右。")
    assert (t.measure, t.value, t.unit, t.qualifier, t.target_year) == ("growth", 8, "%", "about", 2026)
    assert "装备制造业产值" in t.indicator


def test_find_targets_reads_reduction_with_base_year() -> None:
    t = one("单位产值水耗较2023年下降12%以上。")
    assert (t.measure, t.value, t.qualifier, t.base_year) == ("reduction", 12, "at_least", 2023)
    assert t.indicator == "单位产值水耗"


def test_find_targets_reads_share_without_verb() -> None:
    t = one("到2025年,新材料产业占工业比重35%左右。")
    assert (t.measure, t.value, t.unit, t.target_year) == ("share", 35, "%", 2025)
    assert t.indicator == "新材料产业占工业比重"  # the ratio is what is measured


def test_find_targets_reads_verb_object_number() -> None:
    t = one("新建充电桩2600个以上。")
    assert (t.measure, t.value, t.unit, t.qualifier) == ("increase", 2600, "个", "at_least")
    assert t.indicator == "充电桩"


def test_find_targets_reads_number_before_noun() -> None:
    t = one("培育60家以上数字化示范工厂。")
    assert (t.measure, t.value, t.unit) == ("level", 60, "家")
    assert "数字化示范工厂" in t.indicator


def test_find_targets_reads_several_goals_in_one_sentence() -> None:
    found = targets("新认定示范园区3个、示范企业20家以上,引进重大项目15个。")
    assert [(t.value, t.unit, t.measure) for t in found] == [
        (3, "个", "increase"),
        (20, "家", "increase"),
        (15, "个", "level"),
    ]
    assert found[1].indicator == "示范企业"


def test_find_targets_reads_range_as_lower_bound() -> None:
    t = one("新培育8—10个特色产业集群。")
    assert (t.value, t.unit, t.qualifier) == (8, "个", "at_least")


def test_find_targets_reads_chinese_numerals() -> None:
    t = one("全市电子信息产业规模达到五千亿元。")
    assert (t.value * 1e0, t.unit) == (5000 * 10**8, "元")
    assert one("啤酒产量达到千万千升。").unit == "千升"


def test_find_targets_reads_percentage_points() -> None:
    t = one("研发投入强度提高1个百分点。")
    assert (t.measure, t.value, t.unit) == ("increase", 1, "个百分点")


def test_find_targets_reads_rank() -> None:
    t = one("全省工业互联网发展指数排名保持全国前五。")
    assert (t.measure, t.value, t.unit, t.qualifier) == ("rank", 5, "名", "at_most")


def test_find_targets_splits_respectively() -> None:
    found = targets("出口额、利用外资额增速分别高于全省2个百分点。")
    assert [t.indicator for t in found] == ["出口额", "利用外资额增速"]
    assert all(t.measure == "growth" for t in found)


def test_find_targets_pairs_subjects_with_values_respectively() -> None:
    found = targets("规上工业增加值、工业投资分别增长7%、10%。")
    assert [(t.indicator, t.value, t.measure) for t in found] == [
        ("规上工业增加值", 7, "growth"),
        ("工业投资", 10, "growth"),
    ]


def test_find_targets_pairs_respectively_with_subjects_in_earlier_clause() -> None:
    found = targets("到2026年,全市甲类企业和乙类企业在2023年的基础上实现翻番,分别超过120家和900家。")
    got = [(t.indicator, t.value, t.unit, t.qualifier, t.target_year) for t in found]
    assert got == [("甲类企业", 120, "家", "at_least", 2026), ("乙类企业", 900, "家", "at_least", 2026)]


def test_find_targets_reads_mass_units() -> None:
    t = one("粮食产量保持在1.3万亿斤以上。")
    assert (t.value, t.unit, t.qualifier, t.measure) == (1.3, "万亿斤", "at_least", "level")


def test_find_targets_dates_within_years_from_first_plan_year() -> None:
    t = one("三年内认定市级孵化器20家以上。")
    assert (t.value, t.measure, t.target_year) == (20, "increase", 2026)  # 2024 + 3, capped at 2026
    single = parse_text(
        "示例市推进平台经济发展实施意见\n(2015年9月15日)\n一、重点任务\n三年内认定市级孵化器20家以上。\n"
    )
    assert single.targets[0].target_year == 2018


def test_find_targets_ignores_counts_naming_sets_not_goals() -> None:
    assert targets("“十四五”示例体系6个重点建设任务\n") == []
    assert [t.value for t in targets("力争3家企业进入中国企业500强。")] == [3]  # a sentence, not a caption
    assert targets("《实施方案》将实施产业基础再造、质量提升等五大行动和18项工程,推动产业升级。") == []
    assert targets("现将《规划》中提出的5项任务和8项重点建设项目进行责任分解。") == []


def test_find_targets_keeps_a_goal_stated_twice_once() -> None:
    found = targets("新增上市公司5家以上。\n二、重点任务\n(一)推动上市。2026年新增上市公司5家以上。")
    assert len(found) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "对年营业收入2000万元以上的企业给予支持。",  # eligibility threshold
        "对新增产值超过1亿元、增速不低于20%的企业,按规定给予最高50万元奖励。",  # threshold and award
        "坚持“456”工作思路,推进“三个一”工程。",  # names with numbers
        "2023年全市规上工业增加值增长7.1%。",  # history
        "聚焦2至3个主导产业集中发力。",  # scope, not a goal
        "重点扶持年纳税额500万元以上企业。",  # a threshold on what follows
        "全市已有高新技术企业1200家。",  # history
        "推进千项技改、万企转型。",  # slogans
        "(2022年该指标为8.5%)",  # an aside in brackets
        "会议于2024年3月15日召开。",  # dates
    ],
)
def test_find_targets_skips_non_goals(sentence: str) -> None:
    assert targets(sentence) == []


def test_find_targets_skips_subject_quantity() -> None:
    found = targets("力争30家链主企业全年新增营业收入200亿元以上。")
    assert [(t.value, t.unit) for t in found] == [(200, "亿元")]


@pytest.mark.parametrize(
    ("text", "value"), [("五千", 5000), ("一万二千", 12000), ("千万", 10**7), ("十五", 15)]
)
def test_chinese_to_number_reads_numerals(text: str, value: int) -> None:
    assert chinese_to_number(text) == value


def test_find_targets_reads_goal_held_at_a_level() -> None:
    t = one("制造业增加值占全市生产总值的比重稳定在30%以上。")
    assert (t.measure, t.value, t.unit, t.qualifier) == ("share", 30, "%", "at_least")
    assert t.indicator == "制造业增加值占全市生产总值的比重"


def test_find_targets_reads_coordinated_counts_as_two_goals() -> None:
    found = targets("到2025年,培育形成3个百亿级产业集群和5个五十亿级产业集群。")
    assert [(t.value, t.unit, t.measure) for t in found] == [(3, "个", "level"), (5, "个", "level")]
    assert "百亿级产业集群" in found[0].indicator and "五十亿级产业集群" in found[1].indicator


def test_find_targets_reads_money_total_without_yuan() -> None:
    t = one("力争示例产业集群总量超过三千亿规模。")
    assert (t.value, t.unit, t.qualifier, t.measure) == (3000, "亿元", "at_least", "level")
    assert "示例产业集群总量" in t.indicator


def test_find_targets_skips_magnitude_used_as_a_name() -> None:
    assert [t.unit for t in targets("培育一批百亿企业和五百亿级产业集群。")] == []


def test_find_targets_reads_units_per_person() -> None:
    found = targets("工业劳动生产率超过40万元/人,机器人使用密度达200台/万人。")
    got = [(t.value, t.unit, t.qualifier) for t in found]
    assert got == [(40, "万元/人", "at_least"), (200, "台/万人", "exact")]


def test_find_targets_reads_value_added_total_as_level() -> None:
    t = one("工业增加值超过1.2万亿元。")
    assert (t.measure, t.value, t.unit, t.indicator) == ("level", 1.2, "万亿元", "工业增加值")


def test_find_targets_skips_rates_the_policy_sets() -> None:
    assert targets("城镇土地使用税税额标准下调至2—6元/平方米。") == []


def test_find_targets_reads_price_rise_as_growth() -> None:
    t = one("居民消费价格涨幅3%左右。")
    assert (t.measure, t.value, t.qualifier) == ("growth", 3, "about")


def test_find_targets_drops_aim_word_before_the_verb() -> None:
    t = one("示例产业力争突破800亿元。")
    assert (t.indicator, t.value, t.unit, t.qualifier) == ("示例产业", 800, "亿元", "at_least")


def test_find_targets_dates_later_goals_by_the_year_opening_the_section() -> None:
    text = (
        "示例市制造业发展实施意见\n一、发展目标\n到2029年,先进制造业基地基本建成。规模总量实现新突破,"
        "制造业增加值占GDP比重达到40%。\n——创新能力显著增强。研发机构覆盖率达到60%。\n"
        "二、重点任务\n(一)壮大集群。示例集群产值增长8%。\n"
    )
    found = parse_text(text).targets
    assert [(t.value, t.target_year) for t in found] == [(40, 2029), (60, 2029), (8, None)]


def test_parse_text_reads_goals_in_a_news_paragraph_naming_the_plan() -> None:
    text = (
        "2023-06-15 14:30:38\n"
        "6月15日,示例市人民政府办公厅印发《示例市推动制造业高质量发展三年行动计划(2023-2025年)》,"
        "到2025年,工业增加值超过1万亿元,工业投资年均增长5%。\n"
    )
    found = parse_text(text).targets
    assert [(t.indicator, t.value, t.unit, t.target_year) for t in found] == [
        ("工业增加值", 1, "万亿元", 2025),
        ("工业投资", 5, "%", 2025),
    ]


def test_find_targets_reads_bare_chao_and_milestones_as_at_least() -> None:
    found = targets("力争到2026年,规上工业产值迈上900亿元台阶;高新技术企业超260家。")
    got = [(t.value, t.unit, t.qualifier, t.measure) for t in found]
    assert got == [(900, "亿元", "at_least", "level"), (260, "家", "at_least", "level")]
    assert found[1].indicator == "高新技术企业"


def test_find_targets_reads_base_year_of_a_doubling() -> None:
    t = one("到2026年,示例企业在2023年的基础上实现倍增,数量突破80家。")
    assert (t.value, t.target_year, t.qualifier) == (80, 2026, "at_least")


def test_find_targets_applies_closing_qualifier_to_each_respective_value() -> None:
    found = targets("示例产业产值和示例服务收入分别增长6%和9%以上。")
    assert [(t.indicator, t.value, t.qualifier) for t in found] == [
        ("示例产业产值", 6, "at_least"),
        ("示例服务收入", 9, "at_least"),
    ]
    found = targets("培育示例工厂、示例车间分别达到12个、40个左右。")
    assert [t.qualifier for t in found] == ["about", "about"]


def test_find_targets_keeps_own_qualifiers_of_respective_values() -> None:
    found = targets("甲指标、乙指标、丙指标比2023年分别下降3%、4%以上、5%以上。")
    assert [t.qualifier for t in found] == ["exact", "at_least", "at_least"]


def test_find_targets_skips_every_value_of_a_threshold_list() -> None:
    assert targets("对示例企业,年收入首次突破500万元、1000万元、1亿元的,分别给予奖励。") == []


def test_find_targets_joins_hard_wrapped_lines() -> None:
    found = targets(
        "对示例平台认定的示例软件企业,年销售收入首次突破 1000\n万元的,给予奖励。"
        "到2026年,全市示例企业数量突破\n300家。"
    )
    assert [(t.value, t.unit, t.qualifier) for t in found] == [(300, "家", "at_least")]


def test_find_targets_reads_award_across_a_line_break_as_award() -> None:
    assert targets("对新认定的省级示例企业和示例车间,给予一次性奖励\n企业 50 万元。") == []


def test_find_targets_keeps_a_threshold_in_the_name_of_what_it_qualifies() -> None:
    found = targets("到2026年,建成营业收入超200亿元的园区5个、超50亿元的园区12个。")
    assert [(t.indicator, t.value, t.unit) for t in found] == [
        ("营业收入超200亿元的园区", 5, "个"),
        ("超50亿元的园区", 12, "个"),
    ]


def test_find_targets_keeps_a_threshold_before_a_noun_in_the_goal_name() -> None:
    t = one("到2026年,超百亿元企业数量较2023年翻一番。")
    assert (t.indicator, t.measure, t.value, t.unit) == ("超百亿元企业数量", "growth", 100, "%")


def test_find_targets_starts_the_name_after_listed_clauses_with_a_predicate() -> None:
    t = one("到2026年,园区管理体制全面理顺、配套设施明显改善、全市园区工业产值较2023年翻一番。")
    assert (t.indicator, t.measure, t.value, t.unit, t.base_year) == (
        "园区工业产值",
        "growth",
        100,
        "%",
        2023,
    )


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("开发区数量达到12个。", "开发区数量"),
        ("建成区绿化覆盖率达到45%。", "建成区绿化覆盖率"),
        ("建设智能工厂20个。", "智能工厂"),
    ],
)
def test_find_targets_keeps_a_verb_that_forms_a_noun_with_its_suffix(sentence: str, indicator: str) -> None:
    assert one(sentence).indicator == indicator


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("力争光伏和储能产业规模双双突破500亿元。", ["光伏产业规模", "储能产业规模"]),
        (
            "软件业和电子信息制造业营业收入分别达到300亿元和500亿元。",
            ["软件业营业收入", "电子信息制造业营业收入"],
        ),
        ("规上工业增加值和营业收入分别增长8%和10%。", ["规上工业增加值", "营业收入"]),
        ("国家级和省级专精特新企业分别达到10家和50家。", ["国家级专精特新企业", "省级专精特新企业"]),
        (
            "国家级、省级、市级绿色工厂分别达到5家、20家、50家。",
            ["国家级绿色工厂", "省级绿色工厂", "市级绿色工厂"],
        ),
    ],
)
def test_find_targets_shares_the_measured_head_among_coordinated_names(
    sentence: str, names: list[str]
) -> None:
    assert [t.indicator for t in targets(sentence)] == names


def test_find_targets_gives_a_bare_comparison_the_previous_name() -> None:
    found = targets("力争示例产业增加值增长55%以上、达到5.5万亿元。")
    assert [(t.indicator, t.measure, t.value) for t in found] == [
        ("示例产业增加值", "growth", 55),
        ("示例产业增加值", "level", 5.5),
    ]
    assert found[1].reasons["indicator"] == "指标名称沿用前一目标"


def test_find_targets_names_a_bare_total_after_the_previous_goal() -> None:
    found = targets("新开通示例基站15万个以上,总数达到30万个以上。")
    assert [(t.indicator, t.measure, t.value) for t in found] == [
        ("示例基站", "increase", 15),
        ("示例基站总数", "level", 30),
    ]


def test_find_targets_names_a_counted_noun_after_the_list_it_sums_up() -> None:
    t = one("形成沿江甲产业、沿海乙产业和山区丙产业等3个产业集聚带。")
    assert (t.indicator, t.value, t.unit) == ("产业集聚带", 3, "个")


def test_find_targets_reads_a_list_of_counted_goals_with_their_nouns() -> None:
    found = targets("加快打造10个示例甲集群、30个千亿级示例乙链和300个示例丙集群。")
    assert [(t.indicator, t.value) for t in found] == [
        ("示例甲集群", 10),
        ("千亿级示例乙链", 30),
        ("示例丙集群", 300),
    ]


def test_find_targets_skips_a_count_of_documents() -> None:
    assert targets("深入落实14个示例产业、未来产业等重点规划,推动产业发展。") == []


def test_find_targets_reads_a_count_raised_to_a_level_as_a_level() -> None:
    found = targets("示例企业数量增加到3000户,高新技术企业数量力争增加到260户。")
    assert [(t.indicator, t.measure, t.value) for t in found] == [
        ("示例企业数量", "level", 3000),
        ("高新技术企业数量", "level", 260),
    ]


def test_find_targets_reads_guo_before_a_bare_magnitude_as_at_least() -> None:
    t = one("示例产业主营收入规模过万亿元。")
    assert (t.indicator, t.qualifier, t.value * 1, t.unit) == ("示例产业主营收入规模", "at_least", 1e12, "元")


def test_find_targets_reads_a_doubling_on_a_base_year_and_a_doubled_share() -> None:
    found = targets("示例区制造业增加值年均增长20%,到2026年底确保在2023年基础上翻一番。")
    assert [(t.indicator, t.value, t.base_year) for t in found] == [
        ("示例区制造业增加值", 20, None),
        ("示例区制造业增加值", 100, 2023),
    ]
    t = one("示例核心产业增加值占GDP比重实现翻番。")
    assert (t.indicator, t.measure, t.value) == ("示例核心产业增加值占GDP比重", "growth", 100)


def test_find_targets_reads_a_value_named_as_the_goal() -> None:
    t = one("到2026年力争实现示例产业总产值突破1000亿元的目标。")
    assert (t.indicator, t.value, t.qualifier, t.target_year) == ("示例产业总产值", 1000, "at_least", 2026)


def test_find_targets_keeps_a_threshold_inside_a_counted_noun_phrase() -> None:
    t = one("打造4个收入规模超千亿元的示例产业。")
    assert (t.indicator, t.value, t.unit) == ("收入规模超千亿元的示例产业", 4, "个")


def test_find_targets_names_the_noun_a_long_description_qualifies() -> None:
    found = targets(
        "培养100名能够突破关键技术、带动新兴学科的示例领军人才,引进甲、乙、丙等高层次示例人才50名。"
    )
    assert [t.indicator for t in found] == ["示例领军人才", "高层次示例人才"]


def test_find_targets_reads_floors_of_counts_after_a_verb_of_doing() -> None:
    found = targets(
        "重点培养不少于10名示例后备人才,选拔资助不少于200名示例青年人才,对获奖企业给予100万元奖励。"
    )
    assert [(t.indicator, t.value, t.qualifier) for t in found] == [
        ("示例后备人才", 10, "at_least"),
        ("示例青年人才", 200, "at_least"),
    ]


def test_find_targets_reads_counts_in_an_item_after_its_span_as_increases() -> None:
    text = (
        "关于推进示例人才工程的实施意见\n2020年起5年内推进示例人才工程。\n一、重点项目\n"
        "1.示例人才项目。5年内引进示例专家20名。加强梯队建设,选拔培养10名示例青年人才。(牵头单位:市示例局)\n"
    )
    found = parse_text(text).targets
    assert [(t.indicator, t.measure, t.target_year) for t in found] == [
        ("示例专家", "increase", 2025),
        ("示例青年人才", "increase", 2025),
    ]


def test_find_targets_reads_no_quantity_in_an_item_number_or_in_rencai() -> None:
    text = (
        "关于推进示例人才工程的实施意见\n一、重点项目\n10.示例甲项目。开展培训。\n"
        "11.121人才梯队项目。培养示例后备人才。\n"
    )
    assert parse_text(text).targets == []


@pytest.mark.parametrize(
    "sentence",
    [
        "预计全年规模以上工业增加值增长5%左右。",  # an estimate
        "选择8个市(州)开展示例试点。",  # the scope of a pilot
        "试点期限为1—6个月。",  # a duration
        "实现工业倍增。",  # a campaign's name
    ],
)
def test_find_targets_skips_estimates_pilot_scopes_durations_and_campaigns(sentence: str) -> None:
    assert targets("力争示例产业规模达到100亿元。" + sentence)[1:] == []


@pytest.mark.parametrize("dash", ["―", "—", "-", "~"])
def test_find_targets_reads_a_range_with_any_dash_as_its_lower_bound(dash: str) -> None:
    t = one(f"培育2{dash}4个示例产业集群。")
    assert (t.value, t.qualifier, t.indicator) == (2, "at_least", "示例产业集群")


def test_find_targets_reads_a_measured_thing_doubling_as_growth() -> None:
    t = one("实现示例企业数量倍增。")
    assert (t.indicator, t.measure, t.value, t.unit) == ("示例企业数量", "growth", 100, "%")


def test_find_targets_reads_an_amount_after_a_rate_goal_as_a_level() -> None:
    found = targets("居民消费价格涨幅3%左右;示例粮食产量1.3万亿斤以上。")
    assert [(t.indicator, t.measure) for t in found] == [
        ("居民消费价格涨幅", "growth"),
        ("示例粮食产量", "level"),
    ]


def test_find_targets_skips_what_a_budget_arranges() -> None:
    found = targets(
        "示例产业规模突破100亿元。赤字率拟按3%安排,赤字规模4.06万亿元。拟安排示例专项债券3.9万亿元。"
    )
    assert [t.value for t in found] == [100]


def test_find_targets_reads_later_floors_of_a_list_and_counts_an_award_funds() -> None:
    found = targets("重点培养不少于10名示例甲人才,不少于20名示例乙人才。鼓励并资助250名示例丙人才出国培训。")
    assert [(t.indicator, t.value, t.qualifier) for t in found[:2]] == [
        ("示例甲人才", 10, "at_least"),
        ("示例乙人才", 20, "at_least"),
    ]
    assert (found[2].value, found[2].indicator[:5]) == (250, "示例丙人才")  # the name keeps 出国培训


def test_find_targets_reads_a_count_in_wan_without_its_unit() -> None:
    t = one("新增示例就业目标1200万;示例产业规模保持稳定。")
    assert (t.value, t.unit, t.measure) == (1200, "万", "increase")
