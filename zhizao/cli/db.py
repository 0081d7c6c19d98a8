"""`zhizao db ...`: the database schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from zhizao.cli.common import console, handle_errors, lazy
from zhizao.config import get_settings

if TYPE_CHECKING:
    from zhizao.db import migrate
else:  # Alembic is imported when a command runs
    migrate = lazy("zhizao.db.migrate")

app = typer.Typer(help="数据库: 迁移与检查 (database schema).", no_args_is_help=True)


@app.command("upgrade")
@handle_errors
def upgrade() -> None:
    """迁移数据库到最新结构并同步参考数据 (regions, industries, units, indicators)."""
    changed = migrate.upgrade()
    console.print(f"[green]数据库已是最新[/green] ({get_settings().database_url}); 参考数据更新 {changed} 行")


@app.command("check")
@handle_errors
def check() -> None:
    """检查模型与迁移脚本是否一致 (alembic check)."""
    migrate.check()
    console.print("[green]模型与迁移一致[/green]")
