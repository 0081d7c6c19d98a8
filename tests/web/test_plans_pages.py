from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.jobs.models import Job
from zhizao.plans import intake
from zhizao.plans.models import Plan, PlanTarget
from zhizao.reference.models import Unit

SOURCE = (
    "关于推进制造业发展的实施方案\n"
    "到2025年,规模以上工业增加值增长6.5%左右。\n"
    "1. 推动设备更新。(牵头单位:市工信局,责任单位:各区(市);完成时限:2025年6月底前)\n"
    "2. 培育专精特新企业。(市民营经济局、市数字办牵头,全年)\n"
)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def extraction() -> dict[str, Any]:
    text = "规模以上工业增加值增长6.5%左右"
    start = SOURCE.index(text)
    task1, task2 = SOURCE.index("1. 推动"), SOURCE.index("2. 培育")
    return {
        "title": "关于推进制造业发展的实施方案",
        "year": 2025,
        "targets": [
            {
                "indicator": "规模以上工业增加值",
                "measure": "growth",
                "value": 6.5,
                "unit": "%",
                "qualifier": "about",
                "target_year": 2025,
                "text": text,
                "source_span": [start, start + len(text)],
            }
        ],
        "tasks": [
            {
                "number": "1",
                "path": ["1"],
                "title": "推动设备更新",
                "source_span": [task1, task2 - 1],
                "assignments": [
                    {
                        "lead_units": ["市工信局"],
                        "responsible_units": ["各区(市)"],
                        "deadline": "2025-06-30",
                        "deadline_text": "2025年6月底前",
                    }
                ],
            },
            {
                "number": "2",
                "path": ["2"],
                "title": "培育专精特新企业",
                "source_span": [task2, len(SOURCE) - 1],
                "assignments": [
                    {
                        "lead_units": ["市民营经济局", "市数字办"],
                        "deadline": "2025-12-31",
                        "deadline_text": "全年",
                    }
                ],
            },
        ],
    }


def make_plan(session: Session, confirmed: bool = False) -> Plan:
    return intake.create_plan_from_extraction(
        session, Actor.system(), extraction(), SOURCE, "方案.txt", confirmed=confirmed
    )


def csrf(client: Any, path: str) -> str:
    match = _CSRF.search(client.get(path).text)
    assert match
    return match.group(1)


def unit_id(session: Session, name: str) -> int:
    return session.scalars(select(Unit.id).where(Unit.name == name)).one()


def test_show_plan_list_with_import_button(session: Session, as_user: Any) -> None:
    make_plan(session)
    client = as_user("analyst")

    page = client.get("/plans")

    assert page.status_code == 200
    assert "关于推进制造业发展的实施方案" in page.text
    assert 'href="/plans/new"' in page.text
    assert 'href="/plans"' in page.text  # the navigation entry


def test_import_pasted_text_creates_plan_in_review(session: Session, as_user: Any, shared_dir: Any) -> None:
    client = as_user("analyst")
    text = (shared_dir / "policy-docs" / "qingdao-2024-nine-actions.txt").read_text(encoding="utf-8")

    response = client.post(
        "/plans", data={"text": text, "filename": "九大行动", "csrf_token": csrf(client, "/plans/new")}
    )

    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "待审核" in page.text
    assert 'class="box source-pane"' in page.text


def test_import_upload_file(session: Session, as_user: Any) -> None:
    client = as_user("admin")
    token = csrf(client, "/plans/new")
    content = (
        "关于推动工业经济发展的若干措施\n一、主要目标\n到2025年,全市工业投资同比增长10%左右。\n"
        "二、重点任务\n1.推进技术改造。实施重点技改项目500个以上,推动企业加快设备更新。"
        "(牵头单位:市工业和信息化局;完成时限:2025年12月)\n"
    ).encode()

    response = client.post(
        "/plans", files={"file": ("措施.txt", content, "text/plain")}, data={"csrf_token": token}
    )

    assert response.status_code == 303, response.text
    plan = session.get(Plan, int(response.headers["location"].rsplit("/", 1)[1]))
    assert plan is not None and plan.source_filename == "措施.txt"


def test_plan_document_is_read_by_a_job_of_its_owner(session: Session, as_user: Any, client: Any) -> None:
    as_user("analyst", "plan-reader")
    content = (
        "关于推动工业经济发展的若干措施\n一、主要目标\n到2025年,全市工业投资同比增长10%左右。\n".encode()
    )
    response = client.post(
        "/plans",
        files={"file": ("措施.txt", content, "text/plain")},
        data={"csrf_token": csrf(client, "/plans/new")},
    )
    assert response.status_code == 303
    job = session.scalars(select(Job).where(Job.kind == "plan_parse")).one()
    assert job.status == "done" and job.result_url == response.headers["location"]
    assert not Path(job.params["path"]).exists()  # the kept upload is gone once read
    plan = session.get(Plan, int(job.result_url.rsplit("/", 1)[1]))
    assert plan is not None and plan.source_filename == "措施.txt"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "plans")).all()
    assert audit and {e.actor for e in audit} == {"plan-reader"}  # the job acts as its owner
    bad = client.post(
        "/plans",
        files={"file": ("措施.exe", b"x", "text/plain")},
        data={"csrf_token": csrf(client, "/plans/new")},
    )
    assert bad.status_code == 400 and "不支持的文件类型" in bad.text  # refused in the request, no job
    client.cookies.clear()
    as_user("analyst", "plan-other")
    assert client.get(f"/jobs/{job.id}").status_code == 404


