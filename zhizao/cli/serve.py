"""`zhizao serve`: the web app."""

from __future__ import annotations

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
    port: int = typer.Option(8000, "--port", help="端口"),
    reload: bool = typer.Option(False, "--reload", help="代码变化时自动重启 (开发用)"),
) -> None:
    """启动网页服务 (serve the web app)."""
    import uvicorn

    # No key check here: the app itself uses ZHIZAO_SECRET_KEY or its generated key file, however started.
    uvicorn.run("zhizao.web.app:create_app", factory=True, host=host, port=port, reload=reload)
