"""Real formats as users download them give the same extraction as the document's plain text: a gov.cn-style
page (layout tables, the body in a <td>, styled runs, navigation, scripts, 分享/打印), a Word file with a
责任分工表 table, a PDF with a text layer (hard-wrapped lines, running header, page numbers), an old .doc
(through LibreOffice), and pinyin or ruby annotations inside words."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_tool
from zhizao.errors import InvalidInput
from zhizao.plans.reading import Extraction, legacy, parse_document, parse_text
from zhizao.plans.reading.normalize import normalize
from zhizao.plans.reading.sources import read_bytes

TITLE = "某市推进制造业数字化转型实施方案"
NUMBER = "某政办发〔2024〕12号"
GOAL = (
    "到2026年，全市规模以上工业企业数字化改造覆盖率达到80%以上，培育省级智能工厂30家，"
    "建成工业互联网标识解析二级节点3个，工业软件产业规模突破100亿元。"
)
WORK = "围绕重点产业链组织实施技术改造和数字化提升，推动企业上云用数赋智，完善公共服务体系，强化要素保障。"
NOTES = [
    "（牵头单位：市工业和信息化局；责任单位：市财政局、市发展改革委；完成时限：2025年6月底前）",
    "（市大数据局牵头，各区人民政府配合，持续推进）",
    "（责任单位：市人力资源社会保障局、市教育局，列首位者为牵头单位；完成时限：年底前）",
    "（市商务局、市市场监管局按职责分工负责，2025年第三季度）",
]
ITEMS = ["推进设备更新", "建设工业互联网平台", "加强人才支撑", "拓展应用场景", "优化发展环境", "强化示范引领"]
NUMERALS = "一二三四五六七八九十"
HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
ROWS = [
    ["1", "开展数字化诊断服务", "市工业和信息化局", "各区人民政府", "2024年9月底前"],
    ["2", "建设城市算力中心", "市大数据局", "市发展改革委、市财政局", "2025年12月底前"],
]


def _items() -> list[str]:
    return [f"（{NUMERALS[i]}）{name}。{WORK}{NOTES[i % len(NOTES)]}" for i, name in enumerate(ITEMS)]


def _paragraphs(with_table: bool) -> list[str]:
    body = [TITLE, NUMBER, "一、工作目标", GOAL, "二、重点任务", *_items()]
    return [*body, "三、责任分工"] if with_table else body


def plain_text(with_table: bool = False) -> str:
    lines = _paragraphs(with_table)
    if with_table:
        lines += ["\t".join(row) for row in [HEADER, *ROWS]]
    return "\n".join(lines) + "\n"


def summary(extraction: Extraction) -> dict[str, Any]:
    """What a reviewer checks: the heading, the goals and each task with its assignments (no spans)."""
    data = extraction.to_json()
    return {
        "heading": (data["title"], data["doc_number"], data["year"]),
        "targets": [
            (t["indicator"], t["measure"], t["value"], t["unit"], t["qualifier"], t["target_year"])
            for t in data["targets"]
        ],
        "tasks": [
            (
                tuple(t["path"]),
                t["title"],
                [
                    (a["lead_units"], a["responsible_units"], a["cooperating_units"], a["deadline"])
                    for a in t["assignments"]
                ],
            )
            for t in data["tasks"]
        ],
    }


def _word(path: Path, with_table: bool) -> Path:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    for paragraph in _paragraphs(with_table):
        document.add_paragraph(paragraph)
        if paragraph.startswith("（三）"):
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)  # a second page
    if with_table:
        table = document.add_table(rows=len(ROWS) + 1, cols=len(HEADER))
        for row, values in zip(table.rows, [HEADER, *ROWS], strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    section = document.sections[0]
    section.header.paragraphs[0].text = "某市人民政府办公室文件"  # a running header on every page
    footer = section.footer.paragraphs[0]
    footer.add_run("— ")
    field = footer.add_run()  # the page number, as a PAGE field
    for kind, instruction in (("begin", None), (None, "PAGE"), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.text = instruction
        field._r.append(element)
    footer.add_run(" —")
    document.save(str(path))
    return path


def test_plain_text_reads_every_task_and_goal() -> None:
    found = summary(parse_text(plain_text(with_table=True)))
    assert found["heading"] == (TITLE, NUMBER, 2024)
    assert len(found["targets"]) == 4
    assert [t[0] for t in found["tasks"]] == [
        *[("二", f"({n})") for n in NUMERALS[: len(ITEMS)]],
        ("三", "1"),
        ("三", "2"),
    ]
    assert found["tasks"][2][2] == [(["市人力资源社会保障局"], ["市教育局"], [], "2024-12-31")]
    assert found["tasks"][3][2] == [(["市商务局", "市市场监管局"], [], [], "2025-09-30")]


def test_parse_document_reads_word_file_with_task_table_as_its_text(tmp_path: Path) -> None:
    document = _word(tmp_path / "plan.docx", with_table=True)
    assert summary(parse_document(document)) == summary(parse_text(plain_text(with_table=True)))


def _gov_page(body_html: str) -> str:
    """A page shaped like a gov.cn article: layout tables, the body in a <td>, navigation and furniture."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{TITLE}_国务院部门文件_中国政府网</title>
