from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.conftest import require_tool
from tests.office.habits import assert_excel_habits, column, data_rows, headers, read_sheet
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


REASON = (
    "受建设用地指标调整影响，实验室主体工程开工时间推迟，目前已完成方案论证和设备选型，"
    "正在协调市自然资源和规划局加快办理用地手续，力争下月开工建设，确保年底前完成主体工程。"
) * 6


def _fill_lagging(session: Session, system: Actor, sample: SamplePlan) -> None:
    """The sample, with the lab task's latest report giving a long reason (a full page of body text)."""
    _fill(session, system, sample)
    tasks.report_progress(
        session,
        department(session, KJJ),
        sample.a_kjj.id,
        reported_on=date(2024, 6, 18),
        text=REASON,
        status="受阻",
    )


def _title(doc: DocxDocument) -> Paragraph:
    return next(p for p in doc.paragraphs if p.text.endswith("督查通报"))


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
    # the pitch is measured from the default size: 3号 in docDefaults and in Normal, 仿宋 for Chinese
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.styles["Normal"].font.size == Pt(16)
    # a table cell keeps its own character width (does not snap to the 16 pt grid)
    cell = doc.tables[0].rows[1].cells[1].paragraphs[0]
    assert cell._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


def test_build_bulletin_fonts_and_page_numbers(session: Session, system: Actor, sample: SamplePlan) -> None:
    result = _bulletin(session, system, sample)
    doc = Document(io.BytesIO(result.data))
    title = _title(doc).runs[0]
    assert title.font.size == Pt(22)
    title_font = title._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert title_font in ("方正小标宋简体", "宋体")
    assert (title_font == "宋体") == any("宋体" in note for note in result.notes)
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


def test_build_bulletin_masthead_and_colophon(
    session: Session, system: Actor, sample: SamplePlan, home_region: Callable[[str | None], None]
) -> None:
    _fill(session, system, sample)
    home_region("370200")
    given = bulletin.Masthead(
        number="青工信督〔2024〕6号", copy_number="000012", classification="内部★1年", cc=["市政府办公厅"]
    )
    data = bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6, masthead=given).data
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["000012", "内部★1年", "青岛市工业和信息化局文件", "青工信督〔2024〕6号"]
    mark = doc.paragraphs[2].runs[0]
    assert str(mark.font.color.rgb) == "E60012"
    signature = texts.index("青岛市工业和信息化局")  # 落款: the issuer's full name, then the date
    assert texts[signature + 1] == "2024年6月30日"
    colophon = doc.tables[-1]
    assert colophon.rows[0].cells[0].text == "抄送：市政府办公厅。"
    assert [c.text for c in colophon.rows[1].cells] == ["青岛市工业和信息化局办公室", "2024年6月30日印发"]
    default = Document(io.BytesIO(bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6).data))
    assert default.paragraphs[1].text == "督查通报〔2024〕第6期"  # no 份号 or 密级 unless given


def test_build_bulletin_names_lagging_targets_and_tasks_in_prose(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _fill_lagging(session, system, sample)
    doc = Document(io.BytesIO(bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6).data))
    texts = [p.text for p in doc.paragraphs]
    assert "规模以上工业企业本期尚无数据，请相关单位及时报送。" in texts
    assert "1项目标已完成或达到序时进度。" in texts
    lab = next(t for t in texts if "建设实验室" in t)
    assert lab.startswith("1．市科技局牵头的“2 建设实验室”，完成时限2024年12月31日，滞后。")
    assert "最近一次报送（2024年6月18日，受阻）：受建设用地指标调整影响" in lab
    assert REASON.rstrip("。") in lab  # the whole reason, not cut short
    market = next(t for t in texts if "拓展市场" in t)
    assert market.endswith("至今未报送进展。")
    assert "附件：1．目标完成情况表" in texts


def test_build_bulletin_annex_tables_list_targets_and_units(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    doc = Document(io.BytesIO(_bulletin(session, system, sample).data))
    targets, units, _colophon = doc.tables
    assert [c.text for c in targets.rows[0].cells] == [
        "序号", "指标", "目标", "最新值", "完成度或差距", "序时进度", "状态",
    ]  # fmt: skip
    statuses = {row.cells[1].text: row.cells[6].text for row in targets.rows[1:]}
    assert statuses == {"规模以上工业增加值": "正常", "规模以上工业企业": "无数据"}
    assert targets.rows[1].cells[3].text == "9.8%\n2024年1-6月"
    shading = targets.rows[1].cells[6]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert shading == STATUS_COLOURS[Status.ON_TRACK]
    by_unit = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in units.rows[1:]}
    assert by_unit[GXJ] == ["1", "1", "0", "0", "0"]
    assert by_unit[KJJ] == ["1", "0", "0", "1", "0"]
    silent = next(p for p in doc.paragraphs if "补报" in p.text)
    assert "市商务局" in silent.text


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("推进技改", "推进技改。（牵头单位：市工业和信息化局）", "推进技改"),
        (
            None,
            "三、保障措施\n\n加强部门联动，形成工作闭环。（牵头单位：市委办公厅；完成时限：全年）其他",
            "加强部门联动，形成工作闭环",
        ),
        (None, "支持企业\n开展技术改造（牵头单位：市工业和信息化局）；完善服务", "支持企业开展技术改造"),
    ],
)  # fmt: skip
def test_task_title_is_whole_first_sentence(title: str | None, text: str, expected: str) -> None:
    assert bulletin.task_title(title, text) == expected


