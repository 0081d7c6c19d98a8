"""Session login and CSRF protection.

The session is a signed cookie (Starlette's SessionMiddleware) that holds the user id, the login time, the
language and a CSRF token. Every unsafe request (POST, PUT, PATCH, DELETE) must carry that token, either as
the form field `csrf_token` or in the `X-CSRF-Token` header (htmx sends it from `hx-headers` on <body>).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from zhizao.errors import Forbidden

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_KEPT_ON_LOGIN = ("lang",)


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: reject an unsafe request without this session's CSRF token (403)."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise Forbidden("请求校验失败 (CSRF)，请刷新页面后重试")


def log_in(request: Request, user_id: int) -> None:
    """Start a fresh session for `user_id` (a new CSRF token; only the language is kept)."""
    kept = {k: request.session[k] for k in _KEPT_ON_LOGIN if k in request.session}
    request.session.clear()
    request.session.update(kept)
    request.session["uid"] = user_id
    request.session["login_at"] = int(time.time())
    csrf_token(request)


def log_out(request: Request) -> None:
    kept = {k: request.session[k] for k in _KEPT_ON_LOGIN if k in request.session}
    request.session.clear()
    request.session.update(kept)


def session_user_id(request: Request, max_age: int) -> int | None:
    """The logged-in user's id, or None (also when the login is older than `max_age` seconds)."""
    uid = request.session.get("uid")
    login_at = request.session.get("login_at")
    if not isinstance(uid, int) or not isinstance(login_at, int):
        return None
    if time.time() - login_at > max_age:
        log_out(request)
        return None
    return uid


class SchemeAwareSessions:
    """SessionMiddleware whose cookie is `Secure` whenever the request came over HTTPS.

    Behind a TLS-terminating proxy, run uvicorn with `--proxy-headers` so the scheme is the client's. Plain
    HTTP (loopback, or an intranet without TLS) keeps a non-Secure cookie, or the login could never stick.
    """

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.plain = SessionMiddleware(app, https_only=False, **options)
        self.secure = SessionMiddleware(app, https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plain = scope.get("scheme") in ("http", "ws")
        await (self.plain if plain else self.secure)(scope, receive, send)
