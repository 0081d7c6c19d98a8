"""Inputs users actually give the web form and CLI: a Word file whose tasks are a real table, a web page
with the document inside a government site's furniture."""

from __future__ import annotations

from pathlib import Path

from zhizao.plans.reading import Extraction, parse_document

FIXTURES = Path(__file__).resolve().parent / "corpus" / "inputs"
HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
ROWS = [
    [
        "1",
        "实施技术改造提升行动,工业技改投资增长10%以上",
        "市工业和信息化局",
        "市财政局、市发展改革委",
        "2024年12月底",
    ],
    ["2", "培育专精特新中小企业", "市工业和信息化局", "各区(市)人民政府", "2024年6月"],
    ["3", "建设工业互联网平台", "市大数据局", "", "2024年9月底前"],
]


def _word_file(tmp_path: Path, group_row: bool = False) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("某市2024年制造业重点任务分工方案")
    document.add_paragraph("为推动制造业高质量发展,制定本分工方案。")
    rows = [HEADER, *ROWS]
    table = document.add_table(rows=len(rows) + (1 if group_row else 0), cols=len(HEADER))
    at = 0
    for i, values in enumerate(rows):
        if group_row and i == 1:
            merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
            merged.text = "一、工业经济运行"
            at = 1
        for cell, value in zip(table.rows[i + at].cells, values, strict=True):
            cell.text = value
    document.add_paragraph("附则:本方案自印发之日起实施。")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def _by_path(extraction: Extraction) -> dict[tuple[str, ...], dict]:
    data = extraction.to_json()
    return {tuple(t["path"]): t for t in data["tasks"]}


def test_parse_document_reads_tasks_from_word_table(tmp_path: Path) -> None:
    tasks = _by_path(parse_document(_word_file(tmp_path)))
    assert list(tasks) == [("1",), ("2",), ("3",)]
    first = tasks[("1",)]["assignments"][0]
    assert first["lead_units"] == ["市工业和信息化局"]
    assert first["responsible_units"] == ["市财政局", "市发展改革委"]
    assert first["deadline"] == "2024-12-31"
    assert tasks[("2",)]["assignments"][0]["responsible_units"] == ["各区(市)人民政府"]
    third = tasks[("3",)]["assignments"][0]
    assert (third["lead_units"], third["responsible_units"], third["deadline"]) == (
        ["市大数据局"],
        [],
        "2024-09-30",
    )


def test_parse_document_reads_word_table_with_group_row(tmp_path: Path) -> None:
    tasks = _by_path(parse_document(_word_file(tmp_path, group_row=True)))
    assert list(tasks) == [("一", "1"), ("一", "2"), ("一", "3")]
    assert tasks[("一", "2")]["assignments"][0]["deadline"] == "2024-06-30"


def test_parse_document_reads_goal_in_word_table_cell(tmp_path: Path) -> None:
    targets = parse_document(_word_file(tmp_path)).to_json()["targets"]
    assert [(t["indicator"], t["value"], t["qualifier"]) for t in targets] == [
        ("工业技改投资", 10, "at_least")
    ]


def test_parse_document_reads_html_page_inside_site_furniture() -> None:
    data = parse_document(FIXTURES / "gov-site-page.html").to_json()
    assert data["title"] == "某市推动工业互联网创新发展行动方案"
    assert data["doc_number"] == "某政办发〔2024〕8号"
    assert [t["path"] for t in data["tasks"]] == [["二", "(一)"], ["二", "(二)"], ["二", "(三)"]]
    assert data["tasks"][0]["assignments"][0]["lead_units"] == ["市工业和信息化局"]
    assert data["tasks"][2]["assignments"][0]["deadline"] == "2024-12-31"
    assert [(t["value"], t["unit"]) for t in data["targets"]] == [(500, "家"), (10, "个")]
    text = " ".join(t["title"] or "" for t in data["tasks"])
    assert "打印" not in text and "关闭" not in text
