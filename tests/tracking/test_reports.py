from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.conftest import require_tool
from tests.tracking.conftest import GXJ, KJJ, SamplePlan, department
from zhizao.auth.scope import Actor
from zhizao.tracking import bulletin, ledger, linking, tasks
from zhizao.tracking import observations as obs
from zhizao.tracking.progress import STATUS_COLOURS, Status


def _fill(session: Session, system: Actor, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 9.8))
    linking.confirm_link(session, system, sample.growth.id, series.id)
    tasks.report_progress(
        session,
        department(session, GXJ),
        sample.a_gxj.id,
        reported_on=date(2024, 6, 20),
        text="完成",
        status="已完成",
    )
    tasks.report_progress(
        session,
        department(session, KJJ),
        sample.a_kjj.id,
        reported_on=date(2024, 6, 3),
        text="受阻",
        status="受阻",
    )


def _bulletin(session: Session, system: Actor, sample: SamplePlan) -> bulletin.BulletinResult:
    _fill(session, system, sample)
    return bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6)


def test_build_bulletin_page_setup_follows_gbt_9704(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    doc = Document(io.BytesIO(_bulletin(session, system, sample).data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert round((297 - 37 - 35) / 25.4 * 1440 / line_pitch) == 22
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert round((210 - 28 - 26) / 25.4 * 72 / char_pitch_pt) == 28


def test_build_bulletin_fonts_and_page_numbers(session: Session, system: Actor, sample: SamplePlan) -> None:
    result = _bulletin(session, system, sample)
    doc = Document(io.BytesIO(result.data))
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22)
    title_font = title._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert title_font in ("方正小标宋简体", "宋体")
    assert (title_font == "宋体") == any("宋体" in note for note in result.notes)
    assert "督查通报" in title.text
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    sub = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert sub.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    body = next(p for p in doc.paragraphs if p.text.startswith("截至2024年6月底"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert "序时进度为50.0%" in body.text
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")


def test_build_bulletin_tables_list_targets_units_and_lagging(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    doc = Document(io.BytesIO(_bulletin(session, system, sample).data))
    targets, units, lagging = doc.tables
    assert [c.text for c in targets.rows[0].cells] == [
        "序号",
        "指标",
        "目标",
        "最新值",
        "完成情况",
        "序时进度",
        "状态",
    ]
    statuses = {row.cells[1].text: row.cells[6].text for row in targets.rows[1:]}
    assert statuses == {"规模以上工业增加值": "正常", "规模以上工业企业": "无数据"}
    shading = targets.rows[1].cells[6]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert shading == STATUS_COLOURS[Status.ON_TRACK]
    by_unit = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in units.rows[1:]}
    assert by_unit[GXJ] == ["1", "1", "0", "0", "0"]
    assert by_unit[KJJ] == ["1", "0", "0", "1", "0"]
    assert {row.cells[1].text.strip() for row in lagging.rows[1:]} == {"2 建设实验室", "3 拓展市场"}
    silent = next(p for p in doc.paragraphs if "补报" in p.text)
    assert "市商务局" in silent.text


@pytest.mark.slow
def test_build_bulletin_renders_to_pdf_with_libreoffice(
    session: Session, system: Actor, sample: SamplePlan, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    require_tool(soffice is not None, "LibreOffice (soffice) is not installed (make office)")
    assert soffice is not None
    source = tmp_path / "bulletin.docx"
    source.write_bytes(_bulletin(session, system, sample).data)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = tmp_path / "bulletin.pdf"
    assert pdf.exists(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_build_ledger_has_targets_and_tasks_sheets(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _fill(session, system, sample)
    book = load_workbook(io.BytesIO(ledger.build_ledger(session, system, sample.plan.id, date(2024, 6, 30))))
    assert book.sheetnames == ["目标", "任务"]
    targets = book["目标"]
    assert targets.cell(1, 14).value == "状态"
    assert targets.cell(2, 2).value == "规模以上工业增加值"
    assert targets.cell(2, 7).value == 9.8
    assert targets.cell(2, 14).value == "正常"
    assert targets.cell(2, 14).fill.fgColor.rgb.endswith(STATUS_COLOURS[Status.ON_TRACK])
    assert targets.cell(3, 14).value == "无数据"
    task_rows = {row[1]: row for row in book["任务"].iter_rows(min_row=2, values_only=True)}
    assert task_rows["1 推进技改"][8] == "已完成"
    assert task_rows["2 建设实验室"][9] == "滞后"


@pytest.mark.parametrize(
    ("home", "issuer"), [("370700", "潍坊市工业和信息化局"), ("370000", "山东省工业和信息化厅")]
)
def test_build_bulletin_issued_by_the_home_regions_bureau(
    session: Session,
    system: Actor,
    sample: SamplePlan,
    home_region: Callable[[str | None], None],
    home: str,
    issuer: str,
) -> None:
    _fill(session, system, sample)
    home_region(home)
    doc = Document(io.BytesIO(bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6).data))
    assert doc.paragraphs[0].text == f"{issuer}关于《{sample.plan.title}》落实情况的督查通报"
    assert [p.text for p in doc.paragraphs if p.text == issuer] == [issuer]  # the signature
    assert not [p.text for p in doc.paragraphs if "青岛" in p.text]
