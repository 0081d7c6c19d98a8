"""The service pages through the routes: an enterprise files in its portal and sees only its own 诉求; a
department sees and acts on its own only; the list filters; the coverage page."""

from __future__ import annotations

import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.service.conftest import World
from tests.web.conftest import csrf_from, login
from zhizao.service import requests, visits


def _as(client: TestClient, username: str) -> TestClient:
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return client


def _file_in_portal(client: TestClient, world: World, title: str) -> int:
    token = csrf_from(client, "/service/requests/new")
    response = client.post(
        "/service/requests",
        data={"category_id": world.categories["03"].id, "title": title, "csrf_token": token},
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_enterprise_files_in_portal_and_sees_only_its_own(client: TestClient, world: World) -> None:
    _as(client, "svc-firm-a")
    request_id = _file_in_portal(client, world, "甲公司咨询技改政策")
    portal = client.get("/service").text
    assert "甲公司咨询技改政策" in portal and "帮包服务专员" in portal
    _as(client, "svc-firm-b")
    assert "甲公司咨询技改政策" not in client.get("/service").text
    assert client.get(f"/service/requests/{request_id}").status_code == 404


def test_enterprise_cannot_file_for_another_firm(client: TestClient, world: World) -> None:
    _as(client, "svc-firm-a")
    token = csrf_from(client, "/service/requests/new")
    client.post(
        "/service/requests",
        data={
            "category_id": world.categories["03"].id,
            "title": "冒名",
            "enterprise_id": world.firm_b.id,
            "csrf_token": token,
        },
    )
    _as(client, "svc-firm-b")
    assert "冒名" not in client.get("/service").text


def test_department_acts_on_its_own_requests_only(client: TestClient, world: World) -> None:
    _as(client, "svc-firm-a")
    request_id = _file_in_portal(client, world, "咨询申报条件")
    _as(client, "svc-fgw")
    assert "咨询申报条件" not in client.get("/service").text
    assert client.get(f"/service/requests/{request_id}").status_code == 404
    token = csrf_from(client, "/service")
    refused = client.post(f"/service/requests/{request_id}/accept", data={"csrf_token": token})
    assert refused.status_code == 404
    _as(client, "svc-gxj")
    page = client.get(f"/service/requests/{request_id}").text
    assert "咨询申报条件" in page and "受理并联系企业" in page
    token = csrf_from(client, f"/service/requests/{request_id}")
    accepted = client.post(
        f"/service/requests/{request_id}/accept", data={"note": "已电话联系", "csrf_token": token}
    )
    assert accepted.status_code == 303
    page = client.get(f"/service/requests/{request_id}").text
    assert "办理中" in page and "已电话联系" in page


def test_list_filters_overdue_with_working_days_left(
    client: TestClient, session: Session, world: World
) -> None:
    old = requests.file(
        session,
        world.actor("admin"),
        enterprise_id=world.firm_a.id,
        category_id=world.categories["03"].id,
        title="早已超期的诉求",
        on=date(2025, 9, 26),
    )
    _as(client, "svc-firm-a")
    _file_in_portal(client, world, "今天提交的诉求")
    _as(client, "svc-admin")
    everything = client.get("/service").text
    assert "早已超期的诉求" in everything and "今天提交的诉求" in everything
    overdue = client.get("/service?overdue=1").text
    assert "早已超期的诉求" in overdue and "今天提交的诉求" not in overdue
    assert str(old.id) in overdue
    by_department = client.get(f"/service?department_id={world.units['测试发改委'].id}").text
    assert "早已超期的诉求" not in by_department


def test_coverage_page_for_bureau_not_for_enterprise(
    client: TestClient, session: Session, world: World
) -> None:
    visits.record(
        session,
        world.actor("admin"),
        enterprise_id=world.firm_a.id,
        visited_on=date(2025, 2, 10),
        form="onsite",
    )
    _as(client, "svc-officer")
    page = client.get("/service/coverage?since=2025-01-01&as_of=2025-03-31").text
    assert "规上企业 2 家，已走访 1 家" in page
    assert "乙制造有限公司" in page and "丙制造有限公司" not in page
    _as(client, "svc-firm-a")
    assert client.get("/service/coverage").status_code == 404


def test_analytics_page_by_department_for_department_user(
    client: TestClient, session: Session, world: World
) -> None:
    for firm in (world.firm_a, world.firm_b):
        requests.file(
            session,
            world.actor("admin"),
            enterprise_id=firm.id,
            category_id=world.categories["03"].id,
            title="咨询",
            on=date(2025, 9, 26),
        )
    _as(client, "svc-gxj")
    page = client.get("/service/analytics?by=department&since=2025-01-01&until=2025-12-31").text
    assert "测试工信局" in page and "2 家企业，2 件" not in page  # three firms needed to flag a repeat
    _as(client, "svc-fgw")
    assert (
        "测试工信局"
        not in client.get("/service/analytics?by=department&since=2025-01-01&until=2025-12-31").text
    )
    _as(client, "svc-firm-a")
    assert client.get("/service/analytics").status_code == 404


def test_district_records_visit_and_assigns_officer_in_its_region_only(
    client: TestClient, session: Session, world: World
) -> None:
    _as(client, "svc-officer")
    token = csrf_from(client, "/service/coverage")
    page = client.get("/service/coverage").text
    assert "甲制造有限公司" in page and "丙制造有限公司" not in page  # the forms offer their region's firms
    visit = {
        "enterprise_id": world.firm_a.id,
        "visited_on": "2025-02-10",
        "form": "onsite",
        "findings": "扩产缺地",
        "problem_category_id": world.categories["0101"].id,
        "problem_title": "扩产用地指标",
        "csrf_token": token,
    }
    assert client.post("/service/visits", data=visit).status_code == 303
    assert client.post("/service/visits", data=visit | {"enterprise_id": world.firm_c.id}).status_code == 404
    officer_id = world.users["officer"].id
    assignment = {
        "enterprise_id": world.firm_a.id,
        "officer_id": officer_id,
        "level": "district",
        "valid_from": "2025-01-01",
        "csrf_token": token,
    }
    assert client.post("/service/assignments", data=assignment).status_code == 303
    other = assignment | {"officer_id": world.users["officer_c"].id}
    assert client.post("/service/assignments", data=other).status_code == 404  # not an officer of the region
    page = client.get("/service/coverage?since=2025-01-01&as_of=2025-03-31").text
    assert "规上企业 2 家，已走访 1 家" in page
    _as(client, "svc-zgj")
    assert "扩产用地指标" in client.get("/service").text
    _as(client, "svc-firm-a")
    assert "svc-officer" in client.get("/service").text  # the portal names its 帮包 officer


def test_service_pages_render_in_english(client: TestClient, session: Session, world: World) -> None:
    r = requests.file(
        session,
        world.actor("admin"),
        enterprise_id=world.firm_a.id,
        category_id=world.categories["03"].id,
        title="咨询",
        on=date(2025, 9, 26),
    )
    _as(client, "svc-admin")
    token = csrf_from(client, "/service")
    client.post("/lang", data={"lang": "en", "next": "/service", "csrf_token": token})
    assert "Working days left" in client.get("/service").text
    detail = client.get(f"/service/requests/{r.id}").text
    assert "Awaiting acceptance" in detail and "Reminder notice" in detail
    assert "Visit coverage" in client.get("/service/coverage").text
    assert "On-time rate" in client.get("/service/analytics").text


def test_firm_search_and_the_full_not_visited_list_as_a_workbook(
    client: TestClient, session: Session, world: World
) -> None:
    _as(client, "svc-officer")
    options = client.get("/service/firms", params={"q": "乙制造"}).text
    assert "乙制造有限公司" in options and "甲制造有限公司" not in options
    by_code = client.get("/service/firms", params={"q": world.firm_a.credit_code[:14]}).text
    assert "甲制造有限公司" in by_code
    assert (
        "丙制造有限公司" not in client.get("/service/firms", params={"q": "丙制造"}).text
    )  # another district
    assert "没有匹配的企业" in client.get("/service/firms", params={"q": "不存在"}).text
    response = client.get("/service/coverage/not-visited.xlsx?since=2025-01-01&as_of=2025-03-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet["A1"].value == "尚未走访的规上企业"
    names = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert names == {"甲制造有限公司", "乙制造有限公司"}
    _as(client, "svc-firm-a")
    assert client.get("/service/firms").status_code == 404


def test_the_not_visited_list_on_the_page_is_capped(session: Session, world: World) -> None:
    found = visits.coverage(
        session, world.actor("admin"), date(2025, 1, 1), date(2025, 3, 31), not_visited_limit=1
    )
    assert len(found.not_visited) == 1 and found.firms - found.visited == 3
