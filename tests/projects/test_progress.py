"""Rates and statuses at month ends: 年度投资完成率 against 时间进度, the gap in points and its wording, the
status bands, 开工率/竣工率/投产率 with 停缓建 left out, a project with no plan this year, rounding against
truncation, baseline against re-plan, and the same figures on every Ibis backend."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from tests.projects.conftest import World, add_project
from zhizao.projects import baseline, progress
from zhizao.projects import settings as project_settings
from zhizao.projects.facts import SCHEMA, UNSPECIFIED, period_of
from zhizao.projects.progress import gap_text, publish, status_of

RULES = project_settings.Settings()


def _fact(pid: int, **values: object) -> dict[str, object]:
    base: dict[str, object] = dict.fromkeys(SCHEMA.names)
    base.update(
        project_id=pid,
        name=f"项目{pid}",
        kind="重点项目",
        level="市级",
        region="370211",
        region_name="黄岛区",
        chain="C1",
        unit="测试工信局",
        suspended=False,
    )
    base.update(values)
    return base


FACTS = pa.Table.from_pylist(
    [
        # planned and started this year, 600 of 1000 by October
        _fact(
            1,
            annual_plan=1000.0,
            year_actual=600.0,
            start_planned=date(2026, 3, 1),
            start_actual=date(2026, 3, 5),
        ),
        # planned to start in April, not started; completed-by plan in September, not completed
        _fact(
            2,
            kind="技改项目",
            annual_plan=500.0,
            year_actual=450.0,
            start_planned=date(2026, 4, 1),
            complete_planned=date(2026, 9, 30),
        ),
        # started last year, completed in June this year (in production)
        _fact(
            3,
            kind="技改项目",
            level="省级",
            annual_plan=300.0,
            year_actual=300.0,
            start_actual=date(2025, 5, 1),
            complete_planned=date(2026, 6, 30),
            complete_actual=date(2026, 6, 20),
        ),
        # 停缓建: out of every count and rate, its money stays in the sums
        _fact(
            4,
            annual_plan=200.0,
            year_actual=20.0,
            start_planned=date(2026, 2, 1),
            start_actual=date(2026, 2, 3),
            suspended=True,
        ),
        # no plan this year: no rate, not in the sums
        _fact(5, region="370212", region_name="崂山区", year_actual=80.0, start_planned=date(2026, 11, 1)),
    ],
    schema=SCHEMA,
)


def test_group_rates_at_october_end(backend: BaseBackend) -> None:
    result = progress.progress_from_facts(FACTS, date(2026, 10, 31), RULES, backend=backend)
    (total,) = result.groups
    assert (total.year_plan, total.year_actual) == (2000.0, 1370.0)
    assert (total.completion_rate, total.time_progress, total.gap_pp) == (68.5, 83.3, -14.8)
    assert total.status == "lagging" and total.gap_text == "落后时间进度14.8个百分点"
    assert (total.projects, total.suspended, total.with_plan) == (5, 1, 4)
    assert (total.planned_starts, total.actual_starts, total.start_rate) == (2, 1, 50.0)
    assert (total.planned_completions, total.actual_completions, total.completion_count_rate) == (2, 1, 50.0)
    assert (total.under_construction, total.in_production, total.production_rate) == (2, 1, 50.0)


def test_group_by_kind_and_region(backend: BaseBackend) -> None:
    by_kind = progress.progress_from_facts(FACTS, date(2026, 10, 31), RULES, "kind", backend=backend)
    rows = {g.key: g for g in by_kind.groups}
    assert rows["技改项目"].completion_rate == 93.8 and rows["技改项目"].status == "ahead"
    assert rows["重点项目"].completion_rate == 51.7 and rows["重点项目"].status == "severe"
    by_region = progress.progress_from_facts(FACTS, date(2026, 10, 31), RULES, "region", backend=backend)
    laoshan = next(g for g in by_region.groups if g.key == "370212")
    assert (laoshan.label, laoshan.completion_rate, laoshan.status, laoshan.planned_starts) == (
        "崂山区",
        None,
        "no_plan",
        0,
    )


def test_mid_month_counts_as_previous_month_end(backend: BaseBackend) -> None:
    result = progress.progress_from_facts(FACTS, date(2026, 11, 15), RULES, backend=backend)
    assert result.period.end == date(2026, 10, 31) and result.groups[0].time_progress == 83.3
    march = progress.progress_from_facts(FACTS, date(2026, 3, 31), RULES, backend=backend)
    assert march.groups[0].time_progress == 25.0
    assert (march.groups[0].planned_starts, march.groups[0].actual_starts) == (1, 1)  # project 4 stopped


def test_per_project_status_includes_suspended_and_no_plan(backend: BaseBackend) -> None:
    found = progress.per_project(FACTS, date(2026, 10, 31), RULES, backend=backend)
    assert {pid: p.status for pid, p in found.items()} == {
        1: "severe",
        2: "ahead",
        3: "ahead",
        4: "suspended",
        5: "no_plan",
    }
    assert found[2].completion_rate == 90.0 and found[2].gap_pp == 6.7 and found[2].status_label == "超前"


def test_rounding_against_truncation() -> None:
    truncate = project_settings.Settings(rounding="truncate")
    assert (publish(83.3333, RULES), publish(83.3333, truncate)) == (83.3, 83.3)
    assert (publish(68.96, RULES), publish(68.96, truncate)) == (69.0, 68.9)
    assert (publish(-14.85, RULES), publish(-14.85, truncate)) == (-14.9, -14.8)
    assert publish(2.675, project_settings.Settings(decimals=2)) == 2.68  # half up, not banker's
    facts = pa.Table.from_pylist([_fact(1, annual_plan=3000.0, year_actual=2069.0)], schema=SCHEMA)
    rounded = progress.progress_from_facts(facts, date(2026, 10, 31), RULES).groups[0]
    cut = progress.progress_from_facts(facts, date(2026, 10, 31), truncate).groups[0]
    assert (rounded.completion_rate, rounded.gap_pp) == (69.0, -14.3)
    assert (cut.completion_rate, cut.gap_pp) == (68.9, -14.4)


def test_status_bands_and_wording() -> None:
    assert [status_of(g, RULES) for g in (5.1, 5.0, 0, -5.0, -5.1, -15.0, -15.1, None)] == [
        "ahead",
        "normal",
        "normal",
        "normal",
        "lagging",
        "lagging",
        "severe",
        "no_plan",
    ]
    strict = project_settings.Settings(ahead_pp=0, lagging_pp=0, severe_pp=10)
    assert [status_of(g, strict) for g in (0.1, 0, -0.1, -10.1)] == ["ahead", "normal", "lagging", "severe"]
    assert gap_text(5.2) == "超过时间进度5.2个百分点"
    assert gap_text(-3.0) == "落后时间进度3.0个百分点"
    assert gap_text(0.0) == "与时间进度持平"


def test_settings_thresholds_apply(session: Session, world: World) -> None:
    admin = world.actor("admin")
    add_project(session, "甲", plans={2026: 1000}, months={(2026, 10): (800.0, 900.0)})
    assert progress.progress(session, admin, date(2026, 10, 31)).groups[0].status == "normal"  # −3.3 pp
    project_settings.update(
        session, admin, lagging_pp=3, severe_pp=10, rounding="truncate", add_kinds=("专项债项目",)
    )
    after = progress.progress(session, admin, date(2026, 10, 31)).groups[0]
    assert (after.gap_pp, after.status) == (-3.3, "lagging")
    assert "专项债项目" in project_settings.load(session).kinds


def test_baseline_against_replan(session: Session, world: World) -> None:
    admin = world.actor("admin")
    project = add_project(
        session, "调整项目", plans={2026: 1000}, months={(2026, 6): (400.0, 400.0), (2026, 9): (700.0, 700.0)}
    )
    assert baseline.freeze_year_start(session, admin, 2026) == 1
    assert baseline.freeze_year_start(session, admin, 2026) == 0
    june = progress.progress(session, admin, date(2026, 6, 30), basis="baseline").groups[0]
    assert (june.year_plan, june.completion_rate) == (1000.0, 40.0)
    baseline.replan(
        session,
        admin,
        project.id,
        2026,
        on=date(2026, 7, 15),
        annual_plan=800,
        reason="用地调整",
        approved_by="市发改委",
    )
    # June's baseline is still the year-start one; September's is the re-plan
    assert (
        progress.progress(session, admin, date(2026, 6, 30), basis="baseline").groups[0].year_plan == 1000.0
    )
    sept = progress.progress(session, admin, date(2026, 9, 30), basis="baseline").groups[0]
    assert (sept.year_plan, sept.completion_rate) == (800.0, 87.5)
    # the current plan moves again without approval: the baseline does not
    from zhizao.projects.models import ProjectPlan

    plan = session.query(ProjectPlan).filter_by(project_id=project.id, year=2026).one()
    plan.annual_plan = 700.0
    session.flush()
    assert progress.progress(session, admin, date(2026, 9, 30)).groups[0].completion_rate == 100.0
    assert progress.progress(session, admin, date(2026, 9, 30), basis="baseline").groups[0].year_plan == 800.0
    versions = [(b.version, b.annual_plan, b.reason) for b in baseline.baselines(session, admin, project.id)]
    assert versions == [(0, 1000.0, "年初基线"), (1, 800.0, "用地调整")]


def test_replan_needs_reason_and_approver(session: Session, world: World) -> None:
    project = add_project(session, plans={2026: 1000})
    from zhizao.errors import InvalidInput

    with pytest.raises(InvalidInput, match="原因和批准人"):
        baseline.replan(
            session,
            world.actor("admin"),
            project.id,
            2026,
            on=date(2026, 7, 1),
            annual_plan=1,
            reason="",
            approved_by="",
        )


def test_period_of() -> None:
    assert period_of(date(2026, 2, 28)).end == date(2026, 2, 28)
    assert period_of(date(2026, 1, 10)).end == date(2025, 12, 31)


def test_groups_by_chain_are_named_by_the_chain(session: Session, world: World) -> None:
    from zhizao.chains.models import Chain

    session.add(Chain(code="nev", name="新能源汽车产业链"))
    add_project(session, "甲项目", chain_code="nev", plans={2024: 100.0}, months={(2024, 6): (40.0, 40.0)})
    add_project(session, "乙项目", plans={2024: 100.0})
    found = progress.progress(session, world.actor("admin"), date(2024, 6, 30), group_by="chain")
    assert sorted(g.label for g in found.groups) == sorted(["新能源汽车产业链", UNSPECIFIED])
