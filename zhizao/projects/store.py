"""Which projects an actor sees, and reading one. Every query of the area starts from `visible()`:

- administrators and analysts: the projects of the home region;
- a regional officer: the projects of their region and the regions inside it;
- a department user: the projects their unit is responsible for;
- an enterprise account: the projects its firm owns.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, region_clause
from zhizao.errors import NotFound
from zhizao.projects.models import Project


def scope_clause(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.ENTERPRISE:
        return Project.enterprise_id == actor.enterprise_id if actor.enterprise_id else false()
    if actor.role is Role.DEPARTMENT:
        return Project.unit_id == actor.unit_id if actor.unit_id else false()
    return region_clause(actor, Project.region_code)


def visible(actor: Actor) -> Select[Project]:
    return select(Project).where(scope_clause(actor))


def get(session: Session, actor: Actor, project_id: int) -> Project:
    """One project the actor may see; NotFound otherwise (whether it exists or not)."""
    found = session.scalars(visible(actor).where(Project.id == project_id)).first()
    if found is None:
        raise NotFound("项目不存在或无权查看")
    return found
