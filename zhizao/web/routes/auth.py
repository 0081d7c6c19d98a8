"""Login, logout, one's own password and sessions, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from zhizao.audit.log import acting_as, record
from zhizao.auth.models import User
from zhizao.auth.sessions import own_sessions, sign_out_other_sessions
from zhizao.auth.users import LOCKED_MESSAGE, LockedOut, authenticate, change_password, wait_text
from zhizao.errors import InvalidInput, NotAuthenticated
from zhizao.web.deps import CurrentActor, OptionalActor, SessionDep
from zhizao.web.i18n import LANG_COOKIE, LANGUAGES, gettext_for, request_language
from zhizao.web.security import client_of, clock, current_session, log_in, log_out, set_cookie
from zhizao.web.templating import render

router = APIRouter(tags=["auth"], include_in_schema=False)
LANG_COOKIE_AGE = 365 * 24 * 3600


def _safe_next(target: str | None) -> str:
    """Only local paths, never another site (`//evil`, `https://...`)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, actor: OptionalActor, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=60)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    settings = request.app.state.settings
    address = client_of(request).ip
    try:
        user = authenticate(
            session, username.strip(), password, address=address, now=clock(request), settings=settings
        )
    except NotAuthenticated as exc:
        # Failed attempts are counted (and may start a wait): keep that, then show the form again.
        session.commit()
        error = exc.message
        if isinstance(exc, LockedOut):  # the wait in the page's language
            language = request_language(request)
            error = gettext_for(language)(LOCKED_MESSAGE, wait=wait_text(exc.seconds, language == "en"))
        context = {"next": _safe_next(next), "error": error, "username": username}
        return render(request, "auth/login.html", context, status_code=401)
    log_in(request, session, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    ended = log_out(request, session)
    if ended is not None:
        with acting_as(_username(session, ended.user_id)):
            record(session, "logout", "users", str(ended.user_id), {"address": client_of(request).ip})
    return RedirectResponse("/login", status_code=303)


def _username(session: SessionDep, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.username if user is not None else "-"


@router.get("/account/password")
def password_page(request: Request, actor: CurrentActor) -> Response:
    return render(request, "auth/password.html", {"error": None, "done": False})


@router.post("/account/password")
def password_change(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
    confirm: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        change_password(session, actor, current, new, confirm)
    except InvalidInput as exc:
        return render(request, "auth/password.html", {"error": exc.message, "done": False}, status_code=400)
    # Every session of the user ended with the change (a stolen cookie too); this browser gets a new one.
    user = session.get(User, actor.user_id)
    if user is not None:
        request.state.user_session = None  # ended above: log_in must not end it again
        log_in(request, session, user)
    return render(request, "auth/password.html", {"error": None, "done": True})


@router.get("/account/sessions")
def sessions_page(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    settings = request.app.state.settings
    context = {
        "sessions": own_sessions(session, settings, actor, clock(request)),
        "current": current_session(request, session),
        "ended": request.query_params.get("ended"),
    }
    return render(request, "auth/sessions.html", context)


@router.post("/account/sessions/others")
def sessions_end_others(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    current = current_session(request, session)
    assert current is not None  # CurrentActor: there is a live session
    count = sign_out_other_sessions(session, actor, current.id)
    return RedirectResponse(f"/account/sessions?ended={count}", status_code=303)


@router.post("/lang")
def switch_language(
    request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    if lang not in LANGUAGES:
        raise InvalidInput(f"不支持的语言 {lang}")
    set_cookie(request, LANG_COOKIE, lang, LANG_COOKIE_AGE)
    return RedirectResponse(_safe_next(next), status_code=303)
