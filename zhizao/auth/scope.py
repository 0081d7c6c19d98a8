"""Who sees which rows. Every query for enterprise data goes through these clauses, in the library layer,
so a forbidden row cannot leak through a list, a count, a search, an export or the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true

from zhizao.auth.roles import Role
from zhizao.errors import Forbidden


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


def region_clause(actor: Actor, region_column: Any) -> ColumnElement[bool]:
    """Rows whose region the actor may see (for data kept by region)."""
    if actor.reads_everything:
        return true()
    if actor.role is Role.DISTRICT and actor.region_code:
        return region_column == actor.region_code
    return false()


def enterprise_clause(actor: Actor, enterprise_id_column: Any, region_column: Any) -> ColumnElement[bool]:
    """Enterprise rows the actor may see: all, their district's, or only their own enterprise."""
    if actor.role is Role.ENTERPRISE:
        return enterprise_id_column == actor.enterprise_id if actor.enterprise_id else false()
    return region_clause(actor, region_column)


def may_edit_enterprise(actor: Actor, region_code: str) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.DISTRICT and actor.region_code == region_code)
