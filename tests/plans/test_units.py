from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans import intake, units
from zhizao.plans.models import Plan
from zhizao.reference.models import Unit


def names(found: list[Unit]) -> list[str]:
    return [u.name for u in found]


def plan_with_units(session: Session, actor: Actor, *lead: str) -> Plan:
    data = {
        "title": "测试方案",
        "year": 2024,
        "targets": [],
        "tasks": [
            {"number": "1", "path": ["1"], "title": "任务", "assignments": [{"lead_units": list(lead)}]}
        ],
    }
    return intake.create_plan_from_extraction(session, actor, data, "", "测试.txt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市工业和信息化局", "市工业和信息化局"),
        ("市工信局", "市工业和信息化局"),
        ("青岛市工业和信息化局", "市工业和信息化局"),
        (" 市发改委 ", "市发展改革委"),
        ("青岛市财政局", "市财政局"),
        ("财政局", "市财政局"),
        ("青岛市应急管理局", "市应急局"),
        ("黄岛区人民政府", "黄岛区政府"),
        ("胶州市人民政府", "胶州市政府"),
        ("功能区等", "功能区"),
        ("“市商务局”", "市商务局"),
    ],
)
def test_match_unit_names_and_aliases(session: Session, text: str, expected: str) -> None:
    matcher = units.UnitMatcher.load(session)

    assert names(matcher.match(text)) == [expected]


@pytest.mark.parametrize(
    "text", ["各区(市)", "各区（市）", "各区市", "各区、市", "各区(市)政府", "各区市人民政府"]
)
def test_match_all_districts_expands_to_ten(session: Session, text: str) -> None:
    found = units.UnitMatcher.load(session).match(text)

    assert len(found) == 10
    assert {u.kind for u in found} == {"district"}
    assert found[0].name == "市南区政府"


def test_match_unknown_unit_is_empty(session: Session) -> None:
    matcher = units.UnitMatcher.load(session)

    assert matcher.match("省工业和信息化厅") == []
    assert matcher.match("") == []


def test_split_units_keeps_all_districts_whole() -> None:
    assert units.split_units("市工信局、各区、市,功能区;市财政局") == [
        "市工信局",
        "各区(市)",
        "功能区",
        "市财政局",
    ]


def test_remember_mapping_matches_now_and_later(session: Session, system: Actor) -> None:
    plan = plan_with_units(session, system, "市工信部门")
    assert [u.text for u in units.unmatched_units(session, plan.id)] == ["市工信部门"]
    target = session.scalars(select(Unit).where(Unit.name == "市工业和信息化局")).one()

    changed = units.remember_mapping(session, system, "市工信部门", target.id)

    assert changed == 1
    assert units.unmatched_units(session, plan.id) == []
    assert plan.tasks[0].assignments[0].units[0].unit_id == target.id
    later = plan_with_units(session, system, "市工信部门")
    assert later.tasks[0].assignments[0].units[0].unit_id == target.id


def test_remember_mapping_forbidden_for_department(session: Session) -> None:
    actor = Actor(username="d", role=Role.DEPARTMENT, unit_id=1)

    with pytest.raises(Forbidden):
        units.remember_mapping(session, actor, "某单位", 1)


def test_add_unit_matches_unmatched_names(session: Session, system: Actor) -> None:
    plan = plan_with_units(session, system, "省工业和信息化厅")

    unit = units.add_unit(session, system, "省工业和信息化厅", "department")

    assert plan.tasks[0].assignments[0].units[0].unit_id == unit.id
    with pytest.raises(InvalidInput, match="已存在"):
        units.add_unit(session, system, "省工业和信息化厅")