def _pdf_text(source: bytes, tmp_path: Path) -> list[str]:
    """The pages of `source` (.docx) as LibreOffice lays them out, as text (pdftotext -layout)."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    require_tool(soffice is not None, "LibreOffice (soffice) is not installed (make office)")
    require_tool(pdftotext is not None, "pdftotext is not installed (make office: poppler-utils)")
    assert soffice is not None and pdftotext is not None
    (tmp_path / "bulletin.docx").write_bytes(source)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "bulletin.docx")],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = tmp_path / "bulletin.pdf"
    assert pdf.exists(), result.stderr
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def _cjk(line: str) -> str:
    return "".join(ch for ch in line if not ch.isspace())


@pytest.mark.slow
def test_build_bulletin_renders_28_characters_by_22_lines_in_libreoffice(
    session: Session, system: Actor, sample: SamplePlan, tmp_path: Path
) -> None:
    _fill_lagging(session, system, sample)
    pages = _pdf_text(bulletin.build_bulletin(session, system, sample.plan.id, 2024, 6).data, tmp_path)
    lines = [line for page in pages for line in page.splitlines()]
    # a full line of the long reason (Chinese only, inside the paragraph): 28 characters
    full = [_cjk(line) for line in lines if _cjk(line) and _cjk(line) in REASON.replace("。", "。")]
    assert full, "\n".join(lines)
    assert max(len(line) for line in full) == 28, full
    assert all(len(line) <= 28 for line in full)
    # a page of body text only (the one the reason fills): 22 lines and the page number
    body_pages = [p for p in pages if p.strip() and "附件" not in p and "督查通报" not in p]
    assert body_pages, pages
    counts = [len([line for line in p.splitlines() if line.strip()]) - 1 for p in body_pages]
    assert 22 in counts, counts
    assert max(counts) == 22
    # the annexes follow on pages of their own; the whole bulletin is a few pages, not sixteen
    assert sum(1 for p in pages if p.strip()) <= 5
    # the 版记 closes the last page, after the annexes (GB/T 9704: 附件 before 版记)
    filled = [p for p in pages if p.strip()]
    assert [p for p in filled if "印发" in p] == [filled[-1]]
    assert "重点任务分单位推进情况表" in "".join(filled[-1].split())


def test_build_ledger_has_targets_and_tasks_sheets(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _fill(session, system, sample)
    content = ledger.build_ledger(session, system, sample.plan.id, date(2024, 6, 30))
    assert load_workbook(io.BytesIO(content)).sheetnames == ["目标", "任务"]
    targets = read_sheet(content, "目标")
    title = f"《{sample.plan.title}》目标台账"
    assert_excel_habits(targets, title=title, numbers=("序号", "目标年份", "最新值", "完成度", "序时进度"))
    assert "截至2024年6月30日" in targets["A2"].value
    assert column(targets, "指标") == ["规模以上工业增加值", "规模以上工业企业"]
    assert column(targets, "计量") == ["增长", "水平"]  # words, never growth/level
    assert column(targets, "最新值") == [9.8, None]
    assert column(targets, "状态") == ["正常", "无数据"]
    assert column(targets, "预计方法") == ["按最新累计增速延续至年末", None]
    status = headers(targets).index("状态") + 1
    assert targets.cell(4, status).fill.fgColor.rgb.endswith(STATUS_COLOURS[Status.ON_TRACK])
    assert targets.cell(4, headers(targets).index("序时进度") + 1).number_format == "0.0%"
    tasks_sheet = read_sheet(content, "任务")
    assert_excel_habits(
        tasks_sheet, title=f"《{sample.plan.title}》任务台账", numbers=("完成时限", "报送日期")
    )
    task_rows = {row[1]: row for row in data_rows(tasks_sheet)}
    assert task_rows["1 推进技改"][8] == "已完成"
    assert task_rows["2 建设实验室"][9] == "滞后"
    assert task_rows["1 推进技改"][4] == date(2024, 6, 30) or task_rows["1 推进技改"][4].date() == date(
        2024, 6, 30
    )


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
    assert _title(doc).text == f"{issuer}关于《{sample.plan.title}》落实情况的督查通报"
    assert [p.text for p in doc.paragraphs if p.text == issuer] == [issuer]  # the signature
    assert doc.paragraphs[0].text == f"{issuer}文件"
    assert not [p.text for p in doc.paragraphs if "青岛" in p.text]
