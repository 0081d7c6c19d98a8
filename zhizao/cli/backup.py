"""`zhizao backup` and `zhizao restore`: a consistent copy of a running installation, and putting it back
into an empty one (the work is in `zhizao.db.backup`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from zhizao.cli.common import console, handle_errors, lazy
from zhizao.config import get_settings

if TYPE_CHECKING:
    from zhizao.db import backup as backups
else:  # imported when a command runs
    backups = lazy("zhizao.db.backup")


@handle_errors
def backup(
    out: Path = typer.Option(..., "--out", help="备份文件 (.tar.gz)，已存在则覆盖"),
) -> None:
    """备份数据库、上传文件和密钥文件到一个归档 (back up while the app runs)."""
    manifest = backups.backup(backups.Installation.from_settings(get_settings()), out)
    _summary(manifest)
    console.print(f"[green]已备份[/green] {out}", soft_wrap=True)


@handle_errors
def restore(
    archive: Path = typer.Argument(..., help="`zhizao backup` 生成的备份文件", exists=True, dir_okay=False),
) -> None:
    """把备份恢复到空的安装 (restore into an empty installation; refuses one that holds data)."""
    manifest = backups.restore(backups.Installation.from_settings(get_settings()), archive)
    _summary(manifest)
    console.print(f"[green]已恢复[/green] {archive}：行数与校验和均与备份清单一致", soft_wrap=True)


def _summary(manifest: dict[str, Any]) -> None:
    tables: dict[str, dict[str, Any]] = manifest["tables"]
    files: dict[str, dict[str, Any]] = manifest["files"]
    summary = Table("项目", "内容")
    summary.add_row("数据库", f"{manifest['dialect']}，结构版本 {', '.join(manifest['alembic_revision'])}")
    summary.add_row("数据表", f"{len(tables)} 张，共 {sum(t['rows'] for t in tables.values())} 行")
    summary.add_row("文件", f"{len(files)} 个，共 {sum(f['bytes'] for f in files.values())} 字节")
    summary.add_row("备份时间", manifest["created_at"])
    console.print(summary)
