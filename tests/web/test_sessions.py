"""Server-side sessions: the cookie is a random id; ending a session works at once, wherever the cookie is."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import itsdangerous
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import PASSWORD, TestClient, add_user, csrf_from, login
from zhizao.auth.models import UserSession
from zhizao.auth.sessions import hash_token
from zhizao.db.base import utcnow
from zhizao.web.security import SESSION_COOKIE

OLD_PUBLIC_DEFAULT_KEY = "zhizao-insecure-development-key"  # the constant the code used to ship


def _cookie(client: TestClient) -> str:
    value = client.cookies.get(SESSION_COOKIE)
    assert value, "no session cookie"
    return value


def _replay(app: FastAPI, cookie: str | None = None) -> TestClient:
    """Another browser: a fresh one, or one (an attacker's) that holds a copy of the cookie."""
    cookies = {SESSION_COOKIE: cookie} if cookie is not None else None
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, cookies=cookies)


def _works(app: FastAPI, cookie: str) -> bool:
    return _replay(app, cookie).get("/api/v1/me").status_code == 200


def test_cookie_holds_only_a_random_id(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    cookie = _cookie(client)
    assert len(cookie) >= 43 and "ana" not in cookie and "." not in cookie  # no payload, no signature
    stored = session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(cookie)))
    assert stored is not None and cookie not in (stored.token_hash, stored.user_agent)


def test_refuse_forged_cookie(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    assert not _works(app, _cookie(client)[:-2] + "xx")
    assert not _works(app, "A" * 43)


def test_refuse_cookie_signed_with_old_default_key(app: FastAPI, session: Session) -> None:
    """The probe of issue 18: a Starlette session cookie signed with the once-public key gave admin."""
    root = add_user(session, "root", "admin")
    payload = base64.b64encode(json.dumps({"uid": root.id, "login_at": int(time.time())}).encode())
    forged = itsdangerous.TimestampSigner(OLD_PUBLIC_DEFAULT_KEY).sign(payload).decode()
    attacker = _replay(app, forged)
    assert attacker.get("/admin/users").status_code == 303
    assert attacker.get("/api/v1/me").status_code == 401


def test_logout_ends_session_for_every_copy(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    cookie = _cookie(client)
    assert _works(app, cookie)
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert not _works(app, cookie)


def test_own_password_change_ends_other_sessions(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "wu", "analyst")
    login(client, "wu")
    stolen = _cookie(client)
    token = csrf_from(client, "/account/password")
    data = {"current": PASSWORD, "new": "brand-new-pass", "confirm": "brand-new-pass", "csrf_token": token}
    assert client.post("/account/password", data=data).status_code == 200
    assert not _works(app, stolen)
    assert _cookie(client) != stolen
    assert client.get("/api/v1/me").status_code == 200  # the browser that made the change stays signed in


def test_admin_reset_ends_users_sessions(app: FastAPI, client: TestClient, session: Session) -> None:
    victim = add_user(session, "li", "analyst")
    login(client, "li")
    cookie = _cookie(client)
    admin = _admin_client(app, session)
    token = csrf_from(admin, "/admin/users")
    data = {"password": "fresh-start-8", "csrf_token": token}
    assert admin.post(f"/admin/users/{victim.id}/password", data=data).status_code == 303
    assert not _works(app, cookie)


def test_disabling_account_ends_its_sessions(app: FastAPI, client: TestClient, session: Session) -> None:
    user = add_user(session, "li", "analyst")
    login(client, "li")
    cookie = _cookie(client)
    admin = _admin_client(app, session)
    token = csrf_from(admin, "/admin/users")
    path = f"/admin/users/{user.id}/active"
    assert admin.post(path, data={"active": "false", "csrf_token": token}).status_code == 303
    assert not _works(app, cookie)
    assert admin.post(path, data={"active": "true", "csrf_token": token}).status_code == 303
    assert not _works(app, cookie)  # re-enabling does not bring old sessions back


def test_admin_signs_user_out_everywhere(app: FastAPI, client: TestClient, session: Session) -> None:
    user = add_user(session, "li", "analyst")
    login(client, "li")
    first = _cookie(client)
    second_browser = _replay(app)
    login(second_browser, "li")
    second = _cookie(second_browser)
    admin = _admin_client(app, session)
    token = csrf_from(admin, "/admin/users")
    assert admin.post(f"/admin/users/{user.id}/sessions/end", data={"csrf_token": token}).status_code == 303
    assert not _works(app, first) and not _works(app, second)
    assert _works(app, _cookie(admin))  # the administrator's own session is untouched


def test_sign_out_everywhere_is_for_admins_only(app: FastAPI, client: TestClient, session: Session) -> None:
    other = add_user(session, "li", "analyst")
    add_user(session, "ana", "analyst")
    login(client, "ana")
    token = csrf_from(client, "/")
    assert client.post(f"/admin/users/{other.id}/sessions/end", data={"csrf_token": token}).status_code == 403


def test_list_own_sessions_and_sign_out_others(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    add_user(session, "bo", "analyst")
    laptop = _replay(app)
    laptop.headers["user-agent"] = "LaptopBrowser/1.0"
    login(laptop, "ana")
    login(client, "ana")
    other_user = _replay(app)
    login(other_user, "bo")
    page = client.get("/account/sessions")
    assert page.status_code == 200
    assert "LaptopBrowser/1.0" in page.text and page.text.count("<tr>") == 3  # header + two sessions of ana
    token = csrf_from(client, "/account/sessions")
    assert client.post("/account/sessions/others", data={"csrf_token": token}).status_code == 303
    assert not _works(app, _cookie(laptop))
    assert _works(app, _cookie(client)) and _works(app, _cookie(other_user))
    assert "LaptopBrowser/1.0" not in client.get("/account/sessions").text


def test_login_starts_new_session_no_fixation(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    client.cookies.set(SESSION_COOKIE, "planted-by-attacker-" + "x" * 30, domain="127.0.0.1")
    login(client, "ana")
    first = _cookie(client)
    assert not first.startswith("planted")
    data = {"username": "ana", "password": PASSWORD, "csrf_token": csrf_from(client, "/")}
    assert client.post("/login", data=data).status_code == 303
    assert _cookie(client) != first
    assert not _works(app, first)  # logging in again from the same browser ends the previous session


def test_idle_timeout_ends_session(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    idle = app.state.settings.session_idle_timeout
    app.state.clock = lambda: utcnow() + timedelta(seconds=idle - 60)
    assert client.get("/api/v1/me").status_code == 200  # used within the idle time: still on
    app.state.clock = lambda: utcnow() + timedelta(seconds=2 * idle)
    assert client.get("/api/v1/me").status_code == 401


def test_absolute_timeout_ends_busy_session(app: FastAPI, client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    settings = app.state.settings
    step = settings.session_idle_timeout - 60
    elapsed = 0
    while elapsed + step < settings.session_max_age:  # used all day, never idle for long
        elapsed += step
        app.state.clock = lambda elapsed=elapsed: utcnow() + timedelta(seconds=elapsed)
        assert client.get("/api/v1/me").status_code == 200, elapsed
    app.state.clock = lambda: utcnow() + timedelta(seconds=settings.session_max_age + 1)
    assert client.get("/api/v1/me").status_code == 401


def _admin_client(app: FastAPI, session: Session) -> TestClient:
    add_user(session, "root", "admin")
    admin = _replay(app)
    assert login(admin, "root").status_code == 303
    return admin
