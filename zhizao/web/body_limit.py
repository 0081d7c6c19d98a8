"""The request body limited before anything parses it (forms, JSON), anonymous requests included.

A route that takes a file accepts `ZHIZAO_UPLOAD_MAX_BYTES` plus `ZHIZAO_REQUEST_MAX_BYTES` for its other
fields; every other route `ZHIZAO_REQUEST_MAX_BYTES` (1 MB). A route takes a file when the matched route has
a `File`/`UploadFile` parameter (so a new upload route needs nothing here), or says so with
`dependencies=[TAKES_FILES]` when it reads the files from the form itself.

A declared Content-Length over the larger limit is refused with 413 at once; otherwise the first read of the
body (routing has matched the route by then, and nothing has been parsed) checks the declared length against
the route's limit, and every read counts the bytes, so a body without a Content-Length (chunked) is refused
once it passes the limit. Starlette's form parser adds its own caps (1,000 fields, 1,000 files, 1 MB per
non-file part), which stay as they are.
"""

from __future__ import annotations

from fastapi import Depends, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhizao.web.files import too_large_message

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BodyTooLarge(HTTPException):
    """Raised from the body reader; the app's error handler turns it into a 413 page."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def takes_files() -> None:
    """Marks a route that reads files from the form itself (no `UploadFile` parameter): `TAKES_FILES`."""


TAKES_FILES = Depends(takes_files)


def _takes_file(dependant: Dependant) -> bool:
    if dependant.call is takes_files:
        return True
    if any(isinstance(field.field_info, params.File) for field in dependant.body_params):
        return True
    return any(_takes_file(sub) for sub in dependant.dependencies)


def _limits(scope: Scope) -> tuple[tuple[int, str], tuple[int, str]]:
    """((limit, message) of a route that takes a file, (limit, message) of any other)."""
    settings = scope["app"].state.settings
    small, upload = int(settings.request_max_bytes), int(settings.upload_max_bytes)
    return (upload + small, too_large_message(upload)), (
        small,
        too_large_message(small).replace("文件", "请求"),
    )


class BodyLimit:
    """ASGI middleware: 413 for a request body over the limit of its route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        (largest, too_large), other = _limits(scope)
        declared_header = dict(scope["headers"]).get(b"content-length")
        declared = int(declared_header) if declared_header and declared_header.isdigit() else None
        if declared_header is not None and (declared is None or declared > largest):
            await _refuse(too_large, scope, receive, send)
            return
        limit: tuple[int, str] | None = None
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal limit, received
            if limit is None:  # the first read: the router has put the matched route in the scope
                route = scope.get("route")
                limit = (
                    (largest, too_large)
                    if isinstance(route, APIRoute) and _takes_file(route.dependant)
                    else other
                )
                if declared is not None and declared > limit[0]:
                    raise BodyTooLarge(limit[1])
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit[0]:
                    raise BodyTooLarge(limit[1])
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refuse(str(exc.detail), scope, receive, send)


async def _refuse(message: str, scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse(message, status_code=413, headers={"Connection": "close"})
    await response(scope, receive, send)
