"""Stored runs: the database input path, storing, reproducing, comparing, and who sees which results.

These run on SQLite and PostgreSQL (the `session` fixture) and on DuckDB only."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.evaluation.city import add_city
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.evaluation.inputs import read_database
from zhizao.evaluation.method import load_method
from zhizao.evaluation.models import EvaluationResult
from zhizao.evaluation.results import (
    ResultQuery,
    class_counts_by_region,
    explain_result,
    search_results,
    visible_run,
    visible_runs,
)
from zhizao.evaluation.runs import compare_runs, list_runs, rerun, run_and_store


@pytest.fixture
def city(session: Session) -> list[Enterprise]:
    """Twelve 规上 enterprises, six in each of two districts, with figures for 2023 and 2024."""
    return add_city(session, "测试企业")


def classes_of(session: Session, run_id: int) -> dict[str, tuple[str | None, float | None, int | None]]:
    rows = session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == run_id))
    return {r.credit_code: (r.class_id, r.total, r.rank) for r in rows}


def test_read_database_pivots_whole_year_figures(session: Session, city: list[Enterprise]) -> None:
    frame = read_database([2023, 2024], session)
    assert len(frame) == 24
    row = frame[(frame["credit_code"] == city[3].credit_code) & (frame["year"] == 2024)].iloc[0]
    assert row["tax"] == pytest.approx(44.0)
    assert row["land_mu"] == pytest.approx(13.0)
    assert bool(row["above_scale"]) is True
    assert row["enterprise_id"] == city[3].id
    assert read_database([2030], session.connection()).empty


def test_store_run_from_database(session: Session, system: Actor, city: list[Enterprise]) -> None:
    run = run_and_store(session, system, "huaian-2024", 2024)
    assert run.rows == 12
    assert run.method_hash == load_method("huaian-2024").digest()
    assert "huaian-2024" in run.method_text and run.input_source == "database"
    assert sum(run.counts.values()) == 12 and run.counts["A"] == 2  # 20 % of 6 rounds to 1, in each district
    stored = session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == run.id)).all()
    assert {r.enterprise_id for r in stored} == {e.id for e in city}
    first = next(r for r in stored if r.rank == 1)
    assert set(first.indicators["tax_per_mu"]) >= {"value", "benchmark", "score", "group_mean", "group_rank"}
    assert run in list_runs(session, system)


def test_store_run_from_file_data_matches_enterprises(
    session: Session, system: Actor, city: list[Enterprise]
) -> None:
    frame = read_database([2023, 2024], session).drop(columns=["enterprise_id"])
    run = run_and_store(session, system, "huaian-2024", 2024, data=frame, input_source="figures.csv")
    stored = session.scalars(select(EvaluationResult.enterprise_id).where(EvaluationResult.run_id == run.id))
    assert set(stored) == {e.id for e in city}


def test_rerun_reproduces_results(session: Session, system: Actor, city: list[Enterprise]) -> None:
    first = run_and_store(session, system, "huaian-2024", 2024)
    second = rerun(session, system, first.id)
    assert (second.method_hash, second.input_fingerprint) == (first.method_hash, first.input_fingerprint)
    assert classes_of(session, second.id) == classes_of(session, first.id)
    assert second.params == {"rerun_of": first.id}


def test_compare_runs_names_who_moved_and_why(
    session: Session, system: Actor, city: list[Enterprise]
) -> None:
    before = run_and_store(session, system, "huaian-2024", 2024)
    lowest = city[0]  # the smallest figures of district 370211: class C (six firms: 1 A, 3 B, 2 C, no D)
    session.execute(
        update(EnterpriseFigure)
        .where(EnterpriseFigure.enterprise_id == lowest.id, EnterpriseFigure.year == 2024)
        .where(EnterpriseFigure.indicator_id == "tax")
        .values(value=500.0)
    )
    after = run_and_store(session, system, "huaian-2024", 2024)
    comparison = compare_runs(session, system, before.id, after.id)
    assert comparison.same_method and not comparison.same_input
    moved = {m.credit_code: m for m in comparison.moves}
    assert lowest.credit_code in moved
    move = moved[lowest.credit_code]
    assert (move.class_a, move.class_b) == ("C", "A")
    assert move.changes[0].id in {"tax_per_mu", "tax_per_tce"} and move.changes[0].score_delta > 0
    assert "亩均税收" in move.why or "单位能耗税收" in move.why


def test_results_scoped_to_district(session: Session, system: Actor, city: list[Enterprise]) -> None:
    run = run_and_store(session, system, "huaian-2024", 2024)
    officer = Actor(username="d", role=Role.DISTRICT, region_code="370211")
    page = search_results(session, officer, run.id, ResultQuery())
    assert page.total == 6 and {r.region_code for r in page.items} == {"370211"}
    other = next(e for e in city if e.region_code == "370212")
    with pytest.raises(NotFound):
        explain_result(session, officer, run.id, enterprise_id=other.id)


def test_class_counts_group_by_the_level_below_the_viewer(
    session: Session, system: Actor, city: list[Enterprise], home_region: Callable[[str | None], None]
) -> None:
    home_region("370000")
    session.execute(update(Enterprise).where(Enterprise.region_code == "370212").values(region_code="370785"))
    run = run_and_store(session, system, "huaian-2024", 2024)
    by_city = class_counts_by_region(session, system, run.id)
    assert list(by_city) == ["青岛市", "潍坊市"] and [sum(c.values()) for c in by_city.values()] == [6, 6]
    officer = Actor(username="wf", role=Role.DISTRICT, region_code="370700")
    assert {
        name: sum(c.values()) for name, c in class_counts_by_region(session, officer, run.id).items()
    } == {"高密市": 6}


def test_results_scoped_to_own_enterprise(session: Session, system: Actor, city: list[Enterprise]) -> None:
    run = run_and_store(session, system, "huaian-2024", 2024)
    account = Actor(username="e", role=Role.ENTERPRISE, enterprise_id=city[0].id)
    page = search_results(session, account, run.id, ResultQuery())
    assert [r.credit_code for r in page.items] == [city[0].credit_code]
    explanation = explain_result(session, account, run.id, enterprise_id=city[0].id)
    assert explanation.result.class_id == "C"
    assert [line.id for line in explanation.lines] == ["tax_per_mu", "revenue_per_mu", "tax_per_tce"]
    assert explanation.lines[0].benchmark and explanation.lines[0].group_rank == 6
    assert "相对控制" in explanation.policy_text
    with pytest.raises(NotFound):
        explain_result(session, account, run.id, enterprise_id=city[1].id)


def test_run_and_store_only_for_admin_and_analyst(session: Session, city: list[Enterprise]) -> None:
    officer = Actor(username="d", role=Role.DISTRICT, region_code="370211")
    with pytest.raises(Forbidden):
        run_and_store(session, officer, "huaian-2024", 2024)


def test_run_and_store_without_data_for_year_is_a_message(session: Session, system: Actor) -> None:
    with pytest.raises(InvalidInput, match="2031"):
        run_and_store(session, system, "huaian-2024", 2031, data=None)
    with pytest.raises(InvalidInput):
        run_and_store(session, system, "huaian-2024", 2024, data=pd.DataFrame({"x": [1]}))


def test_store_demo_run_uses_latest_complete_year(
    session: Session, system: Actor, city: list[Enterprise]
) -> None:
    from zhizao.evaluation.demo import store_demo_run

    run = store_demo_run(session, system)
    assert (run.method_id, run.year, run.params) == ("huaian-2024", 2024, {"demo": True})
    assert run.rows == 12


def test_visible_runs_totals_are_over_the_actors_scope(
    session: Session, system: Actor, city: list[Enterprise]
) -> None:
    run = run_and_store(session, system, "huaian-2024", 2024)
    district = Actor("d", Role.DISTRICT, region_code="370211")
    firm = Actor("e", Role.ENTERPRISE, enterprise_id=city[0].id)
    nobody = Actor("e2", Role.ENTERPRISE)
    whole = visible_run(session, system, run.id)
    assert whole.rows == 12 and whole.counts == run.counts
    own = visible_run(session, district, run.id)
    assert own.rows == 6 and sum(own.counts.values()) == 6 and own.counts.get("A") == 1
    assert [r.rows for r in visible_runs(session, district)] == [6]
    single = visible_run(session, firm, run.id)
    mine = session.scalars(
        select(EvaluationResult).where(
            EvaluationResult.run_id == run.id, EvaluationResult.enterprise_id == city[0].id
        )
    ).one()
    assert single.rows == 1 and single.counts == {mine.class_id or "": 1}
    assert visible_run(session, nobody, run.id).rows == 0
    explained = explain_result(session, firm, run.id, enterprise_id=city[0].id)
    assert explained.run.rows == 1 and explained.run.counts == single.counts
