"""`zhizao plan import | list | export`: stored plans (review, confirm) and the 任务分解表 workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from zhizao.auth.scope import Actor
from zhizao.cli.common import console, echo_json, handle_errors, lazy
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.plans.units import find_unit, unmatched_units

if TYPE_CHECKING:
    from zhizao.plans import export, intake, queries, store
else:  # imported when a command runs (exports write workbooks)
    export, intake, queries, store = (
        lazy(f"zhizao.plans.{n}") for n in ("export", "intake", "queries", "store")
    )


def _date_option(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{name} 的日期格式应为 YYYY-MM-DD: {value}") from exc


@handle_errors
def import_plan(
    file: Path = typer.Argument(
        ..., help="政策文件: .txt、.docx、.html、带文字层的 .pdf,或 .doc/.wps(需 LibreOffice)"
    ),
    confirm: bool = typer.Option(False, "--confirm", help="直接接受全部条目并确认计划 (不经人工审核)"),
) -> None:
    """导入政策文件为待审核计划 (import a policy document as a plan in review)."""
    actor = Actor.system()
    with session_scope() as session:
        plan = intake.import_document(session, actor, file)
        if confirm:
            store.confirm_plan(session, actor, plan.id, accept_pending=True)
        unmatched = unmatched_units(session, plan.id)
        console.print(
            f"[green]已导入[/green] 计划 {plan.id}: {plan.title} "
            f"({len(plan.targets)} 个目标, {len(plan.tasks)} 项任务, "
            f"{'已确认' if plan.status == 'confirmed' else '待审核'})"
        )
        if unmatched:
            names = "、".join(u.text for u in unmatched)
            console.print(f"[yellow]未匹配的单位[/yellow] {names} (请在网页审核页面中对应一次)")


@handle_errors
def list_plans(
    status: str | None = typer.Option(
        None, "--status", help="只列出此状态: review (待审核) 或 confirmed (已确认)"
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """列出已导入的计划 (list stored plans)."""
    if status not in (None, "review", "confirmed"):
        raise InvalidInput(f"状态无效: {status} (应为 review 或 confirmed)")
    with session_scope() as session:
        plans = queries.list_plans(session, Actor.system(), status=status)
    if as_json:
        echo_json(
            [
                {
                    "id": p.id,
                    "title": p.title,
                    "doc_number": p.doc_number,
                    "year": p.year,
                    "status": p.status,
                    "targets": p.targets,
                    "tasks": p.tasks,
                    "pending": p.pending,
                }
                for p in plans
            ]
        )
        return
    table = Table(title=f"计划 ({len(plans)})")
    for column in ("编号", "标题", "文号", "年份", "状态", "目标", "任务", "待审核"):
        table.add_column(column)
    for p in plans:
        table.add_row(
            str(p.id),
            p.title,
            p.doc_number or "",
            str(p.year or ""),
            p.status_label,
            str(p.targets),
            str(p.tasks),
            str(p.pending),
        )
    console.print(table)


@handle_errors
def export_plan(
    plan_id: int = typer.Argument(..., help="计划编号 (见 zhizao plan list)"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="输出的 .xlsx 文件 (默认: 当前目录, 以计划标题命名)"
    ),
    unit: str | None = typer.Option(None, "--unit", help="只导出此单位承担的任务 (单位名称或简称)"),
    due_from: str | None = typer.Option(None, "--due-from", help="完成时限不早于此日期 (YYYY-MM-DD)"),
    due_to: str | None = typer.Option(None, "--due-to", help="完成时限不晚于此日期 (YYYY-MM-DD)"),
) -> None:
    """导出计划的任务分解表和目标表 Excel (export a plan's 任务分解表 workbook)."""
    start, end = _date_option(due_from, "--due-from"), _date_option(due_to, "--due-to")
    with session_scope() as session:
        unit_id = find_unit(session, unit).id if unit else None
        filename, content = export.export_plan(
            session, Actor.system(), plan_id, unit_id=unit_id, due_from=start, due_to=end
        )
    target = out or Path(filename)
    if target.suffix.lower() != ".xlsx":
        raise InvalidInput(f"输出文件应以 .xlsx 结尾: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    console.print(f"[green]已导出[/green] {target}")
