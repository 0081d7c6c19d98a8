"""Recording changes. ORM changes to audited models are recorded automatically at flush time; bulk
operations call `record()`. The actor is, in order: the `acting_as(...)` block the change happens in, the
session's own actor (`attribute_session(session, username)`, which the web layer does for each request, so
every change a request makes is its user's), or "system" (the CLI and scheduled jobs)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry
from zhizao.db.base import utcnow

_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("zhizao_actor", default=None)
SYSTEM = "system"
_SKIP_FIELDS = {"password_hash", "updated_at", "created_at", "last_login_at"}
# Session rows and login counters change on every login; the audit log gets explicit entries for those
# events instead (login, login_failure, lockout, logout, sign-outs), never a session token's hash.
_UNAUDITED = {AuditEntry.__tablename__, "user_sessions", "login_throttle"}


def current_actor(session: Session | None = None) -> str:
    """Who the changes made now are attributed to (see the module docstring for the order)."""
    explicit = _actor.get()
    if explicit:
        return explicit
    if session is not None and session.info.get("actor"):
        return str(session.info["actor"])
    return SYSTEM


def attribute_session(session: Session, username: str) -> None:
    """Attribute every change made through `session` to `username` (unless an `acting_as` block says else)."""
    session.info["actor"] = username


@contextmanager
def acting_as(username: str) -> Iterator[None]:
    """Attribute every change made inside the block to `username`."""
    token = _actor.set(username)
    try:
        yield
    finally:
        _actor.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(
    session: Session, action: str, entity: str, entity_key: str = "", changes: dict[str, Any] | None = None
) -> None:
    """Add one audit entry (for changes that do not go through the ORM unit of work)."""
    session.add(
        AuditEntry(
            actor=current_actor(session),
            action=action,
            entity=entity,
            entity_key=entity_key,
            changes=changes or {},
        )
    )


def _key(obj: Any) -> str:
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in values if v is not None)


def _columns(obj: Any) -> dict[str, Any]:
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in inspect(obj).mapper.column_attrs
        if attr.key not in _SKIP_FIELDS
    }


def _diff(obj: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _entry(session: Session, action: str, obj: Any, changes: dict[str, Any]) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "actor": current_actor(session),
        "action": action,
        "entity": obj.__tablename__,
        "entity_key": _key(obj),
        "changes": changes,
    }


def _audited(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) not in _UNAUDITED


@event.listens_for(Session, "before_flush")
def _audit_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("audit_disabled"):
        return
    entries = session.info.setdefault("audit_pending", [])
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj):
            diff = _diff(obj)
            if diff:
                entries.append(_entry(session, "update", obj, diff))
    entries.extend(_entry(session, "delete", obj, _columns(obj)) for obj in session.deleted if _audited(obj))
    session.info.setdefault("audit_new", []).extend(o for o in session.new if _audited(o))


@event.listens_for(Session, "after_flush")
def _audit_after_flush(session: Session, _context: Any) -> None:
    # New rows have their primary keys only now. Entries are written with a plain INSERT on the flush's
    # own connection, so they commit or roll back together with the change they describe.
    entries = session.info.pop("audit_pending", [])
    entries.extend(_entry(session, "create", obj, _columns(obj)) for obj in session.info.pop("audit_new", []))
    if entries:
        session.connection().execute(insert(AuditEntry), entries)
