from __future__ import annotations

import pytest
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.config import get_settings


@pytest.fixture
def no_secret(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ZHIZAO_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_serve_starts_on_loopback_by_default(no_secret, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: started.append(kwargs["host"]))
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert started == ["127.0.0.1"]


def test_serve_starts_off_loopback_without_secret(no_secret, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No built-in key to refuse any more: the app generates its own key file (tests/auth/test_keys.py)."""
    started: list[str] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: started.append(kwargs["host"]))
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert started == ["0.0.0.0"]
