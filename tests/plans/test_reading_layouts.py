"""Layouts of real documents in made-up text: task tables copied as text, 第X条 articles, notes with
remarks in nested brackets."""

from __future__ import annotations

from zhizao.plans.reading import parse_text
from zhizao.plans.reading.notes import parse_note

HEAD = "示例区2024年制造业重点任务分工表\n"


def _tasks(text: str) -> list[dict]:
    return parse_text(text).to_json()["tasks"]


def test_parse_text_reads_table_rows_split_by_runs_of_spaces() -> None:
    text = (
        HEAD + "序号    重点任务    牵头单位    责任单位    完成时限\n"
        "1    推进示例园区扩能    区示例局    区甲局、区乙局    2024年10月\n"
        "2    开展示例评价    区丙局    区丁局    全年\n"
    )
    tasks = _tasks(text)
    assert [t["path"] for t in tasks] == [["1"], ["2"]]
    assert tasks[0]["title"] == "推进示例园区扩能"
    assert tasks[0]["assignments"][0]["responsible_units"] == ["区甲局", "区乙局"]
    assert tasks[1]["assignments"][0]["deadline"] == "2024-12-31"


def test_parse_text_puts_deadline_of_short_row_under_its_column() -> None:
    text = (
        HEAD
        + "序号    重点任务    牵头单位    责任单位    完成时限\n1    储备示例项目    区示例局    2024年9月\n"
    )
    assignment = _tasks(text)[0]["assignments"][0]
    assert (assignment["lead_units"], assignment["responsible_units"]) == (["区示例局"], [])
    assert assignment["deadline"] == "2024-09-30"


def test_parse_text_reads_table_written_one_cell_per_line() -> None:
    cells = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "一、示例工作"]
    cells += ["1", "建设示例平台3个", "市示例局", "市甲局、各区(市)政府", "2024年三季度"]
    cells += ["2", "完善示例机制", "市乙局", "市丙局", "2024年6月底前", "二、保障措施", "加强组织领导。"]
    data = parse_text("示例市2024年重点工作任务清单\n" + "\n".join(cells) + "\n").to_json()
    assert [t["path"] for t in data["tasks"]] == [["一", "1"], ["一", "2"]]
    first = data["tasks"][0]["assignments"][0]
    assert first["cooperating_units"] == ["市甲局", "各区(市)政府"]
    assert first["deadline"] == "2024-09-30"
    assert [(t["indicator"], t["value"], t["unit"]) for t in data["targets"]] == [("示例平台", 3, "个")]


def test_parse_text_reads_goal_in_task_cell_without_row_number() -> None:
    text = HEAD + "序号\t重点任务\t牵头单位\t完成时限\n1\t示例产业产值增长8%左右\t区示例局\t2024年12月底\n"
    found = parse_text(text).to_json()["targets"]
    assert [(t["indicator"], t["value"], t["qualifier"]) for t in found] == [("示例产业产值", 8, "about")]


def test_parse_text_reads_articles_as_items() -> None:
    text = (
        "示例市支持制造业发展的若干措施\n"
        "为支持制造业发展,制定以下措施。\n"
        "第一条 支持示例改造。对示例项目给予补助。(责任单位:市示例局、市财政局)\n"
        "第二条 培育示例企业。对示例企业给予奖励。(市甲局牵头,市乙局配合)\n"
        "第三条 本措施自2024年1月1日起施行,由市示例局负责解释。\n"
    )
    tasks = _tasks(text)
    assert [(t["number"], t["path"], t["title"]) for t in tasks] == [
        ("一", ["一"], "支持示例改造"),
        ("二", ["二"], "培育示例企业"),
    ]
    assert tasks[1]["assignments"][0]["cooperating_units"] == ["市乙局"]


def test_parse_note_drops_duty_remark_in_nested_brackets() -> None:
    assignment = parse_note("责任单位:市示例局、市财政局(按职责分工负责)")
    assert assignment is not None
    assert assignment.lead_units == ["市示例局", "市财政局"]


def test_parse_note_reads_first_unit_leads_in_nested_brackets() -> None:
    assignment = parse_note("责任单位:市甲局、市乙局(排名第一的为牵头单位);完成时限:长期坚持")
    assert assignment is not None
    assert (assignment.lead_units, assignment.responsible_units) == (["市甲局"], ["市乙局"])


def test_parse_note_keeps_units_joined_by_and() -> None:
    assignment = parse_note("市示例局牵头,市级各有关部门及各县市区政府按职责分工负责")
    assert assignment is not None
    assert assignment.responsible_units == ["市级各有关部门及各县市区政府"]


def test_parse_text_reads_spaced_label_line_as_note_not_table() -> None:
    text = (
        "示例市2024年重点工作方案\n一、重点任务\n(一)推进示例工作。加快示例建设。\n"
        "牵头单位:市示例局    责任单位:市甲局    完成时限:2024年6月\n(二)完善示例机制。(市乙局负责)\n"
    )
    first = _tasks(text)[0]["assignments"][0]
    assert (first["lead_units"], first["responsible_units"], first["deadline"]) == (
        ["市示例局"],
        ["市甲局"],
        "2024-06-30",
    )


def test_parse_text_ignores_spaced_line_after_table_without_row_number() -> None:
    text = (
        HEAD + "序号\t重点任务\t牵头单位\t完成时限\n1\t推进示例工作\t区示例局\t全年\n"
        "抄送:区委办公室    区人大常委会办公室    区政协办公室\n"
    )
    assert [t["path"] for t in _tasks(text)] == [["1"]]
