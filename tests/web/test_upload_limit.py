"""Every upload form obeys the one setting ZHIZAO_UPLOAD_MAX_BYTES."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from tests.web.conftest import TestClient, csrf_from
from zhizao.config import Settings

AsUser = Callable[..., TestClient]
TOO_BIG = b"x" * 2048


def test_refuse_uploads_over_the_configured_limit(app: FastAPI, as_user: AsUser) -> None:
    app.state.settings = Settings(secret_key="test-secret-key", upload_max_bytes=1024)
    client = as_user("admin")
    token = csrf_from(client, "/")
    posts = {
        "/plans": {"file": ("方案.txt", TOO_BIG, "text/plain")},
        "/imports": {"file": ("指标.csv", TOO_BIG, "text/csv")},
        "/tracking/observations/import": {"file": ("观测值.xlsx", TOO_BIG, "application/octet-stream")},
    }
    for path, files in posts.items():
        data = {"csrf_token": token, "kind": "figures"}
        response = client.post(path, data=data, files=files)
        assert response.status_code == 400, path
        assert "文件过大(上限 1 KB)" in response.text, path
