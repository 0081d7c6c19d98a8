"""The 高质量发展指数 page: the ranking for analysts, a regional officer's own row only, the "why" of a region
and a clear message when the data are missing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import TestClient
from zhizao.composite.demo import load_demo_index_series
from zhizao.cultivation.models import EnterpriseTitle

AsUser = Callable[..., TestClient]
FIGURES = {
    "rd_expense": 20.0,
    "revenue": 1000.0,
    "profit": 60.0,
    "value_added": 250.0,
    "employees": 100.0,
    "tax": 80.0,
    "land_mu": 50.0,
    "energy_tce": 90.0,
}


@pytest.fixture
def city(session: Session, home_region: Callable[[str | None], None]) -> None:
    home_region("370200")
    for k, region in enumerate(("370211", "370212", "370213")):
        for year in (2023, 2024):
            scaled = {
                name: value * (1 + 0.3 * k) * (1 + 0.1 * (year - 2023)) for name, value in FIGURES.items()
            }
            scaled["rd_expense"] *= 1 + 0.5 * (2 - k)
            for name, factor in (("profit", 0.8), ("tax", 1.4), ("employees", 0.7), ("energy_tce", 1.2)):
                scaled[name] *= factor ** (k + year - 2023)
            firm = add_enterprise(session, region_code=region, figures={year: scaled})
            for title in ("gaoqi", "zhuanjingtexin")[: 2 - (k + year) % 2]:
                session.add(held(firm.id, title))
    session.flush()
    assert load_demo_index_series(session, (2023, 2024)) > 0


def held(enterprise_id: int, title: str) -> EnterpriseTitle:
    """A title held through 2023–2025."""
    return EnterpriseTitle(
        enterprise_id=enterprise_id,
        title=title,
        year=2022,
        valid_from=date(2022, 11, 1),
        valid_to=date(2025, 10, 31),
    )


def _ranked(page: str) -> list[str]:
    return re.findall(r'href="/regional-index\?year=2024&amp;region=(\d{6})"', page)


def test_analyst_sees_the_ranking_the_charts_and_a_region_s_why(as_user: AsUser, city: None) -> None:
    client = as_user("analyst")
    page = client.get("/regional-index").text
    assert "制造业高质量发展指数" in page and "is-warning" not in page, page[page.find("notification") :][
        :400
    ]
    assert sorted(_ranked(page)) == ["370211", "370212", "370213"]
    ranking = json.loads(re.search(r'id="chart-ranking">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert len(ranking["series"][0]["data"]) == 3
    assert 'id="chart-radar"' in page and 'id="chart-trend"' in page
    assert "逐项看得分" in page and "规上工业企业研发经费占营业收入比重" in page
    assert "数据不足、未参与排名" in page  # districts without firms lack the registry's columns
    why = client.get("/regional-index?year=2023&region=370213").text
    assert "李沧区 2023年" in why


def test_a_regional_officer_sees_only_its_own_row(as_user: AsUser, city: None) -> None:
    page = as_user("district", region_code="370212").get("/regional-index").text
    assert _ranked(page) == ["370212"]
    assert "黄岛区" not in page and "李沧区" not in page
    assert 'id="chart-trend"' not in page and "崂山区" in page


def test_missing_data_is_explained(as_user: AsUser, home_region: Callable[[str | None], None]) -> None:
    home_region("370200")
    page = as_user("analyst").get("/regional-index").text
    assert "企业库中还没有年度数据" in page
