"""The one place domain errors become responses: an HTML page for pages, JSON for the API.

NotFound → 404, Forbidden → 403, NotAuthenticated → redirect to /login (pages) or 401 (API),
InvalidInput → 400 page or 422 JSON, each with the problems found. A value the database refuses (DataError)
is the input's fault too: 400/422, never a 500.

What an actor may not see is NotFound, exactly like what does not exist (the library raises it from its
scope clauses); Forbidden is for an action the actor's role may never take, whatever the id.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from zhizao.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound, Problem, ZhizaoError
from zhizao.web import validation
from zhizao.web.templating import is_htmx, render

API_PREFIX = "/api/"
log = logging.getLogger("zhizao.web")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == "/openapi.json"


def _problem_dicts(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"message": p.message, "row": p.row, "column": p.column, "severity": p.severity} for p in problems
    ]


def _error_response(
    request: Request, status: int, message: str, problems: list[Problem] | None = None
) -> Response:
    problems = problems or []
    if _wants_json(request):
        return JSONResponse({"detail": message, "problems": _problem_dicts(problems)}, status_code=status)
    template = "_error_partial.html" if is_htmx(request) else "error.html"
    context = {"status": status, "message": message, "problems": problems}
    return render(request, template, context, status_code=status)


async def _not_authenticated(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse(
            {"detail": getattr(exc, "message", "请先登录")},
            status_code=401,
            headers={"WWW-Authenticate": "Cookie"},
        )
    target = "/login?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ZhizaoError)
    if isinstance(exc, NotFound):
        return _error_response(request, 404, exc.message)
    if isinstance(exc, Forbidden):
        return _error_response(request, 403, exc.message)
    if isinstance(exc, InvalidInput):
        return _error_response(request, 422 if _wants_json(request) else 400, exc.message, exc.problems)
    return _error_response(request, 400, exc.message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(validation.message(err), column=validation.field_name(err.get("loc", ())))
        for err in exc.errors()
    ]
    return _error_response(request, 422 if _wants_json(request) else 400, "输入有误", problems)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "页面不存在", 405: "不支持的请求方法"}
    return _error_response(request, exc.status_code, messages.get(exc.status_code, str(exc.detail)))


async def _data_error(request: Request, exc: Exception) -> Response:
    """The database refused a value (out of range, bad text): the input's fault, so a 4xx. Inputs are
    checked at the edge (`web/params.py`); this is the net for a value that slipped through."""
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path, exc)
    return _error_response(request, 422 if _wants_json(request) else 400, "输入的数值或文本超出允许范围")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(NotAuthenticated, _not_authenticated)
    app.add_exception_handler(ZhizaoError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
