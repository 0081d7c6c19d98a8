"""An official document (公文) as .docx in the GB/T 9704-2012 layout, the same in Word, WPS and LibreOffice.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm); a grid of 22 lines of
28 characters; title in 方正小标宋简体 2号 (22 pt), body in 仿宋_GB2312 3号 (16 pt), first-level headings
黑体 and second-level 楷体_GB2312; page numbers "— 1 —" in 宋体 4号, odd pages right and even pages left.

The grid is stated once, consistently, where each program reads it:

- the document defaults (`w:docDefaults`) and the Normal style carry the body font (eastAsia 仿宋_GB2312)
  and size (16 pt): Word and WPS measure the grid's character pitch from the default size, LibreOffice from
  the Normal ("Standard") style's Asian size;
- the section's `w:docGrid` is `linesAndChars` with `linePitch` 579 twips (225 mm / 22) and `charSpace`
  −849 (the pitch 156 mm / 28 = 15.79 pt is 0.21 pt narrower than the 16 pt size, in 1/4096 pt);
- body text runs at 98 % width (`w:w`). 28 characters of 16 pt need 158 mm, 2 mm more than the 版心:
  Word and WPS squeeze each character into its 15.79 pt cell, but LibreOffice gives a character wider
  than a cell two cells — 14 characters a line. At 98 % a character is 15.68 pt and takes one cell in all
  three (the difference is invisible);
- tables, the title and the page numbers do not snap to the grid (`w:snapToGrid` off), so a 12 pt table
  cell is not spread over 16 pt cells and a 22 pt title character over two.

When a font is not installed (方正小标宋简体, 仿宋_GB2312 …) the office program substitutes one; the title
falls back to 宋体 by name when 方正小标宋简体 is missing, and the caller is told.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
TABLE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 4号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES)  # 579
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS  # 15.79
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_SIZE.pt) * 4096)  # −849
BODY_WIDTH_PERCENT = 98  # a 16 pt character narrowed to fit one 15.79 pt grid cell (see above)
RED = RGBColor(0xE6, 0x00, 0x12)  # 发文机关标志 and the red rule under 版头


@dataclass(frozen=True)
class Masthead:
    """What heads (版头) and closes (版记) a document; every part is optional.

    `organ` is the 发文机关标志 (e.g. "X市工业和信息化局文件"); `number` the 发文字号 (X工信督〔2024〕6号);
    `copy_number` the 份号 and `classification` the 密级和保密期限 (only for documents that have them);
    `cc` the 抄送机关; `printer` and `printed_on` the 印发机关 and 印发日期 (e.g. "2024年7月5日")."""

    organ: str | None = None
    number: str | None = None
    copy_number: str | None = None
    classification: str | None = None
    cc: Sequence[str] = field(default_factory=tuple)
    printer: str | None = None
    printed_on: str | None = None


@lru_cache
def installed_fonts() -> frozenset[str]:
    """Font family names known to fontconfig on this machine (empty when fc-list is missing)."""
    if shutil.which("fc-list") is None:
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def title_font() -> tuple[str, str | None]:
    """The title font and, when it had to fall back, a note saying so."""
    if TITLE_FONT in installed_fonts():
        return TITLE_FONT, None
    return TITLE_FALLBACK, f"本机未安装{TITLE_FONT}，标题改用{TITLE_FALLBACK}"


def set_font(run: Run, east_asia: str, size: Pt, bold: bool = False, width: int | None = None) -> None:
    """Set a run's Chinese (w:eastAsia) and Latin fonts, its size and (when given) its width in percent."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    properties = run._element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if width is not None:
        _width(properties, width)


def _width(properties: BaseOxmlElement, percent: int) -> None:
    found = properties.find(qn("w:w"))
    if found is None:
        found = OxmlElement("w:w")
        properties.append(found)
    found.set(qn("w:val"), str(percent))


