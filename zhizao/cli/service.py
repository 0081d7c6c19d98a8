"""`zhizao service ...`: the service configuration (诉求 categories, time limits, escalation ladder), the
daily overdue run (what is overdue, the next escalation step; `--record` records the steps due), and the
诉求 import (exits like `zhizao import`: 0 accepted, 1 errors or unconfirmed warnings, 2 unusable file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.cli.common import console, echo_json, err_console, handle_errors, lazy
from zhizao.cli.imports import _confirm, _show_problems, _show_summary
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.imports.outcome import ValidationFailed
from zhizao.imports.readers import UnusableFile

if TYPE_CHECKING:
    from zhizao.service import config, escalation, importing, notices
else:  # imported when a command runs
    config, escalation, importing, notices = (
        lazy(f"zhizao.service.{n}") for n in ("config", "escalation", "importing", "notices")
    )

app = typer.Typer(
    help="企业服务: 诉求类别与时限配置、超期催办通报 (enterprise service).", no_args_is_help=True
)


def _date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD: {text!r}") from None


@app.command("load-config")
@handle_errors
def load_config(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="配置文件 (YAML)"),
) -> None:
    """载入诉求类别、责任部门、时限与催办通报规则，作为新的配置版本."""
    with session_scope() as session:
        version = config.load_config(session, Actor.system(), path.read_text(encoding="utf-8"))
        count = len(config.categories(session, version))
        number = version.version
    console.print(f"已载入服务配置第 {number} 版，共 {count} 个类别。")


@app.command("categories")
@handle_errors
def categories() -> None:
    """列出当前配置版本的诉求类别、责任部门与时限 (工作日)."""
    from zhizao.reference.models import Unit

    with session_scope() as session:
        version = config.current_version(session)
        console.print(f"服务配置第 {version.version} 版 {version.note}", highlight=False)
        for c in config.categories(session, version):
            unit = session.get(Unit, c.department_id) if c.department_id else None
            indent = "  " if c.parent_id else ""
            typer.echo(
                f"{indent}{c.code} {c.name}  责任部门: {unit.name if unit else '—'}  "
                f"时限: 联系 {c.contact_days} / 答复 {c.reply_days} / 办结 {c.complete_days} 个工作日"
            )


@app.command("overdue")
@handle_errors
def overdue(
    as_of: str | None = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD（默认今天）"),
    record: bool = typer.Option(False, "--record", help="记录当日应做的催办、通报（每日定时运行）"),
    notices_dir: Path | None = typer.Option(
        None,
        "--notices",
        file_okay=False,
        help="与 --record 同用: 把记录的催办通知、通报写成 .docx 放入此目录",
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """超期诉求及下一步（催办、通报），可每日定时运行."""
    day = _date(as_of)
    with session_scope() as session:
        actor = Actor.system()
        recorded = {o.request_id for o in escalation.escalate(session, actor, day)} if record else set()
        reminded = {x.request_id for x in escalation.remind(session, actor, day)} if record else set()
        items = escalation.overdue(session, actor, day)
        late = escalation.lapses(session, actor, day)
        if notices_dir is not None:
            notices_dir.mkdir(parents=True, exist_ok=True)
            for item in items:
                if item.request_id in recorded and item.done:
                    written = notices.notice(session, actor, item.request_id, day, item.done[-1])
                    (notices_dir / written.filename).write_bytes(written.data)
    if as_json:
        echo_json(
            [
                {
                    "request": o.request_id,
                    "title": o.title,
                    "enterprise": o.enterprise,
                    "department": o.department,
                    "due": o.due.isoformat(),
                    "workdays_overdue": o.days_overdue,
                    "done": list(o.done),
                    "next_step": o.next_step,
                    "next_on": o.next_on.isoformat() if o.next_on else None,
                    "recorded": o.request_id in recorded,
                }
                for o in items
            ]
            + [
                {
                    "request": x.request_id,
                    "title": x.title,
                    "enterprise": x.enterprise,
                    "department": x.department,
                    "limit": x.limit,
                    "due": x.due.isoformat(),
                    "workdays_late": x.days_late,
                    "reminded": x.reminded or x.request_id in reminded,
                }
                for x in late
            ]
        )
        return
    for x in late:
        typer.echo(
            f"#{x.request_id} {x.enterprise}「{x.title}」 {x.department}  {x.label}: 时限 {x.due}，"
            f"已过 {x.days_late} 个工作日{'  已提醒' if x.reminded or x.request_id in reminded else ''}"
        )
    if not items:
        console.print(f"截至 {day} 没有超期诉求。")
        return
    for o in items:
        taken = "、".join(escalation.STEP_LABELS[s] for s in o.done) or "无"
        typer.echo(  # one line per 诉求, never wrapped (read by cron mail and scripts)
            f"#{o.request_id} {o.enterprise}「{o.title}」 {o.department}  办结时限 {o.due}  "
            f"超期 {o.days_overdue} 个工作日  已: {taken}  下一步: {o.next_label}"
        )
    if record:
        console.print(f"已记录 {len(recorded)} 条催办/通报，{len(reminded)} 条超时提醒。")


@app.command("import")
def import_requests(
    file: Path = typer.Argument(..., help="诉求工单文件 (.xlsx/.xls/.csv, 如 12345 导出)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查, 不写入"),
    yes: bool = typer.Option(False, "--yes", "-y", help="有警告 (如已导入过的工单编号) 时不再询问"),
) -> None:
    """导入诉求工单: 全部检查无误才登记, 已导入过的工单编号跳过."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        try:
            checked = importing.preview(session, actor, file)
        except UnusableFile as exc:
            err_console.print(f"[red]无法导入[/red] {file.name}: {exc.message}")
            raise typer.Exit(2) from exc
        _show_summary(checked)
        _show_problems(checked)
        if checked.errors:
            err_console.print(f"[red]{ValidationFailed(checked).message}[/red]")
            raise typer.Exit(1)
        if dry_run or not checked.created:
            console.print("[yellow]--dry-run: 未写入[/yellow]" if dry_run else "没有需要登记的诉求")
            return
        if checked.needs_confirmation and not yes:
            _confirm()
        importing.apply(session, actor, file, confirmed=True, expected_fingerprint=checked.fingerprint)
    console.print(f"[green]已登记[/green] {checked.created} 件诉求, 跳过 {checked.unchanged} 行")
