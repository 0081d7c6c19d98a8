"""A small summary for a cockpit tile (the home page is not edited here; its owner can call `chain_tile`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.chains.overview import chain_rows


@dataclass(frozen=True)
class ChainTile:
    chains: int
    nodes: int
    missing: int | None  # 缺链 nodes over all chains (None: the actor is not shown gaps)
    weak: int | None
    firms: int
    # 工业总产值 of the chains' firms in the actor's scope, 亿元 (a firm on two chains counts twice)
    output_yi: float


def chain_tile(session: Session, actor: Actor, year: int | None = None) -> ChainTile:
    """Chains, nodes, 缺链 and 弱链 counts and the chains' output for the actor's scope."""
    rows = chain_rows(session, actor, year)
    gaps = all(r.missing is not None for r in rows if r.graph_year is not None)
    return ChainTile(
        chains=len(rows),
        nodes=sum(r.nodes for r in rows),
        missing=sum(r.missing or 0 for r in rows) if gaps else None,
        weak=sum(r.weak or 0 for r in rows) if gaps else None,
        firms=sum(r.totals.firms for r in rows),
        output_yi=sum(r.totals.output_value for r in rows) / 1e4,
    )
