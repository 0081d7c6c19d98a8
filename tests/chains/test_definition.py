"""Chain definition files: the shipped examples load; every bad file is refused with the key it is about."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.chains.conftest import chain_yaml
from zhizao.auth.scope import Actor
from zhizao.chains import store
from zhizao.chains.definition import example_names, parse_definition, read_definition
from zhizao.errors import InvalidInput


def _keys(text: str) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_definition(text)
    return [p.column or "" for p in caught.value.problems] or [caught.value.message]


def test_load_shipped_examples() -> None:
    assert example_names() == ["new-energy-vehicle", "smart-appliances"]
    for name in example_names():
        definition, text = read_definition(name)
        assert definition.nodes and definition.edges and "code:" in text


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("stage: upstream", "stage: up"), "nodes.0.stage"),
        (('["3985"]', '["9999"]'), "nodes.0.industry_codes"),
        (("code: cells", "code: Cells!"), "nodes.1.code"),
        (("name: 测试产业链", "nam: 测试产业链"), "nam"),
        (("year: 2024", "year: 1800"), "year"),
        (("department: {", "boss: {"), "checklist"),
    ],
)
def test_refuse_bad_definition_naming_key(change: tuple[str, str], key: str) -> None:
    text = chain_yaml().replace(*change, 1)
    assert any(k.startswith(key) for k in _keys(text)), _keys(text)


def test_refuse_graph_errors() -> None:
    unknown = chain_yaml().replace("{from: cells, to: vehicles}", "{from: cells, to: nowhere}")
    assert "未知节点 'nowhere'" in " ".join(p.message for p in _problems(unknown))
    duplicate = chain_yaml(extra='  - {code: cells, name: 重复, stage: midstream, industry_codes: ["3841"]}')
    assert "节点代码重复" in " ".join(p.message for p in _problems(duplicate))
    cycle = chain_yaml().replace("edges:\n", "edges:\n  - {from: vehicles, to: materials}\n")
    assert "连线成环" in " ".join(p.message for p in _problems(cycle))


def _problems(text: str) -> list:
    with pytest.raises(InvalidInput) as caught:
        parse_definition(text)
    return caught.value.problems


def test_refuse_not_yaml_or_not_a_table() -> None:
    with pytest.raises(InvalidInput, match="无法解析"):
        parse_definition("nodes: [unclosed")
    with pytest.raises(InvalidInput, match="顶层"):
        parse_definition("- a list")


def test_load_refuses_unknown_unit_and_writes_nothing(session: Session, system: Actor) -> None:
    text = chain_yaml().replace("units: [市工业和信息化局]", "units: [不存在的局]")
    with pytest.raises(InvalidInput) as caught:
        store.load_definition(session, system, parse_definition(text), text)
    assert caught.value.problems[0].column == "checklist.department.units.0"
    assert store.list_chains(session) == []


def test_load_replaces_graph_of_year_only(session: Session, system: Actor) -> None:
    first = store.load_definition(session, system, parse_definition(chain_yaml(2023)), "")
    assert first.created
    store.load_definition(session, system, parse_definition(chain_yaml(2024)), "")
    smaller = chain_yaml(2024).replace(
        '  - {code: vehicles, name: 整车, stage: downstream, industry_codes: ["3612"]}\n', ""
    )
    smaller = smaller.replace("  - {from: cells, to: vehicles}\n", "")
    again = store.load_definition(session, system, parse_definition(smaller), smaller)
    assert not again.created and again.replaced_nodes == 3
    chain = again.chain
    assert store.years(session, chain.id) == [2023, 2024]
    assert [n.code for n in store.nodes(session, chain.id, 2024)] == ["materials", "cells"]
    assert len(store.nodes(session, chain.id, 2023)) == 3
    assert [i.key for i in store.checklist(session, chain.id)][:3] == ["leader", "department", "team"]
    assert store.graph_year(session, chain.id, 2030) == 2024


def test_load_is_admin_only(session: Session) -> None:
    from zhizao.auth.roles import Role
    from zhizao.errors import Forbidden

    with pytest.raises(Forbidden):
        store.load_definition(session, Actor("a", Role.ANALYST), parse_definition(chain_yaml()), "")
