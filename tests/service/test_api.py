"""The service JSON API per role: list and get (scoped: another firm's or department's 诉求 is a 404), file
(an enterprise for itself only), and act with the pages' rules."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.service.conftest import World
from tests.web.conftest import csrf_from, login
from zhizao.service import requests


def _as(client: TestClient, username: str) -> dict[str, str]:
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return {"X-CSRF-Token": csrf_from(client, "/")}


def _filed(session: Session, world: World, who: str = "firm_a", code: str = "03") -> int:
    firm = {"firm_a": world.firm_a, "firm_b": world.firm_b}[who]
    filed = requests.file(
        session,
        world.actor(who),
        enterprise_id=firm.id,
        category_id=world.categories[code].id,
        title=f"{who} 的诉求",
        on=date.today(),
    )
    return filed.id


def test_enterprise_files_and_sees_only_its_own(client: TestClient, session: Session, world: World) -> None:
    other = _filed(session, world, "firm_b")
    headers = _as(client, "svc-firm-a")
    body = {"category_id": world.categories["03"].id, "title": "接口提交", "enterprise_id": world.firm_b.id}
    created = client.post("/api/v1/service/requests", json=body, headers=headers)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["enterprise_id"] == world.firm_a.id  # an enterprise files for itself, whatever it names
    assert data["status"] == "pending" and data["days_left"] == 3 and data["events"][0]["kind"] == "filed"
    listed = client.get("/api/v1/service/requests").json()
    assert [r["id"] for r in listed] == [data["id"]]
    assert client.get(f"/api/v1/service/requests/{other}").status_code == 404
    refused = client.post(
        f"/api/v1/service/requests/{data['id']}/actions", json={"action": "accept"}, headers=headers
    )
    assert refused.status_code == 403


def test_department_acts_on_its_own_only(client: TestClient, session: Session, world: World) -> None:
    own = _filed(session, world, code="03")  # 测试工信局
    theirs = _filed(session, world, code="0101")  # 测试资规局
    headers = _as(client, "svc-gxj")
    assert [r["id"] for r in client.get("/api/v1/service/requests").json()] == [own]
    assert client.get(f"/api/v1/service/requests/{theirs}").status_code == 404
    url = f"/api/v1/service/requests/{theirs}/actions"
    assert client.post(url, json={"action": "accept"}, headers=headers).status_code == 404
    detail = client.get(f"/api/v1/service/requests/{own}").json()
    assert detail["actions"] == ["accept", "return"]
    url = f"/api/v1/service/requests/{own}/actions"
    accepted = client.post(url, json={"action": "accept", "note": "已联系"}, headers=headers).json()
    assert accepted["status"] == "handling"
    replied = client.post(url, json={"action": "reply", "note": "政策已答复"}, headers=headers).json()
    assert [e["kind"] for e in replied["events"]] == ["filed", "accept", "reply"]
    closed = client.post(url, json={"action": "complete", "note": "已办结"}, headers=headers).json()
    assert closed["status"] == "done" and closed["days_left"] is None
    again = client.post(url, json={"action": "complete", "note": "再办结"}, headers=headers)
    assert again.status_code in (400, 422)
    assert (
        client.post(url, json={"action": "transfer", "department_id": 1}, headers=headers).status_code == 403
    )


def test_bureau_transfers_and_district_files_for_own_firms(
    client: TestClient, session: Session, world: World
) -> None:
    request_id = _filed(session, world, code="03")
    headers = _as(client, "svc-admin")
    moved = client.post(
        f"/api/v1/service/requests/{request_id}/actions",
        json={"action": "transfer", "department_id": world.units["测试发改委"].id, "note": "改派"},
        headers=headers,
    ).json()
    assert moved["department"] == "测试发改委" and moved["status"] == "pending"
    headers = _as(client, "svc-officer")
    body = {"category_id": world.categories["03"].id, "title": "走访发现", "enterprise_id": world.firm_c.id}
    assert client.post("/api/v1/service/requests", json=body, headers=headers).status_code == 404
    body["enterprise_id"] = world.firm_b.id
    assert client.post("/api/v1/service/requests", json=body, headers=headers).status_code == 201
    assert client.post(
        "/api/v1/service/requests", json={**body, "enterprise_id": None}, headers=headers
    ).status_code in (
        400,
        422,
    )


def test_api_validates_input(client: TestClient, world: World) -> None:
    headers = _as(client, "svc-admin")
    assert client.get("/api/v1/service/requests?status=unknown").status_code in (400, 422)
    bad = client.post("/api/v1/service/requests/1/actions", json={"action": "delete"}, headers=headers)
    assert bad.status_code == 422
    client.cookies.clear()
    assert client.get("/api/v1/service/requests").status_code == 401
