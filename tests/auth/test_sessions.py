"""The session library: resolving, ending, and purging rows that ended long ago."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.auth.models import UserSession
from zhizao.auth.scope import Actor
from zhizao.auth.sessions import Client, end_session, own_sessions, resolve_session, start_session
from zhizao.auth.users import create_user
from zhizao.config import Settings
from zhizao.db.base import utcnow

SETTINGS = Settings(secret_key="unused")


def test_resolve_live_session_only(session: Session, system: Actor) -> None:
    user = create_user(session, system, "ana", "correct-horse-9", "analyst")
    now = utcnow()
    token, row = start_session(session, SETTINGS, user, Client("10.0.0.1", "UA"), now)
    assert resolve_session(session, SETTINGS, token, now) is row
    assert resolve_session(session, SETTINGS, token + "x", now) is None
    end_session(session, row, now)
    assert resolve_session(session, SETTINGS, token, now) is None
    assert own_sessions(session, SETTINGS, Actor.from_user(user), now) == []


def test_purge_sessions_ended_long_ago(session: Session, system: Actor) -> None:
    user = create_user(session, system, "ana", "correct-horse-9", "analyst")
    long_ago = utcnow() - timedelta(days=3)
    _, old = start_session(session, SETTINGS, user, Client(), long_ago)
    end_session(session, old, long_ago)
    start_session(session, SETTINGS, user, Client(), long_ago)  # never used again
    start_session(session, SETTINGS, user, Client())
    remaining = session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
    )
    assert remaining == 1
