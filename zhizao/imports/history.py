"""The history of figures and of imports: what changed, and undoing a whole import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.db.base import table_of, utcnow
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.imports.models import FigureChange, Import

REASON_LABELS = {"import": "导入", "manual": "手工修正", "rollback": "撤销导入"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    reason: str
    indicator_id: str
    indicator_label: str
    year: int
    month: int
    old_value: float | None
    new_value: float | None
    import_id: int | None
    note: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def figure_history(
    session: Session, actor: Actor, enterprise_id: int, indicator_id: str | None = None, limit: int = 500
) -> list[HistoryEntry]:
    """Changes of an enterprise's figures, newest first (only if the actor may see the enterprise)."""
    visible = session.execute(
        select(Enterprise.id).where(
            Enterprise.id == enterprise_id, enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
        )
    ).first()
    if visible is None:
        raise NotFound("企业不存在或无权查看")
    c = FigureChange
    query = (
        select(c, Indicator.label)
        .join(Indicator, Indicator.id == c.indicator_id)
        .where(c.enterprise_id == enterprise_id)
        .order_by(c.at.desc(), c.id.desc())
        .limit(limit)
    )
    if indicator_id:
        query = query.where(c.indicator_id == indicator_id)
    return [
        HistoryEntry(
            ch.at,
            ch.actor,
            ch.reason,
            ch.indicator_id,
            label,
            ch.year,
            ch.month,
            ch.old_value,
            ch.new_value,
            ch.import_id,
            ch.note,
        )
        for ch, label in session.execute(query)
    ]


def list_imports(session: Session, actor: Actor, limit: int = 100) -> list[Import]:
    """Recent imports; district officers see their own."""
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.DISTRICT)
    query = select(Import).order_by(Import.id.desc()).limit(limit)
    if actor.role is Role.DISTRICT:
        query = query.where(Import.actor == actor.username)
    return list(session.scalars(query))


def get_import(session: Session, actor: Actor, import_id: int) -> Import:
    found = session.get(Import, import_id)
    if found is None or (actor.role is Role.DISTRICT and found.actor != actor.username):
        raise NotFound(f"导入记录 #{import_id} 不存在")
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.DISTRICT)
    return found


def rollback(session: Session, actor: Actor, import_id: int) -> int:
    """Undo an import as a whole: restore old values, delete figures it created. Returns values restored.

    Refused when a value the import wrote has changed since (a later import or a manual correction):
    undo that first."""
    found = get_import(session, actor, import_id)
    if actor.role is not Role.ADMIN and found.actor != actor.username:
        raise Forbidden("只能撤销自己的导入")
    if found.status == "rolled_back":
        raise InvalidInput(f"导入 #{import_id} 已经撤销过了")
    if found.kind == "service_requests":  # 诉求 (zhizao.service.importing) are handled, not undone
        raise InvalidInput("诉求导入不能撤销：已登记的诉求按办理流程处理（退回、改派或办结）")
    if found.kind == "enterprises":
        restored = _rollback_enterprises(session, found)
    elif found.kind == "projects":  # a monthly 调度 import (zhizao.projects)
        from zhizao.projects.rollback import rollback_projects

        restored = rollback_projects(session, actor, found)
    else:
        restored = _rollback_figures(session, actor, found)
    session.execute(update(Import).where(Import.id == import_id).values(status="rolled_back"))
    session.expire(found)
    record(session, "rollback", "imports", str(import_id), {"restored": restored})
    return restored


def _rollback_figures(session: Session, actor: Actor, found: Import) -> int:
    c, f = FigureChange, EnterpriseFigure
    changes = session.execute(
        select(c.enterprise_id, c.indicator_id, c.year, c.month, c.old_value, c.new_value, f.id, f.value)
        .outerjoin(
            f,
            (f.enterprise_id == c.enterprise_id)
            & (f.indicator_id == c.indicator_id)
            & (f.year == c.year)
            & (f.month == c.month),
        )
        .where(c.import_id == found.id, c.reason == "import")
    ).all()
    conflicts = [ch for ch in changes if ch.value is None or abs(ch.value - (ch.new_value or 0)) > 1e-9]
    if conflicts:
        raise InvalidInput(f"导入 #{found.id} 之后有{len(conflicts)}个数值又被修改过，请先撤销之后的修改")
    now = utcnow()
    to_delete = [ch.id for ch in changes if ch.old_value is None]
    to_restore = [ch for ch in changes if ch.old_value is not None]
    for start in range(0, len(to_delete), 2000):
        session.execute(delete(f).where(f.id.in_(to_delete[start : start + 2000])))
    for ch in to_restore:
        session.execute(
            update(f).where(f.id == ch.id).values(value=ch.old_value, source="rollback", updated_at=now)
        )
    history = [
        {
            "enterprise_id": ch.enterprise_id,
            "indicator_id": ch.indicator_id,
            "year": ch.year,
            "month": ch.month,
            "old_value": ch.new_value,
            "new_value": ch.old_value,
            "import_id": found.id,
            "actor": actor.username,
            "at": now,
            "reason": "rollback",
            "note": f"撤销导入 #{found.id}",
        }
        for ch in changes
    ]
    if history:
        session.execute(insert(table_of(FigureChange)), history)
    return len(changes)


def _rollback_enterprises(session: Session, found: Import) -> int:
    summary: dict[str, Any] = found.summary or {}
    created = [int(i) for i in summary.get("created", [])]
    table = table_of(Enterprise)
    if created:
        with_figures = session.scalar(
            select(func.count())
            .select_from(EnterpriseFigure)
            .where(EnterpriseFigure.enterprise_id.in_(created))
        )
        if with_figures:
            raise InvalidInput("该导入新建的企业已有指标数据，请先撤销相关的指标导入")
        session.execute(delete(FigureChange).where(FigureChange.enterprise_id.in_(created)))
        session.execute(delete(table).where(table.c.id.in_(created)))
    for enterprise_id, fields in summary.get("updated", {}).items():
        values = {name: _from_json(name, old) for name, (old, _new) in fields.items()}
        session.execute(
            update(table).where(table.c.id == int(enterprise_id)).values(**values, updated_at=utcnow())
        )
    return len(created) + len(summary.get("updated", {}))


def _from_json(name: str, value: Any) -> Any:
    if name == "established_on" and isinstance(value, str):
        return date.fromisoformat(value)
    return value