<script>var _hmt = []; document.write("<p>统计代码</p>");</script>
<style>td {{ font-size: 14px }}</style></head>
<body><div class="header">
<a href="/">首页</a> | <a href="/zhengce">政策</a> | <a href="/hudong">互动</a></div>
<table width="1000" align="center"><tr><td>
  <table class="bd1" width="100%"><tr><td>
    <table width="100%"><tr><td>索引号：</td><td>000014349/2024-00012</td>
    <td>主题分类：</td><td>工业、交通</td></tr>
    <tr><td>发文机关：</td><td>某市人民政府办公室</td><td>成文日期：</td><td>2024年03月01日</td></tr></table>
  </td></tr></table>
  <table width="100%"><tr><td class="b12c" id="UCAP-CONTENT">
    <p align="center"><strong><span style="font-size:22px">{TITLE}</span></strong></p>
    {body_html}
  </td></tr></table>
  <div class="share">分享到：<a>微信</a><a>微博</a></div>
  <div class="print"><a href="javascript:window.print()">【打印本页】</a><a>【关闭窗口】</a></div>
  <div style="display:none">隐藏的统计文字 一、隐藏</div>
</td></tr></table>
<div class="footer">主办单位：某市人民政府办公室 网站标识码：0000000000 备案号：某ICP备00000000号</div>
</body></html>"""


def _styled(text: str) -> str:
    """A paragraph as a portal's editor writes it: the text split over styled runs."""
    half = len(text) // 2
    first = f'<span style="font-family:仿宋">{text[:half]}</span>'
    return f'<p style="text-indent:2em">{first}\n<span>{text[half:]}</span></p>'


def test_parse_document_reads_gov_page_with_body_in_layout_table_as_its_text(tmp_path: Path) -> None:
    body = "".join(_styled(p) for p in _paragraphs(with_table=False)[1:])
    page = tmp_path / "plan.htm"
    page.write_text(_gov_page(body), encoding="utf-8")
    assert summary(parse_document(page)) == summary(parse_text(plain_text()))


def test_parse_document_reads_task_table_inside_gov_page(tmp_path: Path) -> None:
    body = "".join(_styled(p) for p in _paragraphs(with_table=True)[1:])
    cells = "".join(
        "<tr>" + "".join(f"<td><p><span>{c}</span></p></td>" for c in row) + "</tr>"
        for row in [HEADER, *ROWS]
    )
    page = tmp_path / "plan.html"
    page.write_text(_gov_page(f'{body}<table border="1">{cells}</table>'), encoding="utf-8")
    assert summary(parse_document(page)) == summary(parse_text(plain_text(with_table=True)))


def test_read_bytes_drops_ruby_and_pinyin_annotations() -> None:
    ruby = "<ruby>制<rp>(</rp><rt>zhì</rt><rp>)</rp></ruby>"
    page = f"<html><body><p>推动{ruby}造业统筹（chóu）发展</p></body></html>"
    assert read_bytes(page.encode("utf-8"), "a.html") == "推动制造业统筹（chóu）发展"
    assert normalize("统筹（chóu）发展,增长(GDP)").text == "统筹发展,增长(GDP)"
    annotated = plain_text().replace("制造业", "制造(zào)业").replace("统筹", "统筹(chóu)")
    assert summary(parse_text(annotated)) == summary(parse_text(plain_text()))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Word file saved by LibreOffice as a PDF (text layer, two pages) and as an old .doc."""
    command = legacy.soffice()
    require_tool(command is not None, "LibreOffice (soffice) is not installed (make office)")
    assert command is not None
    folder = tmp_path_factory.mktemp("office")
    source = _word(folder / "plan.docx", with_table=False)
    for target in ("pdf", "doc"):
        subprocess.run(
            [command, "--headless", f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--convert-to",
             target, "--outdir", str(folder), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return {"pdf": folder / "plan.pdf", "doc": folder / "plan.doc"}


def test_parse_document_reads_pdf_text_layer_as_its_text(converted: dict[str, Path]) -> None:
    from pypdf import PdfReader

    assert len(PdfReader(converted["pdf"]).pages) >= 2  # the header and page numbers repeat
    assert summary(parse_document(converted["pdf"])) == summary(parse_text(plain_text()))
    text = read_bytes(converted["pdf"].read_bytes(), "plan.pdf")
    assert "某市人民政府办公室文件" not in text and "— 1 —" not in text
    assert GOAL in text  # the hard-wrapped paragraph joined, `2026 年` closed up


def test_parse_document_reads_old_word_file_through_libreoffice(converted: dict[str, Path]) -> None:
    assert summary(parse_document(converted["doc"])) == summary(parse_text(plain_text()))


def test_read_bytes_explains_an_old_word_file_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InvalidInput, match=r"另存为 \.docx"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "plan.wps")


def test_read_bytes_takes_the_title_from_the_head_when_the_body_lacks_it() -> None:
    body = "".join(f"<p>{p}</p>" for p in _paragraphs(with_table=False)[1:])
    page = f"<html><head><title>{TITLE}_政策文件_某市人民政府</title></head><body>{body}</body></html>"
    assert summary(parse_text(read_bytes(page.encode("utf-8"), "a.html"))) == summary(
        parse_text(plain_text())
    )
    with_title = f"<html><head><title>{TITLE}_某市</title></head><body><h1>{TITLE}</h1>{body}</body></html>"
    assert read_bytes(with_title.encode("utf-8"), "a.html").count(TITLE) == 1