def _defaults(doc: DocumentObject) -> None:
    """The body font, size and width in the document defaults and in the Normal style (see the module)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    holder = defaults.find(qn("w:rPrDefault"))
    if holder is None:
        holder = OxmlElement("w:rPrDefault")
        defaults.insert(0, holder)
    properties = holder.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        holder.append(properties)
    for tag in ("w:rFonts", "w:sz", "w:szCs", "w:w"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    fonts = OxmlElement("w:rFonts")
    for name, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", BODY_FONT)):
        fonts.set(qn(f"w:{name}"), value)
    fonts.set(qn("w:cs"), LATIN_FONT)
    properties.insert(0, fonts)
    half_points = str(int(BODY_SIZE.pt * 2))
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), half_points)
        properties.append(size)
    _width(properties, BODY_WIDTH_PERCENT)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for old in rpr.findall(qn("w:szCs")):
        rpr.remove(old)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), half_points)
    rpr.append(size_cs)
    _width(rpr, BODY_WIDTH_PERCENT)


def _page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _defaults(doc)


def off_grid(paragraph: Paragraph) -> Paragraph:
    """Let `paragraph` keep its own character widths (tables, titles, page numbers): w:snapToGrid off."""
    properties = paragraph._p.get_or_add_pPr()
    snap = properties.find(qn("w:snapToGrid"))
    if snap is None:
        snap = OxmlElement("w:snapToGrid")
        properties.append(snap)
    snap.set(qn("w:val"), "0")
    return paragraph


def _page_number(paragraph: Paragraph) -> None:
    """ "— N —" with a PAGE field, in 宋体 4号."""
    off_grid(paragraph)
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, width=100)
    run = paragraph.add_run()
    set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, width=100)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._element.append(shown)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, width=100)


def _footers(doc: DocumentObject) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = PAGE_NUMBER_SIZE  # 空一字
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    _page_number(even)


def official_document(masthead: Masthead | None = None) -> DocumentObject:
    """A blank document in the GB/T 9704 layout (page, grid, body style, page numbers), headed by the
    版头 of `masthead` when given; the bulletin and the enterprise-service notices start from it."""
    doc = Document()
    _page_setup(doc)
    _footers(doc)
    if masthead is not None:
        add_masthead(doc, masthead)
    return doc


def body_paragraph(
    doc: DocumentObject, text: str, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None
) -> Paragraph:
    """A body paragraph: 仿宋_GB2312 3号 on the grid (fixed 28.95 pt lines), first line indented two
    characters."""
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(CHAR_PITCH_PT * 2)
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE, width=BODY_WIDTH_PERCENT)
    return paragraph


def heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    """A first-level (黑体) or second-level (楷体_GB2312) heading, on the grid like the body."""
    paragraph = body_paragraph(doc, "")
    paragraph.runs[0].text = text
    set_font(paragraph.runs[0], HEADING_FONTS[level], BODY_SIZE, width=BODY_WIDTH_PERCENT)
    return paragraph


def title_paragraph(doc: DocumentObject, text: str, font: str | None = None) -> Paragraph:
    """The title: 2号 小标宋 (or `font`), centred, off the grid, with a blank line under it."""
    paragraph = off_grid(doc.add_paragraph())
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20 * 1.2)
    fmt.space_before = fmt.space_after = Pt(0)
    set_font(paragraph.add_run(text), font or TITLE_FONT, TITLE_SIZE, width=100)
    return paragraph


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _rule(paragraph: Paragraph, colour: str, size: int, where: str = "bottom") -> None:
    """A horizontal line the width of the 版心 on the paragraph's edge (the red rule, the 版记 lines)."""
    properties = paragraph._p.get_or_add_pPr()
    border = properties.find(qn("w:pBdr"))
    if border is None:
        border = OxmlElement("w:pBdr")
        properties.append(border)
    line = OxmlElement(f"w:{where}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))  # eighths of a point
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    border.append(line)


def add_masthead(doc: DocumentObject, masthead: Masthead) -> None:
    """版头: 份号 and 密级 top left, the red 发文机关标志 centred, the 发文字号 under it and the red rule."""
    if masthead.copy_number:
        body_paragraph(doc, masthead.copy_number, indent=False)
    if masthead.classification:
        heading(doc, masthead.classification, 1).paragraph_format.first_line_indent = Pt(0)
    if masthead.organ:
        mark = off_grid(doc.add_paragraph())
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.paragraph_format.space_before = Pt(24)
        mark.paragraph_format.space_after = Pt(LINE_PITCH_TWIPS / 10)
        # as large as fits on one line of the 版心, at most 36 pt
        size = Pt(min(36.0, int(CHAR_PITCH_PT * CHARS / max(len(masthead.organ), 1))))
        run = mark.add_run(masthead.organ)
        set_font(run, title_font()[0], size, width=100)
        run.font.color.rgb = RED
    number = body_paragraph(doc, masthead.number or "", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(number, str(RED), 16)
    body_paragraph(doc, "", indent=False)


def _foot_of_page() -> BaseOxmlElement:
    """A floating table's position: its bottom edge on the 版心's bottom edge (`tblpYSpec` bottom of the
    margin area), its left edge on the left margin. The horizontal anchor is the page, not the margin:
    LibreOffice floats a table only when text could sit beside it, and a table as wide as the 版心 placed
    against the margin could have none, so it would be laid out inline (straight after the 落款) instead."""
    position = OxmlElement("w:tblpPr")
    position.set(qn("w:horzAnchor"), "page")
    position.set(qn("w:tblpX"), str(round(MARGINS_MM["left"] / 25.4 * 1440)))
    position.set(qn("w:vertAnchor"), "margin")
    position.set(qn("w:tblpYSpec"), "bottom")
    return position


def add_colophon(doc: DocumentObject, masthead: Masthead) -> None:
    """版记: 抄送 and 印发机关和日期 (4号 仿宋) between lines, held at the foot of the last page (a table
    anchored to the bottom of the 版心), 左右各空一字."""
    rows: list[tuple[str, str]] = []
    if masthead.cc:
        rows.append((f"抄送：{'，'.join(masthead.cc)}。", ""))
    if masthead.printer or masthead.printed_on:
        rows.append((masthead.printer or "", f"{masthead.printed_on or ''}印发"))
    if not rows:
        return
    off_grid(doc.add_paragraph())  # two tables in a row would be read as one
    made = doc.add_table(rows=len(rows), cols=2)
    made.autofit = False
    properties = made._tbl.tblPr
    properties.insert(0, _foot_of_page())
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 8), ("bottom", 8), ("insideH", 6)):  # 0.35 mm outside, 0.25 mm between
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    properties.append(borders)
    half = TEXT_WIDTH_MM / 2
    for column in made.columns:
        column.width = Mm(half)
    for row, (left, right) in zip(made.rows, rows, strict=True):
        if not right:
            row.cells[0].merge(row.cells[1])
        for cell, text, align in (
            (row.cells[0], left, WD_ALIGN_PARAGRAPH.LEFT),
            (row.cells[1], right, WD_ALIGN_PARAGRAPH.RIGHT),
        ):
            if not text:
                continue
            paragraph = off_grid(cell.paragraphs[0])
            paragraph.alignment = align
            fmt = paragraph.paragraph_format
            fmt.left_indent = fmt.right_indent = PAGE_NUMBER_SIZE
            fmt.space_before = fmt.space_after = Pt(3)
            set_font(paragraph.add_run(text), BODY_FONT, PAGE_NUMBER_SIZE, width=100)
    off_grid(doc.add_paragraph())  # a document may not end with a table


