"""Summaries computed once per data change, not once per view (the home cockpit's tiles).

Every change to the data is audited, so the newest audit entry's id is the data's version: a summary is
kept with the version it was computed at and reused while the version stands and it is younger than its
time to live (changes that bypass the audit log, if any, show after that). Summaries are kept per
database (engine), or per open transaction where a session is bound to one connection (its own uncommitted
rows are visible to it only), and forgotten with it.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry

T = TypeVar("T")
MAX_ENTRIES = 2000  # per database: past it the oldest half is dropped

_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Any, dict[Hashable, tuple[float, int, Any]]] = weakref.WeakKeyDictionary()


def data_version(session: Session) -> int:
    """The id of the newest audit entry (0 when none): it changes whenever the data does."""
    return session.scalar(select(func.max(AuditEntry.id))) or 0


def _owner(session: Session) -> Any:
    bind = session.get_bind()
    if isinstance(bind, Engine):
        return bind
    return session.connection().get_transaction()  # one connection: this transaction's view only


def kept(session: Session, key: Hashable, compute: Callable[[], T], ttl: float) -> T:
    """`compute()`'s result for `key`, reused until the data changes or `ttl` seconds pass."""
    owner = _owner(session)
    version = data_version(session)
    now = time.monotonic()
    if owner is not None:
        with _lock:
            hit = _kept.get(owner, {}).get(key)
        if hit is not None and hit[1] == version and now - hit[0] < ttl:
            value: T = hit[2]
            return value
    value = compute()
    if owner is not None:
        with _lock:
            entries = _kept.setdefault(owner, {})
            if len(entries) >= MAX_ENTRIES:
                for stale in list(entries)[: MAX_ENTRIES // 2]:
                    del entries[stale]
            entries[key] = (now, version, value)
    return value