def test_import_without_input_shows_error(as_user: Any) -> None:
    client = as_user("analyst")

    response = client.post("/plans", data={"text": " ", "csrf_token": csrf(client, "/plans/new")})

    assert response.status_code == 400
    assert "请选择文件或粘贴文件全文" in response.text


def test_review_page_marks_source_spans(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")

    page = client.get(f"/plans/{plan.id}").text

    target = plan.targets[0]
    assert re.search(rf'data-items="[^"]*t{target.id}[^"]*">规模以上工业增加值增长6.5%左右</span>', page)
    assert f'data-item="k{plan.tasks[0].id}"' in page
    assert "市数字办" in page  # listed as an unmatched unit


def test_edit_target_inline(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    target = plan.targets[0]
    token = csrf(client, f"/plans/{plan.id}")

    form = client.get(f"/plans/{plan.id}/targets/{target.id}/edit", headers={"HX-Request": "true"})
    response = client.post(
        f"/plans/{plan.id}/targets/{target.id}",
        data={
            "indicator": "规上工业增加值",
            "measure": "growth",
            "value": "7",
            "unit": "%",
            "qualifier": "about",
            "target_year": "2025",
            "base_year": "",
        },
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )

    assert 'name="indicator"' in form.text
    assert response.status_code == 200
    assert "规上工业增加值" in response.text
    session.expire_all()
    assert session.get(PlanTarget, target.id).value == 7.0  # type: ignore[union-attr]


def test_edit_target_bad_value_shows_error_and_keeps_value(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    target = plan.targets[0]
    token = csrf(client, f"/plans/{plan.id}")

    response = client.post(
        f"/plans/{plan.id}/targets/{target.id}",
        data={"measure": "nonsense"},
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )

    assert response.status_code == 400
    assert "目标修改有误" in response.text
    session.expire_all()
    assert session.get(PlanTarget, target.id).measure == "growth"  # type: ignore[union-attr]


def test_edit_task_units_and_deadline(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    task = plan.tasks[1]
    assignment = task.assignments[0]
    token = csrf(client, f"/plans/{plan.id}")

    response = client.post(
        f"/plans/{plan.id}/tasks/{task.id}",
        data={
            "number": "2",
            "title": "培育专精特新中小企业",
            f"a_{assignment.id}": "1",
            f"lead_{assignment.id}": "市民营经济局",
            f"responsible_{assignment.id}": "",
            f"cooperating_{assignment.id}": "市财政局",
            f"deadline_{assignment.id}": "",
            f"deadline_text_{assignment.id}": "2025年9月",
        },
        headers={"HX-Request": "true", "X-CSRF-Token": token},
    )

    assert response.status_code == 200
    assert "培育专精特新中小企业" in response.text
    assert "市财政局" in response.text
    assert "2025-09-30" in response.text


def test_accept_and_reject_items(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    token = csrf(client, f"/plans/{plan.id}")
    headers = {"HX-Request": "true", "X-CSRF-Token": token}

    accepted = client.post(
        f"/plans/{plan.id}/targets/{plan.targets[0].id}/review", data={"status": "accepted"}, headers=headers
    )
    rejected = client.post(
        f"/plans/{plan.id}/tasks/{plan.tasks[1].id}/review", data={"status": "rejected"}, headers=headers
    )

    assert "已采纳" in accepted.text
    assert "不采纳" in rejected.text


def test_map_unmatched_unit_once(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    token = csrf(client, f"/plans/{plan.id}")
    target = unit_id(session, "市大数据局")

    response = client.post(
        f"/plans/{plan.id}/units", data={"text": "市数字办", "unit_id": str(target), "csrf_token": token}
    )

    assert response.status_code == 303
    page = client.get(f"/plans/{plan.id}").text
    assert "未匹配单位" not in page.split("量化目标")[0]
    later = make_plan(session)
    units = later.tasks[1].assignments[0].units
    assert [u.unit_id for u in units if u.unit_text == "市数字办"] == [target]


def test_confirm_plan_then_filter_and_export(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    token = csrf(client, f"/plans/{plan.id}")

    refused = client.post(f"/plans/{plan.id}/confirm", data={"csrf_token": token})
    confirmed = client.post(f"/plans/{plan.id}/confirm", data={"csrf_token": token, "accept_pending": "1"})
    huangdao = unit_id(session, "黄岛区政府")
    page = client.get(f"/plans/{plan.id}?unit_id={huangdao}")
    workbook = client.get(f"/plans/{plan.id}/export.xlsx?unit_id={huangdao}")

    assert refused.status_code == 400
    assert confirmed.status_code == 303
    assert "已确认" in page.text
    assert "推动设备更新" in page.text
    assert "培育专精特新企业" not in page.text
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content))["任务分解表"]
    assert [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["市工业和信息化局"]


def test_department_sees_only_assigned_confirmed_plans(session: Session, as_user: Any) -> None:
    plan = make_plan(session, confirmed=True)
    review = make_plan(session)
    client = as_user("department", unit_name="市民营经济局")

    listing = client.get("/plans")
    hidden = client.get(f"/plans/{review.id}")
    shown = client.get(f"/plans/{plan.id}")

    assert listing.status_code == 200
    assert f'href="/plans/{plan.id}"' in listing.text
    assert f'href="/plans/{review.id}"' not in listing.text
    assert 'href="/plans/new"' not in listing.text
    assert hidden.status_code == 404
    assert shown.status_code == 200


def test_department_cannot_import(as_user: Any) -> None:
    client = as_user("department", unit_name="市民营经济局")

    assert client.get("/plans/new").status_code == 403


def test_district_sees_plans_assigned_through_all_districts(session: Session, as_user: Any) -> None:
    plan = make_plan(session, confirmed=True)
    client = as_user("district", region_code="370211")

    page = client.get(f"/plans/{plan.id}?unit_id={unit_id(session, '黄岛区政府')}")

    assert page.status_code == 200
    assert "推动设备更新" in page.text


def test_confirm_with_pending_items_explains_them_on_the_review_page(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    client = as_user("analyst")
    token = csrf(client, f"/plans/{plan.id}")
    refused = client.post(f"/plans/{plan.id}/confirm", data={"csrf_token": token})
    assert refused.status_code == 400
    assert (
        'id="confirm-error"' in refused.text and "审核计划" in refused.text
    )  # the review page, not an error page
    assert "目标：规模以上工业增加值" in refused.text and "任务 2：培育专精特新企业" in refused.text
    assert "采纳其余并确认计划" in refused.text


def test_review_edits_heading_adds_items_and_shows_task_text(session: Session, as_user: Any) -> None:
    plan = make_plan(session)
    plan.tasks[0].text = "推动设备更新。全年完成技改项目100个，带动投资增长10%。"
    session.flush()
    client = as_user("analyst")
    token = csrf(client, f"/plans/{plan.id}")
    assert "全年完成技改项目100个" in client.get(f"/plans/{plan.id}").text  # the card shows the task's text
    heading = {
        "title": "关于推进制造业发展的实施方案",
        "doc_number": "青工信字〔2025〕1号",
        "issuer": "市工业和信息化局",
        "year": "2025",
        "csrf_token": token,
    }
    assert client.post(f"/plans/{plan.id}/heading", data=heading).status_code == 303
    added = client.post(
        f"/plans/{plan.id}/targets",
        data={
            "indicator": "高新技术企业",
            "measure": "level",
            "value": "300",
            "unit": "家",
            "csrf_token": token,
        },
    )
    task = client.post(f"/plans/{plan.id}/tasks", data={"title": "建设产业园区", "csrf_token": token})
    assert (added.status_code, task.status_code) == (303, 303)
    page = client.get(f"/plans/{plan.id}").text
    assert "青工信字〔2025〕1号" in page and "高新技术企业" in page and "建设产业园区" in page


def test_item_routes_refuse_an_item_of_another_plan(session: Session, as_user: Any) -> None:
    first, second = make_plan(session), make_plan(session)
    client = as_user("analyst")
    token = csrf(client, f"/plans/{first.id}")
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    item = first.targets[0].id
    crossed = client.post(
        f"/plans/{second.id}/targets/{item}/review", data={"status": "rejected"}, headers=headers
    )
    edited = client.post(f"/plans/{second.id}/targets/{item}", data={"indicator": "改名"}, headers=headers)
    assert (crossed.status_code, edited.status_code) == (404, 404)
    session.refresh(first.targets[0])
    assert (first.targets[0].review_status, first.targets[0].indicator) == ("pending", "规模以上工业增加值")


def test_reopen_confirmed_plan_from_its_page(session: Session, as_user: Any) -> None:
    plan = make_plan(session, confirmed=True)
    client = as_user("analyst")
    page = client.get(f"/plans/{plan.id}").text
    assert "退回修改" in page
    token = csrf(client, f"/plans/{plan.id}")
    done = client.post(f"/plans/{plan.id}/reopen", data={"reason": "文号有误", "csrf_token": token})
    assert done.status_code == 303
    assert "审核计划" in client.get(f"/plans/{plan.id}").text
