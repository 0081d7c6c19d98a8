"""Who sees which rows. Every query for enterprise data goes through these clauses, in the library layer,
so a forbidden row cannot leak through a list, a count, a search, an export or the JSON API.

Scope by region follows the GB/T 2260 hierarchy: a regional officer (Role.DISTRICT) sees their region and
everything inside it (a city officer their city and its counties, a county officer their county);
administrators and analysts see the whole home region (`ZHIZAO_HOME_REGION`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false

from zhizao.auth.roles import Role
from zhizao.errors import Forbidden
from zhizao.reference import home, regions


@dataclass(frozen=True)
class Actor:
    """The person (or job) on whose behalf the library acts."""

    username: str
    role: Role
    region_code: str | None = None
    unit_id: int | None = None
    enterprise_id: int | None = None
    user_id: int | None = None

    @classmethod
    def from_user(cls, user: Any) -> Actor:
        return cls(
            username=user.username,
            role=Role(user.role),
            region_code=user.region_code,
            unit_id=user.unit_id,
            enterprise_id=user.enterprise_id,
            user_id=user.id,
        )

    @classmethod
    def system(cls) -> Actor:
        """The CLI and scheduled jobs act as the system, with administrator rights."""
        return cls(username="system", role=Role.ADMIN)

    @property
    def reads_everything(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden("当前账号无权执行此操作")


def viewing_region(actor: Actor) -> str | None:
    """The region whose inside the actor looks at: their own for a regional officer, else the home region
    (None: the whole country). Numbers are grouped by the level below it."""
    if actor.role is Role.DISTRICT and actor.region_code:
        return actor.region_code
    return home.home_region_code()


def region_clause(actor: Actor, region_column: Any) -> ColumnElement[bool]:
    """Rows whose region the actor may see (for data kept by region)."""
    if actor.reads_everything:
        return home.home_clause(region_column)
    if actor.role is Role.DISTRICT and actor.region_code:
        return regions.within_clause(region_column, actor.region_code)
    return false()


def sees_region(actor: Actor, region_code: str | None) -> bool:
    """`region_clause` for one region code, in Python."""
    if actor.reads_everything:
        return home.covers(region_code)
    if actor.role is Role.DISTRICT and actor.region_code:
        return regions.contains(actor.region_code, region_code)
    return False


def enterprise_clause(actor: Actor, enterprise_id_column: Any, region_column: Any) -> ColumnElement[bool]:
    """Enterprise rows the actor may see: the home region, their region and what lies inside it, or only
    their own enterprise."""
    if actor.role is Role.ENTERPRISE:
        return enterprise_id_column == actor.enterprise_id if actor.enterprise_id else false()
    return region_clause(actor, region_column)


def may_edit_enterprise(actor: Actor, region_code: str) -> bool:
    """Administrators edit any enterprise of the home region, regional officers those inside their region."""
    if actor.role is Role.ADMIN:
        return home.covers(region_code)
    return actor.role is Role.DISTRICT and sees_region(actor, region_code)
