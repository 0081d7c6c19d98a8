"""Docs that the tests keep honest: the README's commands, every setting, every CLI command's help."""

from __future__ import annotations

import re
import subprocess

import click
import typer.main

from tests.conftest import REPO
from zhizao.cli import app
from zhizao.config import Settings


def _make_targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))


def test_readme_commands_exist_in_makefile() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = re.findall(r"^make (\w+)", first_block, flags=re.M)
    assert commands == ["demo", "test"]
    assert set(commands) <= _make_targets()


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in script.splitlines() if line and not line.startswith(("#", "set ", "cd "))] == [
        "exec make test"
    ]


def test_make_targets_parse() -> None:
    result = subprocess.run(
        ["make", "-n", "demo", "test"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`ZHIZAO_{name.upper()}`" in doc, f"ZHIZAO_{name.upper()} missing from docs/settings.md"


def _walk(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found.extend(_walk(sub, (*path, name)))
    return found


def test_every_cli_command_has_help() -> None:
    root = typer.main.get_command(app)
    for path, command in _walk(root):
        assert (command.help or "").strip(), f"zhizao {' '.join(path)} has no help text"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert (param.help or "").strip(), f"zhizao {' '.join(path)} {param.opts[0]} has no help"


def test_readme_cli_commands_exist() -> None:
    root = typer.main.get_command(app)
    paths = {" ".join(path) for path, _ in _walk(root)}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in re.findall(r"^zhizao ([a-z ]+?)(?: [A-Z\[-]|\s*#|$)", readme, flags=re.M):
        assert line.strip() in paths, f"README names `zhizao {line.strip()}`, which does not exist"
