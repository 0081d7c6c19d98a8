"""The API description (`/openapi.json`) and its Swagger UI (`/docs`), for signed-in users only.

Swagger UI is served from `static/vendor/` (npm `swagger-ui-dist`, copied by `make assets`), started by
`static/api-docs.js`: no CDN (an intranet has none) and no inline script (the CSP allows none).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, JSONResponse

from zhizao.web.deps import CurrentActor

router = APIRouter(include_in_schema=False)

DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>{title} · API</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="/openapi.json"></div>
  <script src="/static/vendor/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/openapi.json")
def openapi_schema(request: Request, actor: CurrentActor) -> JSONResponse:
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema)


@router.get("/docs")
def swagger_ui(request: Request, actor: CurrentActor) -> HTMLResponse:
    return HTMLResponse(DOCS_PAGE.format(title=request.app.title))
