"""Creating users, logging in (throttled per account and address), passwords and account state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth import throttle
from zhizao.auth.models import User
from zhizao.auth.passwords import burn_verify, check_password_policy, hash_password, verify_password
from zhizao.auth.roles import Role, parse_role
from zhizao.auth.scope import Actor, require_role
from zhizao.auth.sessions import end_user_sessions
from zhizao.config import Settings, get_settings
from zhizao.db.base import utcnow
from zhizao.errors import InvalidInput, NotAuthenticated, NotFound
from zhizao.reference import home
from zhizao.reference.models import Region, Unit


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    *,
    region_code: str | None = None,
    unit_name: str | None = None,
    enterprise_id: int | None = None,
    display_name: str = "",
) -> User:
    """Add a user. A district user needs a region, a department user a unit, an enterprise user one firm."""
    require_role(actor, Role.ADMIN)
    parsed = parse_role(role)
    check_password_policy(password, username)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"用户名 {username} 已存在")
    if region_code is not None and session.get(Region, region_code) is None:
        raise InvalidInput(f"未知行政区划代码 {region_code}")
    if region_code is not None and not home.covers(region_code):
        raise InvalidInput(f"用户所属地区：{home.outside_message(region_code)}")
    if parsed is Role.DISTRICT and not region_code:
        raise InvalidInput("地区工作人员需要指定行政区划 --region")
    unit_id = None
    if unit_name:
        unit = session.scalar(select(Unit).where(Unit.name == unit_name))
        if unit is None:
            raise InvalidInput(f"未知单位 {unit_name}")
        unit_id = unit.id
    if parsed is Role.DEPARTMENT and unit_id is None:
        raise InvalidInput("部门工作人员需要指定单位 --unit")
    if parsed is Role.ENTERPRISE and enterprise_id is None:
        raise InvalidInput("企业用户需要指定企业")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=parsed.value,
        region_code=region_code,
        unit_id=unit_id,
        enterprise_id=enterprise_id,
    )
    with acting_as(actor.username):
        session.add(user)
        session.flush()
    return user


LOCKED_MESSAGE = "登录失败次数过多，已暂时锁定，请 %(wait)s 后再试"


def wait_text(seconds: int, english: bool = False) -> str:
    """How long a wait is, as the login page says it: 60 秒（约 1 分钟）, or 60 seconds (about 1 minute)."""
    minutes = -(-seconds // 60)
    if english:
        return f"{seconds} seconds" + (f" (about {minutes} minutes)" if seconds >= 60 else "")
    return f"{seconds} 秒" + (f"（约 {minutes} 分钟）" if seconds >= 60 else "")


class LockedOut(NotAuthenticated):
    """Too many failed logins: this address must wait `seconds` before trying the account again."""

    def __init__(self, seconds: int) -> None:
        super().__init__(LOCKED_MESSAGE % {"wait": wait_text(seconds)})
        self.seconds = seconds


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str = "",
    now: datetime | None = None,
    settings: Settings | None = None,
) -> User:
    """The user with these credentials, or NotAuthenticated (one message for every failure).

    Failures are throttled per account and client address (see `auth/throttle.py`); an unknown or disabled
    user name costs the same Argon2 verification and gets the same answer as a wrong password. Logins,
    failures and the start of a wait are written to the audit log.
    """
    settings = settings or get_settings()
    now = now or utcnow()
    name = username.strip()[:60]
    wait = throttle.wait_seconds(session, settings, name, address, now)
    if wait:
        raise LockedOut(wait)
    user = session.scalar(select(User).where(User.username == name))
    if user is None or not user.is_active:
        burn_verify(password)
        verified = False
    else:
        verified = verify_password(user.password_hash, password)
    key = str(user.id) if user is not None else ""
    with acting_as(name or "-"):
        if not verified:
            locked = throttle.record_failure(session, settings, name, address, now)
            record(session, "login_failure", "users", key, {"username": name, "address": address})
            if locked:
                record(session, "lockout", "users", key, {"address": address, "counters": locked})
            session.flush()
            raise NotAuthenticated("用户名或密码错误")
        assert user is not None
        throttle.record_success(session, settings, name, address)
        user.last_login_at = now
        record(session, "login", "users", key, {"address": address})
        session.flush()
    return user


def change_password(session: Session, actor: Actor, current: str, new: str, confirm: str) -> None:
    """The actor changes their own password; the current one must be given. Every session of the user ends
    (the web layer starts a fresh one for the browser that made the change). Audited without the hashes."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise NotAuthenticated("请先登录")
    if not verify_password(user.password_hash, current):
        raise InvalidInput("当前密码不正确")
    if new != confirm:
        raise InvalidInput("两次输入的新密码不一致")
    check_password_policy(new, user.username, label="新密码")
    if new == current:
        raise InvalidInput("新密码不能与当前密码相同")
    with acting_as(actor.username):
        user.password_hash = hash_password(new)
        end_user_sessions(session, user.id)
        record(session, "password_change", "users", str(user.id))
        session.flush()


def _managed_user(session: Session, actor: Actor, user_id: int) -> User:
    require_role(actor, Role.ADMIN)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    return user


def set_user_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Enable or disable an account (administrators; never one's own). A disabled user cannot log in."""
    user = _managed_user(session, actor, user_id)
    if user.id == actor.user_id and not active:
        raise InvalidInput("不能停用自己的账号")
    with acting_as(actor.username):
        user.is_active = active
        if active:
            throttle.clear_account(session, user.username)
        else:
            end_user_sessions(session, user.id)
        session.flush()
    return user


def reset_password(session: Session, actor: Actor, user_id: int, new: str) -> User:
    """An administrator sets a new password for a user (who should then change it); unlocks the account."""
    user = _managed_user(session, actor, user_id)
    check_password_policy(new, user.username, label="新密码")
    with acting_as(actor.username):
        user.password_hash = hash_password(new)
        throttle.clear_account(session, user.username)
        end_user_sessions(session, user.id)
        record(session, "password_reset", "users", str(user.id))
        session.flush()
    return user


def list_users(session: Session, actor: Actor) -> list[User]:
    require_role(actor, Role.ADMIN)
    return list(session.scalars(select(User).order_by(User.username)))
