"""The request body is limited before any form is parsed, anonymous requests included: 413 for a declared
length over the limit (nothing read), and for a chunked body once it passes the limit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from fastapi import FastAPI, Request
from starlette.responses import PlainTextResponse

from tests.web.conftest import TestClient, csrf_from
from zhizao.config import Settings
from zhizao.web.body_limit import TAKES_FILES, BodyLimit

AsUser = Callable[..., TestClient]
MB = 1024 * 1024


def _chunks(total: int, size: int = MB) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_refuse_a_huge_anonymous_login_body_at_once(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.post(
        "/login",
        content=_chunks(100 * MB),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(100 * MB)},
    )
    assert response.status_code == 413
    assert "请求过大" in response.text or "文件过大" in response.text
    assert time.perf_counter() - started < 5


def test_refuse_a_login_body_over_the_small_limit(client: TestClient) -> None:
    body = b"username=a&password=" + b"x" * (2 * MB)
    response = client.post(
        "/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert "请求过大(上限 1 MB)" in response.text


def test_refuse_a_chunked_body_over_the_limit(client: TestClient) -> None:
    response = client.post(
        "/login", content=_chunks(3 * MB), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
    assert "请求过大(上限 1 MB)" in response.text


def test_accept_an_upload_over_the_small_limit_on_an_upload_route(app: FastAPI, as_user: AsUser) -> None:
    client = as_user("admin")
    token = csrf_from(client, "/")
    big = "统一社会信用代码,年度\n".encode() + b"x" * (2 * MB)
    response = client.post(
        "/imports", data={"csrf_token": token, "kind": "figures"}, files={"file": ("a.csv", big, "text/csv")}
    )
    assert response.status_code != 413
    assert response.status_code < 500


def test_refuse_an_upload_over_the_upload_limit_with_its_message(app: FastAPI, as_user: AsUser) -> None:
    app.state.settings = Settings(
        secret_key="test-secret-key", upload_max_bytes=MB, request_max_bytes=64 * 1024
    )
    client = as_user("admin")
    token = csrf_from(client, "/")
    response = client.post(
        "/imports",
        data={"csrf_token": token, "kind": "figures"},
        files={"file": ("a.csv", b"x" * (2 * MB), "text/csv")},
    )
    assert response.status_code == 413
    assert "文件过大(上限 1 MB)" in response.text


def _tiny_app() -> FastAPI:
    tiny = FastAPI()
    tiny.state.settings = Settings(secret_key="test-secret-key")

    async def count(request: Request) -> PlainTextResponse:
        form = await request.form()
        return PlainTextResponse(str(len(form)))

    tiny.add_api_route("/marked", count, methods=["POST"], dependencies=[TAKES_FILES])
    tiny.add_api_route("/plain", count, methods=["POST"])
    tiny.add_middleware(BodyLimit)
    return tiny


def test_accept_files_on_a_route_marked_as_taking_them() -> None:
    with TestClient(_tiny_app()) as tiny:
        files = [("files", ("a.pdf", b"%PDF" + b"x" * (2 * MB), "application/pdf"))]
        assert tiny.post("/marked", files=files).status_code == 200
        assert tiny.post("/plain", files=files).status_code == 413
