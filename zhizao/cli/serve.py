"""`zhizao serve`: the web app."""

from __future__ import annotations

import typer

from zhizao.cli.common import err_console
from zhizao.config import LOOPBACK_HOSTS, get_settings


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
    port: int = typer.Option(8000, "--port", help="端口"),
    reload: bool = typer.Option(False, "--reload", help="代码变化时自动重启 (开发用)"),
) -> None:
    """启动网页服务 (serve the web app)."""
    import uvicorn

    if host not in LOOPBACK_HOSTS and get_settings().uses_default_secret:
        err_console.print("[red]拒绝在非本机地址上使用默认密钥启动[/red]: 请设置 ZHIZAO_SECRET_KEY")
        raise typer.Exit(2)
    uvicorn.run("zhizao.web.app:create_app", factory=True, host=host, port=port, reload=reload)
