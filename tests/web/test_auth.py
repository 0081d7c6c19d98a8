"""Login, logout, CSRF, lockout, anonymous access and the language switch."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import PASSWORD, TestClient, add_user, csrf_from, login
from zhizao.audit.models import AuditEntry


def test_redirect_anonymous_page_to_login(client: TestClient) -> None:
    response = client.get("/enterprises?q=x")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/enterprises")


def test_reject_anonymous_api_with_401(client: TestClient) -> None:
    for path in ("/api/v1/enterprises", "/api/v1/counts", "/api/v1/enterprises/1", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["content-type"].startswith("application/json")


def test_login_with_correct_password(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    response = login(client, "ana")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert "set-cookie" in response.headers and "httponly" in response.headers["set-cookie"].lower()
    assert client.get("/api/v1/me").json()["username"] == "ana"


def test_login_follows_local_next_only(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    token = csrf_from(client)
    data = {"username": "ana", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
    assert client.post("/login", data=data).headers["location"] == "/"


def test_login_with_wrong_password_shows_error(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    response = login(client, "ana", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert client.get("/api/v1/me").status_code == 401


def test_lock_account_after_repeated_failures(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    for _ in range(5):
        assert login(client, "ana", "wrong-password").status_code == 401
    response = login(client, "ana")
    assert response.status_code == 401
    assert "锁定" in response.text


def test_reject_post_without_csrf_token(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    client.get("/login")
    response = client.post("/login", data={"username": "ana", "password": PASSWORD})
    assert response.status_code == 403
    forged = {"username": "ana", "password": PASSWORD, "csrf_token": "x"}
    assert client.post("/login", data=forged).status_code == 403


def test_accept_csrf_token_in_header(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    token = csrf_from(client, "/")
    assert client.post("/lang", data={"lang": "en"}).status_code == 403
    response = client.post("/lang", data={"lang": "en"}, headers={"X-CSRF-Token": token})
    assert response.status_code == 303


def test_logout_ends_session(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    token = csrf_from(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303


def test_switch_language_renders_english(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    assert "企业名录" in client.get("/enterprises").text
    token = csrf_from(client, "/")
    client.post("/lang", data={"lang": "en", "next": "/enterprises", "csrf_token": token})
    page = client.get("/enterprises").text
    assert '<html lang="en">' in page
    assert "Enterprises" in page
    assert "Export Excel" in page


def test_reject_unknown_language(client: TestClient) -> None:
    token = csrf_from(client)
    assert client.post("/lang", data={"lang": "fr", "csrf_token": token}).status_code == 400


def test_keep_language_on_login_page(client: TestClient) -> None:
    token = csrf_from(client)
    client.post("/lang", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert "Password" in client.get("/login").text


def test_serve_openapi_description(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    schema = client.get("/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"] and "/login" not in schema["paths"]
    assert "EnterprisePublic" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_change_own_password(client: TestClient, session: Session) -> None:
    from sqlalchemy import select

    from zhizao.audit.models import AuditEntry

    add_user(session, "wu", "analyst")
    login(client, "wu")
    token = csrf_from(client, "/account/password")
    wrong = {"current": "not-it", "new": "brand-new-pass", "confirm": "brand-new-pass", "csrf_token": token}
    response = client.post("/account/password", data=wrong)
    assert response.status_code == 400 and "当前密码不正确" in response.text
    right = wrong | {"current": PASSWORD}
    assert "密码已修改" in client.post("/account/password", data=right).text
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert login(client, "wu").status_code == 401
    assert login(client, "wu", "brand-new-pass").status_code == 303
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "password_change")).all()
    assert [e.actor for e in entries] == ["wu"] and "hash" not in str(entries[0].changes)


def test_change_password_needs_login_and_csrf(client: TestClient, session: Session) -> None:
    assert client.get("/account/password").status_code == 303
    add_user(session, "zheng", "analyst")
    login(client, "zheng")
    data = {"current": PASSWORD, "new": "brand-new-pass", "confirm": "brand-new-pass"}
    assert client.post("/account/password", data=data).status_code == 403


def test_lockout_holds_attacker_address_not_real_user(app: FastAPI, session: Session) -> None:
    add_user(session, "ana", "analyst")
    attacker = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=("10.9.9.9", 4000))
    user = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, client=("10.1.1.1", 4000))
    for _ in range(5):
        assert login(attacker, "ana", "wrong-password").status_code == 401
    assert "锁定" in login(attacker, "ana").text
    assert login(user, "ana").status_code == 303
    page = login(attacker, "nobody-at-all", "wrong-password")  # an unknown name: the same first answer
    assert page.status_code == 401 and "用户名或密码错误" in page.text


def test_audit_login_failure_and_logout(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana", "wrong-password")
    login(client, "ana")
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "users").order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries if e.actor == "ana"] == ["login_failure", "login", "logout"]
    assert all(e.changes.get("address") == "testclient" for e in entries if e.actor == "ana")
