from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.plans import intake, queries, store
from zhizao.plans.models import Plan
from zhizao.reference.models import Unit

SOURCE = (
    "关于推进制造业高质量发展的实施方案\n"
    "到2025年,规模以上工业增加值同比增长6.5%左右。\n"
    "1.推动设备更新。实施技改项目500个以上。(市工信局牵头,各区(市)负责,2025年6月底前完成)\n"
    "2.培育专精特新企业。(市民营经济局、市省外办牵头,全年)\n"
)


def extraction(**overrides: Any) -> dict[str, Any]:
    """A small hand-made extraction in the FORMAT.md shape, with source spans into SOURCE."""
    target_text = "规模以上工业增加值同比增长6.5%左右"
    task1 = SOURCE.index("1.推动")
    task2 = SOURCE.index("2.培育")
    data: dict[str, Any] = {
        "title": "关于推进制造业高质量发展的实施方案",
        "doc_number": "青政办发〔2025〕1号",
        "issuer": "青岛市人民政府办公厅",
        "year": 2025,
        "targets": [
            {
                "indicator": "规模以上工业增加值",
                "measure": "growth",
                "value": 6.5,
                "unit": "%",
                "qualifier": "about",
                "target_year": 2025,
                "base_year": None,
                "text": target_text,
                "source_span": [SOURCE.index(target_text), SOURCE.index(target_text) + len(target_text)],
            },
            {
                "indicator": "技改项目",
                "measure": "level",
                "value": 500,
                "unit": "个",
                "qualifier": "at_least",
                "target_year": 2025,
                "base_year": None,
                "text": "实施技改项目500个以上",
            },
        ],
        "tasks": [
            {
                "number": "1",
                "path": ["1"],
                "title": "推动设备更新",
                "assignments": [
                    {
                        "lead_units": ["市工信局"],
                        "responsible_units": ["各区(市)"],
                        "cooperating_units": [],
                        "deadline": "2025-06-30",
                        "deadline_text": "2025年6月底前",
                    }
                ],
                "source_span": [task1, task2 - 1],
            },
            {
                "number": "2",
                "path": ["2"],
                "title": "培育专精特新企业",
                "assignments": [
                    {
                        "lead_units": ["市民营经济局", "市省外办"],
                        "responsible_units": [],
                        "cooperating_units": [],
                        "deadline": "2025-12-31",
                        "deadline_text": "全年",
                    }
                ],
                "source_span": [task2, len(SOURCE) - 1],
            },
        ],
    }
    data.update(overrides)
    return data


def make_plan(session: Session, actor: Actor, **overrides: Any) -> Plan:
    return intake.create_plan_from_extraction(session, actor, extraction(**overrides), SOURCE, "方案.txt")


def unit_id(session: Session, name: str) -> int:
    return session.scalars(select(Unit.id).where(Unit.name == name)).one()


