"""What the chain analytics read from the database, always through the actor's scope: the firms on a chain
(or in clusters) the actor may see, their yearly figures and their latest 亩产效益 grade."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis.backends import BaseBackend
from sqlalchemy import Executable, Select, func, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.chains.analytics import Inputs
from zhizao.chains.members import COUNTED, visible
from zhizao.chains.models import ChainMember
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.evaluation.models import EvaluationResult, EvaluationRun

TOTAL_FIGURES = ("output_value", "tax")
UNIT_FACTORS = {"万元": 1.0, "亿元": 1e4, "万亿元": 1e8, "元": 1e-4}
"""万元 per one of each unit a plan target may use for a chain's scale."""


def default_backend() -> BaseBackend:
    return ibis.duckdb.connect()


def latest_run_id(session: Session) -> int | None:
    return session.scalar(select(func.max(EvaluationRun.id)))


def inputs_for(session: Session, membership: Executable, year: int) -> Inputs:
    """The analytics inputs for memberships (group, enterprise_id) already filtered to the actor's scope."""
    pairs = [(str(g), int(e)) for g, e in session.execute(membership)]
    ids = sorted({e for _, e in pairs})
    firms: list[tuple[int, bool]] = []
    figures: list[tuple[int, str, float]] = []
    grades: list[tuple[int, str]] = []
    run_id = latest_run_id(session)
    for chunk in _chunks(ids):
        firms += [
            (int(i), bool(a))
            for i, a in session.execute(
                select(Enterprise.id, Enterprise.above_scale).where(Enterprise.id.in_(chunk))
            )
        ]
        f = EnterpriseFigure
        figures += [
            (int(i), str(k), float(v))
            for i, k, v in session.execute(
                select(f.enterprise_id, f.indicator_id, f.value).where(
                    f.enterprise_id.in_(chunk),
                    f.year == year,
                    f.month == 0,
                    f.indicator_id.in_(TOTAL_FIGURES),
                )
            )
        ]
        if run_id is not None:
            r = EvaluationResult
            grades += [
                (int(i), str(c))
                for i, c in session.execute(
                    select(r.enterprise_id, r.class_id).where(
                        r.run_id == run_id, r.enterprise_id.in_(chunk), r.class_id.is_not(None)
                    )
                )
                if i is not None
            ]
    return Inputs(pairs, firms, figures, grades)


def _chunks(ids: Sequence[int], size: int = 5000) -> list[Sequence[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def chain_membership(actor: Actor, chain_id: int, year: int) -> Select[str, int]:
    """(node code, enterprise id) of the counted firms on the chain in `year` that the actor may see."""
    m = ChainMember
    return (
        select(m.node_code, m.enterprise_id)
        .join(Enterprise, Enterprise.id == m.enterprise_id)
        .where(m.chain_id == chain_id, m.year == year, m.status.in_(COUNTED), visible(actor))
    )
