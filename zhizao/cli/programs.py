"""`zhizao programs`: the cultivation programmes, population runs and one enterprise's explanation."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zhizao.cli.common import console, handle_errors
from zhizao.errors import InvalidInput

app = typer.Typer(
    help="企业培育: 培育项目 (梯度培育、小升规、开门红、帮包、倍增) 的资格判断", no_args_is_help=True
)

STATUS_LABELS = {
    "eligible": "[green]符合[/green]",
    "not_eligible": "[red]不符合[/red]",
    "possible": "[yellow]可能符合[/yellow]",
    "manual_review": "[cyan]需人工审核[/cyan]",
    "met": "[green]满足[/green]",
    "not_met": "[red]不满足[/red]",
    "unknown": "[yellow]缺数据[/yellow]",
}


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"--as-of 应为日期 YYYY-MM-DD, 而不是 {text!r}") from exc


def _application(text: str) -> str:
    if text not in ("new", "renewal"):
        raise InvalidInput(f"--application 只能是 new (新申请) 或 renewal (复核), 而不是 {text!r}")
    return text


@app.command("list")
@handle_errors
def list_programmes(
    as_of: Annotated[str | None, typer.Option("--as-of", help="只列出这一天施行的规则 (YYYY-MM-DD)")] = None,
) -> None:
    """列出所有培育项目: 编号、名称、文号、施行日期和适用范围。"""
    from zhizao.cultivation.programme import shipped

    day = _as_of(as_of) if as_of else None
    table = Table()
    table.add_column("编号", no_wrap=True)
    table.add_column("名称")
    table.add_column("文号")
    table.add_column("施行", no_wrap=True)
    table.add_column("新申请截止", no_wrap=True)
    table.add_column("适用")
    table.add_column("当日施行")
    for p in shipped():
        in_force = "" if day is None else ("是" if p.in_force(day) or p.in_force(day, "renewal") else "否")
        applies = "、".join({"new": "新申请", "renewal": "复核"}[a] for a in p.applies_to)
        to = p.effective_to.isoformat() if p.effective_to else ""
        table.add_row(p.id, p.name, p.document, p.effective_from.isoformat(), to, applies, in_force)
    console.print(table)


@app.command("run")
@handle_errors
def run(
    program: Annotated[
        str | None, typer.Option("--program", help="只算这个项目 (编号或项目族, 如 zhuanjingtexin)")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断日期 YYYY-MM-DD (默认今天)")] = None,
    application: Annotated[str, typer.Option("--application", help="new (新申请) 或 renewal (复核)")] = "new",
    out: Annotated[Path | None, typer.Option("--out", help="结果文件: .csv、.xlsx 或 .parquet")] = None,
    store: Annotated[bool, typer.Option("--store", help="保存这次运行, 并与上一次比较")] = False,
    backend: Annotated[str, typer.Option("--backend", help="计算后端: duckdb (默认) 或 pyspark")] = "duckdb",
) -> None:
    """对数据库中的每家企业、每个当日施行的培育项目判断资格; 每家企业每个项目一行。"""
    from zhizao.auth.scope import Actor
    from zhizao.cultivation.programme import in_force, shipped
    from zhizao.cultivation.runs import diff_runs, evaluate_database, previous_run, store_run
    from zhizao.db.session import session_scope
    from zhizao.evaluation.backends import connect, is_backend_name
    from zhizao.evaluation.outputs import write_table

    if not is_backend_name(backend):
        raise InvalidInput(f"--backend 只能是 duckdb 或 pyspark, 而不是 {backend!r}")
    day = _as_of(as_of)
    programmes = in_force(shipped(), day, _application(application), only=program)
    if not programmes:
        raise InvalidInput(f"{day} 没有施行的培育项目" + (f" {program}" if program else ""))
    actor = Actor.system()
    with session_scope() as session:
        outcomes = evaluate_database(session, actor, programmes, day, backend=connect(backend))
        if out is not None:
            import pandas as pd

            rows = [
                {
                    "credit_code": o.credit_code,
                    "program": o.programme,
                    "status": o.status,
                    "level": o.level,
                    "criteria": json.dumps(o.criteria, ensure_ascii=False, default=str),
                }
                for o in outcomes
            ]
            write_table(
                pd.DataFrame(rows, columns=["credit_code", "program", "status", "level", "criteria"]), out
            )
        _print_counts(outcomes, [p.id for p in programmes], day)
        if store:
            stored = store_run(
                session, actor, programmes, day, outcomes, application=application, backend=backend
            )
            console.print(f"已保存为培育运行 {stored.id}")
            before = previous_run(session, stored)
            if before is not None:
                changes = diff_runs(session, actor, before.id, stored.id)
                _print_changes(changes, before.id)
    if out is not None:
        console.print(f"已写出 {len(outcomes)} 行: {out}")


def _print_counts(outcomes: list, programme_ids: list[str], day: date) -> None:
    table = Table("项目", "符合", "可能符合", "需人工审核", "不符合", title=f"{day} 资格判断")
    for pid in programme_ids:
        mine = [o.status for o in outcomes if o.programme == pid]
        counts = [str(mine.count(s)) for s in ("eligible", "possible", "manual_review", "not_eligible")]
        table.add_row(pid, *counts)
    console.print(table)


def _print_changes(changes: list, before_id: int) -> None:
    words = {"newly_eligible": "新符合", "newly_at_risk": "新出现风险", "lost": "不再符合"}
    if not changes:
        console.print(f"与运行 {before_id} 相比没有变化")
        return
    table = Table("统一社会信用代码", "项目", "变化", "之前", "现在", title=f"与运行 {before_id} 相比")
    for c in changes:
        table.add_row(c.credit_code, c.programme, words[c.kind], c.before or "", c.after or "")
    console.print(table)


@app.command("explain")
@handle_errors
def explain(
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码")],
    program: Annotated[str | None, typer.Option("--program", help="只看这个项目 (编号或项目族)")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断日期 YYYY-MM-DD (默认今天)")] = None,
    application: Annotated[str, typer.Option("--application", help="new (新申请) 或 renewal (复核)")] = "new",
) -> None:
    """逐条说明一家企业在各培育项目上的判断: 数值、门槛、差距、数据来源和期间、条款。"""
    from sqlalchemy import select

    from zhizao.auth.scope import Actor
    from zhizao.cultivation.programme import in_force, shipped
    from zhizao.cultivation.runs import evaluate_database
    from zhizao.db.session import session_scope
    from zhizao.enterprises.models import Enterprise
    from zhizao.errors import NotFound

    day = _as_of(as_of)
    programmes = in_force(shipped(), day, _application(application), only=program)
    with session_scope() as session:
        eid = session.scalar(
            select(Enterprise.id).where(Enterprise.credit_code == credit_code.strip().upper())
        )
        if eid is None:
            raise NotFound(f"没有统一社会信用代码为 {credit_code} 的企业")
        outcomes = evaluate_database(session, Actor.system(), programmes, day, only=[eid])
    for o in outcomes:
        level = f" ({o.level})" if o.level else ""
        console.print(f"\n[bold]{o.programme}[/bold] {STATUS_LABELS[o.status]}{level}")
        table = Table("条件", "判断", "数值", "门槛", "差距", "来源", "期间", "条款")
        for c in o.criteria:
            value = "" if c["value"] is None else str(c["value"])
            threshold = "" if c["threshold"] is None else str(c["threshold"])
            table.add_row(
                c["label"],
                STATUS_LABELS.get(c["status"], c["status"]),
                value,
                threshold + (c["unit"] or ""),
                c["gap"],
                c["source"],
                c["period"],
                c["clause"],
            )
        console.print(table)


@app.command("titles-import")
@handle_errors
def titles_import(
    path: Annotated[
        Path, typer.Argument(help="认定名单 (.xlsx 或 .csv), 含 统一社会信用代码 和/或 企业名称 列")
    ],
    title: Annotated[
        str, typer.Option("--title", help="称号: gaoqi、chuangxinxing、zhuanjingtexin、xiaojuren …")
    ],
    year: Annotated[int, typer.Option("--year", help="认定年度 (有效期三年)")],
    recognised_on: Annotated[
        str | None, typer.Option("--date", help="认定日期 YYYY-MM-DD (默认当年1月1日)")
    ] = None,
    confirm_names: Annotated[
        bool, typer.Option("--confirm-names", help="按企业名称匹配到的也写入 (默认只列出, 待确认)")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只匹配并报告, 不写入")] = False,
) -> None:
    """导入公布的认定名单: 按信用代码匹配, 或按名称匹配后确认; 写入称号和有效期。"""
    from zhizao.auth.scope import Actor
    from zhizao.cultivation.titles import import_titles
    from zhizao.db.session import session_scope

    day = _as_of(recognised_on) if recognised_on else None
    with session_scope() as session:
        found = import_titles(
            session,
            Actor.system(),
            path,
            title,
            year,
            recognised_on=day,
            confirm_names=confirm_names,
            dry_run=dry_run,
        )
    names = "" if confirm_names else " (未写入, 加 --confirm-names 确认)"
    console.print(f"按信用代码匹配 {len(found.by_code)} 家, 按名称匹配 {len(found.by_name)} 家{names}")
    console.print(
        f"未匹配 {len(found.unmatched)} 家; " + ("试运行, 未写入" if dry_run else f"写入 {found.written} 条")
    )
    for row in found.unmatched[:50]:
        console.print(f"  第{row.row}行 未匹配: {row.credit_code} {row.name}")


@app.command("titles-due")
@handle_errors
def titles_due(
    as_of: Annotated[str | None, typer.Option("--as-of", help="日期 YYYY-MM-DD (默认今天)")] = None,
    days: Annotated[int, typer.Option("--days", help="提前多少天提醒复核", min=1, max=1100)] = 180,
) -> None:
    """列出即将到期、需要复核的称号。"""
    from zhizao.auth.scope import Actor
    from zhizao.cultivation.titles import TITLE_LABELS, renewal_alerts
    from zhizao.db.session import session_scope

    day = _as_of(as_of)
    with session_scope() as session:
        alerts = renewal_alerts(session, Actor.system(), day, days)
    table = Table(
        "统一社会信用代码", "企业", "称号", "有效期至", "剩余天数", title=f"{day} 起 {days} 天内到期"
    )
    for a in alerts:
        table.add_row(a.credit_code, a.name, TITLE_LABELS[a.title], a.valid_to.isoformat(), str(a.days_left))
    console.print(table)
