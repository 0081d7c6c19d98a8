"""Server-side login sessions: the browser holds a random id, the database its hash and everything else.

A session is valid while it is not revoked, not past `expires_at` (the absolute timeout,
`session_max_age`) and used within the idle timeout (`session_idle_timeout`). Revoking is immediate:
logout, one's own password change, an administrator's reset, disabling the account and "sign out
everywhere" all end the sessions in the database, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.models import User, UserSession
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.config import Settings
from zhizao.db.base import utcnow
from zhizao.errors import NotAuthenticated, NotFound

TOKEN_BYTES = 32
LAST_SEEN_STEP = timedelta(seconds=30)  # last_seen_at is written at most this often (fewer writes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Client:
    """Who is on the other end: the address and the browser's User-Agent (shown on the sessions page)."""

    ip: str = ""
    user_agent: str = ""


def start_session(
    session: Session, settings: Settings, user: User, client: Client, now: datetime | None = None
) -> tuple[str, UserSession]:
    """A new session for `user`: the random token for the cookie, and its row (old dead rows are purged)."""
    now = now or utcnow()
    purge_ended_sessions(session, settings, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = UserSession(
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(seconds=settings.session_max_age),
        ip=client.ip[:45],
        user_agent=client.user_agent[:300],
    )
    session.add(row)
    session.flush()
    return token, row


def resolve_session(
    session: Session, settings: Settings, token: str, now: datetime | None = None, *, touch: bool = True
) -> UserSession | None:
    """The live session of this token (its user active), touching `last_seen_at` (unless `touch` is False:
    then the caller does it later with `touch_session`, see `needs_touch`); None otherwise."""
    now = now or utcnow()
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
    if row is None or not _live(row, settings, now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if touch and needs_touch(row, now):
        row.last_seen_at = now
        session.flush()
    return row


def needs_touch(row: UserSession, now: datetime) -> bool:
    return now - row.last_seen_at >= LAST_SEEN_STEP


def touch_session(session: Session, session_id: int, now: datetime) -> None:
    """Record that a session was used (a short write of its own, after a request that only read)."""
    session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))


def _live(row: UserSession, settings: Settings, now: datetime) -> bool:
    idle_until = row.last_seen_at + timedelta(seconds=settings.session_idle_timeout)
    return row.revoked_at is None and now < row.expires_at and now < idle_until


def purge_ended_sessions(session: Session, settings: Settings, now: datetime) -> None:
    """Delete sessions that ended more than a day ago (revoked, expired or idle); the audit log keeps the
    logins and logouts."""
    day = timedelta(days=1)
    idle = timedelta(seconds=settings.session_idle_timeout)
    session.execute(
        delete(UserSession).where(
            or_(
                UserSession.revoked_at < now - day,
                UserSession.expires_at < now - day,
                UserSession.last_seen_at < now - idle - day,
            )
        )
    )


def end_session(session: Session, row: UserSession, now: datetime | None = None) -> None:
    row.revoked_at = row.revoked_at or now or utcnow()
    session.flush()


def end_user_sessions(
    session: Session, user_id: int, *, keep: int | None = None, now: datetime | None = None
) -> int:
    """Revoke every open session of `user_id` (but `keep`, a session id); how many were open."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    result = session.execute(query.values(revoked_at=now or utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def own_sessions(
    session: Session, settings: Settings, actor: Actor, now: datetime | None = None
) -> list[UserSession]:
    """The actor's live sessions, the most recently used first."""
    if actor.user_id is None:
        raise NotAuthenticated("请先登录")
    now = now or utcnow()
    rows = session.scalars(
        select(UserSession)
        .where(UserSession.user_id == actor.user_id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [row for row in rows if _live(row, settings, now)]


def sign_out_other_sessions(session: Session, actor: Actor, current_id: int) -> int:
    """End all of the actor's sessions but the one in use."""
    if actor.user_id is None:
        raise NotAuthenticated("请先登录")
    with acting_as(actor.username):
        count = end_user_sessions(session, actor.user_id, keep=current_id)
        record(session, "sign_out_others", "users", str(actor.user_id), {"sessions": count})
    return count


def sign_out_everywhere(session: Session, actor: Actor, user_id: int) -> int:
    """An administrator ends every session of `user_id`."""
    require_role(actor, Role.ADMIN)
    if session.get(User, user_id) is None:
        raise NotFound("用户不存在")
    with acting_as(actor.username):
        count = end_user_sessions(session, user_id)
        record(session, "sign_out_everywhere", "users", str(user_id), {"sessions": count})
    return count
