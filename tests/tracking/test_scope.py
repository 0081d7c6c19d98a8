"""Scope in the tracking library, actor by actor: the functions decide what an actor sees, not the routes.

The sample plan (tests/tracking/conftest.py) assigns tasks to four city departments; here a fourth task is
assigned to 黄岛区政府 (region 370211), so a district officer of 370211 sees the plan and that task only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, KJJ, SamplePlan, _assignment, department
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, NotFound
from zhizao.plans.models import PlanTask, TaskAssignment
from zhizao.tracking import bulletin, ledger, linking, monthly, targets, tasks
from zhizao.tracking import observations as obs

JUNE = date(2024, 6, 30)
HUANGDAO = "黄岛区政府"
ANALYST = Actor("analyst", Role.ANALYST)
DISTRICT = Actor("huangdao", Role.DISTRICT, region_code="370211")
OTHER_DISTRICT = Actor("laoshan", Role.DISTRICT, region_code="370212")
ENTERPRISE = Actor("firm", Role.ENTERPRISE, enterprise_id=1)


@pytest.fixture
def district_task(session: Session, sample: SamplePlan) -> TaskAssignment:
    task = PlanTask(position=4, number="4", title="园区改造", text="园区改造", review_status="accepted")
    task.assignments.append(_assignment(session, "4", date(2024, 9, 30), [("lead", HUANGDAO)]))
    sample.plan.tasks.append(task)
    session.flush()
    return task.assignments[0]


def _outsiders(session: Session) -> list[Actor]:
    """Actors who may not see the sample plan at all: another district, a department with no task in it,
    an enterprise account."""
    return [OTHER_DISTRICT, department(session, "市财政局"), ENTERPRISE]


def _plan_calls(sample: SamplePlan) -> list[Callable[[Session, Actor], Any]]:
    plan_id = sample.plan.id
    return [
        lambda s, a: targets.get_plan(s, a, plan_id),
        lambda s, a: targets.plan_progress(s, a, plan_id, JUNE),
        lambda s, a: targets.get_target_progress(s, a, sample.growth.id, JUNE),
        lambda s, a: monthly.plan_month(s, a, plan_id, JUNE),
    ]


def test_plan_functions_show_the_plan_to_those_it_assigns_work_to(
    session: Session, sample: SamplePlan, district_task: TaskAssignment
) -> None:
    for actor in (Actor.system(), ANALYST, department(session, GXJ), DISTRICT):
        for call in _plan_calls(sample):
            assert call(session, actor) is not None


def test_plan_functions_are_not_found_out_of_scope(
    session: Session, sample: SamplePlan, district_task: TaskAssignment
) -> None:
    for actor in _outsiders(session):
        for call in _plan_calls(sample):
            with pytest.raises(NotFound):
                call(session, actor)


def test_unconfirmed_plan_is_not_found_for_its_units(session: Session, sample: SamplePlan) -> None:
    sample.plan.status = "review"
    session.flush()
    for call in _plan_calls(sample):
        with pytest.raises(NotFound):
            call(session, department(session, GXJ))
        assert call(session, ANALYST) is not None


def test_plan_month_lists_only_the_actors_assignments(
    session: Session, sample: SamplePlan, district_task: TaskAssignment
) -> None:
    def seen(actor: Actor) -> set[int]:
        month = monthly.plan_month(session, actor, sample.plan.id, JUNE)
        assert {a.assignment_id for a in month.alerts} <= {v.id for v in month.assignments}
        return {v.id for v in month.assignments}

    everything = {sample.a_gxj.id, sample.a_kjj.id, sample.a_swj.id, district_task.id}
    assert seen(Actor.system()) == seen(ANALYST) == everything
    assert seen(department(session, GXJ)) == {sample.a_gxj.id}
    assert seen(department(session, KJJ)) == {sample.a_kjj.id}
    assert seen(DISTRICT) == {district_task.id}


def test_bulletin_and_ledger_are_for_administrators_and_analysts(
    session: Session, sample: SamplePlan, district_task: TaskAssignment
) -> None:
    for actor in (Actor.system(), ANALYST):
        assert bulletin.build_bulletin(session, actor, sample.plan.id, 2024, 6).data[:2] == b"PK"
        assert ledger.build_ledger(session, actor, sample.plan.id, JUNE)[:2] == b"PK"
    for actor in (department(session, GXJ), DISTRICT, ENTERPRISE):
        with pytest.raises(Forbidden):
            bulletin.build_bulletin(session, actor, sample.plan.id, 2024, 6)
        with pytest.raises(Forbidden):
            ledger.build_ledger(session, actor, sample.plan.id, JUNE)
    with pytest.raises(NotFound):
        ledger.build_ledger(session, ANALYST, 10**9, JUNE)


def test_assignment_out_of_scope_is_not_found_like_a_missing_one(
    session: Session, sample: SamplePlan, district_task: TaskAssignment
) -> None:
    for actor, allowed in (
        (department(session, GXJ), sample.a_gxj.id),
        (DISTRICT, district_task.id),
    ):
        assert tasks.get_assignment(session, actor, allowed).id == allowed
        assert tasks.get_assignment_view(session, actor, allowed).id == allowed
        for other in (sample.a_kjj.id, 10**9):
            with pytest.raises(NotFound, match=f"任务分工 {other} 不存在"):
                tasks.get_assignment(session, actor, other)
    with pytest.raises(NotFound):
        tasks.get_assignment(session, ENTERPRISE, sample.a_gxj.id)


def test_attachment_of_another_unit_is_not_found_like_a_missing_one(
    session: Session, sample: SamplePlan, tmp_path: Path
) -> None:
    report = tasks.report_progress(
        session, department(session, KJJ), sample.a_kjj.id, reported_on=date(2024, 6, 1), text="进展",
        status="推进中", uploads=[("进展.pdf", b"%PDF-1.4\n%%EOF\n")], upload_dir=tmp_path,
    )  # fmt: skip
    attachment_id = report.attachments[0].id
    assert (
        tasks.get_attachment(session, department(session, KJJ), attachment_id, tmp_path)[0].id
        == attachment_id
    )
    missing = attachment_id + 1000
    for actor in (department(session, GXJ), DISTRICT, ENTERPRISE):
        for wanted in (attachment_id, missing):
            with pytest.raises(NotFound, match=f"附件 {wanted} 不存在"):
                tasks.get_attachment(session, actor, wanted, tmp_path)


def test_confirm_link_on_a_target_out_of_scope_is_not_found(session: Session, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    sample.plan.status = "review"
    session.flush()
    assert linking.confirm_link(session, ANALYST, sample.growth.id, series.id).series_id == series.id
    with pytest.raises(NotFound):
        linking.confirm_link(session, ANALYST, 10**9, series.id)
