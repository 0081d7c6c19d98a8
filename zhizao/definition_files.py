"""Declarative definition files (evaluation methods, index definitions, chains, programmes): one reader.

Each kind is a pydantic model read from YAML (or TOML); a shipped file lives in a package folder and is named
by its stem. Errors name every bad key as a dotted path, in the same words for every kind.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from zhizao.errors import InvalidInput, Problem

M = TypeVar("M", bound=BaseModel)


def dotted_key(loc: Sequence[int | str]) -> str:
    return ".".join(str(x) for x in loc)


def parse_model(
    model: type[M],
    text: str,
    *,
    kind: str,
    origin: str,
    toml: bool = False,
    key: Callable[[Sequence[int | str]], str] = dotted_key,
) -> M:
    """Validate `text` as a `model`; `kind` names the file in messages (方法文件, 指数定义文件, …)."""
    try:
        data = tomllib.loads(text) if toml else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"{origin}: 无法解析{kind}: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{origin}: {kind}的顶层必须是键值表")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(message=err["msg"], column=key(err["loc"]) or "(top level)") for err in exc.errors()
        ]
        keys = "; ".join(f"{p.column}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"{origin}: {kind}有误 — {keys}", problems) from exc


def shipped_names(package: str, folder: str) -> list[str]:
    """The stems of the YAML files shipped in `package`/`folder`, sorted."""
    files = resources.files(package).joinpath(folder)
    return sorted(p.name.removesuffix(".yaml") for p in files.iterdir() if p.name.endswith(".yaml"))


def shipped_text(package: str, folder: str, name: str) -> str:
    return resources.files(package).joinpath(folder, f"{name}.yaml").read_text("utf-8")
