from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.config import get_settings
from zhizao.db import migrate
from zhizao.db.session import get_engine


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture
def cli_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    migrate.upgrade(url)
    _use(url, monkeypatch)
    yield url
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_demo_command_prints_accounts_and_counts(cli_url: str) -> None:
    result = CliRunner().invoke(app, ["demo", "--size", "150", "--seed", "9"])
    assert result.exit_code == 0, result.output
    assert "企业 150 家" in result.output
    for text in ("admin", "analyst", "huangdao", "gongxin", "fagai", "qiye", "zhizao-demo", "黄岛区", "虚构"):
        assert text in result.output
    assert "http://127.0.0.1:8000" in result.output
    again = CliRunner().invoke(app, ["demo", "--size", "100"])
    assert again.exit_code == 0, again.output
    assert "替换了原有企业 150 家" in again.output
    assert "账号已存在" in again.output


def test_demo_command_explains_missing_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)
    try:
        result = CliRunner().invoke(app, ["demo", "--size", "10"])
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "zhizao db upgrade" in result.output


def test_demo_command_help_says_synthetic() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    assert "虚构" in result.output
    assert "--seed" in result.output
