"""Two made-up chains over the stored firms: the growing firm is on two nodes of chain A and on chain B;
the falling firm on chain A, and rejected on chain B."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhizao.chains.models import Chain, ChainMember

from .conftest import YEAR, Stored


def store_chains(session: Session, stored: Stored) -> tuple[Chain, Chain]:
    a, b = Chain(code="chain-a", name="示例装备链"), Chain(code="chain-b", name="示例材料链")
    session.add_all([a, b])
    session.flush()
    rows = [
        (a, "n1", stored.up, "confirmed"),
        (a, "n2", stored.up, "suggested"),
        (a, "n1", stored.down, "confirmed"),
        (b, "m1", stored.up, "confirmed"),
        (b, "m1", stored.down, "rejected"),
    ]
    for chain, node, firm, status in rows:
        session.add(
            ChainMember(chain_id=chain.id, year=YEAR, node_code=node, enterprise_id=firm.id, status=status)
        )
    session.flush()
    return a, b
