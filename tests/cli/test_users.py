from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhizao.auth.models import User
from zhizao.cli import app, main
from zhizao.config import get_settings
from zhizao.db.session import make_engine


def test_user_add_creates_district_officer(database: str) -> None:
    args = ["user", "add", "zhang", "--role", "district", "--region", "370211", "--password", "secret-pass"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    engine = make_engine(database)
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "zhang"))
        assert user is not None and user.region_code == "370211" and user.role == "district"
    engine.dispose()


def test_user_add_explains_bad_input(database: str) -> None:
    args = ["user", "add", "li", "--role", "department", "--unit", "不存在的局", "--password", "secret-pass"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "未知单位" in result.output


def test_user_add_refuses_a_region_outside_the_home_region(
    database: str, home_region: Callable[[str | None], None]
) -> None:
    home_region("370700")
    args = ["user", "add", "hd", "--role", "district", "--region", "370211", "--password", "secret-pass"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "370211 不在本系统辖区（山东省潍坊市）内" in result.output


def test_main_stops_on_a_home_region_the_table_does_not_hold(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZHIZAO_HOME_REGION", "379999")
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        get_settings.cache_clear()
    assert stopped.value.code == 2
    assert "ZHIZAO_HOME_REGION=379999 不是行政区划表中的代码" in capsys.readouterr().err


def test_db_upgrade_reports_current(database: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "数据库已是最新" in result.output
