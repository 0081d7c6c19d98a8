"""Pages of a province installation (370000) and of a city other than Qingdao (370700): titles name the home
region, counts follow the viewer's level, pickers stay inside the home region."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import TestClient, csrf_from
from zhizao.web.security import CSRF_FIELD

AsUser = Callable[..., TestClient]
SetHome = Callable[[str | None], None]


@pytest.fixture
def shandong(session: Session) -> None:
    for name, code in (
        ("高密甲制造有限公司", "370785"),
        ("潍城乙制造有限公司", "370702"),
        ("黄岛丙制造有限公司", "370211"),
    ):
        add_enterprise(session, name=name, region_code=code)


def _count_rows(page: str) -> list[tuple[str, str]]:
    # the home cockpit's enterprise tile: each count is a link to the list it counts
    return re.findall(r'<td[^>]*><a href="/enterprises\?region_code=(\d{6})">(\d+)</a></td>', page)


def test_province_home_page_counts_by_city_and_names_the_province(
    as_user: AsUser, shandong: None, home_region: SetHome
) -> None:
    home_region("370000")
    page = as_user("analyst").get("/").text
    assert "· 山东省 智造 制造业政策落实平台</title>" in page and "山东省 智造</a>" in page
    assert _count_rows(page) == [("370200", "1"), ("370700", "2")]


def test_city_officer_in_a_province_sees_counties(
    as_user: AsUser, shandong: None, home_region: SetHome
) -> None:
    home_region("370000")
    client = as_user("district", region_code="370700")
    assert _count_rows(client.get("/").text) == [("370702", "1"), ("370785", "1")]
    listing = client.get("/enterprises").text
    assert "高密甲制造有限公司" in listing and "黄岛丙制造有限公司" not in listing
    options = re.findall(r'<option value="(\d{6})"', listing)
    assert options and all(code.startswith("3707") for code in options)


def test_city_installation_pages_name_the_city_in_both_languages(
    as_user: AsUser, shandong: None, home_region: SetHome
) -> None:
    home_region("370700")
    client = as_user("admin")
    page = client.get("/").text
    assert "潍坊市 智造</a>" in page and "青岛" not in page
    assert _count_rows(page) == [("370702", "1"), ("370785", "1")]
    users = client.get("/admin/users").text
    options = re.findall(r'<option value="(\d{6})"', users)
    assert options[0] == "370702" and all(code.startswith("3707") for code in options)
    client.post("/lang", data={"lang": "en", "next": "/", CSRF_FIELD: csrf_from(client, "/")})
    assert "Weifang Zhizao</a>" in client.get("/").text
