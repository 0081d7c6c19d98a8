"""Imports accept only regions inside the home region; officers import only inside their own region."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise, new_credit_code
from tests.imports.conftest import write_csv
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.imports import apply as importing
from zhizao.imports.outcome import ValidationFailed

SetHome = Callable[[str | None], None]
HEADER = ["统一社会信用代码", "企业名称", "所属区域", "行业代码"]


def _file(tmp_path: Path, *regions: str) -> tuple[Path, list[str]]:
    codes = [new_credit_code(region[:6]) if region[:6].isdigit() else new_credit_code() for region in regions]
    rows = [
        [code, f"第{i}号制造有限公司", region, "3360"]
        for i, (code, region) in enumerate(zip(codes, regions, strict=True))
    ]
    return write_csv(tmp_path / "e.csv", [HEADER, *rows]), codes


def test_refuse_rows_outside_the_home_region_with_row_and_reason(
    session: Session, system: Actor, tmp_path: Path, home_region: SetHome
) -> None:
    home_region("370700")
    path, codes = _file(tmp_path, "370702", "320205", "370211 黄岛区")
    checked = importing.preview(session, system, path, "enterprises")
    assert checked.errors == 2
    assert [(p.row, p.message) for p in checked.problems] == [
        (3, "所属区域: 行政区划代码 320205 不在本系统辖区（山东省潍坊市）内"),
        (4, "所属区域: 行政区划代码 370211 不在本系统辖区（山东省潍坊市）内"),
    ]
    with pytest.raises(ValidationFailed):
        importing.apply(session, system, path, "enterprises")
    assert session.scalar(select(Enterprise.id).where(Enterprise.credit_code.in_(codes))) is None


def test_accept_every_level_inside_a_province_installation(
    session: Session, system: Actor, tmp_path: Path, home_region: SetHome
) -> None:
    home_region("370000")
    path, codes = _file(tmp_path, "370702", "370700", "高密市", "370211")
    importing.apply(session, system, path, "enterprises")
    stored = session.scalars(select(Enterprise.region_code).where(Enterprise.credit_code.in_(codes)))
    assert sorted(stored) == ["370211", "370700", "370702", "370785"]


def test_region_names_are_read_inside_the_home_region_only(
    session: Session, system: Actor, tmp_path: Path, home_region: SetHome
) -> None:
    # 市中区 is a district of both 济南 (370103) and 枣庄 (370402): a province must be told which
    home_region("370000")
    path, _ = _file(tmp_path, "市中区")
    checked = importing.preview(session, system, path, "enterprises")
    assert checked.errors == 1 and "370103、370402" in checked.problems[0].message
    home_region("370400")
    path, codes = _file(tmp_path, "市中区")
    importing.apply(session, system, path, "enterprises")
    assert (
        session.scalar(select(Enterprise.region_code).where(Enterprise.credit_code == codes[0])) == "370402"
    )


def test_city_officer_imports_their_counties_county_officer_only_theirs(
    session: Session, tmp_path: Path, home_region: SetHome
) -> None:
    home_region("370000")
    city = Actor("weifang", Role.DISTRICT, region_code="370700")
    county = Actor("gaomi", Role.DISTRICT, region_code="370785")
    path, _ = _file(tmp_path, "370785", "370702", "370211")
    assert [p.row for p in importing.preview(session, city, path, "enterprises").problems] == [4]
    problems = importing.preview(session, county, path, "enterprises").problems
    assert [p.row for p in problems] == [3, 4] and "不在本账号所属地区内" in problems[0].message


def test_figures_of_enterprises_outside_the_officers_region_are_refused(
    session: Session, tmp_path: Path, home_region: SetHome
) -> None:
    home_region("370000")
    inside = add_enterprise(session, region_code="370785")
    outside = add_enterprise(session, region_code="370211")
    path = write_csv(
        tmp_path / "f.csv",
        [["统一社会信用代码", "年度", "税收"], [inside.credit_code, 2024, 1], [outside.credit_code, 2024, 1]],
    )
    checked = importing.preview(
        session, Actor("weifang", Role.DISTRICT, region_code="370700"), path, "figures"
    )
    assert [p.row for p in checked.problems] == [3]
