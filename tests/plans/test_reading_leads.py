"""Who leads: each rule of zhizao.plans.reading.leads and notes, with made-up sentences."""

from __future__ import annotations

import pytest

from zhizao.plans.reading import parse_text
from zhizao.plans.reading.leads import states_first_leads
from zhizao.plans.reading.notes import parse_note


@pytest.mark.parametrize(
    "statement",
    [
        "列首位者为牵头单位",
        "排在第一位的为牵头单位",
        "第一个单位为牵头单位",
        "排名第一的为牵头部门",
        "排名第一的单位为牵头单位",
        "列在首位的部门为牵头部门",
        "位列第一的是牵头单位",
        "排在前面的为牵头单位",
        "第1位为主要牵头单位",
        "首个单位为牵头单位",
    ],
)
def test_states_first_leads_reads_any_wording_of_the_position_statement(statement: str) -> None:
    assert states_first_leads(statement)
    note = parse_note(f"责任单位:市甲局、市乙局、市丙局,{statement}")
    assert note is not None
    assert (note.lead_units, note.responsible_units) == (["市甲局"], ["市乙局", "市丙局"])
    assert note.reasons["lead_units"] == "列第一位者为牵头单位"


@pytest.mark.parametrize("text", ["牵头推进第一批项目建设", "排名第一的企业给予奖励", "首位度提升为牵头工作"])
def test_states_first_leads_ignores_sentences_about_other_things(text: str) -> None:
    assert not states_first_leads(text)


def test_parse_text_applies_a_standalone_position_statement_to_later_bare_unit_lists() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n"
        "各项任务中列首位者为牵头单位。\n"
        "一、重点任务\n"
        "(一)推进设备更新。实施技改项目。(市甲局、市乙局)\n"
        "(二)培育企业。加大支持。(市丙局、市丁局、各区政府)\n"
    )
    tasks = parse_text(text).tasks
    notes = [t.assignments[0] for t in tasks]
    assert [(n.lead_units, n.responsible_units) for n in notes] == [
        (["市甲局"], ["市乙局"]),
        (["市丙局"], ["市丁局", "各区政府"]),
    ]
    assert all(n.reasons["lead_units"] == "列第一位者为牵头单位(上文约定)" for n in notes)


def test_parse_text_carries_a_position_statement_with_xiatong_to_later_notes() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进设备更新。实施技改项目。(责任单位:市甲局、市乙局,排在第一位的为牵头单位,下同)\n"
        "(二)培育企业。加大支持。(责任单位:市丙局、市丁局)\n"
        "(三)优化服务。提升效率。\n"
    )
    tasks = parse_text(text).tasks
    second, third = tasks[1].assignments[0], tasks[2].assignments[0]
    assert (second.lead_units, second.responsible_units) == (["市丙局"], ["市丁局"])
    assert (third.lead_units, third.responsible_units) == (["市甲局"], ["市乙局"])
    assert "下同" in third.reasons["lead_units"]
    assert third.confidence < tasks[0].assignments[0].confidence


def test_parse_text_reads_bare_brackets_as_text_without_a_position_statement() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进设备更新。实施技改项目(含市甲局、市乙局)。(市甲局负责)\n"
    )
    note = parse_text(text).tasks[0].assignments
    assert [(n.lead_units, n.responsible_units) for n in note] == [(["市甲局"], [])]


def test_parse_note_reads_units_split_by_a_full_width_comma() -> None:
    note = parse_note("市甲局,市乙局牵头,各区政府配合")
    assert note is not None
    assert (note.lead_units, note.cooperating_units) == (["市甲局", "市乙局"], ["各区政府"])
    labelled = parse_note("牵头单位:市甲局,市乙局;责任单位:各区政府")
    assert labelled is not None
    assert (labelled.lead_units, labelled.responsible_units) == (["市甲局", "市乙局"], ["各区政府"])


def test_parse_text_reads_a_note_with_full_width_punctuation() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进更新。实施改造。（市甲局，市乙局牵头，各区政府配合）\n"
    )
    note = parse_text(text).tasks[0].assignments[0]
    assert (note.lead_units, note.cooperating_units) == (["市甲局", "市乙局"], ["各区政府"])


