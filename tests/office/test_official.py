"""The GB/T 9704 layout as LibreOffice lays it out: the 版记 at the foot of the last page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from tests.office.pdf import PT_PER_MM, Line, page_lines, render_pdf
from zhizao.office.official import (
    MARGINS_MM,
    Masthead,
    add_colophon,
    body_paragraph,
    official_document,
    title_paragraph,
)

HEAD = Masthead(
    organ="某市工业和信息化局文件",
    number="某工信督〔2024〕6号",
    cc=("市人民政府办公室", "市发展和改革委员会"),
    printer="某市工业和信息化局办公室",
    printed_on="2024年7月5日",
)
CC = "抄送：市人民政府办公室，市发展和改革委员会。"
SIGNATURE = "某市工业和信息化局"
# the bottom edge of the 版心, in points from the top of the page
TEXT_BOTTOM = (297 - MARGINS_MM["bottom"]) * PT_PER_MM


def _document(paragraphs: int) -> bytes:
    """A notice of `paragraphs` body paragraphs, its 落款 and its 版记."""
    doc = official_document(HEAD)
    title_paragraph(doc, "关于开展专项督查的通知")
    for number in range(1, paragraphs + 1):
        body_paragraph(doc, f"第{number}项，各单位按照职责分工抓好落实，按月报送工作进展和存在的问题。")
    body_paragraph(doc, SIGNATURE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    body_paragraph(doc, "2024年7月5日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_colophon(doc, HEAD)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _find(lines: list[Line], text: str) -> Line:
    found = [line for line in lines if line.text == text]
    assert len(found) == 1, (text, [line.text for line in lines])
    return found[0]


def test_add_colophon_is_a_table_floating_at_the_bottom_of_the_text_block() -> None:
    doc = Document(io.BytesIO(_document(2)))
    colophon = doc.tables[-1]
    position = colophon._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:vertAnchor")) == "margin"
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    assert colophon.rows[0].cells[0].text == CC
    assert [c.text for c in colophon.rows[1].cells] == ["某市工业和信息化局办公室", "2024年7月5日印发"]
    borders = {b.tag.split("}")[1]: b.get(qn("w:sz")) for b in colophon._tbl.tblPr.find(qn("w:tblBorders"))}
    assert borders == {"top": "8", "bottom": "8", "insideH": "6"}  # 0.35 mm outside, 0.25 mm between


@pytest.mark.slow
@pytest.mark.parametrize("paragraphs", [3, 16], ids=["one-page", "two-pages"])
def test_add_colophon_sits_at_the_foot_of_the_last_page_in_libreoffice(
    paragraphs: int, tmp_path: Path
) -> None:
    pdf = render_pdf({"notice": _document(paragraphs)}, tmp_path)["notice"]
    pages = page_lines(pdf)
    assert len(pages) == (1 if paragraphs == 3 else 2)
    *earlier, last = pages
    for page in earlier:  # nothing of the 版记 before the last page
        assert not [line for line in page if "抄送" in line.text or "印发" in line.text]
    signature, date_line = _find(last, SIGNATURE), _find(last, "2024年7月5日")
    cc, printer = _find(last, CC), _find(last, "某市工业和信息化局办公室")
    printed = _find(last, "2024年7月5日印发")
    # below the 落款, the 印发 line under the 抄送 line, the date on the same line as the 印发机关
    assert signature.bottom < date_line.top <= date_line.bottom < cc.top < printer.top
    assert abs(printed.top - printer.top) < 1 and printed.left > printer.left
    # at the foot of the page: the last line ends within a line's height of the 版心's bottom edge, a wide
    # gap (several body lines) above the 版记 when the page is not full
    assert TEXT_BOTTOM - 28 < printer.bottom <= TEXT_BOTTOM
    if paragraphs == 3:
        assert cc.top - date_line.bottom > 100
    # only the page number below it
    below = [line.text for line in last if line.top > printer.bottom]
    assert below == [f"—{len(pages)}—"]
