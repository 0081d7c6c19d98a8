"""Broken and awkward inputs through `zhizao import`: each gives its documented exit status and message, and
the database is left exactly as it was (row counts and a checksum of the figures table)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.imports.conftest import database_state, write_csv, write_xlsx
from zhizao.cli import app

HEADER = ["统一社会信用代码", "企业名称", "年度", "税收实际贡献(万元)", "营业收入(万元)"]


def _bad_check_digit(tmp: Path, codes: list[str]) -> Path:
    bad = codes[0][:17] + ("0" if codes[0][17] != "0" else "1")
    return write_xlsx(tmp / "bad-code.xlsx", [HEADER, [bad, "", 2024, 1, 2]])


def _missing_column(tmp: Path, codes: list[str]) -> Path:
    return write_xlsx(tmp / "missing.xlsx", [["统一社会信用代码", "年度", "备注"], [codes[0], 2024, "x"]])


def _merged_header(tmp: Path, codes: list[str]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["统一社会信用代码", "年度", "税收实际贡献(万元)", ""])
    sheet.merge_cells("C1:D1")
    sheet.append([codes[0], 2024, 1, 2])
    workbook.save(tmp / "merged.xlsx")
    return tmp / "merged.xlsx"


def _text_in_numbers(tmp: Path, codes: list[str]) -> Path:
    return write_xlsx(tmp / "text.xlsx", [HEADER, [codes[0], "", 2024, "十二万", 5]])


def _gbk_csv(tmp: Path, codes: list[str]) -> Path:
    return write_csv(tmp / "gbk.csv", [HEADER, [codes[0], "", 2024, 20, 600]], encoding="gbk")


def _xlsx_renamed_csv(tmp: Path, codes: list[str]) -> Path:
    path = write_xlsx(tmp / "real.xlsx", [HEADER, [codes[0], "", 2024, 20, 600]])
    return Path(shutil.move(path, tmp / "renamed.csv"))


def _empty(tmp: Path, codes: list[str]) -> Path:
    (tmp / "empty.xlsx").write_bytes(b"")
    return tmp / "empty.xlsx"


def _header_only(tmp: Path, codes: list[str]) -> Path:
    return write_csv(tmp / "header.csv", [HEADER])


def _encrypted(tmp: Path, codes: list[str]) -> Path:
    # Excel keeps a password-protected workbook in an OLE container with an EncryptedPackage stream.
    body = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
    (tmp / "locked.xlsx").write_bytes(body)
    return tmp / "locked.xlsx"


def _corrupt(tmp: Path, codes: list[str]) -> Path:
    path = write_xlsx(tmp / "whole.xlsx", [HEADER, [codes[0], "", 2024, 1, 2]])
    (tmp / "corrupt.xlsx").write_bytes(path.read_bytes()[:300])
    return tmp / "corrupt.xlsx"


def _not_a_spreadsheet(tmp: Path, codes: list[str]) -> Path:
    (tmp / "picture.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64)
    return tmp / "picture.xlsx"


def _duplicate_rows(tmp: Path, codes: list[str]) -> Path:
    return write_xlsx(tmp / "dup.xlsx", [HEADER, [codes[0], "", 2024, 1, 2], [codes[0], "", 2024, 1, 2]])


def _formulas(tmp: Path, codes: list[str]) -> Path:
    return write_xlsx(tmp / "formula.xlsx", [HEADER, [codes[0], "", 2024, "=E2*0.1", 600]])


def _formulas_with_values(tmp: Path, codes: list[str]) -> Path:
    """A formula with the result Excel stored (as a file saved by Excel has): the result is imported."""
    source = write_xlsx(tmp / "f.xlsx", [HEADER, [codes[0], "", 2024, "=E2*0.1", 600]])
    out = tmp / "formula-values.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>E2*0.1</f><v></v>", b"<f>E2*0.1</f><v>60</v>")
                data = data.replace(b"<f>E2*0.1</f><v/>", b"<f>E2*0.1</f><v>60</v>")
            zout.writestr(item, data)
    return out


def _date_in_number(tmp: Path, codes: list[str]) -> Path:
    return write_xlsx(tmp / "date.xlsx", [HEADER, [codes[0], "", 2024, date(2024, 1, 5), 600]])


def _serial_dates(tmp: Path, codes: list[str]) -> Path:
    rows = [
        ["统一社会信用代码", "企业名称", "所属区域", "行业代码", "成立日期"],
        [codes[0], "青岛测试0号有限公司", "370211", "3360", 40544],
    ]
    return write_xlsx(tmp / "serial.xlsx", rows)


def _thousands(tmp: Path, codes: list[str]) -> Path:
    return write_csv(tmp / "thousands.csv", [HEADER, [codes[0], "", 2024, "1,234.5", "12,345.6"]])


def _full_width(tmp: Path, codes: list[str]) -> Path:
    return write_csv(tmp / "fullwidth.csv", [HEADER, [codes[0], "", "２０２４", "１２３.５", "６００"]])


CASES: list[tuple[str, Callable[[Path, list[str]], Path], list[str], int, str]] = [
    ("wrong check digit", _bad_check_digit, ["figures"], 1, "校验位错误"),
    ("missing column", _missing_column, ["figures"], 2, "没有可识别的指标列"),
    ("merged header cells", _merged_header, ["figures"], 2, "合并单元格"),
    ("text in numbers", _text_in_numbers, ["figures"], 1, "应为数值"),
    ("GBK-encoded CSV", _gbk_csv, ["figures", "--dry-run"], 0, "未写入"),
    ("xlsx renamed csv", _xlsx_renamed_csv, ["figures", "--dry-run"], 0, "(xlsx)"),
    ("empty file", _empty, ["figures"], 2, "文件为空"),
    ("header only", _header_only, ["figures"], 2, "没有数据行"),
    ("encrypted workbook", _encrypted, ["figures"], 2, "文件已加密"),
    ("corrupt workbook", _corrupt, ["figures"], 2, "文件已损坏"),
    ("not a spreadsheet", _not_a_spreadsheet, ["figures"], 2, "不是电子表格"),
    ("duplicate rows", _duplicate_rows, ["figures"], 1, "重复"),
    ("formulas without values", _formulas, ["figures"], 1, "公式没有计算结果"),
    ("formulas with stored values", _formulas_with_values, ["figures", "--dry-run"], 0, "新增 2"),
    ("date in a number column", _date_in_number, ["figures"], 1, "实际为日期"),
    ("dates as excel serials", _serial_dates, ["enterprises", "--dry-run"], 0, "修改 1"),
    ("thousands separators", _thousands, ["figures", "--dry-run"], 0, "新增 2"),
    ("full-width digits", _full_width, ["figures", "--dry-run"], 0, "新增 2"),
]


@pytest.mark.parametrize(
    ("make", "args", "status", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_import_broken_input_gives_status_and_leaves_database_unchanged(
    cli_env: tuple[Engine, list[str]],
    tmp_path: Path,
    make: Callable[[Path, list[str]], Path],
    args: list[str],
    status: int,
    message: str,
) -> None:
    engine, codes = cli_env
    path = make(tmp_path, codes)
    before = database_state(engine)
    result = CliRunner().invoke(app, ["import", args[0], str(path), *args[1:]])
    assert result.exit_code == status, result.output
    assert message in result.output
    assert database_state(engine) == before
    if status == 1:
        assert "错误报告" in result.output
        assert list(tmp_path.glob("*-错误报告.xlsx"))


def test_import_figures_with_warnings_without_terminal_writes_nothing(
    cli_env: tuple[Engine, list[str]], tmp_path: Path
) -> None:
    engine, codes = cli_env
    path = write_xlsx(tmp_path / "warn.xlsx", [HEADER, [codes[1], "", 2024, 900, 100]])  # tax > revenue
    before = database_state(engine)
    result = CliRunner().invoke(app, ["import", "figures", str(path)])
    assert result.exit_code == 1
    assert "--yes" in result.output
    assert database_state(engine) == before


def test_import_figures_twice_is_idempotent(cli_env: tuple[Engine, list[str]], tmp_path: Path) -> None:
    engine, codes = cli_env
    path = write_csv(tmp_path / "ok.csv", [["纳税人识别号", "税收(元)"], [codes[2], "150000"]])
    first = CliRunner().invoke(app, ["import", "figures", str(path), "--year", "2022"])
    assert first.exit_code == 0, first.output
    assert "新增 1" in first.output
    after_first = database_state(engine)
    second = CliRunner().invoke(app, ["import", "figures", str(path), "--year", "2022"])
    assert second.exit_code == 0, second.output
    assert "没有需要写入的变化" in second.output
    assert database_state(engine) == after_first
