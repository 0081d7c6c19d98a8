from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import migrate_for_region
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
    migrate_for_region(url)
    _use(url, monkeypatch)
    yield url
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_demo_command_prints_accounts_and_counts(cli_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["demo", "--size", "150", "--seed", "9", "--region", "370200"])
    assert result.exit_code == 0, result.output
    assert "企业 150 家" in result.output
    for text in ("admin", "analyst", "quxian", "gongxin", "fagai", "qiye", "zhizao-demo", "黄岛区", "虚构"):
        assert text in result.output
    assert "http://127.0.0.1:8000" in result.output
    assert "ZHIZAO_HOME_REGION=370200" in result.output  # the home region is unset: say what to set
    monkeypatch.setenv("ZHIZAO_HOME_REGION", "370200")
    get_settings.cache_clear()
    again = CliRunner().invoke(app, ["demo", "--size", "100"])
    assert again.exit_code == 0, again.output
    assert "替换了原有企业 150 家" in again.output
    assert "账号已存在" in again.output
    assert "ZHIZAO_HOME_REGION=" not in again.output


def test_demo_command_refuses_without_region(cli_url: str) -> None:
    result = CliRunner().invoke(app, ["demo", "--size", "10"])
    assert result.exit_code == 1
    assert "--region" in result.output and "ZHIZAO_HOME_REGION" in result.output


def test_demo_command_refuses_unknown_or_county_code(cli_url: str) -> None:
    unknown = CliRunner().invoke(app, ["demo", "--size", "10", "--region", "379999"])
    county = CliRunner().invoke(app, ["demo", "--size", "10", "--region", "370211"])
    assert unknown.exit_code == county.exit_code == 1
    assert "不存在" in unknown.output
    assert "县级" in county.output


def test_demo_command_explains_missing_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)
    try:
        result = CliRunner().invoke(app, ["demo", "--size", "10", "--region", "370200"])
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


def test_demo_command_for_another_city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'weifang.db'}"
    migrate.upgrade(url)
    _use(url, monkeypatch)
    try:
        result = CliRunner().invoke(app, ["demo", "--size", "60", "--region", "370700"])
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    for text in (
        "370700 潍坊市",
        "370702 潍城区",
        "没有潍坊市的实际统计数据",
        "演示数据（虚构）",
        "ZHIZAO_HOME_REGION=370700",
    ):
        assert text in result.output
    assert "青岛" not in result.output and "黄岛" not in result.output
