"""Which year a goal is due and why (item, paragraph, document), and reports whose numbers are results."""

from __future__ import annotations

from zhizao.plans.reading import parse_text


def goals(text: str) -> list[tuple[str, float, int | None]]:
    return [(t.indicator, t.value, t.target_year) for t in parse_text(text).targets]


def test_parse_text_dates_a_goal_by_the_year_in_its_own_sentence_and_says_so() -> None:
    text = "示例县2024年工作要点\n一、主要目标\n到2026年,示例产业产值突破50亿元。\n"
    target = parse_text(text).targets[0]
    assert target.target_year == 2026
    assert target.reasons["target_year"] == "年份取自目标所在句的“到2026年”"
    assert target.confidence >= 0.9


def test_parse_text_dates_a_news_paragraph_opened_by_a_year_but_not_the_next_one() -> None:
    text = (
        "示例省出台制造业行动方案\n时间:2023-05-10\n"
        "方案提出,到2025年示例产业规模突破1万亿元,示例企业达到500家。\n"
        "今年要新培育示例企业100家,新建示例工厂20个。\n"
    )
    assert goals(text) == [
        ("示例产业规模", 1, 2025),
        ("示例企业", 500, 2025),
        ("示例企业", 100, 2023),
        ("示例工厂", 20, 2023),
    ]
    last = parse_text(text).targets[-1]
    assert last.reasons["target_year"] == "年份取自“今年”等字样,即文件年份"


def test_parse_text_carries_a_paragraph_year_into_its_dash_bullets() -> None:
    text = (
        "示例市数字经济行动方案\n时间:2023-05-10\n到2025年,数字经济发展取得明显成效:\n"
        "——数字经济核心产业增加值突破800亿元。\n"
    )
    target = parse_text(text).targets[0]
    assert target.target_year == 2025
    assert target.reasons["target_year"] == "年份取自所在段落开头的“到2025年”"


def test_parse_text_counts_a_span_of_years_from_the_issue_year() -> None:
    text = (
        "示例省政府工作报告解读\n时间:2023-01-14\n"
        "用3年时间突破和推广应用150项示例产品。力争经过5年努力,示例产业规模达到2万亿元。\n"
    )
    found = parse_text(text).targets
    assert [(t.value, t.target_year) for t in found] == [(150, 2026), (2, 2028)]
    assert found[0].reasons["target_year"] == "年份由“用3年时间”自2023年起算"


def test_parse_text_falls_back_to_the_document_year_with_its_reason() -> None:
    text = "示例市2024年工业稳增长工作方案\n一、主要目标\n规模以上工业增加值增长6%左右。\n"
    target = parse_text(text).targets[0]
    assert target.target_year == 2024
    assert target.reasons["target_year"] == "年份取自文件年份(取自文件标题)"
    assert target.confidence < 0.9


def test_parse_text_reads_no_goals_in_a_review_section() -> None:
    text = (
        "示例县政府工作报告\n时间:2024-01-20\n回顾2023年工作成果\n"
        "全县地区生产总值增长6%,财政收入增长5%,新建示例项目12个。\n"
        "展望2024年工作目标\n确保地区生产总值增长7%,财政收入增长6%。\n"
    )
    assert goals(text) == [("地区生产总值", 7, 2024), ("财政收入", 6, 2024)]


def test_parse_text_reads_no_goals_under_a_numbered_review_heading() -> None:
    text = (
        "政府工作报告\n2019年3月2日在示例县人民代表大会上\n一、2018年工作回顾\n"
        "过去一年,全县地区生产总值完成46.1亿元,同比下降4.3%;一般公共预算收入增长16.0%。\n"
        "二、2019年主要目标\n2019年全县地区生产总值增长6%。\n"
    )
    assert goals(text) == [("全县地区生产总值", 6, 2019)]


def test_parse_text_dates_goals_by_a_period_the_body_states() -> None:
    text = (
        "关于推进示例人才工程的实施意见\n一、总体目标\n1.目标。2012年起5年内,培养示例人才达到2000名左右。\n"
        "二、重点项目\n2.示例人才项目。5年内重点引进示例领军人才100名。(牵头单位:市示例局)\n"
        "3.示例岗位项目。设立50个示例特聘岗位。(牵头单位:市示例局)\n"
    )
    assert [(t.value, t.target_year) for t in parse_text(text).targets] == [
        (2000, 2017),
        (100, 2017),
        (50, 2017),
    ]


def test_parse_text_reads_a_scorecard_of_last_year_as_results() -> None:
    text = (
        "示例报告摘要与导读\n时间:2025-01-17\n■ 2024年成绩单\n●示例产量达到557亿斤\n"
        "■ 2025年主要预期目标\n●示例产量继续保持500亿斤以上\n"
    )
    assert goals(text) == [("示例产量", 500, 2025)]
