"""Reading the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.audit import labels
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.enterprises.registry import Page

AUDIT_PER_PAGE = 50


class AuditRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    changes: dict[str, Any]

    @property
    def actor_label(self) -> str:
        return labels.actor_label(self.actor)

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def entity_label(self) -> str:
        return labels.entity_label(self.entity)

    @property
    def change_lines(self) -> list[str]:
        """The changes in readable Chinese, one per line (`audit.labels`)."""
        return labels.change_lines(self.changes)


def audit_page(session: Session, actor: Actor, page: int, per_page: int = AUDIT_PER_PAGE) -> Page[AuditRow]:
    """Newest audit entries first. Administrators only."""
    require_role(actor, Role.ADMIN)
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page)
    items = [AuditRow.model_validate(entry) for entry in session.scalars(stmt)]
    return Page[AuditRow](items=items, total=total, page=page, per_page=per_page)
