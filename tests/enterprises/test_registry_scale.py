"""The enterprise list at scale: a name fragment or a credit-code prefix finds its firms, the total is exact
up to COUNT_CAP and the database's estimate past it, and the last page is known without a count."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.scope import Actor
from zhizao.enterprises import registry
from zhizao.enterprises.models import Enterprise
from zhizao.enterprises.name_search import has_name_index
from zhizao.enterprises.paging import MAX_OFFSET, Cursor
from zhizao.enterprises.registry import EnterpriseQuery, search_enterprises
from zhizao.errors import InvalidInput


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


@pytest.fixture
def many(session: Session) -> list[int]:
    """Eleven firms with repeated names, regions and dates (ties for the id to break), some without a date."""
    dates = [date(2001, 5, 1), None, date(1999, 1, 1), date(2001, 5, 1), None]
    regions = ["370211", "370212", "370211"]
    return [
        add_enterprise(
            session,
            name=f"{'甲乙丙'[n % 3]}翻页测试制造有限公司",
            region_code=regions[n % 3],
            established_on=dates[n % 5],
        ).id
        for n in range(11)
    ]


def _walk(session: Session, query: EnterpriseQuery) -> list[list[int]]:
    """Every page of `query` followed by its "下一页" cursor, as lists of ids."""
    pages = []
    page = search_enterprises(session, Actor.system(), query)
    pages.append([e.id for e in page.items])
    while page.next_after:
        query = query.model_copy(update={"after": page.next_after, "before": None, "page": query.page + 1})
        page = search_enterprises(session, Actor.system(), query)
        pages.append([e.id for e in page.items])
    return pages


@pytest.mark.parametrize("sort", ["name", "credit_code", "region", "industry", "established_on"])
@pytest.mark.parametrize("desc", [False, True])
def test_page_by_key_in_the_order_of_the_whole_list(
    session: Session, many: list[int], monkeypatch: pytest.MonkeyPatch, sort: str, desc: bool
) -> None:
    monkeypatch.setattr(registry, "COUNT_CAP", 2)  # past the cap: the database's order, paged by key
    query = EnterpriseQuery(q="翻页测试", sort=sort, desc=desc, per_page=3)  # type: ignore[arg-type]
    whole = search_enterprises(session, Actor.system(), query.model_copy(update={"per_page": 200}))
    pages = _walk(session, query)
    assert [i for p in pages for i in p] == [e.id for e in whole.items]
    assert sorted(i for p in pages for i in p) == sorted(many)
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    # "上一页" from the last page by key gives the pages before it again
    last = query.model_copy(update={"page": 4, "after": None})
    page = search_enterprises(session, Actor.system(), query.model_copy(update={"page": 3}))
    assert page.prev_before is not None
    back = search_enterprises(
        session, Actor.system(), last.model_copy(update={"page": 2, "before": page.prev_before})
    )
    assert [e.id for e in back.items] == pages[1] and back.has_next


def test_refuse_a_deep_page_jump_and_a_forged_cursor(session: Session, many: list[int]) -> None:
    with pytest.raises(InvalidInput, match="下一页"):
        search_enterprises(session, Actor.system(), EnterpriseQuery(sort="region", page=MAX_OFFSET // 20 + 2))
    with pytest.raises(ValidationError):
        EnterpriseQuery(after="bm90IGEgY3Vyc29y")
    of_names = Cursor("甲", many[0]).encode()  # a name cursor given to the date sort
    with pytest.raises(InvalidInput, match="翻页参数无效"):
        search_enterprises(session, Actor.system(), EnterpriseQuery(sort="established_on", after=of_names))


def test_name_index_follows_inserts_renames_and_deletes(session: Session, firms: list[int]) -> None:
    system = Actor.system()
    if session.get_bind().dialect.name == "sqlite":
        assert has_name_index(session)  # migration 0020: FTS5 with the trigram tokenizer
    else:
        assert not has_name_index(session)  # PostgreSQL: the pg_trgm index of migration 0018

    def names(q: str) -> set[str]:
        return {e.name for e in search_enterprises(session, system, EnterpriseQuery(q=q)).items}

    assert names("精密机械") == {"青岛海风精密机械有限公司"}
    assert names("HAI") == set()
    firm = session.get(Enterprise, firms[0])
    assert firm is not None
    firm.name = "青岛Haiyun精密轴承有限公司"
    session.flush()
    assert names("精密机械") == set() and names("haiyun精密") == {"青岛Haiyun精密轴承有限公司"}  # any case
    assert names('"精密') == set()  # quotes are literal, not FTS5 syntax
    session.delete(firm)
    session.flush()
    assert names("精密轴承") == set()
    assert names("海风") == {"青岛海风电子科技有限公司"}  # two characters: the LIKE scan, same rows
