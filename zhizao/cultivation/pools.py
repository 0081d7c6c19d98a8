"""Candidate pools and 免申即享 lists from a stored run.

A pool is a programme's candidates ranked: eligible first, then possible, by the programme's documented
rank score (小升规: pool size ceil(1.2 × the annual target)); counts by district and by industry division.
A 免申即享 list holds the firms eligible on held data alone: status eligible and no criterion unknown or
awaiting manual review, each with the evidence (every criterion's value, source and period) as stored.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.cultivation.models import CultivationResult
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import results_of

RANKED = {"eligible": 0, "possible": 1, "manual_review": 2}


@dataclass
class Pool:
    programme: str
    size: int | None  # the pool's size from the target (None: every candidate)
    candidates: list[CultivationResult]
    by_region: dict[str, int] = field(default_factory=dict)
    by_division: dict[str, int] = field(default_factory=dict)
    estimate: bool = False  # the ranking is an estimate (开门红)


def pool_size(programme_id: str, annual_target: int | None) -> int | None:
    """ceil(factor × target) for programmes whose ranking has a pool factor (小升规 1.2)."""
    ranking = load_programme(programme_id).ranking
    if annual_target is None or ranking is None or ranking.pool_factor is None:
        return annual_target
    return math.ceil(round(ranking.pool_factor * annual_target, 9))


def candidate_pool(
    session: Session, actor: Actor, run_id: int, programme_id: str, annual_target: int | None = None
) -> Pool:
    """The programme's candidates in the run that the actor may see, ranked and cut to the pool size."""
    rows = [r for r in results_of(session, actor, run_id, programme_id) if r.status in RANKED]
    rows.sort(key=lambda r: (RANKED[r.status], -(r.score or 0.0), r.credit_code))
    size = pool_size(programme_id, annual_target)
    chosen = rows if size is None else rows[:size]
    ranking = load_programme(programme_id).ranking
    return Pool(
        programme=programme_id,
        size=size,
        candidates=chosen,
        by_region=dict(Counter(r.region_code for r in chosen)),
        by_division=dict(Counter(r.industry_code[:2] for r in chosen)),
        estimate=bool(ranking and ranking.estimate),
    )


def on_held_data(result: CultivationResult) -> bool:
    """Eligible with every criterion decided from data (no unknown, no manual review)."""
    return result.status == "eligible" and all(c["status"] in ("met", "not_met") for c in result.criteria)


def benefit_list(session: Session, actor: Actor, run_id: int, programme_id: str) -> list[dict[str, Any]]:
    """免申即享: the firms eligible on held data alone, each with its evidence snapshot."""
    return [
        {
            "enterprise_id": r.enterprise_id,
            "credit_code": r.credit_code,
            "region_code": r.region_code,
            "level": r.level,
            "evidence": [
                {k: c.get(k) for k in ("id", "label", "status", "value", "threshold", "source", "period")}
                for c in r.criteria
            ],
        }
        for r in results_of(session, actor, run_id, programme_id)
        if on_held_data(r)
    ]
