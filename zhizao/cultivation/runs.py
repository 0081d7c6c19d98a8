"""Population runs from the database: read the inputs, evaluate every enterprise × programme, store the run,
and compare it with the previous one (newly eligible, newly at risk, lost).

Reading is scoped like every enterprise query: a district officer's run covers its region, an enterprise
account only itself. The stored results keep their region, so listing them goes through the same clauses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.cultivation.evaluate import evaluate_population, prefix
from zhizao.cultivation.explain import criteria_of
from zhizao.cultivation.facts import Inputs
from zhizao.cultivation.models import CultivationResult, CultivationRun, Declaration, EnterpriseTitle
from zhizao.cultivation.programme import Programme
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import NotFound

RESULT_COLUMNS = ("credit_code", "program", "status", "level", "criteria")


@dataclass
class Outcome:
    """One enterprise × one programme."""

    enterprise_id: int
    credit_code: str
    region_code: str
    industry_code: str
    programme: str
    status: str
    level: str | None
    score: float | None
    criteria: list[dict[str, Any]] = field(default_factory=list)


def _frame(session: Session, query: Any, columns: list[str]) -> pd.DataFrame:
    rows = session.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def read_inputs(session: Session, actor: Actor, *, only: list[int] | None = None) -> dict[str, pd.DataFrame]:
    """The four input tables from the database, limited to the enterprises the actor sees."""
    e = Enterprise
    visible = enterprise_clause(actor, e.id, e.region_code)
    ids = select(e.id).where(visible)
    if only is not None:
        ids = ids.where(e.id.in_(only))
    enterprises = _frame(
        session,
        select(
            e.id, e.credit_code, e.name, e.region_code, e.industry_code, e.established_on, e.above_scale
        ).where(e.id.in_(ids)),
        [
            "enterprise_id",
            "credit_code",
            "name",
            "region_code",
            "industry_code",
            "established_on",
            "above_scale",
        ],
    )
    f = EnterpriseFigure
    figures = _frame(
        session,
        select(f.enterprise_id, f.indicator_id, f.year, f.month, f.value).where(f.enterprise_id.in_(ids)),
        ["enterprise_id", "indicator_id", "year", "month", "value"],
    )
    t = EnterpriseTitle
    titles = _frame(
        session,
        select(t.enterprise_id, t.title, t.valid_from, t.valid_to).where(t.enterprise_id.in_(ids)),
        ["enterprise_id", "title", "valid_from", "valid_to"],
    )
    d = Declaration
    accepted = _frame(
        session,
        select(d.enterprise_id, d.key, d.value, d.reviewed_at)
        .where(d.enterprise_id.in_(ids), d.status == "accepted")
        .order_by(d.reviewed_at),
        ["enterprise_id", "key", "value", "reviewed_at"],
    )
    declared = accepted.drop_duplicates(["enterprise_id", "key"], keep="last").drop(columns="reviewed_at")
    return {"enterprises": enterprises, "figures": figures, "titles": titles, "declared": declared}


SCHEMAS: dict[str, pa.Schema] = {
    "enterprises": pa.schema(
        [
            ("enterprise_id", pa.int64()),
            ("credit_code", pa.string()),
            ("name", pa.string()),
            ("region_code", pa.string()),
            ("industry_code", pa.string()),
            ("established_on", pa.date32()),
            ("above_scale", pa.bool_()),
        ]
    ),
    "figures": pa.schema(
        [
            ("enterprise_id", pa.int64()),
            ("indicator_id", pa.string()),
            ("year", pa.int64()),
            ("month", pa.int64()),
            ("value", pa.float64()),
        ]
    ),
    "titles": pa.schema(
        [
            ("enterprise_id", pa.int64()),
            ("title", pa.string()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
        ]
    ),
    "declared": pa.schema([("enterprise_id", pa.int64()), ("key", pa.string()), ("value", pa.float64())]),
}


def as_inputs(frames: dict[str, pd.DataFrame]) -> Inputs:
    """The frames as in-memory tables (typed, so empty tables keep their columns' types); the backend that
    executes the expression takes them in."""
    tables = {}
    for name, schema in SCHEMAS.items():
        frame = frames[name][schema.names]
        arrow = pa.Table.from_pandas(frame, schema=schema, preserve_index=False).combine_chunks()
        tables[name] = ibis.memtable(arrow)
    return Inputs(**tables)


def evaluate_frames(
    frames: dict[str, pd.DataFrame],
    programmes: list[Programme],
    as_of: date,
    backend: BaseBackend | None = None,
) -> list[Outcome]:
    """Every enterprise × programme, with each criterion explained."""
    con = backend or ibis.duckdb.connect()
    table = evaluate_population(as_inputs(frames), programmes, as_of).order_by("enterprise_id")
    rows = con.to_pyarrow(table).to_pylist()
    outcomes: list[Outcome] = []
    for p in programmes:
        head = prefix(p)
        for row in rows:
            own = {k.removeprefix(head): v for k, v in row.items() if k.startswith(head)}
            score = own["score"]
            outcomes.append(
                Outcome(
                    enterprise_id=row["enterprise_id"],
                    credit_code=row["credit_code"],
                    region_code=row["region_code"],
                    industry_code=row["industry_code"],
                    programme=p.id,
                    status=own["status"],
                    level=own["level"],
                    score=None if score is None else round(score, 4),
                    criteria=criteria_of(own, p, as_of),
                )
            )
    return outcomes


def evaluate_database(
    session: Session,
    actor: Actor,
    programmes: list[Programme],
    as_of: date,
    *,
    only: list[int] | None = None,
    backend: BaseBackend | None = None,
) -> list[Outcome]:
    return evaluate_frames(read_inputs(session, actor, only=only), programmes, as_of, backend)


def store_run(
    session: Session,
    actor: Actor,
    programmes: list[Programme],
    as_of: date,
    outcomes: list[Outcome],
    *,
    application: str = "new",
    backend: str = "duckdb",
) -> CultivationRun:
    counts: dict[str, dict[str, int]] = {}
    for (pid, status), n in Counter((o.programme, o.status) for o in outcomes).items():
        counts.setdefault(pid, {})[status] = n
    run = CultivationRun(
        as_of=as_of,
        application=application,
        programmes={p.id: p.digest() for p in programmes},
        backend=backend,
        actor=actor.username,
        rows=len(outcomes),
        counts=counts,
    )
    session.add(run)
    session.flush()
    rows = [
        {
            "run_id": run.id,
            "enterprise_id": o.enterprise_id,
            "credit_code": o.credit_code,
            "region_code": o.region_code,
            "industry_code": o.industry_code,
            "programme": o.programme,
            "status": o.status,
            "level": o.level,
            "score": o.score,
            "criteria": o.criteria,
        }
        for o in outcomes
    ]
    if rows:
        session.execute(insert(CultivationResult), rows)
    with acting_as(actor.username):
        record(
            session,
            "run",
            "cultivation_runs",
            str(run.id),
            {"as_of": as_of.isoformat(), "rows": len(outcomes)},
        )
    return run


def list_runs(session: Session, limit: int = 50) -> list[CultivationRun]:
    return list(session.scalars(select(CultivationRun).order_by(CultivationRun.id.desc()).limit(limit)))


def results_of(
    session: Session, actor: Actor, run_id: int, programme: str | None = None
) -> list[CultivationResult]:
    """A run's results the actor may see."""
    r = CultivationResult
    query = select(r).where(r.run_id == run_id, enterprise_clause(actor, r.enterprise_id, r.region_code))
    if programme is not None:
        query = query.where(r.programme == programme)
    return list(session.scalars(query.order_by(r.programme, r.enterprise_id)))


@dataclass
class Change:
    credit_code: str
    programme: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        """newly_eligible, newly_at_risk (eligible → possible/manual_review) or lost (eligible → not)."""
        if self.after == "eligible" and self.before != "eligible":
            return "newly_eligible"
        if self.before == "eligible" and self.after in ("possible", "manual_review"):
            return "newly_at_risk"
        if self.before == "eligible":
            return "lost"
        return "changed"


def previous_run(session: Session, run: CultivationRun) -> CultivationRun | None:
    return session.scalar(
        select(CultivationRun).where(CultivationRun.id < run.id).order_by(CultivationRun.id.desc()).limit(1)
    )


def diff_runs(session: Session, actor: Actor, before_id: int, after_id: int) -> list[Change]:
    """Status changes between two runs, for the enterprises and programmes in both (or newly present)."""
    if session.get(CultivationRun, before_id) is None or session.get(CultivationRun, after_id) is None:
        raise NotFound("没有这次运行")
    old = {(r.credit_code, r.programme): r.status for r in results_of(session, actor, before_id)}
    new = {(r.credit_code, r.programme): r.status for r in results_of(session, actor, after_id)}
    changes = [
        Change(code, pid, old.get((code, pid)), new.get((code, pid)))
        for code, pid in sorted(set(old) | set(new))
        if old.get((code, pid)) != new.get((code, pid))
    ]
    return [c for c in changes if c.kind != "changed"]
