"""The chains part of the demo: marked synthetic, and a second load replaces the first."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.chains.conftest import ChainWorld
from zhizao.auth.scope import Actor
from zhizao.chains import store
from zhizao.chains.demo import DEMO, load_demo_chains
from zhizao.chains.models import ChainCandidate, ChainMember, Cluster


def test_load_demo_chains_twice(session: Session, system: Actor, world: ChainWorld) -> None:
    assert load_demo_chains(session, system, "370200") == 2
    assert store.chain_by_code(session, "smart-appliances").lead_department == "市工业和信息化局"
    counts = (
        session.scalar(select(func.count()).select_from(ChainMember)),
        session.scalar(select(func.count()).select_from(ChainCandidate)),
    )
    assert load_demo_chains(session, system) == 2
    again = (
        session.scalar(select(func.count()).select_from(ChainMember)),
        session.scalar(select(func.count()).select_from(ChainCandidate)),
    )
    assert again == counts and counts[1] > 0
    assert {c.source for c in session.scalars(select(ChainCandidate))} == {DEMO}
    nev = store.chain_by_code(session, "new-energy-vehicle")
    assert store.years(session, nev.id) == [2023, 2024] and DEMO in nev.description
    assert all("演示" in c.name for c in session.scalars(select(Cluster)))
