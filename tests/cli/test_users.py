from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhizao.auth.models import User
from zhizao.cli import app
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


def test_db_upgrade_reports_current(database: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "数据库已是最新" in result.output
