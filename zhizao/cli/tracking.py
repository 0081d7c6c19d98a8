"""`zhizao remind` and `zhizao report ...`: tracking jobs (cron-able) and the monthly documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from zhizao.cli.common import console, echo_json, handle_errors
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.plans.units import find_unit

report_app = typer.Typer(help="督查通报与台账 (bulletins and ledgers).", no_args_is_help=True)


def _date(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in value.split("-"))
        date(year, month, 1)
    except ValueError:
        raise InvalidInput(f"月份格式应为 YYYY-MM：{value}") from None
    return year, month


@handle_errors
def remind(
    as_of: str | None = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD（默认今天）"),
    unit: str | None = typer.Option(None, "--unit", help="只提醒这个单位（名称）"),
    plan: int | None = typer.Option(None, "--plan", help="只看这个规划"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """逾期、临期、本月未报送、受阻的任务提醒，按单位列出并交给通知器（默认写日志）。"""
    from zhizao.tracking.alerts import LogNotifier, send_reminders

    day = _date(as_of)
    with session_scope() as session:
        unit_id = find_unit(session, unit).id if unit else None
        grouped = send_reminders(session, day, LogNotifier(), unit_id=unit_id, plan_id=plan)
    if as_json:
        echo_json(
            {
                name: [{"kind": a.kind.value, "task": a.task_label, "message": a.message} for a in alerts]
                for name, alerts in grouped.items()
            }
        )
        return
    if not grouped:
        console.print(f"截至 {day} 没有需要提醒的任务。")
        return
    for name, alerts in grouped.items():
        console.print(f"[bold]{name}[/bold]（{len(alerts)} 条）")
        for alert in alerts:
            console.print(f"  [{alert.label}] {alert.task_label} — {alert.message}", markup=False)


@report_app.command("bulletin")
@handle_errors
def bulletin(
    plan: int = typer.Option(..., "--plan", help="规划编号"),
    month: str = typer.Option(..., "--month", help="月份 YYYY-MM"),
    out: Path = typer.Option(..., "--out", help="输出 .docx 文件"),
    doc_number: str | None = typer.Option(
        None, "--number", help="发文字号，如 X工信督〔2024〕6号（默认：督查通报〔年〕第N期）"
    ),
    copy_number: str | None = typer.Option(None, "--copy-number", help="份号（涉密公文才标注）"),
    classification: str | None = typer.Option(None, "--secret", help="密级和保密期限，如 秘密★1年"),
    cc: list[str] = typer.Option([], "--cc", help="抄送机关（可重复）"),
    printer: str | None = typer.Option(None, "--printer", help="印发机关（默认：发文机关办公室）"),
    printed_on: str | None = typer.Option(None, "--printed-on", help="印发日期 YYYY-MM-DD（默认：月末）"),
) -> None:
    """生成月度督查通报（GB/T 9704 公文格式 .docx：版头、正文、附件表、版记）。"""
    from zhizao.auth.scope import Actor
    from zhizao.office.masthead import MastheadOptions, parse_masthead
    from zhizao.tracking.bulletin import build_bulletin

    year, number = _month(month)
    masthead = parse_masthead(
        MastheadOptions(
            number=doc_number or "",
            copy_number=copy_number or "",
            classification=classification or "",
            cc="\n".join(cc),
            printer=printer or "",
            printed_on=printed_on or "",
        )
    )
    with session_scope() as session:
        result = build_bulletin(session, Actor.system(), plan, year, number, masthead=masthead)
    out.write_bytes(result.data)
    console.print(f"[green]已生成[/green] {out}")
    for note in result.notes:
        console.print(f"  注：{note}", markup=False)


@report_app.command("ledger")
@handle_errors
def ledger(
    plan: int = typer.Option(..., "--plan", help="规划编号"),
    out: Path = typer.Option(..., "--out", help="输出 .xlsx 文件"),
    as_of: str | None = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD（默认今天）"),
) -> None:
    """生成工作台账（.xlsx：目标表与任务表）。"""
    from zhizao.auth.scope import Actor
    from zhizao.tracking.ledger import build_ledger

    with session_scope() as session:
        data = build_ledger(session, Actor.system(), plan, _date(as_of))
    out.write_bytes(data)
    console.print(f"[green]已生成[/green] {out}")
