"""Administration pages: users and the audit log."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import TestClient, csrf_from
from zhizao.auth.models import User

AsUser = Callable[..., TestClient]


def test_list_users_for_admin(as_user: AsUser) -> None:
    client = as_user("admin", "root")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "root" in page.text


def test_add_user_through_form(as_user: AsUser, session: Session) -> None:
    client = as_user("admin", "root")
    token = csrf_from(client, "/admin/users")
    data = {
        "username": "hd",
        "password": "long-enough-1",
        "role": "district",
        "region_code": "370211",
        "csrf_token": token,
    }
    assert client.post("/admin/users", data=data).status_code == 303
    assert session.scalar(select(User.region_code).where(User.username == "hd")) == "370211"


def test_reject_invalid_user_with_message(as_user: AsUser, session: Session) -> None:
    client = as_user("admin", "root")
    token = csrf_from(client, "/admin/users")
    data = {"username": "hd", "password": "short", "role": "district", "csrf_token": token}
    response = client.post("/admin/users", data=data)
    assert response.status_code == 400 and "密码至少10位" in response.text
    assert session.scalar(select(User.id).where(User.username == "hd")) is None


def test_forbid_admin_pages_for_other_roles(as_user: AsUser) -> None:
    client = as_user("analyst")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    token = csrf_from(client, "/")
    data = {"username": "x", "password": "long-enough-1", "role": "admin", "csrf_token": token}
    assert client.post("/admin/users", data=data).status_code == 403


def test_show_audit_log_with_logins(as_user: AsUser) -> None:
    client = as_user("admin", "root")
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "<td>登录</td>" in page.text and "<td>login</td>" not in page.text


def test_audit_log_shows_changes_in_readable_chinese(as_user: AsUser, session: Session) -> None:
    from zhizao.audit.log import record

    record(session, "update", "plan_targets", "7", {"measure": {"old": "growth", "new": "share"}})
    record(session, "import", "enterprises", "", {"name": "青岛示例制造有限公司", "above_scale": True})
    session.flush()
    page = as_user("admin", "root").get("/admin/audit").text
    assert "<td>系统</td>" in page and "<td>修改</td>" in page and "<td>目标 7</td>" in page
    assert "计量：增长 → 比重" in page
    assert "名称：青岛示例制造有限公司" in page and "规模以上：是" in page
    assert "\\u" not in page and "growth" not in page


def test_disable_and_enable_user(as_user: AsUser, session: Session, client: TestClient) -> None:
    from tests.web.conftest import add_user, login

    other = add_user(session, "li-si", "analyst")
    admin = as_user("admin", "root")
    token = csrf_from(admin, "/admin/users")
    path = f"/admin/users/{other.id}/active"
    assert admin.post(path, data={"active": "false", "csrf_token": token}).status_code == 303
    assert session.scalar(select(User.is_active).where(User.id == other.id)) is False
    admin.post("/logout", data={"csrf_token": token})
    assert login(client, "li-si").status_code == 401  # a disabled account cannot log in
    root = session.scalar(select(User).where(User.username == "root"))
    assert root is not None
    login(client, "root")
    token = csrf_from(client, "/admin/users")
    own = client.post(f"/admin/users/{root.id}/active", data={"active": "false", "csrf_token": token})
    assert own.status_code == 400 and "不能停用自己的账号" in own.text
    assert client.post(path, data={"active": "true", "csrf_token": token}).status_code == 303
    assert session.scalar(select(User.is_active).where(User.id == other.id)) is True


def test_reset_password_by_admin(as_user: AsUser, session: Session, client: TestClient) -> None:
    from tests.web.conftest import add_user, login

    other = add_user(session, "wang-wu", "analyst")
    admin = as_user("admin", "root")
    token = csrf_from(admin, "/admin/users")
    path = f"/admin/users/{other.id}/password"
    short = admin.post(path, data={"password": "short", "csrf_token": token})
    assert short.status_code == 400 and "新密码至少10位" in short.text
    assert admin.post(path, data={"password": "fresh-start-8", "csrf_token": token}).status_code == 303
    admin.post("/logout", data={"csrf_token": token})
    assert login(client, "wang-wu", "fresh-start-8").status_code == 303


def test_user_actions_forbidden_for_non_admin(as_user: AsUser, session: Session) -> None:
    from tests.web.conftest import add_user

    other = add_user(session, "zhao-liu", "analyst")
    client = as_user("analyst")
    token = csrf_from(client, "/")
    assert (
        client.post(
            f"/admin/users/{other.id}/active", data={"active": "false", "csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/users/{other.id}/password", data={"password": "x" * 9, "csrf_token": token}
        ).status_code
        == 403
    )
