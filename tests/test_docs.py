"""Docs that the tests keep honest: the README's commands, every setting, every CLI command's help."""

from __future__ import annotations

import re
import subprocess

import typer.main

from tests.conftest import REPO
from zhizao.cli import app
from zhizao.cli.reference import walk
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


def test_every_cli_command_has_help() -> None:
    root = typer.main.get_command(app)
    for path, command in walk(root, ()):
        assert (command.help or "").strip(), f"zhizao {' '.join(path)} has no help text"
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                assert (param.help or "").strip(), f"zhizao {' '.join(path)} {param.opts[0]} has no help"


def test_readme_cli_commands_exist() -> None:
    root = typer.main.get_command(app)
    paths = {" ".join(path) for path, _ in walk(root, ())}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for line in re.findall(r"^zhizao ([a-z ]+?)(?: [A-Z\[-]|\s*#|$)", readme, flags=re.M):
        assert line.strip() in paths, f"README names `zhizao {line.strip()}`, which does not exist"


def test_cli_reference_is_current() -> None:
    from zhizao.cli.reference import render_markdown

    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render_markdown(), "docs/cli.md is stale: python -m zhizao.cli.reference > docs/cli.md"
