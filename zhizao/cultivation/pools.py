"""Candidate pools and 免申即享 lists from a stored run.

A pool is a programme's candidates ranked: eligible first, then possible, by the programme's documented
rank score (小升规: pool size ceil(1.2 × the annual target)); counts by district and by industry division.
A 免申即享 list holds the firms eligible on held data alone: status eligible and no criterion unknown or
awaiting manual review, each with the evidence (every criterion's value, source and period) as stored
(`zhizao.cultivation.benefits` publishes it, takes the firms' answers and exports the payment list).
"""

from __future__ import annotations

import io
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.cultivation.models import CultivationResult, CultivationRun
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import results_of
from zhizao.enterprises.models import Enterprise
from zhizao.office.tables import AMOUNT, Column, write_table

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
        by_region=dict(Counter(r.region_code for r in chosen).most_common()),
        by_division=dict(Counter(r.industry_code[:2] for r in chosen).most_common()),
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


def latest_run_with(session: Session, programme_id: str) -> CultivationRun | None:
    """The newest stored run that evaluated `programme_id`."""
    for run in session.scalars(select(CultivationRun).order_by(CultivationRun.id.desc()).limit(50)):
        if programme_id in (run.programmes or {}):
            return run
    return None


def enterprise_names(session: Session, actor: Actor, ids: list[int]) -> dict[int, str]:
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    rows = session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids), visible))
    return {eid: name for eid, name in rows}


def pool_xlsx(pool: Pool, names: dict[int, str], title: str) -> bytes:
    """The candidate list as an Excel workbook (one styled sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "候选名单"
    columns = [
        Column("统一社会信用代码"),
        Column("企业名称"),
        Column("区划代码"),
        Column("行业代码"),
        Column("判断"),
        Column("层级"),
        Column("排序得分" + ("(估计)" if pool.estimate else ""), AMOUNT),
        Column("差距"),
    ]
    rows = [
        [
            r.credit_code,
            names.get(r.enterprise_id, ""),
            r.region_code,
            r.industry_code,
            STATUS_WORDS.get(r.status, r.status),
            r.level or "",
            r.score,
            "；".join(c["gap"] for c in r.criteria if c.get("gap")),
        ]
        for r in pool.candidates
    ]
    write_table(sheet, columns, rows, title=title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STATUS_WORDS = {
    "eligible": "符合",
    "possible": "可能符合",
    "manual_review": "需人工审核",
    "not_eligible": "不符合",
}
