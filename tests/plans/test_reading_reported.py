"""Results reported as achievements are not goals (zhizao.plans.reading.reported), with made-up sentences."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import parse_text
from zhizao.plans.reading.reported import reports_results

NEWS = (
    "示例局多措并举推动工业发展\n发布日期:2024-08-01 来源:示例局\n"
    "今年以来,全区工业系统围绕决策部署,推动工业经济平稳发展,加快项目建设,培育企业,强化服务,"
    "促进产业升级,实施技术改造,支持企业创新,落实惠企政策,完善要素保障。\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "上半年,全区完成工业投资88.5亿元,同比增长12.3%",
        "1—6月,新增规上企业23户",
        "前三季度,实现工业产值300亿元",
        "新开工项目41个,同比增加5个",
        "增加值增速高于全省平均增速3.1个百分点",
        "技改投资增速全省第三",
        "示例企业营业收入同比翻番",
    ],
)
def test_reports_results_reads_a_period_so_far_or_a_comparison_as_a_report(sentence: str) -> None:
    assert reports_results(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "力争上半年,完成工业投资50亿元",
        "到2026年,规上工业增加值同比增长8%",
        "全年预期目标是工业产值同比增长7%左右",
        "确保新增规上企业30户以上",
    ],
)
def test_reports_results_keeps_a_sentence_with_a_goal_marker(sentence: str) -> None:
    assert not reports_results(sentence)


def test_reports_results_keeps_a_comparison_under_a_goal_heading() -> None:
    assert not reports_results("规上工业增加值同比增长6%左右", among_goals=True)
    assert reports_results("上半年,规上工业增加值同比增长6%", among_goals=True)


def test_parse_text_reads_no_goals_from_a_news_paragraph_of_results() -> None:
    text = NEWS + (
        "二是狠抓项目建设。上半年,全区完成工业投资88.5亿元,同比增长12.3%,高于全市平均增速2.1个百分点;"
        "新竣工亿元以上项目分别为31个、20个,同比分别增加4个、3个。\n"
        "三是培育企业梯队。上半年,新增专精特新企业12户,累计86户,全市第二。\n"
    )
    assert parse_text(text).targets == []


def test_parse_text_keeps_a_goal_beside_results_in_a_news_item() -> None:
    text = NEWS + ("上半年,全区完成工业投资88.5亿元,同比增长12.3%。力争全年完成工业投资180亿元。\n")
    (target,) = parse_text(text).targets
    assert (target.value, target.unit) == (180, "亿元")


def test_parse_text_reads_a_review_sentence_inside_a_paragraph_as_results() -> None:
    text = NEWS + (
        "报告提出,2025年全区主要预期目标是地区生产总值增长6%以上。"
        "回顾过去5年的工作,全区三个主导产业产值分别达到300亿、500亿级规模。\n"
    )
    (target,) = parse_text(text).targets
    assert (target.measure, target.value, target.unit) == ("growth", 6, "%")