def test_create_plan_from_extraction_stores_items_in_review(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    assert plan.status == "review"
    assert plan.doc_number == "青政办发〔2025〕1号"
    assert [t.indicator for t in plan.targets] == ["规模以上工业增加值", "技改项目"]
    assert {t.review_status for t in [*plan.targets, *plan.tasks]} == {"pending"}
    first = plan.targets[0]
    assert SOURCE[first.span_start : first.span_end] == "规模以上工业增加值同比增长6.5%左右"
    assert plan.targets[1].span_start is None
    task = plan.tasks[0]
    assert task.text.startswith("1.推动设备更新")
    assert task.assignments[0].deadline == date(2025, 6, 30)


def test_plan_belongs_to_the_region_its_issuer_names(
    session: Session, system: Actor, home_region: Callable[[str | None], None]
) -> None:
    home_region("370000")
    assert make_plan(session, system, issuer="潍坊市人民政府办公室").region_code == "370700"
    assert make_plan(session, system, issuer="中共山东省委 山东省人民政府").region_code == "370000"
    assert make_plan(session, system, issuer="山东省潍坊市高密市人民政府").region_code == "370785"
    assert make_plan(session, system, issuer="市中区人民政府").region_code == "370000"  # 济南's or 枣庄's
    assert make_plan(session, system, issuer="江苏省人民政府").region_code == "370000"  # outside: the home
    home_region("370700")
    assert make_plan(session, system, issuer="市工业和信息化局", title="工作要点").region_code == "370700"
    home_region(None)
    assert make_plan(session, system).region_code == "370200"  # 青岛市人民政府办公厅
    assert make_plan(session, system, issuer="", title="工作要点").region_code is None


def test_create_plan_from_extraction_matches_units(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    units = plan.tasks[0].assignments[0].units
    lead = [u for u in units if u.role == "lead"]
    responsible = [u for u in units if u.role == "responsible"]
    assert [u.unit_id for u in lead] == [unit_id(session, "市工业和信息化局")]
    assert len(responsible) == 10
    assert {u.unit_text for u in responsible} == {"各区(市)"}
    second = plan.tasks[1].assignments[0].units
    assert [(u.unit_text, u.unit_id is None) for u in second] == [("市民营经济局", False), ("市省外办", True)]


def test_create_plan_from_extraction_rejects_bad_items_without_writing(
    session: Session, system: Actor
) -> None:
    data = extraction()
    data["targets"][1]["measure"] = "doubling"
    data["targets"][1]["value"] = "很多"

    with pytest.raises(InvalidInput) as caught:
        intake.create_plan_from_extraction(session, system, data, SOURCE, "方案.txt")

    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "measure"), (2, "value")}
    assert session.scalars(select(Plan)).first() is None


def test_create_plan_from_extraction_takes_title_from_filename(session: Session, system: Actor) -> None:
    plan = intake.create_plan_from_extraction(
        session, system, extraction(title=None), SOURCE, "docs/某方案.txt"
    )

    assert plan.title == "某方案"
    assert plan.source_filename == "某方案.txt"


def test_create_plan_forbidden_for_department(session: Session) -> None:
    actor = Actor(username="dept", role=Role.DEPARTMENT, unit_id=1)

    with pytest.raises(Forbidden):
        make_plan(session, actor)


def test_update_target_changes_fields_and_audits(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    target = plan.targets[0]

    store.update_target(session, system, target.id, {"value": "7", "unit": "%", "target_year": "2026"})

    assert (target.value, target.target_year) == (7.0, 2026)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "plan_targets", AuditEntry.entity_key == str(target.id))
    ).all()
    assert any(e.changes.get("value") == {"old": 6.5, "new": 7.0} for e in entries)


