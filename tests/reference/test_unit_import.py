from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.conftest import migrate_for_region
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cli import app
from zhizao.config import get_settings
from zhizao.db.session import get_engine
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans.units import UnitMatcher
from zhizao.reference.models import Unit
from zhizao.reference.unit_import import import_units

HEADER = ["名称", "简称(多个用、或|分隔)", "上级单位", "层级/类别", "所属行政区划"]


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def unit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Unit)) or 0


def test_import_units_from_xlsx_adds_and_updates(session: Session, system: Actor, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "units.xlsx",
        [
            ["青岛高新技术产业开发区管委会", "高新区管委会、青岛高新区|红岛经济区", "", "开发区", "370200"],
            ["高新区经济发展部", "高新区经发部", "青岛高新技术产业开发区管委会", "部门", "370200 青岛市"],
            ["市工业和信息化局", "市工信部门", "", "部门", "青岛市"],
        ],
    )

    result = import_units(session, system, path)

    assert result.created == ["青岛高新技术产业开发区管委会", "高新区经济发展部"]
    assert result.updated == ["市工业和信息化局"]
    zone = session.scalars(select(Unit).where(Unit.name == "青岛高新技术产业开发区管委会")).one()
    assert (zone.kind, zone.region_code) == ("other", "370200")
    assert zone.aliases == ["高新区管委会", "青岛高新区", "红岛经济区"]
    office = session.scalars(select(Unit).where(Unit.name == "高新区经济发展部")).one()
    assert office.parent_id == zone.id
    industry = session.scalars(select(Unit).where(Unit.name == "市工业和信息化局")).one()
    assert "市工信部门" in industry.aliases and "市工信局" in industry.aliases
    matcher = UnitMatcher.load(session)
    assert [u.name for u in matcher.match("红岛经济区")] == ["青岛高新技术产业开发区管委会"]
    assert [u.name for u in matcher.match("市工信部门")] == ["市工业和信息化局"]


def test_import_units_from_csv(session: Session, system: Actor, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("名称,简称,层级/类别\n市重点项目专班,重点项目专班,其他\n", encoding="gb18030")

    result = import_units(session, system, path)

    assert result.created == ["市重点项目专班"]


def test_import_units_bad_file_writes_nothing(session: Session, system: Actor, tmp_path: Path) -> None:
    before = unit_count(session)
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            ["新单位甲", "", "", "部门", "370200"],
            ["", "无名", "", "部门", ""],
            ["新单位乙", "", "不存在的上级", "部门", ""],
            ["新单位丙", "市工信局", "", "部门", ""],
            ["新单位丁", "", "", "委员会", "999999"],
            ["新单位甲", "", "", "部门", ""],
        ],
    )

    with pytest.raises(InvalidInput) as caught:
        import_units(session, system, path)

    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {
        (3, "名称"),
        (4, "上级单位"),
        (5, "简称"),
        (6, "层级/类别"),
        (6, "所属行政区划"),
        (7, "名称"),
    }
    messages = " ".join(p.message for p in caught.value.problems)
    assert "市工业和信息化局" in messages and "不存在的上级" in messages and "第2行重复" in messages
    assert unit_count(session) == before


def test_import_units_refuses_region_outside_home(
    session: Session, system: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIZAO_HOME_REGION", "370200")
    get_settings.cache_clear()
    try:
        path = workbook(tmp_path / "far.xlsx", [["省外单位", "", "", "部门", "370000"]])
        with pytest.raises(InvalidInput) as caught:
            import_units(session, system, path)
    finally:
        get_settings.cache_clear()
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "所属行政区划")]
    assert "370200" in caught.value.problems[0].message


def test_import_units_without_name_column(session: Session, system: Actor, tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("单位编号,备注\n1,x\n", encoding="utf-8")

    with pytest.raises(InvalidInput, match="名称"):
        import_units(session, system, path)


def test_import_units_forbidden_for_analyst(session: Session, tmp_path: Path) -> None:
    path = workbook(tmp_path / "units.xlsx", [["某单位", "", "", "部门", ""]])

    with pytest.raises(Forbidden):
        import_units(session, Actor(username="a", role=Role.ANALYST), path)


def test_units_cli_import_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'units.db'}"
    migrate_for_region(url)
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        good = workbook(tmp_path / "good.xlsx", [["市重点项目专班", "重点项目专班", "", "其他", "370200"]])
        bad = workbook(tmp_path / "bad.xlsx", [["另一专班", "", "没有这个上级", "其他", ""]])
        imported = CliRunner().invoke(app, ["units", "import", str(good)])
        refused = CliRunner().invoke(app, ["units", "import", str(bad)])
        listed = CliRunner().invoke(app, ["units", "list", "--kind", "other"])
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
    assert imported.exit_code == 0, imported.output
    assert "新增 1 个" in imported.output
    assert refused.exit_code == 1
    assert "第2行" in refused.output and "没有这个上级" in refused.output
    assert listed.exit_code == 0 and "市重点项目专班" in listed.output and "另一专班" not in listed.output


def test_db_upgrade_and_units_init_create_the_home_regions_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'weifang.db'}"
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    monkeypatch.setenv("ZHIZAO_HOME_REGION", "370700")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        upgraded = CliRunner().invoke(app, ["db", "upgrade"])
        listed = CliRunner().invoke(app, ["units", "list", "--kind", "district"])
        province = CliRunner().invoke(app, ["units", "init", "--region", "370000"])
        again = CliRunner().invoke(app, ["units", "list"])
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
    assert upgraded.exit_code == 0, upgraded.output
    assert listed.exit_code == 0 and "潍城区政府" in listed.output and "市工业和信息化局" not in listed.output
    assert province.exit_code == 0 and "370000" in province.output
    assert "省工业和信息化厅" in again.output


def test_units_init_without_region_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHIZAO_HOME_REGION", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["units", "init"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "ZHIZAO_HOME_REGION" in result.output
