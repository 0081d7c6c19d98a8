"""The `zhizao` command. Each area's commands live in their own module here; all of them only parse
options, call the library and print. Domain errors become a message and an exit status in `common`."""

from __future__ import annotations

import typer

from zhizao.cli import backup as backup_commands
from zhizao.cli import calendar as calendar_commands
from zhizao.cli import chains as chain_commands
from zhizao.cli import db as db_commands
from zhizao.cli import demo as demo_commands
from zhizao.cli import evaluate as evaluate_commands
from zhizao.cli import imports as import_commands
from zhizao.cli import index as index_commands
from zhizao.cli import monitor as monitor_commands
from zhizao.cli import plan as plan_commands
from zhizao.cli import plan_store
from zhizao.cli import programs as programs_commands
from zhizao.cli import projects as project_commands
from zhizao.cli import serve as serve_commands
from zhizao.cli import service as service_commands
from zhizao.cli import tracking as tracking_commands
from zhizao.cli import units as unit_commands
from zhizao.cli import users as user_commands
from zhizao.cli.common import check_settings, console

app = typer.Typer(
    name="zhizao",
    help="智造 zhizao: 制造业政策落实平台 — plans, tracking, enterprises and 亩产效益 evaluation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(db_commands.app, name="db")
app.add_typer(user_commands.app, name="user")
app.command("serve")(serve_commands.serve)
app.command("backup")(backup_commands.backup)
app.command("restore")(backup_commands.restore)

# Areas register their commands here, one line each.
app.command("evaluate")(evaluate_commands.evaluate)
app.command("evaluation-compare")(evaluate_commands.compare)
app.command("demo")(demo_commands.demo)
app.command("remind")(tracking_commands.remind)
app.add_typer(tracking_commands.report_app, name="report")
app.add_typer(import_commands.app, name="import")
app.add_typer(calendar_commands.app, name="calendar")
app.add_typer(index_commands.app, name="index")
app.add_typer(plan_commands.app, name="plan")
app.add_typer(unit_commands.app, name="units")
app.add_typer(service_commands.app, name="service")
app.add_typer(chain_commands.app, name="chains")
app.add_typer(project_commands.app, name="projects")
app.add_typer(monitor_commands.app, name="monitor")
tracking_commands.report_app.command("operations")(monitor_commands.operations)
app.add_typer(programs_commands.app, name="programs")
plan_commands.app.command("import")(plan_store.import_plan)
plan_commands.app.command("list")(plan_store.list_plans)
plan_commands.app.command("export")(plan_store.export_plan)


def main() -> None:
    check_settings()
    app()


__all__ = ["app", "console", "main"]
