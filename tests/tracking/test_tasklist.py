"""The task list: filters, paging, deadlines in words, and 催办 (recorded, audited, shown to the unit)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, KJJ, SamplePlan, department, unit_id
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, NotFound
from zhizao.tracking import tasklist, tasks, urges
from zhizao.tracking.alerts import AlertKind
from zhizao.tracking.tasklist import TaskQuery

JULY_1 = date(2024, 7, 1)


def _ids(page: tasklist.TaskPage) -> list[int]:
    return [row.view.id for row in page.rows]


def test_search_tasks_filters_by_unit_status_alert_and_deadline(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    everything = tasklist.search_tasks(session, system, TaskQuery(plan_id=sample.plan.id), JULY_1)
    assert _ids(everything) == [sample.a_gxj.id, sample.a_swj.id, sample.a_kjj.id]  # by deadline
    assert [row.number for row in everything.rows] == [1, 2, 3]
    assert everything.rows[0].due == "已逾期 1 天" and everything.rows[0].overdue
    kjj = tasklist.search_tasks(session, system, TaskQuery(unit_id=unit_id(session, KJJ)), JULY_1)
    assert _ids(kjj) == [sample.a_kjj.id]
    overdue = tasklist.search_tasks(session, system, TaskQuery(alert=AlertKind.OVERDUE), JULY_1)
    assert _ids(overdue) == [sample.a_gxj.id]
    window = TaskQuery(due_from=date(2024, 7, 1), due_to=date(2024, 7, 31))
    assert _ids(tasklist.search_tasks(session, system, window, JULY_1)) == [sample.a_swj.id]
    tasks.report_progress(
        session, department(session, GXJ), sample.a_gxj.id, reported_on=date(2024, 6, 30), text="完成",
        status="已完成",
    )  # fmt: skip
    done = tasklist.search_tasks(session, system, TaskQuery(status=tasks.ReportStatus.COMPLETED), JULY_1)
    assert _ids(done) == [sample.a_gxj.id] and done.rows[0].due == "已完成"
    today = tasklist.search_tasks(session, system, TaskQuery(), date(2024, 7, 10))
    assert [r.due for r in today.rows if r.view.id == sample.a_swj.id] == ["今日到期"]


def test_search_tasks_pages(session: Session, system: Actor, sample: SamplePlan) -> None:
    second = tasklist.search_tasks(session, system, TaskQuery(per_page=2, page=2), JULY_1)
    assert second.total == 3 and second.pages == 2
    assert [row.number for row in second.rows] == [3]


def test_urge_is_recorded_audited_and_shown_to_the_unit(session: Session, sample: SamplePlan) -> None:
    analyst = Actor("duban", Role.ANALYST)
    urges.urge(session, analyst, sample.a_gxj.id, "请于本周内报送")
    clerk = department(session, GXJ)
    shown = urges.urges_of(session, clerk, sample.a_gxj.id)
    assert [(u.note, u.author, u.unit_id) for u in shown] == [("请于本周内报送", "duban", clerk.unit_id)]
    page = tasklist.search_tasks(session, clerk, TaskQuery(), JULY_1)
    assert {row.view.id: row.urges for row in page.rows}[sample.a_gxj.id] == 1
    audited = session.scalars(select(AuditEntry).where(AuditEntry.entity == "task_urges")).all()
    assert audited and audited[0].actor == "duban"


def test_urge_refused_to_units_and_out_of_scope(session: Session, sample: SamplePlan) -> None:
    with pytest.raises(Forbidden):
        urges.urge(session, department(session, GXJ), sample.a_gxj.id)
    with pytest.raises(NotFound):
        urges.urges_of(session, department(session, GXJ), sample.a_kjj.id)


def test_open_urge_is_shown_to_its_unit_until_the_unit_reports(session: Session, sample: SamplePlan) -> None:
    analyst = Actor("duban", Role.ANALYST)
    urges.urge(session, analyst, sample.a_gxj.id, "请于本周内报送")
    urges.urge(session, analyst, sample.a_gxj.id, "再次催办")
    clerk, other = department(session, GXJ), department(session, KJJ)
    [notice] = urges.urged_board(session, clerk) or []
    assert (notice.assignment_id, notice.author, notice.note, notice.times) == (
        sample.a_gxj.id, "duban", "再次催办", 2,
    )  # fmt: skip
    assert notice.task_label.startswith("1 ") and notice.href == f"/tracking/tasks/{sample.a_gxj.id}"
    assert urges.urged_board(session, other) is None  # another unit's urge is not shown
    assert set(urges.open_urges(session, analyst)) == {sample.a_gxj.id}  # the office sees what it urged
    rows = tasklist.search_tasks(session, clerk, TaskQuery(), JULY_1).rows
    assert {row.view.id: row.urged for row in rows} == {sample.a_gxj.id: notice}
    office = tasklist.search_tasks(session, analyst, TaskQuery(), JULY_1).rows
    assert {row.view.id: row.urged is not None for row in office}[sample.a_kjj.id] is False
    urged_only = tasklist.search_tasks(session, clerk, TaskQuery(urged=True), JULY_1)
    assert _ids(urged_only) == [sample.a_gxj.id]
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 6, 28), text="已报送", status="推进中"
    )  # a report, even one dated before the urge, answers it
    assert urges.urged_board(session, clerk) is None
    assert _ids(tasklist.search_tasks(session, clerk, TaskQuery(urged=True), JULY_1)) == []
    again = tasklist.search_tasks(session, clerk, TaskQuery(), JULY_1).rows
    assert {row.view.id: row.urges for row in again}[sample.a_gxj.id] == 2  # the record stays
    urges.urge(session, analyst, sample.a_gxj.id, "第三次")
    [renewed] = urges.urged_board(session, clerk) or []
    assert (renewed.note, renewed.times) == ("第三次", 1)
