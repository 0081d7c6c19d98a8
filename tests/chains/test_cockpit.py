"""The cockpit tile's summary follows the actor's scope."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.chains.conftest import OURS, ChainWorld
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.chains import members
from zhizao.chains.cockpit import chain_tile


def test_chain_tile_by_scope(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    tile = chain_tile(session, system, 2024)
    assert (tile.chains, tile.nodes, tile.missing, tile.weak, tile.firms) == (1, 3, 1, 1, 3)
    assert tile.output_yi == pytest.approx(0.23)
    local = chain_tile(session, Actor("d", Role.DISTRICT, region_code=OURS), 2024)
    assert (local.firms, local.missing, local.weak) == (2, 1, 2)
    own = chain_tile(session, Actor("e", Role.ENTERPRISE, enterprise_id=world.vehicles_ours.id), 2024)
    assert (own.firms, own.missing, own.weak) == (1, None, None)
