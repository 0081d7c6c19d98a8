from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.figures import correct_figure
from zhizao.errors import Forbidden
from zhizao.monitoring.document import operations_report
from zhizao.monitoring.queries import (
    cockpit_tile,
    district_warnings,
    group_firms,
    monthly_report,
    run_analysis,
)
from zhizao.monitoring.tables import workbook
from zhizao.tracking.observations import ObservationInput, ensure_series, record_observation

from .conftest import HUANGDAO, SHINAN, YEAR, Stored

ADMIN = Actor.system()
DISTRICT = Actor("quxian", Role.DISTRICT, region_code=HUANGDAO)


def test_run_analysis_by_district_from_the_database(session: Session, stored: Stored) -> None:
    result = run_analysis(session, ADMIN, YEAR, 3, by="region")
    assert result.total.growth == pytest.approx((570 / 600 - 1) * 100)
    groups = {g.group: g for g in result.groups}
    assert groups[HUANGDAO].contribution_pp == pytest.approx(60 / 600 * 100)
    assert groups[SHINAN].contribution_pp == pytest.approx(-90 / 600 * 100)
    assert groups[HUANGDAO].new_firms == 1
    assert groups[SHINAN].beside_growth == pytest.approx(-50.0)


def test_district_sees_only_its_firms_and_totals(session: Session, stored: Stored) -> None:
    result = run_analysis(session, DISTRICT, YEAR, 3, by="region")
    assert result.total.value_cum_prev == pytest.approx(300.0)  # its own firm only
    assert {g.group for g in result.groups} == {HUANGDAO}
    firms = group_firms(session, DISTRICT, YEAR, 3)
    assert stored.down.id not in {f.enterprise_id for f in firms}
    assert district_warnings(session, DISTRICT, YEAR, 3) == []


def test_other_roles_are_refused(session: Session, stored: Stored) -> None:
    with pytest.raises(Forbidden):
        run_analysis(session, Actor("qiye", Role.ENTERPRISE, enterprise_id=stored.up.id), YEAR, 3)


def test_corrected_cumulative_is_read_and_falling_one_warned(session: Session, stored: Stored) -> None:
    correct_figure(session, ADMIN, stored.down.id, "output_value_ytd", YEAR, 270.0, "统计局更正", month=3)
    result = run_analysis(session, ADMIN, YEAR, 3, by="region")
    assert result.total.value_cum == pytest.approx(360 + 270)
    kinds = {(w.enterprise_id, w.kind) for w in district_warnings(session, ADMIN, YEAR, 3)}
    assert (stored.down.id, "electricity_drop") in kinds
    assert (stored.down.id, "output_drop") not in kinds  # 270 against 300 is −10 %


def test_official_growth_beside_firm_figures(session: Session, stored: Stored) -> None:
    series = ensure_series(session, "规模以上工业增加值增速", "%")
    record_observation(session, ADMIN, ObservationInput(series.id, "370200", "ytd", YEAR, 3, 6.2))
    report = monthly_report(session, ADMIN, YEAR, 3)
    assert report.official == ("规模以上工业增加值增速", 6.2)


def test_operations_report_reads_back(session: Session, stored: Stored) -> None:
    doc = Document(io.BytesIO(operations_report(session, ADMIN, YEAR, 3)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2025年1—3月工业运行分析" in text
    assert "同比下降5.0%" in text  # 570 against 600
    assert "黄岛区拉动10.00个百分点" in text and "市南区拉低15.00个百分点" in text
    assert "新增（增量）企业1家" in text
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "示例下降制造有限公司" in cells and "累计用电量大幅下降" in cells


def test_workbook_holds_the_same_tables(session: Session, stored: Stored) -> None:
    report = monthly_report(session, ADMIN, YEAR, 3)
    book = load_workbook(io.BytesIO(workbook(report, "测试")))
    assert book.sheetnames[0] == "分地区运行情况" and "预警企业" in book.sheetnames
    sheet = book["分地区运行情况"]
    names = [sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)]
    assert names[-1] == "合计" and "黄岛区" in names


def test_cockpit_tile_reports_latest_month(session: Session, stored: Stored) -> None:
    tile = cockpit_tile(session, ADMIN)
    assert tile is not None and (tile.year, tile.month) == (YEAR, 3)
    assert tile.growth == pytest.approx(-5.0) and tile.warnings >= 1
