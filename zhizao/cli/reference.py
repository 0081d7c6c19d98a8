"""The CLI reference (docs/cli.md), generated from the commands' own help.

Regenerate with `python -m zhizao.cli.reference > docs/cli.md`; a test fails when the file is stale.
"""

from __future__ import annotations

from typing import Any

import typer.main


def walk(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    """Every command below `command` (Typer's own click), depth first, with its path."""
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            found.extend(walk(command.commands[name], (*path, name)))
    return found


def _usage(command: Any, path: tuple[str, ...]) -> str:
    context = command.context_class(command, info_name=" ".join(path))
    return " ".join(command.collect_usage_pieces(context))


def render_markdown() -> str:
    from zhizao.cli import app

    root = typer.main.get_command(app)
    lines = ["# CLI reference", "", "Generated from `--help` by `python -m zhizao.cli.reference`.", ""]
    for path, command in walk(root, ("zhizao",)):
        lines += [f"## `{' '.join(path)}`", "", (command.help or "").strip(), ""]
        if hasattr(command, "commands"):
            continue
        lines += ["```", f"{' '.join(path)} {_usage(command, path)}".rstrip(), "```", ""]
        rows = []
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                rows.append(f"| `{', '.join(param.opts)}` | {(param.help or '').strip()} |")
            elif param.param_type_name == "argument":
                rows.append(f"| `{(param.name or '').upper()}` | {getattr(param, 'help', '') or ''} |")
        if rows:
            lines += ["| option | meaning |", "| --- | --- |", *rows, ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    typer.echo(render_markdown(), nl=False)
