"""`zhizao import` refuses a zip bomb (status 2, the message with the numbers), database unchanged."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.imports.conftest import database_state
from tests.office import bombs
from zhizao.cli import app
from zhizao.office.archives import BOMB


def test_import_refuses_a_zip_bomb(cli_env: tuple[Engine, list[str]], tmp_path: Path) -> None:
    engine, _ = cli_env
    before = database_state(engine)
    for name, data in (("bomb.xlsx", bombs.xlsx_bomb()), ("lying.xlsx", bombs.lying_xlsx())):
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["import", "figures", str(path)])
        assert result.exit_code == 2, result.output
        assert BOMB in result.output
    assert database_state(engine) == before
