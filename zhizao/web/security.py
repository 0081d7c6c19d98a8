"""Login sessions, CSRF protection, the cookies that carry them, and the security headers.

The session cookie (`zhizao_session`, HttpOnly, SameSite=Lax, Secure over HTTPS) holds only a random id;
the session itself (user, times, address, browser, revoked or not) is a `user_sessions` row
(`zhizao.auth.sessions`). No authentication state lives in the browser.

CSRF: every unsafe request (POST, PUT, PATCH, DELETE) must carry the token, as the form field `csrf_token`
or the `X-CSRF-Token` header (htmx sends it from `hx-headers` on <body>). The token is an HMAC, under the
server key, of the session id, so it changes with every login; before login it is the HMAC of a random
`zhizao_anon` cookie (which carries nothing else).

The language choice is a plain preference cookie (`zhizao_lang`), read only against the known languages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhizao.auth.models import User, UserSession
from zhizao.auth.sessions import Client, end_session, needs_touch, resolve_session, start_session
from zhizao.db.base import utcnow
from zhizao.errors import Forbidden

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_COOKIE = "zhizao_session"
ANON_COOKIE = "zhizao_anon"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_PENDING = "zhizao_cookies"  # request.state: cookies to set (value) or delete (None) on the response
_UNSET = object()


# ---- cookies -------------------------------------------------------------------------------------------


def _pending(request: Request) -> dict[str, tuple[str | None, int | None]]:
    pending: dict[str, tuple[str | None, int | None]] | None = getattr(request.state, _PENDING, None)
    if pending is None:
        pending = {}
        setattr(request.state, _PENDING, pending)
    return pending


def set_cookie(request: Request, name: str, value: str | None, max_age: int | None = None) -> None:
    """Set (or, with None, delete) a cookie on whatever response this request ends with."""
    _pending(request)[name] = (value, max_age)


def cookie(request: Request, name: str) -> str | None:
    """The cookie as the browser will hold it after this response (a change made in this request wins)."""
    pending = _pending(request)
    if name in pending:
        return pending[name][0]
    return request.cookies.get(name)


def _cookie_header(name: str, value: str | None, max_age: int | None, secure: bool) -> str:
    parts = [f"{name}={value or ''}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if value is None:
        parts.append("Max-Age=0")
    elif max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


# ---- sessions ------------------------------------------------------------------------------------------


def clock(request: Request) -> datetime:
    """Now, as the app sees it (tests replace `app.state.clock` instead of sleeping)."""
    now: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return now()


def client_of(request: Request) -> Client:
    """The client's address (the proxy's forwarded one when uvicorn trusts it) and browser."""
    host = request.client.host if request.client else ""
    return Client(ip=host, user_agent=request.headers.get("user-agent", ""))


def current_session(request: Request, db: Session) -> UserSession | None:
    """This request's live session (looked up once per request); a dead cookie is deleted."""
    found = getattr(request.state, "user_session", _UNSET)
    if found is not _UNSET:
        return found  # type: ignore[return-value]
    token = cookie(request, SESSION_COOKIE)
    reading = request.method in SAFE_METHODS  # a read snapshot on SQLite: the touch waits for the end
    now = clock(request)
    row = resolve_session(db, request.app.state.settings, token, now, touch=not reading) if token else None
    if row is not None and reading and needs_touch(row, now):
        request.state.touch_session = (row.id, now)
    if token and row is None:
        set_cookie(request, SESSION_COOKIE, None)
    request.state.user_session = row
    return row


def log_in(request: Request, db: Session, user: User) -> UserSession:
    """Start a new session for `user` (the previous one of this browser, if any, ends: no fixation)."""
    previous = current_session(request, db)
    if previous is not None:
        end_session(db, previous, clock(request))
    settings = request.app.state.settings
    token, row = start_session(db, settings, user, client_of(request), clock(request))
    set_cookie(request, SESSION_COOKIE, token, settings.session_max_age)
    set_cookie(request, ANON_COOKIE, None)
    request.state.user_session = row
    return row


def log_out(request: Request, db: Session) -> UserSession | None:
    """End this browser's session; the ended session (None when there was none)."""
    row = current_session(request, db)
    if row is not None:
        end_session(db, row, clock(request))
    set_cookie(request, SESSION_COOKIE, None)
    request.state.user_session = None
    return row


# ---- CSRF ----------------------------------------------------------------------------------------------


def _hmac(request: Request, purpose: str, value: str) -> str:
    key: str = request.app.state.secret_key
    digest = hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return digest.hex()


def _expected_csrf(request: Request) -> str | None:
    """The token pages show: bound to the session id once signed in, else to the anonymous cookie."""
    session_id = cookie(request, SESSION_COOKIE)
    if session_id:
        return _hmac(request, "csrf-session", session_id)
    anon = cookie(request, ANON_COOKIE)
    return _hmac(request, "csrf-anon", anon) if anon else None


def _accepted_csrf(request: Request) -> list[str]:
    """Tokens an unsafe request may carry. The anonymous one too: a dead session cookie the browser still
    sends (one it could not delete, say) must not make the login form unusable. Login deletes it."""
    accepted = [token for token in [_expected_csrf(request)] if token]
    anon = cookie(request, ANON_COOKIE)
    if anon:
        accepted.append(_hmac(request, "csrf-anon", anon))
    return accepted


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser (before login, a random `zhizao_anon` cookie is set for it)."""
    expected = _expected_csrf(request)
    if expected is None:
        set_cookie(request, ANON_COOKIE, secrets.token_urlsafe(32))
        expected = _expected_csrf(request)
    assert expected is not None
    return expected


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: reject an unsafe request without this browser's CSRF token (403)."""
    if request.method in SAFE_METHODS:
        return
    accepted = _accepted_csrf(request)
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not any(secrets.compare_digest(token, sent) for token in accepted):
        raise Forbidden("请求校验失败 (CSRF)，请刷新页面后重试")


# ---- the middleware: cookies and security headers on every response ------------------------------------

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # inline style attributes and <style> blocks in templates; ECharts and Swagger UI style elements
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


class SecurityMiddleware:
    """Writes the cookies a request asked for (`set_cookie`) and the security headers on every response.

    Cookies are `Secure`, and HSTS is sent, only when the request came over HTTPS. Behind a TLS-terminating
    proxy, run uvicorn with `--proxy-headers --forwarded-allow-ips=<the proxy>` (gunicorn:
    `--forwarded-allow-ips`), so the scheme and the client address are the client's.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if secure:
                    headers["Strict-Transport-Security"] = HSTS
                for name, (value, max_age) in state.get(_PENDING, {}).items():
                    headers.append("set-cookie", _cookie_header(name, value, max_age, secure))
            await send(message)

        await self.app(scope, receive, send_with_headers)
