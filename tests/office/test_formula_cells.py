"""User text that looks like a formula comes back as text from every workbook the platform writes, and a
control character in user text never fails an export (it is replaced)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.evaluation.city import add_city
from tests.imports.conftest import write_csv
from tests.office.habits import assert_excel_habits, read_sheet
from tests.tracking.conftest import GXJ, build_sample, department
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.registry import EnterpriseQuery, export_enterprises_xlsx
from zhizao.errors import Problem
from zhizao.evaluation.outputs import write_table
from zhizao.evaluation.results import ResultQuery, export_results_xlsx
from zhizao.evaluation.runs import run_and_store
from zhizao.imports.readers import open_table
from zhizao.imports.report import write_report
from zhizao.office import cells
from zhizao.plans.export import export_plan
from zhizao.tracking import ledger, tasks

LINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
CONTROL = "控制\x01字符\x1f"


def assert_text_only(content: bytes) -> list[str]:
    """No sheet holds a formula, every cell whose text starts with = is a string with the quote prefix, and
    LINK or DDE is among them; returns the text of every string cell."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    found: list[str] = []
    texts: list[str] = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith("="):
                        assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                        found.append(cell.value)
    assert any(t.startswith((LINK, DDE)) for t in found), "the user text is not in the workbook"
    return texts


def test_cell_helper_keeps_numbers_and_replaces_what_a_workbook_cannot_hold() -> None:
    for write_only in (True, False):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("x")
        sheet.append(cells.row(sheet, [LINK, DDE, "+1", "@SUM(A1)", "\tx", 5, 2.5, "a\x00b", "普通文字"]))
        buffer = io.BytesIO()
        book.save(buffer)
        values = next(load_workbook(io.BytesIO(buffer.getvalue()))["x"].iter_rows())
        assert [c.value for c in values][5:] == [5, 2.5, "a\ufffdb", "普通文字"]
        assert values[5].data_type == "n" and not values[8].quotePrefix
        assert all(c.data_type == "s" and c.quotePrefix for c in values[:5])


def test_enterprises_export_writes_formula_text_as_text(session: Session) -> None:
    add_enterprise(session, name=LINK)
    add_enterprise(session, name=DDE + CONTROL)
    texts = assert_text_only(export_enterprises_xlsx(session, Actor("a", Role.ANALYST), EnterpriseQuery()))
    assert any(t.endswith("控制\ufffd字符\ufffd") for t in texts)


def test_evaluation_results_export_writes_formula_text_as_text(session: Session) -> None:
    add_city(session, LINK)
    run = run_and_store(session, Actor.system(), "huaian-2024", 2024)
    texts = assert_text_only(export_results_xlsx(session, Actor.system(), run.id, ResultQuery(per_page=500)))
    assert any(t.startswith(LINK) for t in texts)


def test_plan_export_writes_formula_text_as_text(session: Session, system: Actor) -> None:
    sample = build_sample(session)
    sample.plan.title = DDE
    sample.a_gxj.task.text = LINK + CONTROL
    sample.a_gxj.task.title = LINK
    session.flush()
    _, content = export_plan(session, system, sample.plan.id)
    texts = assert_text_only(content)
    assert any("控制\ufffd字符" in t for t in texts)


def test_ledger_writes_formula_text_as_text(session: Session, system: Actor) -> None:
    sample = build_sample(session)
    reporter = department(session, GXJ)
    tasks.report_progress(
        session, reporter, sample.a_gxj.id, reported_on=date(2024, 6, 20), text=DDE + CONTROL, status="推进中"
    )
    sample.a_kjj.task.title = LINK
    session.flush()
    texts = assert_text_only(ledger.build_ledger(session, system, sample.plan.id, date(2024, 6, 30)))
    assert any("控制\ufffd字符" in t for t in texts)


def test_error_report_writes_formula_text_as_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [["统一社会信用代码", "企业名称"], [DDE, LINK]])
    out = write_report(open_table(path), [Problem(LINK, row=2, column="A")], tmp_path / "report.xlsx")
    assert_text_only(out.read_bytes())


def test_evaluation_output_file_writes_formula_text_as_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"企业名称": [LINK, "甲"], "总分": [81.5, None], "排名": [1, 2]})
    path = write_table(frame, tmp_path / "out.xlsx")
    assert_text_only(path.read_bytes())
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [("企业名称", "总分", "排名"), (LINK, 81.5, 1), ("甲", None, 2)]
    assert_excel_habits(read_sheet(path.read_bytes()), numbers=("总分", "排名"))
