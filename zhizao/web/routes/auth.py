"""Login, logout, changing one's own password and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from zhizao.auth.users import authenticate, change_password
from zhizao.errors import InvalidInput, NotAuthenticated
from zhizao.web.deps import CurrentActor, OptionalActor, SessionDep
from zhizao.web.i18n import LANGUAGES
from zhizao.web.security import log_in, log_out
from zhizao.web.templating import render

router = APIRouter(tags=["auth"], include_in_schema=False)


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
    try:
        user = authenticate(session, username.strip(), password)
    except NotAuthenticated as exc:
        # Failed attempts are counted (and may lock the account): keep that, then show the form again.
        session.commit()
        context = {"next": _safe_next(next), "error": exc.message, "username": username}
        return render(request, "auth/login.html", context, status_code=401)
    log_in(request, user.id)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login", status_code=303)


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
    return render(request, "auth/password.html", {"error": None, "done": True})


@router.post("/lang")
def switch_language(
    request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/"
) -> Response:
    if lang not in LANGUAGES:
        raise InvalidInput(f"不支持的语言 {lang}")
    request.session["lang"] = lang
    return RedirectResponse(_safe_next(next), status_code=303)
