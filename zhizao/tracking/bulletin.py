"""The monthly bulletin (督查通报) as a .docx in the GB/T 9704-2012 layout of official documents.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a grid of 22 lines of 28 characters;
title in 方正小标宋简体 2号 (22 pt), body in 仿宋_GB2312 3号 (16 pt), first-level headings 黑体 and
second-level 楷体_GB2312; page numbers "— 1 —" in 宋体 4号, odd pages right and even pages left.
When 方正小标宋简体 is not installed on this machine the title falls back to 宋体, and the result says so.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, require_role
from zhizao.reference import home
from zhizao.tracking.ledger import REPORT_ROLES
from zhizao.tracking.monthly import TASK_CATEGORIES, PlanMonth, month_as_of, plan_month
from zhizao.tracking.progress import STATUS_COLOURS, STATUS_LABELS, Status

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


@dataclass
class BulletinResult:
    data: bytes
    notes: list[str] = field(default_factory=list)


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


def set_font(run: Run, east_asia: str, size: Pt, bold: bool = False) -> None:
    """Set a run's Chinese (w:eastAsia) and Latin fonts and its size."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)


def _page_setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the text block
    text_height_twips = (297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]) / 25.4 * 1440
    text_width_pt = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(text_height_twips / LINES)))
    # charSpace: how much each grid character is wider than the font size, in 1/4096 pt.
    grid.set(qn("w:charSpace"), str(round((text_width_pt / CHARS - BODY_SIZE.pt) * 4096)))
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _page_number(paragraph: Paragraph) -> None:
    """ "— N —" with a PAGE field, in 宋体 4号."""
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
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
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


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


def official_document() -> DocumentObject:
    """A blank document in the GB/T 9704 layout (page, grid, body style, page numbers); the bulletin and the
    enterprise-service notices start from it."""
    doc = Document()
    _page_setup(doc)
    _footers(doc)
    return doc


def body_paragraph(
    doc: DocumentObject, text: str, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None
) -> Paragraph:
    """A body paragraph: 仿宋_GB2312 3号, fixed 28.95 pt lines, first line indented two characters."""
    return _body(doc, text, indent, align)


def _body(
    doc: DocumentObject, text: str, indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None
) -> Paragraph:
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(BODY_SIZE.pt * 2)
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def _heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    paragraph = _body(doc, "")
    paragraph.runs[0].text = text
    set_font(paragraph.runs[0], HEADING_FONTS[level], BODY_SIZE)
    return paragraph


def _shade(cell: _Cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _table(
    doc: DocumentObject, headers: list[str], rows: list[list[str]], status_col: int | None = None
) -> Table:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(cell.paragraphs[0].add_run(text), HEADING_FONTS[1], TABLE_SIZE)
    labels = {label: status for status, label in STATUS_LABELS.items()}
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(text)
            set_font(run, BODY_FONT, TABLE_SIZE)
            if index == status_col and text in labels:
                colour = STATUS_COLOURS[labels[text]]
                _shade(cell, colour)
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    return table


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _target_rows(month: PlanMonth) -> list[list[str]]:
    order = list(Status)
    ordered = sorted(month.targets, key=lambda t: order.index(t.progress.status))
    rows = []
    for number, t in enumerate(ordered, start=1):
        p = t.progress
        latest = f"{p.latest.value:g}（{p.latest.label}）" if p.latest else "—"
        if p.completion is not None:
            done = f"完成{p.completion:.1%}"
        elif p.gap is not None:
            done = f"{p.gap:+.1f}个百分点"
        else:
            done = "—"
        rows.append([str(number), t.indicator, t.target_label, latest, done, _pct(p.schedule), p.label])
    return rows


def _overall(doc: DocumentObject, month: PlanMonth) -> None:
    counts, tasks = month.target_counts, month.task_counts
    target_part = "、".join(f"{STATUS_LABELS[s]}{counts[s.value]}项" for s in Status if counts[s.value])
    task_part = "、".join(f"{label}{tasks[key]}项" for key, label in TASK_CATEGORIES.items() if tasks[key])
    _heading(doc, "一、总体情况", 1)
    _body(
        doc,
        f"截至{month.as_of.year}年{month.as_of.month}月底，序时进度为{month.schedule:.1%}。"
        f"《{month.plan.title}》共确定量化目标{len(month.targets)}项，其中{target_part or '暂无'}；"
        f"任务分工{len(month.assignments)}项，其中{task_part or '暂无'}。"
        f"本月有{len(month.silent_units)}个单位未报送进展。",
    )


def _tasks_section(doc: DocumentObject, month: PlanMonth) -> None:
    _heading(doc, "三、重点任务推进情况", 1)
    _heading(doc, "（一）分单位情况", 2)
    rows = [[u.unit_name, str(u.total), *(str(u.counts[k]) for k in TASK_CATEGORIES)] for u in month.units]
    _table(doc, ["责任单位", "任务数", *TASK_CATEGORIES.values()], rows)
    lagging = [v for v in month.assignments if month.categories[v.id] in ("lagging", "overdue")]
    _heading(doc, "（二）逾期和滞后任务", 2)
    if not lagging:
        _body(doc, "本月无逾期或滞后任务。")
        return
    rows = [
        [
            v.owner[1],
            v.task_label,
            str(v.deadline or v.deadline_text or "—"),
            TASK_CATEGORIES[month.categories[v.id]],
        ]
        for v in lagging
    ]
    _table(doc, ["责任单位", "任务", "完成时限", "情况"], rows)


def default_issuer() -> str:
    """The home region's industry and IT bureau (X省工业和信息化厅, Y市工业和信息化局 …)."""
    return home.bureau_name(home.home_region_code())


def render(month: PlanMonth, issuer: str | None = None, font_for_title: str | None = None) -> bytes:
    """The bulletin as .docx; `issuer` (default: the home region's bureau) heads the title and signs it."""
    issuer = issuer or default_issuer()
    doc = official_document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_text = f"{issuer}关于《{month.plan.title}》落实情况的督查通报"
    set_font(title.add_run(title_text), font_for_title or TITLE_FONT, TITLE_SIZE)
    _body(
        doc, f"（{month.as_of.year}年{month.as_of.month}月）", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _body(doc, "各有关单位：", indent=False)
    _body(doc, f"现将{month.as_of.year}年{month.as_of.month}月《{month.plan.title}》落实情况通报如下。")
    _overall(doc, month)
    _heading(doc, "二、目标完成情况", 1)
    _body(doc, "各项目标按状态排列如下（“序时进度”为截至最新数据期的时间进度）。")
    _table(doc, ["序号", "指标", "目标", "最新值", "完成情况", "序时进度", "状态"], _target_rows(month), 6)
    _tasks_section(doc, month)
    _heading(doc, "四、未按时报送单位", 1)
    silent = month.silent_units
    _body(doc, "、".join(silent) + "。请上述单位于下月5日前补报。" if silent else "各单位均已按时报送。")
    _body(doc, "")
    _body(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    today = month.as_of
    _body(doc, f"{today.year}年{today.month}月{today.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_bulletin(
    session: Session, actor: Actor, plan_id: int, year: int, month: int, issuer: str | None = None
) -> BulletinResult:
    """The bulletin of a plan for a month (as of the month's last day): administrators and analysts only;
    NotFound for a plan out of scope."""
    require_role(actor, *REPORT_ROLES)
    summary = plan_month(session, actor, plan_id, month_as_of(year, month))
    font, note = title_font()
    return BulletinResult(render(summary, issuer, font), [note] if note else [])
