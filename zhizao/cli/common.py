"""What every command shares: the Rich console and the one place domain errors become messages."""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from zhizao.errors import InvalidInput, NotFound, ZhizaoError


def lazy(name: str) -> ModuleType:
    """The module `name`, executed when one of its attributes is first used.

    Command modules reach the library through these, so that `zhizao --help` and the light commands do
    not import what only some commands need (pandas, Ibis, DuckDB, NumPy and the modules built on them)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a `ZhizaoError` into a red message and a non-zero exit (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            err_console.print(f"[red]错误[/red] {exc.message}")
            for problem in exc.problems[:50]:
                row = f"第{problem.row}行 " if problem.row else ""
                err_console.print(f"  {row}{problem.column or ''} {problem.message}")
            raise typer.Exit(1) from exc
        except NotFound as exc:
            err_console.print(f"[red]未找到[/red] {exc.message}")
            raise typer.Exit(1) from exc
        except ZhizaoError as exc:
            err_console.print(f"[red]错误[/red] {exc.message}")
            raise typer.Exit(1) from exc

    return wrapper


def check_settings() -> None:
    """Read the settings once at start, so a bad value (ZHIZAO_HOME_REGION=999999) stops every command with
    a message instead of a traceback at the first query."""
    from pydantic import ValidationError

    from zhizao.config import get_settings

    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            err_console.print(f"[red]设置有误[/red] {error['msg'].removeprefix('Value error, ')}")
        raise SystemExit(2) from exc


def echo_json(data: Any) -> None:
    """Print JSON exactly (no Rich markup or wrapping)."""
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
