"""Templates, the highlighted error report and the export → import round trip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.imports.conftest import write_xlsx
from tests.office.habits import assert_excel_habits, data_rows
from zhizao.auth.scope import Actor
from zhizao.imports import apply as importing
from zhizao.imports import report, templates
from zhizao.imports.readers import UnusableFile, open_table


def test_write_template_figures_has_labels_validation_example_and_frozen_header(
    session: Session, tmp_path: Path
) -> None:
    path = templates.write_template(session, "figures", tmp_path / "t.xlsx")
    sheet = load_workbook(path)["数据"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["*统一社会信用代码", "企业名称", "*年度", "月份"]
    assert "税收实际贡献(万元)" in headers
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].comment is not None
    assert str(sheet["A2"].value).startswith("示例")
    assert len(sheet.data_validations.dataValidation) >= 11


def test_write_template_enterprises_has_dropdowns(
    session: Session, tmp_path: Path, home_region: Callable[[str | None], None]
) -> None:
    home_region("370200")
    workbook = load_workbook(templates.write_template(session, "enterprises", tmp_path / "t.xlsx"))
    formulas = {v.formula1 for v in workbook["数据"].data_validations.dataValidation}
    assert any(f.startswith("代码表!") for f in formulas)
    assert workbook["代码表"].sheet_state == "hidden"
    assert [c.value for c in workbook["代码表"]["A"]][:2] == ["370202 市南区", "370203 市北区"]
    assert str(workbook["数据"]["A2"].value).startswith("示例 91370202") and workbook["数据"]["C2"].value == (
        "370202 市南区"
    )


def test_import_template_with_only_the_example_row_has_no_data(session: Session, tmp_path: Path) -> None:
    path = templates.write_template(session, "figures", tmp_path / "t.xlsx")
    try:
        importing.preview(session, Actor.system(), path, "figures")
    except UnusableFile as exc:
        assert "没有数据行" in exc.message
    else:
        raise AssertionError("the example row must not be imported")


def test_export_figures_then_import_changes_nothing(session: Session, system: Actor, tmp_path: Path) -> None:
    for i in range(3):
        add_enterprise(
            session,
            figures={
                2023: {"tax": 12.345678 + i, "land_mu": 40.0, "employees": 120},
                2024: {"revenue": 1e5 / 3},
            },
        )
    path = templates.export_figures(session, system, tmp_path / "export.xlsx")
    checked = importing.preview(session, system, path, "figures")
    assert (checked.errors, checked.warnings, checked.created, checked.updated) == (0, 0, 0, 0)
    assert checked.unchanged >= 12


def test_write_report_highlights_bad_cells_with_comments(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            ["统一社会信用代码", "年度", "税收", "营业收入"],
            [enterprise.credit_code, 2024, "abc", 5],
            ["123", 2024, 1, 2],
        ],
    )
    checked = importing.preview(session, system, path, "figures")
    out = report.write_report(open_table(path), checked.problems, tmp_path / "report.xlsx")
    workbook = load_workbook(out)
    sheet = workbook.worksheets[0]
    assert sheet["C2"].value == "abc"
    assert sheet["C2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "应为数值" in sheet["C2"].comment.text
    assert "18位" in sheet["A3"].comment.text
    assert sheet["D2"].comment is None
    problems = workbook["问题清单"]
    assert_excel_habits(problems, title="问题清单（错误2处，警告0处）", numbers=("行",))
    assert [(r[0], r[1], r[2]) for r in data_rows(problems)] == [(2, "C", "错误"), (3, "A", "错误")]


def test_import_templates_have_a_styled_filtered_header_on_row_one(session: Session, tmp_path: Path) -> None:
    for kind in ("enterprises", "figures"):
        sheet = load_workbook(templates.write_template(session, kind, tmp_path / f"{kind}.xlsx"))["数据"]
        assert_excel_habits(sheet)  # the header stays on row 1, where the reader finds it
        assert sheet.freeze_panes == "A2"
