"""The demo accounts: created only for the synthetic demo data set, all with one published password."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AppMeta
from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.config import get_settings
from zhizao.errors import Forbidden

DATASET_KEY = "dataset"
DEMO_DATASET = "synthetic-demo"
DEMO_PASSWORD = "zhizao-demo"  # published on purpose: demo mode only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region_code: str | None
    display_name: str


@dataclass(frozen=True)
class AccountResult:
    account: DemoAccount
    created: bool  # False when a user of that name already existed (left unchanged)


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, None, "演示管理员"),
    DemoAccount("analyst", Role.ANALYST, None, "演示分析员"),
    DemoAccount("huangdao", Role.DISTRICT, "370211", "黄岛区演示账号"),
)


def in_demo_mode(session: Session) -> bool:
    """True when the data set is the synthetic demo (or the setting forces demo mode)."""
    meta = session.get(AppMeta, DATASET_KEY)
    return get_settings().demo_mode or (meta is not None and meta.value == DEMO_DATASET)


def create_demo_accounts(session: Session, actor: Actor) -> list[AccountResult]:
    """Create the demo accounts that do not exist yet. Refused unless the data set is the demo."""
    if not in_demo_mode(session):
        raise Forbidden("演示账号只能在演示模式下创建(请先运行 zhizao demo 载入演示数据)")
    results = []
    for account in DEMO_ACCOUNTS:
        if session.scalar(select(User.id).where(User.username == account.username)) is not None:
            results.append(AccountResult(account, created=False))
            continue
        create_user(
            session,
            actor,
            account.username,
            DEMO_PASSWORD,
            account.role.value,
            region_code=account.region_code,
            display_name=account.display_name,
        )
        results.append(AccountResult(account, created=True))
    return results
