"""Repeated 诉求 linked to a plan task as a policy issue: who may link, the audit, and the counts the task's
page shows (scoped to the viewer)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.service.conftest import World
from tests.web.conftest import csrf_from, login
from zhizao.audit.models import AuditEntry
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans.models import AssignmentUnit, Plan, PlanTask, TaskAssignment
from zhizao.service import analytics, policy, requests


def _plan(session: Session, world: World, status: str = "confirmed") -> PlanTask:
    plan = Plan(title="要素保障专项行动", year=2025, region_code="370200", status=status)
    task = PlanTask(position=0, number="3", title="优化工业用地供给", text="优化工业用地供给")
    assignment = TaskAssignment(deadline=date(2025, 12, 31))
    assignment.units.append(
        AssignmentUnit(position=0, role="lead", unit_text="测试资规局", unit_id=world.units["测试资规局"].id)
    )
    task.assignments.append(assignment)
    plan.tasks.append(task)
    session.add(plan)
    session.flush()
    return task


def _file(session: Session, world: World, firm_id: int, code: str = "0101") -> None:
    requests.file(
        session,
        world.actor("admin"),
        enterprise_id=firm_id,
        category_id=world.categories[code].id,
        title="缺少用地指标",
        on=date(2025, 3, 3),
        channel="officer",
    )


def test_link_repeated_category_to_task_counts_scoped_requests(session: Session, world: World) -> None:
    for firm in (world.firm_a, world.firm_b, world.firm_c):
        _file(session, world, firm.id)
    repeated = analytics.repeated(session, world.actor("admin"), date(2025, 1, 1), date(2025, 12, 31))
    assert [(r.code, r.firms) for r in repeated] == [("0101", 3)]
    task = _plan(session, world)
    created = policy.link(session, world.actor("admin"), "01", task.id, "用地问题集中")  # the 大类
    assert policy.tasks_by_category(session, ["01"])["01"][0].task_id == task.id
    [bureau] = policy.counts_for_task(session, world.actor("admin"), task.id)
    assert (bureau.requests, bureau.open, bureau.firms, bureau.category_name) == (3, 3, 3, "要素保障")
    [district] = policy.counts_for_task(session, world.actor("officer"), task.id)
    assert (district.requests, district.firms) == (2, 2)  # firm_c is in another district
    assert policy.counts_for_task(session, world.actor("firm_a"), task.id)[0].requests == 1
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "service_policy_links", AuditEntry.entity_key == str(created.id)
        )
    ).all()
    assert [(a.action, a.actor) for a in audited] == [("create", "svc-admin")]
    policy.unlink(session, world.actor("admin"), created.id)
    assert policy.counts_for_task(session, world.actor("admin"), task.id) == []


def test_link_refused_for_others_unknown_codes_and_unconfirmed_plans(session: Session, world: World) -> None:
    task = _plan(session, world)
    for who in ("officer", "gxj", "firm_a"):
        with pytest.raises(Forbidden):
            policy.link(session, world.actor(who), "0101", task.id)
    with pytest.raises(InvalidInput, match="未知的诉求类别"):
        policy.link(session, world.actor("admin"), "9999", task.id)
    draft = _plan(session, world, status="review")
    with pytest.raises(InvalidInput, match="已确认"):
        policy.link(session, world.actor("admin"), "0101", draft.id)
    policy.link(session, world.actor("admin"), "0101", task.id)
    with pytest.raises(InvalidInput, match="已关联"):
        policy.link(session, world.actor("admin"), "0101", task.id)


def test_task_page_lists_linked_request_counts(client: TestClient, session: Session, world: World) -> None:
    for firm in (world.firm_a, world.firm_b, world.firm_c):
        _file(session, world, firm.id)
    task = _plan(session, world)
    client.cookies.clear()
    assert login(client, "svc-admin").status_code == 303
    token = csrf_from(client, "/service/analytics?since=2025-01-01&until=2025-12-31")
    linked = client.post(
        "/service/policy-links", data={"category_code": "0101", "task_id": task.id, "csrf_token": token}
    )
    assert linked.status_code == 303
    page = client.get("/service/analytics?since=2025-01-01&until=2025-12-31").text
    assert "已关联任务" in page and "优化工业用地供给" in page
    assignment = task.assignments[0].id
    shown = client.get(f"/tracking/tasks/{assignment}").text
    assert "关联的企业诉求" in shown and "3 件诉求，3 家企业，未办结 3 件" in shown
