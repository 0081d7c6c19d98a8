"""The enterprise list at scale: a name fragment or a credit-code prefix finds its firms, the total is exact
up to COUNT_CAP and the database's estimate past it, and the last page is known without a count."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.scope import Actor
from zhizao.enterprises import registry
from zhizao.enterprises.registry import EnterpriseQuery, search_enterprises


@pytest.fixture
def firms(session: Session) -> list[int]:
    names = [
        "青岛海风精密机械有限公司",
        "青岛海风电子科技有限公司",
        "胶州市蓝湾食品有限公司",
        "城阳区北岭汽车部件厂",
    ]
    return [add_enterprise(session, name=name).id for name in names]


def test_find_enterprises_by_name_fragment_and_code_prefix(session: Session, firms: list[int]) -> None:
    system = Actor.system()
    found = search_enterprises(session, system, EnterpriseQuery(q="海风"))
    assert {e.name for e in found.items} >= {"青岛海风精密机械有限公司", "青岛海风电子科技有限公司"}
    code = search_enterprises(session, system, EnterpriseQuery(q="蓝湾")).items[0].credit_code
    by_prefix = search_enterprises(session, system, EnterpriseQuery(q=code[:12].lower()))
    assert code in {e.credit_code for e in by_prefix.items}
    assert all(e.credit_code.startswith(code[:12]) or code[:12] in e.name for e in by_prefix.items)
    assert search_enterprises(session, system, EnterpriseQuery(q=code[3:12])).total == 0  # a prefix only


def test_count_exactly_up_to_the_cap_then_estimate(
    session: Session, firms: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "COUNT_CAP", 2)
    page = search_enterprises(session, Actor.system(), EnterpriseQuery(q="有限公司", per_page=1))
    assert page.has_next and len(page.items) == 1
    if session.get_bind().dialect.name == "postgresql":
        assert not page.total_exact and page.total >= 3  # the planner's estimate, never below what is seen
    else:
        assert page.total_exact and page.total >= 3  # SQLite installations are small: counted exactly


def test_know_the_last_page_without_counting(session: Session, firms: list[int]) -> None:
    query = EnterpriseQuery(q="海风", per_page=1, page=2)
    page = search_enterprises(session, Actor.system(), query)
    assert page.total_exact and page.total == 2 and not page.has_next
    first = search_enterprises(session, Actor.system(), EnterpriseQuery(q="海风", per_page=1))
    assert first.has_next and first.total == 2
