"""Request dependencies: a database session per request, and the logged-in actor.

`SessionDep` commits when the route returns normally and rolls back on any error (nothing half-written).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from zhizao.audit.log import attribute_session
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.sessions import touch_session
from zhizao.db.session import READ_ONLY
from zhizao.errors import NotAuthenticated
from zhizao.web.security import SAFE_METHODS, current_session


def get_db(request: Request) -> Iterator[Session]:
    """The request's session. A request that only reads (GET, HEAD) reads one snapshot on SQLite instead of
    taking the write lock, so a long page or download never holds up another user's request; the login
    session's `last seen` is written after it, in a short transaction of its own."""
    session: Session = request.app.state.session_factory()
    if request.method in SAFE_METHODS:
        session.connection(execution_options={READ_ONLY: True})
    request.state.db = session
    try:
        yield session
        session.commit()
        touch = getattr(request.state, "touch_session", None)
        if touch is not None:
            touch_session(session, *touch)
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        request.state.db = None
        session.close()


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_optional_actor(request: Request, session: SessionDep) -> Actor | None:
    """The logged-in actor, or None for an anonymous request (or an ended session, a disabled account)."""
    live = current_session(request, session)
    if live is None:
        return None
    user = session.get(User, live.user_id)
    if user is None:
        return None
    actor = Actor.from_user(user)
    request.state.actor = actor
    attribute_session(session, actor.username)  # every change this request makes is audited as its user's
    return actor


OptionalActor = Annotated[Actor | None, Depends(get_optional_actor)]


def get_current_actor(actor: OptionalActor) -> Actor:
    if actor is None:
        raise NotAuthenticated("请先登录")
    return actor


CurrentActor = Annotated[Actor, Depends(get_current_actor)]