@pytest.mark.parametrize(
    ("content", "deadline_text"),
    [
        ("市甲局牵头,各区政府配合,持续推进", "持续推进"),
        ("责任单位:市甲局、市乙局,2024年底前完成", "2024年底前完成"),
        ("市甲局负责,完成时间视情况确定", None),
        ("牵头单位:市甲局;责任单位:市乙局;时限:长期坚持", "长期坚持"),
        ("市甲局牵头;时间:2024年底前", "2024年底前"),
        ("市甲局牵头,完成时限:2024年底前", "2024年底前"),
        ("市甲局负责。2024年底前完成", "2024年底前完成"),
        ("责任单位:市甲局;时间:2024年", "2024年"),
    ],
)
def test_parse_note_reads_a_last_part_that_is_no_unit(content: str, deadline_text: str | None) -> None:
    note = parse_note(content)
    assert note is not None
    assert note.lead_units[0] == "市甲局"
    named = note.lead_units + note.responsible_units + note.cooperating_units
    assert all("年" not in u and "推进" not in u and "情况" not in u for u in named)
    assert note.deadline_text == deadline_text


@pytest.mark.parametrize(
    ("content", "lead", "responsible", "cooperating", "reason"),
    [
        ("市甲局、市乙局牵头负责", ["市甲局", "市乙局"], [], [], "注明“牵头”"),
        ("市甲局牵头,市乙局、市丙局配合", ["市甲局"], [], ["市乙局", "市丙局"], "注明“牵头”"),
        ("牵头单位:市甲局;责任单位:市乙局", ["市甲局"], ["市乙局"], [], "注明“牵头单位”"),
        ("责任单位:市甲局、市乙局", ["市甲局", "市乙局"], [], [], "未注明牵头单位,责任单位视为牵头"),
    ],
)
def test_parse_note_says_why_the_lead_was_read(
    content: str, lead: list[str], responsible: list[str], cooperating: list[str], reason: str
) -> None:
    note = parse_note(content)
    assert note is not None
    assert (note.lead_units, note.responsible_units, note.cooperating_units) == (
        lead,
        responsible,
        cooperating,
    )
    assert note.reasons["lead_units"] == reason


def test_parse_note_is_less_sure_when_the_lead_is_guessed() -> None:
    stated = parse_note("牵头单位:市甲局;责任单位:市乙局")
    position = parse_note("责任单位:市甲局、市乙局,列首位者为牵头单位")
    guessed = parse_note("责任单位:市甲局、市乙局")
    bare = parse_note("市甲局、市乙局", first_leads=True)
    assert stated and position and guessed and bare
    assert stated.confidence > position.confidence > guessed.confidence
    assert bare.confidence < stated.confidence
    assert parse_note("市甲局、市乙局") is None
    sole = parse_note("责任单位:市甲局")
    assert sole and sole.reasons["lead_units"] == "仅列一个单位,即牵头单位"
    assert sole.confidence > guessed.confidence


def test_parse_text_gives_a_table_lead_column_its_reason() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n"
        "序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
        "1\t建设算力中心\t市甲局\t市乙局\t2024年6月底前\n"
    )
    note = parse_text(text).tasks[0].assignments[0]
    assert note.lead_units == ["市甲局"]
    assert note.reasons["lead_units"] == "取自表格“牵头单位”列"


def test_parse_text_applies_a_note_above_a_task_table_to_its_rows() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n"
        "注:表中责任单位排在第一位的为牵头单位。\n"
        "序号\t重点任务\t责任单位\t完成时限\n"
        "1\t建设算力中心\t市甲局、市乙局\t2024年6月底前\n"
        "2\t培育数据企业\t市丙局\t全年\n"
    )
    notes = [t.assignments[0] for t in parse_text(text).tasks]
    assert [(n.lead_units, n.responsible_units) for n in notes] == [
        (["市甲局"], ["市乙局"]),
        (["市丙局"], []),
    ]
    assert notes[0].reasons["lead_units"] == "列第一位者为牵头单位(上文约定)"


def test_parse_text_keeps_a_note_with_its_own_units_local() -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进设备更新。实施改造。(责任单位:市甲局、市乙局,列首位者为牵头单位)\n"
        "(二)培育企业。加大支持。(责任单位:市丙局、市丁局)\n"
    )
    second = parse_text(text).tasks[1].assignments[0]
    assert (second.lead_units, second.responsible_units) == (["市丙局", "市丁局"], [])


def test_parse_note_drops_the_duty_phrase_and_an_explanatory_sentence_after_the_units() -> None:
    note = parse_note(
        "责任单位:市甲局、市乙委、丙厅按职责分工负责。具体任务均涉及各区人民政府,不再做分工,下同"
    )
    assert note is not None
    assert note.lead_units == ["市甲局", "市乙委", "丙厅"]
    assert note.carries_forward


def test_parse_note_keeps_a_time_sentence_after_the_units() -> None:
    note = parse_note("责任单位:市甲局、市乙委分别负责。2025年底前完成")
    assert note is not None
    assert note.lead_units == ["市甲局", "市乙委"]
    assert note.deadline_text == "2025年底前完成"
