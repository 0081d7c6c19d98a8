"""Enterprises on nodes: the industry-code rule suggests, a person confirms, rejects or moves (audited),
decisions carry into the next year, and nobody decides on a firm outside their scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.chains.conftest import OURS, ChainWorld, chain_yaml
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.chains import members, store
from zhizao.chains.definition import parse_definition
from zhizao.errors import Forbidden, InvalidInput, NotFound

DISTRICT = Actor("district-officer", Role.DISTRICT, region_code=OURS)


def _nodes(session: Session, actor: Actor, world: ChainWorld, year: int = 2024) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in members.member_rows(session, actor, world.chain.id, year):
        found.setdefault(row.node_code, set()).add(row.name)
    return found


def test_assign_by_industry_code_rule(session: Session, system: Actor, world: ChainWorld) -> None:
    result = members.assign_by_rule(session, system, world.chain, 2024)
    assert result.added == 3 and result.by_node == {"materials": 0, "cells": 2, "vehicles": 1}
    assert _nodes(session, system, world) == {
        "cells": {"本区电池一厂", "他区电池二厂"},
        "vehicles": {"本区整车厂"},
    }
    again = members.assign_by_rule(session, system, world.chain, 2024)
    assert again.added == 0  # idempotent


def test_assign_dry_run_writes_nothing(session: Session, system: Actor, world: ChainWorld) -> None:
    assert members.assign_by_rule(session, system, world.chain, 2024, dry_run=True).added == 3
    assert members.member_rows(session, system, world.chain.id, 2024) == []


def test_decide_confirm_reject_move_audited(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    rows = {r.name: r for r in members.member_rows(session, DISTRICT, world.chain.id, 2024)}
    confirmed = members.decide(session, DISTRICT, rows["本区整车厂"].id, "confirm")
    assert confirmed.status == "confirmed" and confirmed.decided_by == "district-officer"
    moved = members.decide(session, DISTRICT, rows["本区电池一厂"].id, "move", node_code="materials")
    assert moved.node_code == "materials" and moved.source == "manual"
    assert _nodes(session, system, world) == {
        "cells": {"他区电池二厂"},
        "materials": {"本区电池一厂"},
        "vehicles": {"本区整车厂"},
    }
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "chain_members", AuditEntry.actor == "district-officer")
    ).all()
    assert {e.action for e in entries} >= {"update", "create"}
    with pytest.raises(InvalidInput):
        members.decide(session, DISTRICT, moved.id, "move", node_code="no-such-node")


def test_decide_out_of_scope_is_not_found(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    theirs = next(
        r for r in members.member_rows(session, system, world.chain.id, 2024) if r.name == "他区电池二厂"
    )
    with pytest.raises(NotFound):
        members.decide(session, DISTRICT, theirs.id, "reject")
    with pytest.raises(Forbidden):
        members.decide(session, Actor("analyst", Role.ANALYST), theirs.id, "reject")


def test_decisions_carry_into_next_year(session: Session, system: Actor, world: ChainWorld) -> None:
    store.load_definition(session, system, parse_definition(chain_yaml(2023)), "")
    members.assign_by_rule(session, system, world.chain, 2023)
    rows = {r.name: r for r in members.member_rows(session, system, world.chain.id, 2023)}
    members.decide(session, system, rows["他区电池二厂"].id, "reject")
    members.add_member(session, system, world.chain.id, 2023, "materials", world.unrelated.id)
    result = members.assign_by_rule(session, system, world.chain, 2024)
    assert result.carried == 2
    assert _nodes(session, system, world) == {
        "cells": {"本区电池一厂"},
        "materials": {"本区食品厂"},
        "vehicles": {"本区整车厂"},
    }


def test_roles_per_chain(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    members.set_role(session, system, world.chain.id, world.vehicles_ours.id, "链主")
    rows = {r.name: r for r in members.member_rows(session, system, world.chain.id, 2024)}
    assert rows["本区整车厂"].role_label == "链主" and rows["本区电池一厂"].role is None
    with pytest.raises(InvalidInput):
        members.set_role(session, system, world.chain.id, world.vehicles_ours.id, "皇帝")
    members.set_role(session, system, world.chain.id, world.vehicles_ours.id, None)
    assert {r.role for r in members.member_rows(session, system, world.chain.id, 2024)} == {None}


def test_enterprise_sees_only_itself(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    own = Actor("firm", Role.ENTERPRISE, enterprise_id=world.cells_ours.id)
    assert _nodes(session, own, world) == {"cells": {"本区电池一厂"}}
    assert _nodes(session, DISTRICT, world) == {"cells": {"本区电池一厂"}, "vehicles": {"本区整车厂"}}
    assert _nodes(session, Actor("dept", Role.DEPARTMENT, unit_id=1), world) == {}