def test_update_target_rejects_bad_measure(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    with pytest.raises(InvalidInput) as caught:
        store.update_target(session, system, plan.targets[0].id, {"measure": "x", "base_year": "九九"})

    assert {p.column for p in caught.value.problems} == {"measure", "base_year"}
    assert plan.targets[0].measure == "growth"


def test_update_assignment_rematches_units_and_reads_deadline(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    assignment = plan.tasks[1].assignments[0]

    store.update_assignment(
        session,
        system,
        assignment.id,
        {
            "lead_units": "市民营经济局、青岛市科学技术局",
            "cooperating_units": "各区、市",
            "deadline_text": "2025年9月",
        },
    )

    lead = [u for u in assignment.units if u.role == "lead"]
    assert [u.unit_id for u in lead] == [unit_id(session, "市民营经济局"), unit_id(session, "市科技局")]
    assert len([u for u in assignment.units if u.role == "cooperating"]) == 10
    assert assignment.deadline == date(2025, 9, 30)
    assert assignment.deadline_text == "2025年9月"


def test_update_task_changes_title(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    store.update_task(session, system, plan.tasks[0].id, {"title": "推动大规模设备更新"})

    assert plan.tasks[0].title == "推动大规模设备更新"


def test_add_assignment_to_task(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    assignment = store.add_assignment(session, system, plan.tasks[0].id)
    store.update_assignment(
        session, system, assignment.id, {"lead_units": ["市财政局"], "deadline": "2025-03-31"}
    )

    assert len(plan.tasks[0].assignments) == 2
    assert assignment.deadline == date(2025, 3, 31)


def test_confirm_plan_refuses_pending_items(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    store.set_review_status(session, system, "target", plan.targets[0].id, "accepted")

    with pytest.raises(InvalidInput, match="3 条未审核"):
        store.confirm_plan(session, system, plan.id)

    assert plan.status == "review"


def test_confirm_plan_removes_rejected_items(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    store.set_review_status(session, system, "target", plan.targets[1].id, "rejected")
    store.set_review_status(session, system, "task", plan.tasks[1].id, "rejected")
    store.set_all_review_status(session, system, plan.id, "accepted")

    store.confirm_plan(session, system, plan.id)

    assert plan.status == "confirmed"
    assert plan.confirmed_by == "system"
    assert [t.indicator for t in plan.targets] == ["规模以上工业增加值"]
    assert [t.title for t in plan.tasks] == ["推动设备更新"]


def test_confirm_plan_accepts_pending_when_asked(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)

    store.confirm_plan(session, system, plan.id, accept_pending=True)

    assert len(plan.targets) == 2
    assert {t.review_status for t in plan.tasks} == {"accepted"}


def test_update_target_refused_after_confirm(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    store.confirm_plan(session, system, plan.id, accept_pending=True)

    with pytest.raises(InvalidInput, match="已确认"):
        store.update_target(session, system, plan.targets[0].id, {"value": 1})


def test_set_review_status_unknown_item(session: Session, system: Actor) -> None:
    with pytest.raises(NotFound):
        store.set_review_status(session, system, "task", 999999, "accepted")


def test_delete_plan_confirmed_only_by_admin(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    store.confirm_plan(session, system, plan.id, accept_pending=True)
    analyst = Actor(username="ana", role=Role.ANALYST)

    with pytest.raises(InvalidInput):
        store.delete_plan(session, analyst, plan.id)
    store.delete_plan(session, system, plan.id)

    assert session.get(Plan, plan.id) is None


def test_list_plans_scopes_department_users(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    other = make_plan(session, system, title="另一个方案", tasks=[])
    store.confirm_plan(session, system, plan.id, accept_pending=True)
    store.confirm_plan(session, system, other.id, accept_pending=True)
    department = Actor(username="d", role=Role.DEPARTMENT, unit_id=unit_id(session, "市工业和信息化局"))
    stranger = Actor(username="s", role=Role.DEPARTMENT, unit_id=unit_id(session, "市贸促会"))
    district = Actor(username="h", role=Role.DISTRICT, region_code="370211")

    assert [p.id for p in queries.list_plans(session, department)] == [plan.id]
    assert [p.id for p in queries.list_plans(session, district)] == [plan.id]
    assert queries.list_plans(session, stranger) == []
    assert {p.id for p in queries.list_plans(session, system)} >= {plan.id, other.id}
    with pytest.raises(NotFound):
        queries.get_plan(session, stranger, plan.id)


def test_list_plans_hides_review_plans_from_department(session: Session, system: Actor) -> None:
    make_plan(session, system)
    department = Actor(username="d", role=Role.DEPARTMENT, unit_id=unit_id(session, "市工业和信息化局"))

    assert queries.list_plans(session, department) == []


def test_task_rows_filter_by_unit_and_deadline(session: Session, system: Actor) -> None:
    plan = make_plan(session, system)
    store.confirm_plan(session, system, plan.id, accept_pending=True)

    by_unit = queries.task_rows(session, system, plan.id, unit_id=unit_id(session, "市民营经济局"))
    by_district = queries.task_rows(session, system, plan.id, unit_id=unit_id(session, "黄岛区政府"))
    by_deadline = queries.task_rows(session, system, plan.id, due_to=date(2025, 6, 30))
    later = queries.task_rows(session, system, plan.id, due_from=date(2025, 7, 1))

    assert [r.title for r in by_unit] == ["培育专精特新企业"]
    assert [r.title for r in by_district] == ["推动设备更新"]
    assert [r.title for r in by_deadline] == ["推动设备更新"]
    assert [r.title for r in later] == ["培育专精特新企业"]
    assert by_district[0].assignments[0].lead == ["市工业和信息化局"]
    assert by_district[0].assignments[0].responsible == ["各区(市)"]


# ---- revising: heading, missed items, reopening, readiness (zhizao.plans.revise) -------------------------


def _review_plan(session: Session) -> Plan:
    from zhizao.plans.models import PlanTask

    plan = Plan(
        title="关于召开全市工业经济运行调度会的通知",
        year=2024,
        status="review",
        source_text="近日，市里召开会议。",
    )
    plan.tasks.append(
        PlanTask(position=0, number="1", title="调度会", text="召开调度会", review_status="pending")
    )
    session.add(plan)
    session.flush()
    return plan


def test_revise_heading_and_add_missed_items(session: Session, system: Actor) -> None:
    from zhizao.plans import revise

    plan = _review_plan(session)
    revise.update_heading(
        session,
        system,
        plan.id,
        {
            "title": "工业稳增长实施方案",
            "doc_number": "青工信发〔2024〕3号",
            "issuer": "市工业和信息化局",
            "year": "2025",
        },
    )
    assert (plan.title, plan.doc_number, plan.issuer, plan.year) == (
        "工业稳增长实施方案",
        "青工信发〔2024〕3号",
        "市工业和信息化局",
        2025,
    )
    with pytest.raises(InvalidInput):
        revise.update_heading(session, system, plan.id, {"year": "明年"})
    target = revise.add_target(
        session,
        system,
        plan.id,
        {"indicator": "规上工业增加值", "measure": "growth", "value": "6", "unit": "%", "qualifier": "about"},
    )
    assert (target.review_status, target.target_year, target.text) == ("accepted", 2025, "规上工业增加值6%")
    task = revise.add_task(session, system, plan.id, {"title": "推进技改", "text": "推进100个技改项目"})
    assert (task.number, task.review_status) == ("2", "accepted")


def test_readiness_names_pending_items_and_news_like_documents(session: Session, system: Actor) -> None:
    from zhizao.plans import revise

    plan = _review_plan(session)
    ready = revise.readiness(plan)
    assert ready.pending == ["任务 1：调度会"]
    assert any("新闻报道或会议消息" in w for w in ready.warnings)
    assert any("未读取到量化目标" in w for w in ready.warnings)
    with pytest.raises(InvalidInput, match="1 条未审核"):
        store.confirm_plan(session, system, plan.id)


def test_reopen_confirmed_plan_needs_a_reason_and_is_audited(session: Session, system: Actor) -> None:
    from zhizao.plans import revise

    plan = _review_plan(session)
    store.confirm_plan(session, system, plan.id, accept_pending=True)
    with pytest.raises(InvalidInput, match="原因"):
        revise.reopen_plan(session, system, plan.id, " ")
    revise.reopen_plan(session, system, plan.id, "文号录错")
    assert plan.status == "review"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
    assert entry.entity_key == str(plan.id) and "文号录错" in str(entry.changes)
    with pytest.raises(InvalidInput):
        revise.reopen_plan(session, system, plan.id, "再退一次")


def test_require_item_in_plan_refuses_another_plans_item(session: Session, system: Actor) -> None:
    from zhizao.plans import revise

    first, second = _review_plan(session), _review_plan(session)
    task_id = first.tasks[0].id
    revise.require_item_in_plan(session, system, "task", first.id, task_id)
    with pytest.raises(NotFound):
        revise.require_item_in_plan(session, system, "task", second.id, task_id)


def test_import_text_stores_a_page_of_subsidy_terms_with_no_goals_and_says_so(
    session: Session, system: Actor
) -> None:
    text = (
        "对投资5000万元以上的示例产业项目,按设备投入给予8%的补助,最高补助1000万元。"
        "项目投产后连续2年内,按新增贡献给予50%的奖励。对首次认定的示例企业,给予一次性奖补20万元。"
        "对示例企业购买首台套装备的,按购置金额的10%给予补助,同一企业每年度补助金额最高不超过200万元。"
    )
    plan = intake.import_text(session, system, text, "补助标准.txt")

    assert (plan.targets, plan.tasks) == ([], [])
    assert any(line.startswith("目标：") for line in queries.reason_lines(plan.reasons or {}))
