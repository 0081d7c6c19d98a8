"""Files in, text out: encodings, Word, web pages, PDF, and clear messages for unusable input."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.errors import InvalidInput
from zhizao.plans.reading import parse_document
from zhizao.plans.reading.sources import read_bytes

TEXT = (
    "关于加快示例产业发展的实施意见\n"
    "一、重点任务\n"
    "(一)壮大龙头企业。推动企业兼并重组,新培育龙头企业10家以上。(牵头单位:市示例局;完成时限:2024年12月)\n"
    "(二)完善配套体系。支持本地配套,提升协作水平。(市商务局负责)\n"
)


def test_read_bytes_detects_gb18030() -> None:
    assert read_bytes(TEXT.encode("gb18030"), "plan.txt") == TEXT


def test_read_bytes_reads_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["序号", "重点任务", "牵头单位"], strict=True):
        cell.text = value
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = read_bytes(path.read_bytes(), path.name)
    assert "壮大龙头企业" in text
    assert "序号\t重点任务\t牵头单位" in text


def test_read_bytes_reads_html_without_scripts() -> None:
    html = "<html><head><script>var a=1;</script></head><body><p>" + TEXT.replace("\n", "</p><p>") + "</p>"
    text = read_bytes(html.encode("utf-8"), "page.html")
    assert "壮大龙头企业" in text and "var a" not in text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "为空"),
        (b"\x00\x01\x02binary\x00", "x.bin", "二进制"),
        (b"%PDF-1.4 broken", "scan.pdf", "PDF"),
    ],
)
def test_read_bytes_rejects_unusable_input(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_bytes(data, name)


def test_read_bytes_rejects_pdf_without_text_layer() -> None:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InvalidInput, match="文字层"):
        read_bytes(buffer.getvalue(), "scan.pdf")


def test_parse_document_rejects_unrelated_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("今天天气很好,我们去公园散步,看到了很多花。" * 5, encoding="utf-8")
    with pytest.raises(InvalidInput, match="政策文件"):
        parse_document(path)


def test_plan_parse_prints_json(tmp_path: Path) -> None:
    import json

    path = tmp_path / "plan.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "parse", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [t["path"] for t in data["tasks"]] == [["一", "(一)"], ["一", "(二)"]]
    assert data["targets"][0]["value"] == 10


def test_plan_parse_prints_table(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "市示例局" in result.output
    assert "把握" in result.output and "%" in result.output


def test_plan_parse_fails_cleanly_on_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = CliRunner().invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_parse_document_reads_a_page_of_subsidy_rates_as_a_policy_with_no_goals(tmp_path: Path) -> None:
    from zhizao.plans.reading import NO_GOALS

    path = tmp_path / "rates.txt"
    path.write_text(
        "对投资5000万元以上的示例产业项目,按设备投入给予8%的补助,最高补助1000万元。"
        "项目投产后连续2年内,按新增贡献给予50%的奖励。对首次认定的示例企业,给予一次性奖补20万元。"
        "对新建示例平台,给予建设资金补贴,单个项目补贴不超过300万元。"
        "对示例企业购买首台套装备的,按购置金额的10%给予补助,同一企业每年度补助金额最高不超过200万元。",
        encoding="utf-8",
    )
    extraction = parse_document(path)
    assert (extraction.targets, extraction.tasks) == ([], [])
    assert extraction.reasons["goals"] == NO_GOALS


def test_parse_document_still_refuses_a_page_of_pure_news(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text(
        "昨天下午,市民在广场观看了文艺演出,现场气氛热烈。演员们表演了歌舞、相声和小品,观众掌声不断。"
        "演出持续了两个小时,许多家庭带着孩子前来观看,大家纷纷表示很开心。" * 2,
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="政策文件"):
        parse_document(path)
