"""Previewing and applying imports through the library (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise, new_credit_code
from tests.imports.conftest import write_csv, write_xlsx
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.imports import apply as importing
from zhizao.imports import history
from zhizao.imports.outcome import NeedsConfirmation, ValidationFailed
from zhizao.imports.validate import Options


def _values(session: Session, enterprise_id: int, year: int = 2024) -> dict[str, float]:
    rows = session.execute(
        select(EnterpriseFigure.indicator_id, EnterpriseFigure.value).where(
            EnterpriseFigure.enterprise_id == enterprise_id, EnterpriseFigure.year == year
        )
    )
    return {indicator: value for indicator, value in rows}


def test_apply_figures_converts_units_declared_in_header(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["社会信用代码", "年份", "税收(元)", "用电量(千瓦时)", "用地面积(平方米)"],
            [enterprise.credit_code, 2024, 1_234_000, 50_000, 6_666.7],
        ],
    )
    importing.apply(session, system, path, "figures")
    values = _values(session, enterprise.id)
    assert values["tax"] == pytest.approx(123.4)
    assert values["electricity"] == pytest.approx(5.0)
    assert values["land_mu"] == pytest.approx(10.00005)


def test_apply_figures_with_an_error_writes_nothing(session: Session, system: Actor, tmp_path: Path) -> None:
    enterprise = add_enterprise(session)
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["统一社会信用代码", "年度", "综合能耗"],
            [enterprise.credit_code, 2024, 5],
            [new_credit_code(), 2024, 6],
        ],
    )
    with pytest.raises(ValidationFailed) as caught:
        importing.apply(session, system, path, "figures")
    assert "未登记" in caught.value.problems[0].message
    assert caught.value.problems[0].row == 3
    assert caught.value.problems[0].column == "A"
    assert _values(session, enterprise.id) == {}


def test_apply_figures_negative_energy_is_an_error(session: Session, system: Actor, tmp_path: Path) -> None:
    enterprise = add_enterprise(session)
    path = write_csv(
        tmp_path / "f.csv", [["统一社会信用代码", "年度", "综合能耗"], [enterprise.credit_code, 2024, -5]]
    )
    checked = importing.preview(session, system, path, "figures")
    assert checked.errors == 1
    assert "负数" in checked.problems[0].message


def test_apply_figures_changing_values_needs_confirmation_and_shows_diff(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session, figures={2024: {"tax": 10.0, "revenue": 100.0}})
    path = write_csv(
        tmp_path / "f.csv",
        [["统一社会信用代码", "年度", "税收", "营业收入"], [enterprise.credit_code, 2024, 12, 100]],
    )
    with pytest.raises(NeedsConfirmation) as caught:
        importing.apply(session, system, path, "figures")
    diff = caught.value.preview.changes
    assert [(c.field, c.old, c.new) for c in diff] == [("tax", 10.0, 12.0)]
    assert caught.value.preview.unchanged == 1
    result = importing.apply(
        session,
        system,
        path,
        "figures",
        confirmed=True,
        expected_fingerprint=caught.value.preview.fingerprint,
    )
    assert result.import_id is not None
    assert _values(session, enterprise.id)["tax"] == 12.0
    audit = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
    assert audit == 1


def test_apply_figures_again_changes_nothing(session: Session, system: Actor, tmp_path: Path) -> None:
    enterprise = add_enterprise(session)
    path = write_csv(
        tmp_path / "f.csv", [["统一社会信用代码", "年度", "税收"], [enterprise.credit_code, 2024, 12]]
    )
    assert importing.apply(session, system, path, "figures").import_id is not None
    again = importing.apply(session, system, path, "figures")
    assert again.import_id is None
    assert (again.preview.created, again.preview.updated, again.preview.unchanged) == (0, 0, 1)


def test_preview_figures_warns_of_implausible_values_and_unit_mixups(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session, figures={2023: {"revenue": 500.0}})
    path = write_csv(
        tmp_path / "f.csv",
        [
            ["统一社会信用代码", "年度", "税收", "营业收入", "工业增加值", "工业总产值", "用地面积"],
            [enterprise.credit_code, 2024, 9_000_000, 5_000_000, 30, 20, 12_000],
        ],
    )
    checked = importing.preview(session, system, path, "figures")
    messages = " ".join(p.message for p in checked.problems)
    assert checked.errors == 0
    assert "税收大于营业收入" in messages
    assert "工业增加值大于工业总产值" in messages
    assert "10,000亩" in messages
    assert "单位是否填错" in messages


def test_preview_figures_accepts_historical_code_when_told(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session)
    wrong = enterprise.credit_code[:17] + ("0" if enterprise.credit_code[17] != "0" else "1")
    session.get(Enterprise, enterprise.id).credit_code = wrong  # a registry entry kept from before the check
    session.flush()
    path = write_csv(tmp_path / "f.csv", [["统一社会信用代码", "年度", "税收"], [wrong, 2024, 1]])
    assert importing.preview(session, system, path, "figures").errors == 1
    lenient = importing.preview(session, system, path, "figures", Options(accept_historical_codes=True))
    assert (lenient.errors, lenient.warnings, lenient.created) == (0, 1, 1)


def test_apply_figures_imports_an_indicator_added_to_the_catalogue(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    session.add(Indicator(id="water_t", label="用水量(吨)", unit="吨", aliases=["用水量", "耗水量"]))
    enterprise = add_enterprise(session)
    path = write_csv(
        tmp_path / "f.csv", [["统一社会信用代码", "年度", "耗水量"], [enterprise.credit_code, 2024, 77]]
    )
    importing.apply(session, system, path, "figures")
    assert _values(session, enterprise.id) == {"water_t": 77.0}


def test_preview_figures_district_officer_only_their_district(session: Session, tmp_path: Path) -> None:
    own = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370212")
    path = write_csv(
        tmp_path / "f.csv",
        [["统一社会信用代码", "年度", "税收"], [own.credit_code, 2024, 1], [other.credit_code, 2024, 1]],
    )
    officer = Actor("huangdao", Role.DISTRICT, region_code="370211")
    checked = importing.preview(session, officer, path, "figures")
    assert checked.errors == 1
    assert checked.problems[0].row == 3


def test_rollback_import_restores_old_values_and_deletes_created(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session, figures={2024: {"tax": 10.0}})
    path = write_csv(
        tmp_path / "f.csv",
        [["统一社会信用代码", "年度", "税收", "利润"], [enterprise.credit_code, 2024, 12, 3]],
    )
    result = importing.apply(session, system, path, "figures", confirmed=True)
    assert _values(session, enterprise.id) == {"tax": 12.0, "profit": 3.0}
    assert history.rollback(session, system, result.import_id) == 2
    assert _values(session, enterprise.id) == {"tax": 10.0}
    entries = history.figure_history(session, system, enterprise.id)
    assert [e.reason for e in entries].count("rollback") == 2
    assert {(e.indicator_id, e.old_value, e.new_value) for e in entries if e.reason == "import"} == {
        ("tax", 10.0, 12.0),
        ("profit", None, 3.0),
    }
    with pytest.raises(Exception, match="已经撤销"):
        history.rollback(session, system, result.import_id)


def test_apply_enterprises_creates_then_updates_with_diff(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    code = new_credit_code("370214")
    header = ["纳税人识别号", "企业名称", "所属区县", "国民经济行业代码", "成立日期", "是否规上", "标签"]
    first = write_csv(
        tmp_path / "e.csv",
        [header, [code, "城阳新材料有限公司", "城阳区", "C3360", "2015年3月1日", "否", ""]],
    )
    importing.apply(session, system, first, "enterprises")
    stored = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
    assert (stored.region_code, stored.industry_code, stored.above_scale) == ("370214", "3360", False)
    second = write_csv(
        tmp_path / "e2.csv",
        [header, [code, "城阳新材料有限公司", "370214", "3360", "2015-03-01", "是", "专精特新"]],
    )
    with pytest.raises(NeedsConfirmation) as caught:
        importing.apply(session, system, second, "enterprises")
    assert sorted((c.field, str(c.old), str(c.new)) for c in caught.value.preview.changes) == [
        ("above_scale", "False", "True"),
        ("tags", "[]", "['专精特新']"),
    ]
    result = importing.apply(session, system, second, "enterprises", confirmed=True)
    history.rollback(session, system, result.import_id)
    session.expire_all()
    assert session.get(Enterprise, stored.id).above_scale is False


def test_preview_figures_name_with_ascii_brackets_is_not_a_mismatch(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    enterprise = add_enterprise(session, name="示例机械（青岛）有限公司")
    path = write_xlsx(
        tmp_path / "f.xlsx",
        [
            ["社会信用代码", "企业名称", "年份", "税收(万元)"],
            [enterprise.credit_code, "示例机械(青岛)有限公司", 2024, 10],
            [enterprise.credit_code, "示例机械 （青岛） 有限公司", 2023, 9],
            [enterprise.credit_code, "示例电子（青岛）有限公司", 2022, 8],
        ],
    )
    preview = importing.preview(session, system, path, "figures")
    mismatches = [p.row for p in preview.problems if "不一致" in p.message]
    assert mismatches == [4]  # only the row naming another firm


def test_apply_enterprises_stores_registered_brackets_and_sees_no_name_change(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    code = new_credit_code("370214")
    header = ["纳税人识别号", "企业名称", "所属区县", "国民经济行业代码"]
    first = write_csv(tmp_path / "e.csv", [header, [code, "示例新材料(青岛)有限公司", "城阳区", "C3360"]])
    importing.apply(session, system, first, "enterprises")
    stored = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
    assert stored.name == "示例新材料（青岛）有限公司"
    again = write_csv(tmp_path / "e2.csv", [header, [code, "示例新材料（青岛） 有限公司", "城阳区", "C3360"]])
    assert importing.preview(session, system, again, "enterprises").changes == []
