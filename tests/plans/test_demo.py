from __future__ import annotations

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.demo.regions import demo_region
from zhizao.plans import demo, queries

QINGDAO_DOCUMENTS = [(d.file, d.region_code) for d in demo_region("370200").documents]


def test_load_sample_plans_stores_confirmed_plans_once(session: Session, system: Actor) -> None:
    added = demo.load_sample_plans(session, system, QINGDAO_DOCUMENTS)
    again = demo.load_sample_plans(session, system, QINGDAO_DOCUMENTS)

    assert len(added) == len(QINGDAO_DOCUMENTS)
    assert again == []
    assert {p.status for p in added} == {"confirmed"}
    titles = [p.title for p in queries.list_plans(session, system, status="confirmed")]
    assert "关于加力实施工业经济稳增长强动能提质效年度九大行动的意见" in titles


def test_load_sample_plans_matches_units_of_nine_actions(session: Session, system: Actor) -> None:
    plans = {p.source_filename: p for p in demo.load_sample_plans(session, system, QINGDAO_DOCUMENTS)}
    plan = plans["qingdao-2024-nine-actions.txt"]

    rows = queries.task_rows(session, system, plan.id)
    assert rows, "the nine-actions document has numbered tasks"
    matched = sum(1 for r in rows for a in r.assignments for u in a.unit_ids)
    assert matched > 0
    assert all(t.review_status == "accepted" for t in plan.targets)
