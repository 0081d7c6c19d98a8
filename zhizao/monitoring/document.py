"""The monthly 工业运行分析 as .docx in the bulletin's GB/T 9704 layout (`tracking.bulletin`)."""

from __future__ import annotations

import io
from datetime import date

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, require_role, viewing_region
from zhizao.enterprises.models import Indicator
from zhizao.monitoring import sentences
from zhizao.monitoring.data import READERS
from zhizao.monitoring.queries import Report, monthly_report
from zhizao.monitoring.tables import ReportTable, report_tables
from zhizao.reference import home
from zhizao.tracking.bulletin import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONTS,
    TABLE_SIZE,
    TITLE_SIZE,
    body_paragraph,
    official_document,
    set_font,
    title_font,
)


def indicator_label(session: Session, indicator: str) -> str:
    row = session.get(Indicator, indicator)
    return (row.label if row else indicator).split("(")[0]


def _heading(doc: DocumentObject, text: str) -> None:
    paragraph = body_paragraph(doc, "")
    paragraph.runs[0].text = text
    set_font(paragraph.runs[0], HEADING_FONTS[1], BODY_SIZE)


def _cell_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _table(doc: DocumentObject, table: ReportTable, limit: int = 30) -> None:
    body_paragraph(doc, table.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    headers = ["序号", *(c.header for c in table.columns)]
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        set_font(cell.paragraphs[0].add_run(text), HEADING_FONTS[1], TABLE_SIZE)
    for number, row in enumerate(table.rows[:limit], start=1):
        for cell, value in zip(grid.add_row().cells, [number, *row], strict=True):
            set_font(cell.paragraphs[0].add_run(_cell_text(value)), BODY_FONT, TABLE_SIZE)


def render(report: Report, place: str, issuer: str, label: str, today: date | None = None) -> bytes:
    a = report.analysis
    doc = official_document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font, _ = title_font()
    set_font(
        title.add_run(f"{place}{a.year}年{sentences.period_name(a.month)}工业运行分析"), font, TITLE_SIZE
    )
    _heading(doc, "一、总体运行情况")
    for text in sentences.overview(report, place, label):
        body_paragraph(doc, text)
    _heading(doc, "二、增长支撑和减量因素")
    for text in sentences.factors(report):
        body_paragraph(doc, text)
    _heading(doc, "三、运行预警")
    for text in sentences.warning_summary(report):
        body_paragraph(doc, text)
    _heading(doc, "四、附表")
    for table in report_tables(report):
        _table(doc, table)
    body_paragraph(doc, "")
    body_paragraph(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    day = today or date.today()
    body_paragraph(doc, f"{day.year}年{day.month}月{day.day}日", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def operations_report(
    session: Session, actor: Actor, year: int, month: int, indicator: str = "output_value"
) -> bytes:
    """The 工业运行分析 of a month for the actor's region (by region), as .docx bytes."""
    require_role(actor, *READERS)
    report = monthly_report(session, actor, year, month, indicator=indicator, by="region")
    region = viewing_region(actor)
    place = home.short_name(region)
    return render(report, place, home.bureau_name(region), indicator_label(session, indicator))
