"""`zhizao calendar ...`: the working-day calendar (statutory holidays, 调休, local overrides)."""

from __future__ import annotations

from datetime import date

import typer

from zhizao.audit.log import acting_as
from zhizao.cli.common import console, handle_errors
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.reference import workdays

app = typer.Typer(help="工作日日历: 法定节假日、调休与本地例外 (working-day calendar).", no_args_is_help=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD: {text!r}") from None


def _warn_uncovered(calendar: workdays.WorkCalendar, *days: date) -> None:
    for year in sorted({d.year for d in days}):
        if calendar.source(year) == "weekends":
            console.print(
                f"[yellow]注意[/yellow] {year}年节假日安排尚未收录，按周末计算；"
                "可用 zhizao calendar set 录入当年安排",
                highlight=False,
            )


@app.command("add-workdays")
@handle_errors
def add_workdays(
    day: str = typer.Argument(..., help="起始日期 YYYY-MM-DD (不计入)"),
    count: int = typer.Argument(..., help="工作日数 (负数为向前推算)"),
) -> None:
    """打印起始日期之后第 N 个工作日 (the date N working days after DATE)."""
    start = _date(day)
    with session_scope() as session:
        calendar = workdays.load(session)
    result = calendar.add_workdays(start, count)
    _warn_uncovered(calendar, start, result)
    typer.echo(result.isoformat())


@app.command("is-workday")
@handle_errors
def is_workday(day: str = typer.Argument(..., help="日期 YYYY-MM-DD")) -> None:
    """打印该日是否为工作日: 是/否 (prints 是 or 否)."""
    with session_scope() as session:
        calendar = workdays.load(session)
    info = calendar.info(_date(day))
    _warn_uncovered(calendar, info.day)
    typer.echo("是" if info.workday else "否")


@app.command("show")
@handle_errors
def show(
    start: str = typer.Argument(..., help="起始日期 YYYY-MM-DD"),
    end: str = typer.Argument(..., help="截止日期 YYYY-MM-DD"),
) -> None:
    """列出一段日期中的节假日与调休上班日 (holidays and make-up working days in a span)."""
    first, last = _date(start), _date(end)
    if last < first or (last - first).days > 400:
        raise InvalidInput("截止日期应在起始日期之后，且跨度不超过400天")
    with session_scope() as session:
        calendar = workdays.load(session)
    day = first
    while day <= last:
        info = calendar.info(day)
        weekend = day.weekday() >= 5
        if info.workday == weekend or info.source == "override":
            kind = "工作日" if info.workday else "休息日"
            note = info.note or ""
            typer.echo(f"{day.isoformat()}\t{kind}\t{note}\t{workdays.SOURCE_LABELS[info.source]}")
        day = date.fromordinal(day.toordinal() + 1)
    _warn_uncovered(calendar, first, last)


@app.command("set")
@handle_errors
def set_day(
    day: str = typer.Argument(..., help="日期 YYYY-MM-DD"),
    workday: bool = typer.Option(..., "--workday/--holiday", help="设为工作日或休息日"),
    note: str = typer.Option("", "--note", help="说明, 如 春节调休上班 或 本地节日"),
) -> None:
    """录入日历例外: 本地节日, 或库尚未收录的下一年安排 (an override)."""
    target = _date(day)
    with session_scope() as session, acting_as("system"):
        workdays.set_day(session, target, workday=workday, note=note)
    console.print(f"[green]已录入[/green] {target.isoformat()} {'工作日' if workday else '休息日'} {note}")


@app.command("unset")
@handle_errors
def unset_day(day: str = typer.Argument(..., help="日期 YYYY-MM-DD")) -> None:
    """删除一条日历例外 (remove an override)."""
    target = _date(day)
    with session_scope() as session, acting_as("system"):
        removed = workdays.clear_day(session, target)
    console.print("[green]已删除[/green]" if removed else f"{target.isoformat()} 没有录入例外")
