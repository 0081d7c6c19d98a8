"""Structure, metadata, notes and deadlines of made-up policy texts."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import parse_text
from zhizao.plans.reading.deadlines import parse_deadline
from zhizao.plans.reading.normalize import normalize
from zhizao.plans.reading.notes import parse_note
from zhizao.plans.reading.units import split_units

DOC = """示例市人民政府办公室 关于推进示例产业提质发展的实施意见
示政办发〔2023〕12号
一、总体目标
到2025年,示例产业营业收入达到800亿元左右。
二、重点任务
(一)夯实产业基础
1. 建设公共平台。建成一批检测平台。(牵头单位:市示例局;责任单位:各区(县);完成时限:2024年9月)
2. 培育骨干企业。支持企业做大做强(2021—2023年累计投入6.5亿元)。(此件公开发布)
(二)优化营商环境
3. 提升审批效率。推行并联审批。〔牵头单位:市审批局,责任单位:各区〔县〕政府;完成时限:年底前〕
"""


def task_paths(text: str) -> list[tuple[str, ...]]:
    return [tuple(t.path) for t in parse_text(text).tasks]


def test_parse_text_reads_hierarchy_by_marker_type() -> None:
    assert task_paths(DOC) == [("二", "(一)", "1"), ("二", "(一)", "2"), ("二", "(二)", "3")]


def test_parse_text_reads_title_number_issuer_and_year() -> None:
    extraction = parse_text(DOC)
    assert extraction.title == "关于推进示例产业提质发展的实施意见"
    assert extraction.doc_number == "示政办发〔2023〕12号"
    assert extraction.issuer == "示例市人民政府办公室"
    assert extraction.year == 2023


@pytest.mark.parametrize("number", ["示政发[2022]5号", "示政发(2021)8号"])
def test_parse_text_reads_doc_number_bracket_forms(number: str) -> None:
    text = DOC.replace("示政办发〔2023〕12号", number)
    assert parse_text(text).doc_number == number


def test_parse_text_skips_levels_by_marker_type() -> None:
    text = (
        "一、主要任务\n1. 加快技术改造。推进设备更新。(市示例局负责)\n"
        "2. 加强人才培养。开展培训。(市人社局负责)\n"
    )
    assert task_paths(text) == [("一", "1"), ("一", "2")]


def test_parse_text_ignores_heading_look_alikes() -> None:
    text = (
        "一、重点任务\n(一)强化创新。支持研发投入。\n6.5%的企业完成改造。\n"
        "(2022—2025年)\n(此件公开发布)\n(二)扩大开放。推进合作。\n"
    )
    assert task_paths(text) == [("一", "(一)"), ("一", "(二)")]


def test_parse_text_takes_inline_title_up_to_first_full_stop() -> None:
    tasks = parse_text(DOC).tasks
    assert tasks[0].title == "建设公共平台"
    assert tasks[0].number == "1"


def test_parse_text_ignores_web_page_noise() -> None:
    text = (
        "示例资讯网\n登录\n"
        + DOC
        + "上一篇:示例新闻\n下一篇:另一条新闻\n分享到:\n首页|导航|关于我们|联系我们\n"
    )
    extraction = parse_text(text)
    assert extraction.title == "关于推进示例产业提质发展的实施意见"
    assert len(extraction.tasks) == 3


def test_parse_text_reads_bracketed_note_with_nested_brackets() -> None:
    assignment = parse_text(DOC).tasks[2].assignments[0]
    assert assignment.lead_units == ["市审批局"]
    assert assignment.responsible_units == ["各区(县)政府"]
    assert assignment.deadline == "2023-12-31"
    assert assignment.deadline_text == "年底前"


def test_parse_text_reads_separate_label_lines() -> None:
    text = (
        "一、工作任务\n(一)完善标准体系。制定地方标准。\n牵头单位:市市场监管局\n责任单位:市示例局、市财政局\n"
        "完成时限:2024年10月底前\n(二)加强宣传。开展专题宣传。\n牵头单位:市委宣传部\n"
    )
    first, second = parse_text(text).tasks
    assert first.assignments[0].lead_units == ["市市场监管局"]
    assert first.assignments[0].responsible_units == ["市示例局", "市财政局"]
    assert first.assignments[0].deadline == "2024-10-31"
    assert second.assignments[0].lead_units == ["市委宣传部"]


def test_parse_note_reads_verb_form() -> None:
    assignment = parse_note("市示例局牵头,市财政局、各区(县)按职责分工负责")
    assert assignment is not None
    assert assignment.lead_units == ["市示例局"]
    assert assignment.responsible_units == ["市财政局", "各区(县)"]


def test_parse_note_treats_responsible_as_lead_without_lead() -> None:
    assignment = parse_note("责任单位:市示例局、市统计局;完成时限:全年")
    assert assignment is not None
    assert assignment.lead_units == ["市示例局", "市统计局"]
    assert assignment.responsible_units == []


def test_parse_note_reads_cooperating_units() -> None:
    assignment = parse_note("牵头单位:市示例局;配合单位:市税务局,市统计局")
    assert assignment is not None
    assert assignment.cooperating_units == ["市税务局", "市统计局"]


def test_parse_note_rejects_ordinary_brackets() -> None:
    assert parse_note("含技术改造项目") is None
    assert parse_note("2021—2023年") is None


def test_parse_text_carries_note_marked_same_below() -> None:
    text = (
        "一、重点工作\n1. 推进园区建设。完善配套。(市示例局牵头,各区负责,下同)\n"
        "2. 推进项目落地。加快开工。\n3. 优化服务。建立专员制度。(市审批局负责)\n"
    )
    tasks = parse_text(text).tasks
    assert tasks[1].assignments[0].lead_units == ["市示例局"]
    assert tasks[1].assignments[0].responsible_units == ["各区"]
    assert tasks[2].assignments[0].lead_units == ["市审批局"]


def test_parse_text_uses_period_in_heading_as_deadline() -> None:
    text = (
        "示例县工作方案\n一、实施步骤\n(一)动员部署阶段(2021年1月至6月)。制定方案。(县示例局负责)\n"
        "(二)全面推进阶段(2021年7月至2022年3月)。组织实施。(各乡镇负责)\n"
    )
    first, second = parse_text(text).tasks
    assert first.assignments[0].deadline == "2021-06-30"
    assert second.assignments[0].deadline == "2022-03-31"


def test_parse_text_reads_flattened_table_rows() -> None:
    text = (
        "示例市重点任务分工方案(2024年)\n一、任务分工\n序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
        "1\t建设算力中心\t市示例局\t市财政局、各区\t2024年6月底前\n"
        "2\t培育数据企业\t市数据局\t各区\t全年\n"
    )
    tasks = parse_text(text).tasks
    assert [t.path for t in tasks] == [["一", "1"], ["一", "2"]]
    assert tasks[0].assignments[0].responsible_units == ["市财政局", "各区"]
    assert tasks[0].assignments[0].deadline == "2024-06-30"
    assert tasks[1].assignments[0].deadline == "2024-12-31"


def test_parse_text_makes_section_with_notes_an_unnumbered_task() -> None:
    text = (
        "一、重点任务\n(一)推进改造。实施改造。(市示例局负责)\n二、保障措施\n"
        "强化资金保障。(市财政局负责;完成时限:全年)\n"
    )
    last = parse_text(text).tasks[-1]
    assert (last.path, last.number, last.title) == (["二"], "", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年", "2024-12-31"),
        ("2024年6月", "2024-06-30"),
        ("年底前", "2024-12-31"),
        ("2022年10月底前", "2022-10-31"),
        ("2025年上半年", "2025-06-30"),
        ("三季度", "2024-09-30"),
        ("长期坚持", None),
    ],
)
def test_parse_deadline_normalises_to_last_day(text: str, expected: str | None) -> None:
    assert parse_deadline(text, 2024) == expected


def test_split_units_keeps_bracketed_names() -> None:
    assert split_units("市示例局、各区(市)、功能区等") == ["市示例局", "各区(市)", "功能区等"]


def test_normalize_maps_width_and_script_back_to_offsets() -> None:
    original = "發展目標:（一）增長６．５％"
    norm = normalize(original)
    assert norm.text == "发展目标:(一)增长6.5%"
    start = norm.text.index("6.5%")
    begin, end = norm.source_span(start, start + 4)
    assert original[begin:end] == "６．５％"


def test_parse_text_reads_traditional_and_full_width_text() -> None:
    text = (
        "一、重點任務\n"
        "（一）推進改造。新增示範企業１０家以上。（牽頭單位：市示例局；完成時限：２０２４年６月）\n"
    )
    extraction = parse_text(text)
    assert extraction.tasks[0].path == ["一", "(一)"]
    assert extraction.tasks[0].assignments[0].lead_units == ["市示例局"]
    assert extraction.targets[0].value == 10
    begin, end = extraction.targets[0].span
    assert text[begin:end].startswith("新增示範企業")


def test_parse_text_reads_division_label_with_verb_form() -> None:
    text = (
        "2021年示例市重点任务分工方案\n一、主要预期目标\n1.地区生产总值增长6%以上。\n分管市领导:张三\n"
        "部门分工:市发展改革委牵头,各区、各部门配合。\n2.地方一般公共预算收入增长5%左右。\n部门分工:市财政局牵头,\n"
    )
    first, second = parse_text(text).tasks
    a = first.assignments[0]
    assert (a.lead_units, a.cooperating_units, a.deadline) == (["市发展改革委"], ["各区", "各部门"], None)
    assert second.assignments[0].lead_units == ["市财政局"]


def test_parse_text_reads_first_named_unit_as_lead() -> None:
    text = (
        "示例市降低企业成本若干措施\n一、政策措施\n1.降低用地成本。落实税收政策。"
        "(责任单位:市税务局、市财政局,排在首位的为牵头单位,下同)\n2.降低用电成本。落实电价政策。\n"
    )
    first, second = parse_text(text).tasks
    for task in (first, second):
        assert task.assignments[0].lead_units == ["市税务局"]
        assert task.assignments[0].responsible_units == ["市财政局"]


def test_parse_text_ignores_dates_in_lead_in_and_section_year() -> None:
    text = (
        "示例市若干措施\n一、2021年主要工作\n1.全市土地使用税标准自2019年1月1日起按新标准执行。完善政策。"
        "(责任单位:市税务局)\n"
    )
    (task,) = parse_text(text).tasks
    assert task.assignments[0].deadline is None


def test_parse_text_applies_note_after_group_to_each_sub_item() -> None:
    text = (
        "示例市应急能力建设规划责任分解\n"
        "(一)完善体系\n1.健全预案\n(1)修订现有预案。\n(2)开展预案演练。\n(责任单位:市应急局、各区人民政府)\n"
        "2.健全机制\n(1)建设指挥平台。(牵头单位:市大数据局)\n(2)完善值守制度。\n"
    )
    tasks = parse_text(text).tasks
    leads = {tuple(t.path): [a.lead_units for a in t.assignments] for t in tasks}
    assert leads[("(一)", "1", "(1)")] == [["市应急局", "各区人民政府"]]
    assert leads[("(一)", "1", "(2)")] == [["市应急局", "各区人民政府"]]
    assert leads[("(一)", "2", "(1)")] == [["市大数据局"]]
    assert leads[("(一)", "2", "(2)")] == []


def test_parse_text_reads_year_from_publication_date_line() -> None:
    text = (
        "示例市政府工作报告提出今年目标\n2023-01-05 09:30\n"
        "报告提出,今年全市地区生产总值增长6%左右,推动产业转型升级。\n"
    )
    extraction = parse_text(text)
    assert extraction.year == 2023
    assert extraction.targets[0].target_year == 2023


def test_parse_text_reads_an_item_whose_title_starts_with_digits() -> None:
    text = (
        "一、重点项目\n9.示例甲项目。建设平台。(牵头单位:市甲局)\n10.示例乙项目。培养人才。(牵头单位:市乙局)\n"
        "11.121人才梯队项目。培养后备人才。(牵头单位:市丙局)\n12.示例丁项目。开展培训。(牵头单位:市丁局)\n"
    )
    assert [t.number for t in parse_text(text).tasks] == ["9", "10", "11", "12"]


def test_parse_text_keeps_a_decimal_at_line_start_as_body_text() -> None:
    text = "一、主要任务\n1.建设平台。建成一批平台。\n6.5亿元用于平台建设。\n2.培育企业。支持企业发展。\n"
    assert task_paths(text) == [("一", "1"), ("一", "2")]
