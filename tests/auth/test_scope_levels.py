"""Scope by the region hierarchy, at three levels, through the registry's public functions: a province
installation (370000 山东省) with a province analyst, a city officer (370700 潍坊市) and a county officer
(370785 高密市), and a city installation other than Qingdao (370700) whose administrators see only it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.enterprises.registry import (
    EnterpriseQuery,
    counts_by_region,
    enterprise_id_for_code,
    export_enterprises_xlsx,
    get_enterprise,
    region_choices,
    search_enterprises,
)
from zhizao.errors import NotFound

SetHome = Callable[[str | None], None]
PROVINCE = Actor("sheng", Role.ANALYST)
ADMIN = Actor("admin", Role.ADMIN)
CITY = Actor("weifang", Role.DISTRICT, region_code="370700")
COUNTY = Actor("gaomi", Role.DISTRICT, region_code="370785")
Firms = dict[str, Enterprise]


@pytest.fixture
def firms(session: Session) -> Firms:
    """One enterprise in each of 潍城区 and 高密市 (潍坊), 黄岛区 (青岛), 历下区 (济南) and 锡山区 (无锡,
    outside Shandong); one more registered at the city code of 潍坊 itself."""
    where = {
        "weicheng": "370702",
        "gaomi": "370785",
        "weifang_city": "370700",
        "huangdao": "370211",
        "lixia": "370102",
        "xishan": "320205",
    }
    return {
        key: add_enterprise(session, name=f"{key}制造有限公司", region_code=code)
        for key, code in where.items()
    }


def _visible(session: Session, actor: Actor) -> set[str]:
    page = search_enterprises(session, actor, EnterpriseQuery(per_page=200))
    return {e.name.removesuffix("制造有限公司") for e in page.items}


def test_province_installation_scopes_each_level(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370000")
    assert _visible(session, PROVINCE) == {"weicheng", "gaomi", "weifang_city", "huangdao", "lixia"}
    assert _visible(session, CITY) == {"weicheng", "gaomi", "weifang_city"}
    assert _visible(session, COUNTY) == {"gaomi"}


def test_out_of_scope_enterprise_is_not_found_at_each_level(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370000")
    with pytest.raises(NotFound):
        get_enterprise(session, PROVINCE, firms["xishan"].id)
    with pytest.raises(NotFound):
        get_enterprise(session, CITY, firms["huangdao"].id)
    with pytest.raises(NotFound):
        enterprise_id_for_code(session, COUNTY, firms["weicheng"].credit_code)
    assert get_enterprise(session, CITY, firms["gaomi"].id).name == "gaomi制造有限公司"


def test_officer_edits_their_region_and_what_lies_inside(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370000")
    assert get_enterprise(session, CITY, firms["gaomi"].id).editable
    assert get_enterprise(session, CITY, firms["weifang_city"].id).editable
    assert get_enterprise(session, COUNTY, firms["gaomi"].id).editable
    assert not get_enterprise(session, PROVINCE, firms["gaomi"].id).editable  # analysts read only
    assert get_enterprise(session, ADMIN, firms["lixia"].id).editable


def test_region_filter_takes_a_city_with_its_counties(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370000")
    page = search_enterprises(session, PROVINCE, EnterpriseQuery(region_code="370700", per_page=200))
    assert page.total == 3
    # a filter never widens the scope: a county officer asking for the whole city still sees their county
    assert search_enterprises(session, COUNTY, EnterpriseQuery(region_code="370700")).total == 1


def test_export_follows_the_scope(session: Session, firms: Firms, home_region: SetHome) -> None:
    import io

    from openpyxl import load_workbook

    home_region("370000")
    content = export_enterprises_xlsx(session, CITY, EnterpriseQuery())
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=4, values_only=True))
    assert sorted(r[2] for r in rows) == sorted(
        f"{k}制造有限公司" for k in ("weicheng", "gaomi", "weifang_city")
    )


def test_city_installation_admin_sees_only_the_city(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370700")
    assert _visible(session, ADMIN) == {"weicheng", "gaomi", "weifang_city"}
    assert get_enterprise(session, ADMIN, firms["weicheng"].id).editable
    with pytest.raises(NotFound):
        get_enterprise(session, ADMIN, firms["huangdao"].id)


def test_whole_country_installation_sees_everything(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region(None)
    assert {"xishan", "huangdao", "gaomi"} <= _visible(session, PROVINCE)


def test_counts_group_by_the_level_below_the_viewer(
    session: Session, firms: Firms, home_region: SetHome
) -> None:
    home_region("370000")
    by_city = [(r.code, r.name, r.count) for r in counts_by_region(session, PROVINCE)]
    assert by_city == [("370100", "济南市", 1), ("370200", "青岛市", 1), ("370700", "潍坊市", 3)]
    by_county = [(r.code, r.name, r.count) for r in counts_by_region(session, CITY)]
    # the firm registered at the city's own code is counted under the city, listed before its counties
    assert by_county == [("370700", "潍坊市", 1), ("370702", "潍城区", 1), ("370785", "高密市", 1)]
    assert [(r.code, r.count) for r in counts_by_region(session, COUNTY)] == [("370785", 1)]
    home_region("370700")
    assert [r.code for r in counts_by_region(session, ADMIN)] == ["370700", "370702", "370785"]


def test_region_choices_stay_inside_and_at_the_right_level(session: Session, home_region: SetHome) -> None:
    home_region("370000")
    province = region_choices(session, PROVINCE)
    codes = [c for c, _ in province]
    assert codes[:2] == ["370100", "370102"]  # 济南市, then its districts
    assert all(c.startswith("37") for c in codes) and "370000" not in codes
    assert dict(province)["370785"] == "\u3000高密市"
    assert [c for c, _ in region_choices(session, CITY)][:2] == ["370702", "370703"]
    assert all(c.startswith("3707") for c, _ in region_choices(session, CITY))
    assert region_choices(session, COUNTY) == [("370785", "高密市")]
    home_region("370700")
    assert [c for c, _ in region_choices(session, ADMIN)] == [c for c, _ in region_choices(session, CITY)]
