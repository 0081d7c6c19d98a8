"""Title and year of made-up documents: titles over two lines, cover notices, headlines, dated news."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import parse_text

BODY = "一、主要任务\n1.建设平台。建成一批平台。(牵头单位:市示例局)\n"


def test_parse_text_joins_a_title_split_over_two_lines() -> None:
    text = (
        "示例省人民政府关于推动示例产业高质量发展\n奋力开创示例工作新局面的意见\n示政发〔2023〕9号\n" + BODY
    )
    extraction = parse_text(text)
    assert extraction.title == "关于推动示例产业高质量发展奋力开创示例工作新局面的意见"
    assert extraction.reasons["title"] == "标题跨两行,已合并"


def test_parse_text_keeps_a_bracketed_qualifier_line_with_the_title() -> None:
    text = "关于促进示例企业发展的实施意见\n(试行)\n" + BODY
    assert parse_text(text).title == "关于促进示例企业发展的实施意见(试行)"


def test_parse_text_takes_the_issued_document_from_a_cover_notice() -> None:
    text = (
        "示例市人民政府关于印发《示例市数字经济行动方案》的通知\n各区人民政府:\n现将方案印发给你们。\n" + BODY
    )
    extraction = parse_text(text)
    assert extraction.title == "示例市数字经济行动方案"
    assert extraction.reasons["title"] == "取自印发通知中的《》书名"


def test_parse_text_joins_a_headline_wrapped_onto_a_short_line() -> None:
    text = (
        "报告速读丨2026年示例产业增加值\n占生产总值比重超20%\n\n示例网 时间:2024-01-10\n"
        "报告提出,到2026年示例产业规模突破100亿元。\n"
    )
    extraction = parse_text(text)
    assert extraction.title == "报告速读丨2026年示例产业增加值占生产总值比重超20%"
    # the year in a dated headline is a goal's year: the item is dated 2024
    assert extraction.year == 2024
    assert extraction.reasons["year"] == "取自发布日期"


def test_parse_text_drops_pictographs_from_a_headline() -> None:
    text = "示例县2024工作报告📜\n展望2024年工作目标🎯\n确保地区生产总值增长6%,财政收入增长5%。\n"
    extraction = parse_text(text)
    assert extraction.title == "示例县2024工作报告"
    assert extraction.year == 2024


def test_parse_text_reads_the_year_from_a_period_the_body_states() -> None:
    text = (
        "关于推进示例人才工程的实施意见\n一、总体目标\n1.目标。2020年起5年内,培养示例人才达到500名。\n" + BODY
    )
    extraction = parse_text(text)
    assert extraction.year == 2025
    assert "2020年起5年内" in extraction.reasons["year"]


def test_parse_text_skips_breadcrumbs_link_rows_and_forum_bylines() -> None:
    text = (
        "示例政府网 示例省政府 示例市政府\n当前位置:首页 > 政务要闻 > 正文\n"
        "someone 发表于 2023-2-23 09:34:58\n示例市出台示例产业三年行动方案\n"
        "方案提出,到2025年示例产业规模突破100亿元。\n"
    )
    assert parse_text(text).title == "示例市出台示例产业三年行动方案"


def test_parse_text_takes_no_title_from_a_document_the_text_cites() -> None:
    text = (
        "为深入贯彻落实《示例省人民政府关于推进示例产业发展的意见》,结合我市实际,制定如下措施。\n"
        "近日,示例市印发《示例市示例产业提升行动方案》,提出到2026年示例产业规模突破100亿元,"
        "示例企业达到50家,推动示例产业集群发展。\n"
    )
    assert parse_text(text).title == "示例市示例产业提升行动方案"


def test_parse_text_takes_the_issued_document_from_a_notice_without_whole_book_title_marks() -> None:
    text = (
        "示例区人民政府办公室关于印发2024年区《政府工作报告》确定的重点任务分解方案的通知\n"
        "各街道办事处,区政府各部门:\n现将方案印发给你们。\n"
        "2024年区《政府工作报告》确定的重点任务分解方案\n" + BODY
    )
    extraction = parse_text(text)
    assert extraction.title == "2024年区《政府工作报告》确定的重点任务分解方案"
    assert extraction.reasons["title"] == "取自印发通知所印发的文件名"


def test_parse_text_takes_the_headline_below_breadcrumbs_not_a_site_banner() -> None:
    text = (
        "某某娱乐_在线下注app下载-官方网站\n您所在的位置: 首页 新闻 部门动态\n示例局推动工业稳增长\n"
        "发布日期:2024-07-01 来源:示例局\n上半年,全区工业运行平稳,推进项目建设,培育企业,加强服务,"
        "支持创新,促进发展,落实政策,完善保障,强化调度。\n" * 3
    )
    assert parse_text(text).title == "示例局推动工业稳增长"


def test_parse_text_takes_the_line_above_the_dateline_as_the_headline() -> None:
    text = (
        "示例门户网站 欢迎您\n示例市出台工业十条\n发布时间:2024-03-02\n"
        "示例市推进工业发展,加强企业培育,支持技术改造,促进数字化转型,落实惠企政策,完善要素保障。\n" * 3
    )
    assert parse_text(text).title == "示例市出台工业十条"


def test_parse_text_reads_no_title_from_a_salutation() -> None:
    text = (
        "各位代表:\n现在,我代表区人民政府向大会报告工作。\n一、主要任务\n"
        "1.建设平台。推进示例平台建设,加强服务,支持企业发展。\n"
    )
    assert parse_text(text).title is None


@pytest.mark.parametrize("decoration", ["******", "★★", "■", "=== "])
def test_parse_text_trims_page_decoration_from_a_headline(decoration: str) -> None:
    text = f"示例市工业稳增长十条措施发布{decoration}\n" + BODY
    assert parse_text(text).title == "示例市工业稳增长十条措施发布"
