"""`zhizao user ...`: accounts."""

from __future__ import annotations

import typer

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.cli.common import console, handle_errors
from zhizao.db.session import session_scope

app = typer.Typer(help="用户账号 (user accounts).", no_args_is_help=True)


@app.command("add")
@handle_errors
def add(
    username: str = typer.Argument(..., help="登录名"),
    role: str = typer.Option(..., "--role", help="角色: admin, analyst, district, department, enterprise"),
    region: str | None = typer.Option(
        None, "--region", help="6位行政区划代码 (district 角色必填，须在本系统辖区内)"
    ),
    unit: str | None = typer.Option(None, "--unit", help="单位名称 (department 角色必填)"),
    enterprise_id: int | None = typer.Option(None, "--enterprise-id", help="企业编号 (enterprise 角色必填)"),
    display_name: str = typer.Option("", "--name", help="显示名称"),
    password: str = typer.Option(
        ...,
        "--password",
        prompt="密码",
        hide_input=True,
        confirmation_prompt=True,
        help="密码 (至少10位，不含用户名)",
    ),
) -> None:
    """新增用户 (add a user)."""
    actor = Actor.system()
    with session_scope() as session, acting_as(actor.username):
        user = create_user(
            session,
            actor,
            username,
            password,
            role,
            region_code=region,
            unit_name=unit,
            enterprise_id=enterprise_id,
            display_name=display_name,
        )
        console.print(f"[green]已创建用户[/green] {user.username} ({user.role})")