def _shade(cell: _Cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def table(
    doc: DocumentObject,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float] | None = None,
    colours: dict[tuple[int, int], str] | None = None,
    centred: Sequence[int] = (),
) -> Table:
    """A 小四 table across the 版心, off the grid (cells keep their own character widths), the header in
    黑体 repeated on each page; `widths_mm` per column (default: equal), `colours` {(row, col): fill} with
    white text; `centred` column indexes."""
    made = doc.add_table(rows=1, cols=len(headers))
    made.style = "Table Grid"
    made.alignment = WD_TABLE_ALIGNMENT.CENTER
    made.autofit = False
    widths = list(widths_mm or [TEXT_WIDTH_MM / len(headers)] * len(headers))
    header_row = made.rows[0]
    repeat = OxmlElement("w:tblHeader")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header_row.cells, headers, strict=True):
        paragraph = off_grid(cell.paragraphs[0])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(paragraph.add_run(text), HEADING_FONTS[1], TABLE_SIZE, width=100)
    for r, values in enumerate(rows, start=1):
        cells = made.add_row().cells
        for c, (cell, text) in enumerate(zip(cells, values, strict=True)):
            paragraph = off_grid(cell.paragraphs[0])
            if c in centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            set_font(run, BODY_FONT, TABLE_SIZE, width=100)
            fill = (colours or {}).get((r, c))
            if fill:
                _shade(cell, fill)
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    for column, width in zip(made.columns, widths, strict=True):
        column.width = Mm(width)  # w:gridCol, what LibreOffice reads
    for row in made.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return made
