"""The monthly 调度 import: all rows or nothing, the imports' messages, confirmation and history; the form
round trip (download, fill, import, download again with last month's values)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.projects.conftest import HEADER, World, row
from zhizao.imports.models import Import
from zhizao.imports.outcome import NeedsConfirmation, ValidationFailed
from zhizao.imports.readers import UnusableFile
from zhizao.projects import form, importing
from zhizao.projects.models import Project, ProjectChange, ProjectMonth, ProjectPlan

Make = Callable[..., Path]


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Project, ProjectMonth, ProjectPlan, ProjectChange, Import)
    )


def test_import_creates_project_by_its_first_row(session: Session, world: World, workbook: Make) -> None:
    path = workbook([row(month=5, year_actual=3000, cumulative=3000), row(month=6)])
    result = importing.apply(session, world.actor("admin"), path)
    assert (result.preview.created, result.preview.updated, result.preview.errors) == (2, 0, 0)
    project = session.scalars(select(Project).where(Project.code == "2026-370211-34-03-000001")).one()
    assert (project.kind, project.level, project.region_code, project.stage) == (
        "重点项目",
        "市级",
        "370211",
        "build",
    )
    assert project.start_actual == date(2026, 3, 15) and project.total_investment == 50000
    months = session.scalars(select(ProjectMonth).where(ProjectMonth.project_id == project.id)).all()
    assert sorted((m.month, m.year_actual) for m in months) == [(5, 3000), (6, 5000)]
    history = session.scalars(select(ProjectChange).where(ProjectChange.project_id == project.id)).all()
    assert {h.import_id for h in history} == {result.import_id}
    assert session.get(Import, result.import_id).kind == "projects"  # type: ignore[union-attr]


def test_import_again_changes_nothing(session: Session, world: World, workbook: Make) -> None:
    path = workbook([row()])
    importing.apply(session, world.actor("admin"), path)
    before = _counts(session)
    again = importing.apply(session, world.actor("admin"), path)
    assert again.import_id is None and again.preview.unchanged == 1
    assert _counts(session) == before


def test_import_headers_in_any_order_with_aliases_and_units(
    session: Session, world: World, workbook: Make
) -> None:
    header = [
        "月份",
        "年度",
        "开累完成投资(亿元)",
        "本年累计完成投资(万元)",
        "项目全称",
        "类型",
        "级别",
        "区县",
    ]
    path = workbook([[6, 2026, 1.5, 8000, "别名项目", "技改项目", "区", "370211"]], header=header)
    importing.apply(session, world.actor("admin"), path)
    project = session.scalars(select(Project).where(Project.name == "别名项目")).one()
    month = session.scalars(select(ProjectMonth).where(ProjectMonth.project_id == project.id)).one()
    assert (project.kind, project.level, month.cumulative, month.year_actual) == (
        "技改项目",
        "区级",
        15000,
        8000,
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row(kind="示范项目"), "项目类型「示范项目」不在本系统的类型中"),
        (row(year_actual=6000, cumulative=5000), "本年完成投资大于自开始建设累计完成投资"),
        (row(start_actual=date(2026, 7, 2)), "实际开工日期晚于报告月份"),
        (row(region="999999"), "不是已知的行政区划代码或名称"),
        (row(status="半停工"), "项目状态应为"),
        (row(year_actual=-1), "不能为负数"),
        (row(level="国家级"), "项目级别应为"),
        (row(name="无区域项目", code="", region=""), "新项目（首次报送）须填写"),
    ],
)
def test_import_refuses_bad_rows_and_writes_nothing(
    session: Session, world: World, workbook: Make, bad: list[object], message: str
) -> None:
    good = row(name="好项目", code="2026-370211-34-03-000009")
    before = _counts(session)
    with pytest.raises(ValidationFailed) as raised:
        importing.apply(session, world.actor("admin"), workbook([good, bad]), confirmed=True)
    assert any(message in p.message and p.row == 3 for p in raised.value.problems), raised.value.problems
    assert raised.value.message.startswith("文件有") and "未导入任何数据" in raised.value.message
    assert _counts(session) == before


def test_import_refuses_duplicate_rows(session: Session, world: World, workbook: Make) -> None:
    with pytest.raises(ValidationFailed) as raised:
        importing.apply(session, world.actor("admin"), workbook([row(), row()]))
    assert any("与第2行重复" in p.message for p in raised.value.problems)


def test_import_without_required_column_is_unusable(session: Session, world: World, workbook: Make) -> None:
    header = [h for h in HEADER if h != "月份"]
    with pytest.raises(UnusableFile, match="缺少必填列: 月份"):
        importing.preview(session, world.actor("admin"), workbook([row()[:13] + row()[14:]], header=header))


def test_changed_plan_needs_confirmation(session: Session, world: World, workbook: Make) -> None:
    importing.apply(session, world.actor("admin"), workbook([row(month=5)]))
    replanned = workbook([row(month=6, annual=9000)])
    checked = importing.preview(session, world.actor("admin"), replanned)
    assert checked.updated == 1 and [c.label for c in checked.changes] == ["年度计划投资"]
    with pytest.raises(NeedsConfirmation):
        importing.apply(session, world.actor("admin"), replanned)
    result = importing.apply(session, world.actor("admin"), replanned, confirmed=True)
    plan = session.scalars(select(ProjectPlan)).one()
    assert plan.annual_plan == 9000 and result.import_id is not None


def test_falling_figures_warn(session: Session, world: World, workbook: Make) -> None:
    importing.apply(
        session, world.actor("admin"), workbook([row(month=5, year_actual=4000, cumulative=4000)])
    )
    checked = importing.preview(
        session, world.actor("admin"), workbook([row(month=6, year_actual=3000, cumulative=4000)])
    )
    assert checked.warnings == 1 and "小于5月报送的4000" in checked.problems[0].message


def test_preview_writes_nothing(session: Session, world: World, workbook: Make) -> None:
    before = _counts(session)
    checked = importing.preview(session, world.actor("admin"), workbook([row()]))
    assert checked.created == 1 and _counts(session) == before


def test_district_officer_cannot_report_another_region(
    session: Session, world: World, workbook: Make
) -> None:
    importing.apply(session, world.actor("admin"), workbook([row(region="370212", month=5)]))
    with pytest.raises(ValidationFailed) as raised:
        importing.apply(session, world.actor("officer"), workbook([row(region="370212", month=6)]))
    assert "不在本账号的范围内" in raised.value.problems[0].message
    with pytest.raises(ValidationFailed):
        importing.apply(session, world.actor("officer"), workbook([row(name="新", code="", region="370212")]))


def test_suspension_and_resumption(session: Session, world: World, workbook: Make) -> None:
    importing.apply(session, world.actor("admin"), workbook([row(month=5), row(month=6, status="停缓建")]))
    project = session.scalars(select(Project)).one()
    assert project.suspended_on == date(2026, 6, 30)
    importing.apply(session, world.actor("admin"), workbook([row(month=7, year_actual=5000)]))
    session.refresh(project)
    assert project.suspended_on is None and project.stage == "build"


def test_form_round_trip(session: Session, world: World, workbook: Make, tmp_path: Path) -> None:
    admin = world.actor("admin")
    importing.apply(session, admin, workbook([row(month=6, year_actual=5000, cumulative=7000)]))
    content = form.write_form(session, admin, 2026, 7)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    header, first = values[0], values[1]
    assert first[header.index("项目名称")] == "新建智能装备产业园项目"
    assert first[header.index("上月本年完成投资(万元)")] == 5000
    assert first[header.index("上月自开始建设累计完成投资(万元)")] == 7000
    assert (first[header.index("年度")], first[header.index("月份")]) == (2026, 7)
    assert first[header.index("本年完成投资(万元)")] is None
    first[header.index("本年完成投资(万元)")] = 6500
    first[header.index("自开始建设累计完成投资(万元)")] = 8500
    sheet.cell(row=4, column=header.index("本年完成投资(万元)") + 1, value=6500)
    sheet.cell(row=4, column=header.index("自开始建设累计完成投资(万元)") + 1, value=8500)
    filled = tmp_path / "filled.xlsx"
    sheet.parent.save(filled)
    result = importing.apply(session, admin, filled)
    assert (result.preview.created, result.preview.updated, result.preview.errors) == (1, 0, 0)
    july = session.scalars(select(ProjectMonth).where(ProjectMonth.month == 7)).one()
    assert (july.year_actual, july.cumulative) == (6500, 8500)


def test_unfilled_form_is_refused(session: Session, world: World, workbook: Make, tmp_path: Path) -> None:
    admin = world.actor("admin")
    importing.apply(session, admin, workbook([row(month=6)]))
    path = tmp_path / "blank.xlsx"
    path.write_bytes(form.write_form(session, admin, 2026, 7))
    with pytest.raises(ValidationFailed) as raised:
        importing.apply(session, admin, path)
    assert any("本年完成投资不能为空" in p.message for p in raised.value.problems)


def test_code_given_later_attaches_to_the_named_project(
    session: Session, world: World, workbook: Make
) -> None:
    importing.apply(session, world.actor("admin"), workbook([row(code="", month=5)]))
    importing.apply(session, world.actor("admin"), workbook([row(month=6)]), confirmed=True)
    project = session.scalars(select(Project)).one()
    assert project.code == "2026-370211-34-03-000001"
    importing.apply(
        session, world.actor("admin"), workbook([row(code="", month=7, year_actual=6000, cumulative=6000)])
    )
    assert session.scalar(select(func.count()).select_from(ProjectMonth)) == 3


def test_rollback_of_a_projects_import(session: Session, world: World, workbook: Make) -> None:
    from zhizao.errors import InvalidInput
    from zhizao.imports import history

    admin = world.actor("admin")
    first = importing.apply(session, admin, workbook([row(month=5, year_actual=3000, cumulative=3000)]))
    counts = _counts(session)
    second = importing.apply(
        session,
        admin,
        workbook([row(month=6, annual=9000, status="竣工", complete_actual=date(2026, 6, 20))]),
        confirmed=True,
    )
    third = importing.apply(
        session, admin, workbook([row(month=7, year_actual=6000, cumulative=6000)]), confirmed=True
    )
    with pytest.raises(InvalidInput, match="之后有项目数据又被修改过"):
        history.rollback(session, admin, second.import_id)  # type: ignore[arg-type]
    history.rollback(session, admin, third.import_id)  # type: ignore[arg-type]
    history.rollback(session, admin, second.import_id)  # type: ignore[arg-type]
    project = session.scalars(select(Project)).one()
    plan = session.scalars(select(ProjectPlan)).one()
    assert (project.stage, project.complete_actual, plan.annual_plan) == ("build", None, 12000)
    assert sorted(m.month for m in session.scalars(select(ProjectMonth))) == [5]
    history.rollback(session, admin, first.import_id)  # type: ignore[arg-type]
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    assert counts[0] == 1
