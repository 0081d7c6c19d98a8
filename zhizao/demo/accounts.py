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
from zhizao.demo.names import FICTIONAL_MARK
from zhizao.demo.regions import demo_region
from zhizao.enterprises.models import Enterprise
from zhizao.errors import Forbidden, InvalidInput
from zhizao.reference.data_files import region_names
from zhizao.reference.units import unit_for_key

DATASET_KEY = "dataset"
DEMO_DATASET = "synthetic-demo"
DEMO_REGION_KEY = "demo_region"  # app_meta: the region the loaded demo was built for
DEMO_PASSWORD = "zhizao-demo"  # published on purpose: demo mode only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region_code: str | None
    display_name: str
    unit_name: str | None = None  # department accounts: the unit they report for


@dataclass(frozen=True)
class AccountResult:
    account: DemoAccount
    created: bool  # False when a user of that name already existed (left unchanged)
    detail: str = ""  # the unit, or the enterprise, the account belongs to


DISTRICT_USERNAME = "quxian"
DEPARTMENT_USERNAMES = {"gongxin": "industry", "fagai": "development"}  # username -> unit template key
ENTERPRISE_USERNAME = "qiye"


def demo_accounts(region_code: str) -> tuple[DemoAccount, ...]:
    """The demo logins of a region's demo: an administrator, an analyst, a district account for one real
    district of the region, and the industry and development departments of the region's own level."""
    district = demo_region(region_code).district_account
    accounts = [
        DemoAccount("admin", Role.ADMIN, None, "演示管理员"),
        DemoAccount("analyst", Role.ANALYST, None, "演示分析员"),
        DemoAccount(DISTRICT_USERNAME, Role.DISTRICT, district, f"{region_names()[district]}演示账号"),
    ]
    for username, key in DEPARTMENT_USERNAMES.items():
        unit = unit_for_key(region_code, key)
        accounts.append(DemoAccount(username, Role.DEPARTMENT, None, f"{unit}演示账号", unit))
    return tuple(accounts)


def enterprise_account(region_code: str) -> DemoAccount:
    """An enterprise account sees only its own enterprise: the first demo enterprise of the district
    account's district. It is linked after the registry is loaded (the enterprises are replaced on every
    load)."""
    district = demo_region(region_code).district_account
    return DemoAccount(ENTERPRISE_USERNAME, Role.ENTERPRISE, district, "演示企业账号")


def in_demo_mode(session: Session) -> bool:
    """True when the data set is the synthetic demo (or the setting forces demo mode)."""
    meta = session.get(AppMeta, DATASET_KEY)
    return get_settings().demo_mode or (meta is not None and meta.value == DEMO_DATASET)


def create_demo_accounts(session: Session, actor: Actor, region_code: str) -> list[AccountResult]:
    """Create the demo accounts of a region's demo that do not exist yet. Refused unless the data set is
    the demo."""
    if not in_demo_mode(session):
        raise Forbidden("演示账号只能在演示模式下创建(请先运行 zhizao demo 载入演示数据)")
    results = []
    for account in demo_accounts(region_code):
        if session.scalar(select(User.id).where(User.username == account.username)) is not None:
            results.append(AccountResult(account, created=False, detail=account.unit_name or ""))
            continue
        create_user(
            session,
            actor,
            account.username,
            DEMO_PASSWORD,
            account.role.value,
            region_code=account.region_code,
            unit_name=account.unit_name,
            display_name=account.display_name,
        )
        results.append(AccountResult(account, created=True, detail=account.unit_name or ""))
    return results


def demo_unit_usernames(session: Session) -> dict[int, str]:
    """Unit id -> username of the demo department accounts that exist."""
    names = list(DEPARTMENT_USERNAMES)
    rows = session.execute(select(User.unit_id, User.username).where(User.username.in_(names)))
    return {unit_id: username for unit_id, username in rows if unit_id is not None}


def _enterprise_user(session: Session) -> User | None:
    user = session.scalar(select(User).where(User.username == ENTERPRISE_USERNAME))
    return user if user is not None and user.role == Role.ENTERPRISE.value else None


def release_enterprise_account(session: Session) -> None:
    """Unlink the demo enterprise account before the demo enterprises are replaced (demo mode only)."""
    user = _enterprise_user(session) if in_demo_mode(session) else None
    if user is not None and user.enterprise_id is not None:
        user.enterprise_id = None
        session.flush()


def link_enterprise_account(session: Session, actor: Actor, region_code: str) -> AccountResult:
    """Create the demo enterprise account, or link the existing one, to the first demo enterprise of its
    district. Refused unless the data set is the demo."""
    if not in_demo_mode(session):
        raise Forbidden("演示账号只能在演示模式下创建(请先运行 zhizao demo 载入演示数据)")
    account = enterprise_account(region_code)
    firm = session.scalar(
        select(Enterprise)
        .where(Enterprise.region_code == account.region_code, Enterprise.name.endswith(FICTIONAL_MARK))
        .order_by(Enterprise.id)
        .limit(1)
    )
    if firm is None:
        raise InvalidInput(f"演示数据中没有 {account.region_code} 的企业，无法创建企业演示账号")
    existing = session.scalar(select(User).where(User.username == account.username))
    if existing is None:
        create_user(
            session,
            actor,
            account.username,
            DEMO_PASSWORD,
            account.role.value,
            enterprise_id=firm.id,
            display_name=account.display_name,
        )
        return AccountResult(account, created=True, detail=firm.name)
    if existing.role == Role.ENTERPRISE.value:
        existing.enterprise_id = firm.id
        session.flush()
        return AccountResult(account, created=False, detail=firm.name)
    return AccountResult(account, created=False)
