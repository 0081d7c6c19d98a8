"""The database path of evaluations as Arrow: read (COPY on PostgreSQL) and written back (COPY / executemany).

Runs on SQLite and PostgreSQL through the `session` fixture; each test reads rows its session has flushed
and not committed, so the Arrow path must run on the session's own connection."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.scope import Actor
from zhizao.evaluation.inputs import read_database_arrow
from zhizao.evaluation.models import EvaluationResult
from zhizao.evaluation.runs import run_and_store


def test_read_database_arrow_types_and_uncommitted_rows(session: Session) -> None:
    firm = add_enterprise(
        session,
        name="箭头制造",
        tags=["在建", "高新"],
        established_on=date(2023, 5, 1),
        figures={
            2023: {"land_mu": 12.5, "tax": 30.0},
            2024: {"land_mu": 12.5, "tax": -2.0, "revenue": 900.0},
        },
    )
    table = read_database_arrow([2023, 2024], session)
    assert isinstance(table, pa.Table)
    assert table.schema.field("year").type == pa.int64()
    assert table.schema.field("above_scale").type == pa.bool_()
    assert table.schema.field("established_on").type == pa.date32()
    rows = [r for r in table.to_pylist() if r["enterprise_id"] == firm.id]
    assert [(r["year"], r["tax"], r["revenue"]) for r in rows] == [(2023, 30.0, None), (2024, -2.0, 900.0)]
    assert rows[0]["tags"] == "|在建|高新|" and rows[0]["established_on"] == date(2023, 5, 1)
    assert rows[0]["credit_code"] == firm.credit_code and rows[0]["name"] == "箭头制造"
    assert read_database_arrow([2031], session).num_rows == 0


def test_stored_run_rows_written_in_bulk_round_trip(session: Session, system: Actor) -> None:
    firms = [
        add_enterprise(
            session,
            name=f"批量{i}",
            figures={
                y: {"land_mu": 10.0, "tax": 10.0 + i + (y - 2023), "energy_tce": 5.0} for y in (2023, 2024)
            },
        )
        for i in range(6)
    ]
    run = run_and_store(session, system, "huaian-2024", 2024)
    stored = session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == run.id)).all()
    ours = {r.enterprise_id: r for r in stored if r.enterprise_id in {f.id for f in firms}}
    assert len(ours) == 6
    best = max(ours.values(), key=lambda r: r.total or 0)
    assert best.enterprise_id == firms[-1].id and best.rank == 1
    parts = best.indicators["tax_per_mu"]
    assert parts["value"] == pytest.approx(1.6) and isinstance(parts["missing"], bool)
    assert isinstance(best.reasons, list) and all(isinstance(r, str) for r in best.reasons)
    assert sum(run.counts.values()) == run.rows
