"""Security headers on every response; /docs and /openapi.json for signed-in users, from local files."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from tests.web.conftest import TestClient, add_user, login
from zhizao.web.app import STATIC_DIR
from zhizao.web.templating import TEMPLATES_DIR


@pytest.mark.parametrize("path", ["/login", "/", "/api/v1/me", "/static/app.js", "/no-such-page"])
def test_send_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP: no HSTS


def test_send_hsts_and_secure_cookie_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://zhizao.example") as client:
        response = client.get("/login")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in response.headers["set-cookie"].lower()


def test_templates_have_no_inline_scripts_or_handlers() -> None:
    """The CSP allows scripts from /static only: an inline script or handler would silently not run."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
    offenders = [
        path.name
        for path in TEMPLATES_DIR.rglob("*.html")
        if inline_script.search(path.read_text(encoding="utf-8")) or handler.search(path.read_text())
    ]
    assert offenders == []


def test_docs_need_login(client: TestClient) -> None:
    assert client.get("/docs").status_code == 303
    assert client.get("/docs").headers["location"].startswith("/login")
    response = client.get("/openapi.json")
    assert response.status_code == 401 and "paths" not in response.text


def test_docs_served_from_local_files(client: TestClient, session: Session) -> None:
    add_user(session, "ana", "analyst")
    login(client, "ana")
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/vendor/swagger-ui-bundle.js" in sources and "/static/vendor/swagger-ui.css" in sources
    assert all(source.startswith("/static/") for source in sources)
    assert "cdn" not in page.text.lower() and "http" not in page.text.lower()
    assert (STATIC_DIR / "api-docs.js").is_file()
    assert client.get("/openapi.json").json()["info"]["title"]


def test_swagger_ui_assets_are_installed(client: TestClient) -> None:
    """`make assets` copies them from npm swagger-ui-dist (package.json, Makefile)."""
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/vendor/{name}").status_code == 200, name
