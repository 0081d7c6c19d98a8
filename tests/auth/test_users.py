from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.auth.users import authenticate, create_user
from zhizao.config import get_settings
from zhizao.errors import Forbidden, InvalidInput, NotAuthenticated


def test_create_user_hashes_password(session: Session, system: Actor) -> None:
    user = create_user(session, system, "li", "secret-pass", "analyst")
    assert user.password_hash.startswith("$argon2")
    assert "secret-pass" not in user.password_hash


def test_create_user_requires_region_for_district(session: Session, system: Actor) -> None:
    with pytest.raises(InvalidInput, match="行政区划"):
        create_user(session, system, "wang", "secret-pass", "district")


def test_create_user_rejects_unknown_region_role_and_unit(session: Session, system: Actor) -> None:
    with pytest.raises(InvalidInput, match="未知行政区划"):
        create_user(session, system, "a1", "secret-pass", "district", region_code="999999")
    with pytest.raises(InvalidInput, match="未知角色"):
        create_user(session, system, "a2", "secret-pass", "boss")
    with pytest.raises(InvalidInput, match="未知单位"):
        create_user(session, system, "a3", "secret-pass", "department", unit_name="不存在的局")


def test_create_user_by_non_admin_is_forbidden(session: Session) -> None:
    analyst = Actor(username="ana", role="analyst")  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        create_user(session, analyst, "x", "secret-pass", "analyst")


def test_authenticate_user_with_right_and_wrong_password(session: Session, system: Actor) -> None:
    create_user(session, system, "zhao", "secret-pass", "district", region_code="370211")
    assert authenticate(session, "zhao", "secret-pass").region_code == "370211"
    with pytest.raises(NotAuthenticated):
        authenticate(session, "zhao", "wrong-pass")
    with pytest.raises(NotAuthenticated):
        authenticate(session, "nobody", "secret-pass")


def test_authenticate_locks_account_after_repeated_failures(session: Session, system: Actor) -> None:
    create_user(session, system, "qian", "secret-pass", "analyst")
    for _ in range(get_settings().login_max_failures):
        with pytest.raises(NotAuthenticated):
            authenticate(session, "qian", "bad-password")
    with pytest.raises(NotAuthenticated, match="锁定"):
        authenticate(session, "qian", "secret-pass")  # even the right password waits out the lockout
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "users")).all()
    assert "lockout" in actions


def test_create_user_refuses_a_region_outside_the_home_region(
    session: Session, system: Actor, home_region: Callable[[str | None], None]
) -> None:
    home_region("370000")
    with pytest.raises(InvalidInput, match="320205 不在本系统辖区（山东省）内"):
        create_user(session, system, "wuxi", "secret-pass", "district", region_code="320205")
    city = create_user(session, system, "weifang", "secret-pass", "district", region_code="370700")
    county = create_user(session, system, "gaomi", "secret-pass", "district", region_code="370785")
    assert (city.region_code, county.region_code) == ("370700", "370785")
    home_region("370700")
    with pytest.raises(InvalidInput, match="370211 不在本系统辖区（山东省潍坊市）内"):
        create_user(session, system, "huangdao", "secret-pass", "district", region_code="370211")
