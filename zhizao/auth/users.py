"""Creating users and logging in (with lockout after repeated failures)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.models import User
from zhizao.auth.passwords import hash_password, verify_password
from zhizao.auth.roles import Role, parse_role
from zhizao.auth.scope import Actor, require_role
from zhizao.config import get_settings
from zhizao.db.base import utcnow
from zhizao.errors import InvalidInput, NotAuthenticated, NotFound
from zhizao.reference import home
from zhizao.reference.models import Region, Unit

MIN_PASSWORD_LENGTH = 8


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
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少{MIN_PASSWORD_LENGTH}位")
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


def authenticate(session: Session, username: str, password: str) -> User:
    """The user with these credentials, or NotAuthenticated. Locks the account after repeated failures."""
    settings = get_settings()
    user = session.scalar(select(User).where(User.username == username))
    now = utcnow()
    if user is None or not user.is_active:
        raise NotAuthenticated("用户名或密码错误")
    if user.locked_until and user.locked_until > now:
        raise NotAuthenticated("登录失败次数过多，账号已暂时锁定，请稍后再试")
    with acting_as(username):
        if not verify_password(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(seconds=settings.login_lockout_seconds)
                user.failed_logins = 0
                record(session, "lockout", "users", str(user.id))
            session.flush()
            raise NotAuthenticated("用户名或密码错误")
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        record(session, "login", "users", str(user.id))
        session.flush()
    return user


def change_password(session: Session, actor: Actor, current: str, new: str, confirm: str) -> None:
    """The actor changes their own password; the current one must be given. Audited without the hashes."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise NotAuthenticated("请先登录")
    if not verify_password(user.password_hash, current):
        raise InvalidInput("当前密码不正确")
    if new != confirm:
        raise InvalidInput("两次输入的新密码不一致")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"新密码至少{MIN_PASSWORD_LENGTH}位")
    if new == current:
        raise InvalidInput("新密码不能与当前密码相同")
    with acting_as(actor.username):
        user.password_hash = hash_password(new)
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
            user.failed_logins, user.locked_until = 0, None
        session.flush()
    return user


def reset_password(session: Session, actor: Actor, user_id: int, new: str) -> User:
    """An administrator sets a new password for a user (who should then change it); unlocks the account."""
    user = _managed_user(session, actor, user_id)
    if len(new) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"新密码至少{MIN_PASSWORD_LENGTH}位")
    with acting_as(actor.username):
        user.password_hash = hash_password(new)
        user.failed_logins, user.locked_until = 0, None
        record(session, "password_reset", "users", str(user.id))
        session.flush()
    return user


def list_users(session: Session, actor: Actor) -> list[User]:
    require_role(actor, Role.ADMIN)
    return list(session.scalars(select(User).order_by(User.username)))
