"""`zhizao projects ...`: the monthly 调度 import and form, progress by group, baselines and re-plans,
reminders, 达效 and the area's settings.

`import` exits like `zhizao import`: 0 when the file was accepted (or would be, with --dry-run), 1 on
validation errors (the error report's path is printed) or an unconfirmed warning, 2 for an unusable file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table as RichTable

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.cli.common import console, echo_json, handle_errors, lazy
from zhizao.cli.imports import registry, review
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput
from zhizao.plans.units import find_unit

if TYPE_CHECKING:
    from zhizao.projects import baseline, effect, export, facts, form, importing, progress, reminders
    from zhizao.projects import settings as project_settings
else:  # imported when a command runs (the rates and exports use Ibis)
    baseline, effect, export, facts, form, importing, progress, reminders = (
        lazy(f"zhizao.projects.{n}")
        for n in ("baseline", "effect", "export", "facts", "form", "importing", "progress", "reminders")
    )
    project_settings = lazy("zhizao.projects.settings")

app = typer.Typer(
    help="重点项目: 月度调度导入与填报表, 进度汇总, 基线与计划调整, 催报, 达效.", no_args_is_help=True
)

GROUPS = ("all", "kind", "level", "region", "chain", "unit")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"日期应为 YYYY-MM-DD：{text}") from None


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
    except ValueError:
        raise typer.BadParameter(f"月份应为 YYYY-MM：{text}") from None
    if not 1 <= month <= 12:
        raise typer.BadParameter(f"月份应为 YYYY-MM：{text}")
    return year, month


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="调度表 (.xlsx/.xls/.csv)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并显示将发生的变化, 不写入")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="有警告或会修改计划、已报数据时不再询问, 直接导入")
    ] = False,
    report_path: Annotated[
        Path | None, typer.Option("--report", help="错误报告保存路径 (默认: 文件旁 <名称>-错误报告.xlsx)")
    ] = None,
) -> None:
    """导入月度调度表 (每行一个项目一个月; 首次出现的项目按该行新建)."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        checked = review(
            file,
            lambda: importing.preview(session, actor, file),
            report_path=report_path,
            dry_run=dry_run,
            yes=yes,
        )
        if checked is None:
            return
        result = importing.apply(
            session, actor, file, confirmed=True, expected_fingerprint=checked.fingerprint
        )
    console.print(
        f"[green]已导入[/green] 导入编号 #{result.import_id}: 新增 {checked.created}, "
        f"修改 {checked.updated}, 未变 {checked.unchanged}"
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


@app.command("progress")
@handle_errors
def show_progress(
    as_of: Annotated[str, typer.Option("--as-of", help="截至日期 YYYY-MM-DD (非月末时按上月末)")],
    group_by: Annotated[
        str, typer.Option("--group-by", help="分组: all|kind|level|region|chain|unit")
    ] = "all",
    output: Annotated[str, typer.Option("--format", help="输出: table|json|xlsx")] = "table",
    basis: Annotated[
        str, typer.Option("--basis", help="计划口径: plan (现行计划) 或 baseline (基线)")
    ] = "plan",
    out: Annotated[Path | None, typer.Option("--out", help="xlsx 保存路径")] = None,
) -> None:
    """年度投资完成率与时间进度、状态、开工率、竣工率、投产率 (按组)."""
    if group_by not in GROUPS:
        raise InvalidInput(f"未知的分组: {group_by}（可选: {'|'.join(GROUPS)}）")
    if output not in ("table", "json", "xlsx"):
        raise InvalidInput("输出格式应为 table、json 或 xlsx")
    with session_scope() as session:
        result = progress.progress(session, Actor.system(), _day(as_of), group_by, basis)  # type: ignore[arg-type]
    if output == "json":
        echo_json(result.as_json())
        return
    if output == "xlsx":
        target = out or Path(f"重点项目调度汇总-{result.period.end.isoformat()}.xlsx")
        target.write_bytes(export.progress_workbook(result))
        console.print(f"[green]已保存[/green] {target}")
        return
    table = RichTable(title=f"重点项目调度汇总 截至{result.period.end} ({facts.BASIS_LABELS[result.basis]})")
    for title in (
        "分组",
        "项目",
        "年度计划",
        "本年完成",
        "完成率",
        "时间进度",
        "与时间进度相比",
        "状态",
        "开工率",
        "竣工率",
        "投产率",
    ):
        table.add_column(title)
    for g in result.groups:
        table.add_row(
            g.label,
            str(g.projects),
            f"{g.year_plan:,.0f}",
            f"{g.year_actual:,.0f}",
            _pct(g.completion_rate),
            _pct(g.time_progress),
            g.gap_text,
            g.status_label,
            f"{_pct(g.start_rate)} ({g.actual_starts}/{g.planned_starts})",
            f"{_pct(g.completion_count_rate)} ({g.actual_completions}/{g.planned_completions})",
            f"{_pct(g.production_rate)} ({g.in_production}/{g.under_construction})",
        )
    console.print(table)
    console.print("[dim]金额单位: 万元; 停缓建项目不计入开工率、竣工率、投产率[/dim]")


@app.command("form")
@handle_errors
def download_form(
    month: Annotated[str, typer.Option("--month", help="报告月份 YYYY-MM")],
    out: Annotated[Path, typer.Option("--out", help="保存路径 (.xlsx)")],
    unit: Annotated[str | None, typer.Option("--unit", help="只含该责任单位的项目 (单位名称)")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="只含该业主企业的项目 (统一社会信用代码)")
    ] = None,
) -> None:
    """生成月度调度填报表 (附上月数值)."""
    year, number = _month(month)
    actor = Actor.system()
    with session_scope() as session:
        unit_id = find_unit(session, unit).id if unit else None
        owner_id = registry.enterprise_id_for_code(session, actor, owner) if owner else None
        content = form.write_form(session, actor, year, number, unit_id=unit_id, enterprise_id=owner_id)
    out.write_bytes(content)
    console.print(f"[green]填报表已保存[/green] {out}")


@app.command("baseline")
@handle_errors
def freeze_baseline(
    year: Annotated[int, typer.Option("--year", help="年度")],
    on: Annotated[str | None, typer.Option("--on", help="冻结日期 (默认该年1月1日)")] = None,
) -> None:
    """冻结年初基线 (有该年计划、尚无基线的项目)."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        count = baseline.freeze_year_start(session, actor, year, _day(on) if on else None)
    console.print(f"[green]已冻结[/green] {year}年年初基线 {count} 个项目")


@app.command("replan")
@handle_errors
def replan(
    project_id: Annotated[int, typer.Argument(help="项目编号")],
    year: Annotated[int, typer.Option("--year", help="年度")],
    reason: Annotated[str, typer.Option("--reason", help="调整原因")],
    approved_by: Annotated[str, typer.Option("--approved-by", help="批准人或批准单位")],
    annual_plan: Annotated[
        float | None, typer.Option("--annual-plan", help="新的年度计划投资 (万元)")
    ] = None,
    total: Annotated[float | None, typer.Option("--total", help="新的计划总投资 (万元)")] = None,
    on: Annotated[str | None, typer.Option("--on", help="批准日期 (默认今天)")] = None,
) -> None:
    """经批准的计划调整: 修改现行计划并冻结为新的基线版本."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        row = baseline.replan(
            session,
            actor,
            project_id,
            year,
            on=_day(on) if on else date.today(),
            reason=reason,
            approved_by=approved_by,
            annual_plan=annual_plan,
            total_investment=total,
        )
        version = row.version
    console.print(f"[green]已调整[/green] 项目 #{project_id} {year}年基线版本 {version}")


@app.command("remind")
@handle_errors
def remind(
    month: Annotated[str, typer.Option("--month", help="报告月份 YYYY-MM")],
    today: Annotated[str | None, typer.Option("--today", help="按此日期判断是否逾期 (默认今天)")] = None,
) -> None:
    """列出未报送月度调度的责任单位 (期限按工作日历计算)."""
    year, number = _month(month)
    with session_scope() as session:
        found = reminders.missing_reports(
            session, Actor.system(), year, number, _day(today) if today else date.today()
        )
    if not found:
        console.print(f"[green]{year}年{number}月调度已全部报送[/green]")
        return
    table = RichTable(title=f"{year}年{number}月调度未报送")
    for title in ("责任单位", "项目数", "期限", "提醒"):
        table.add_column(title)
    for m in found:
        table.add_row(m.who, str(len(m.projects)), m.deadline.isoformat(), m.message)
    console.print(table)


@app.command("effect")
@handle_errors
def show_effect(
    as_of: Annotated[str, typer.Option("--as-of", help="截至日期 YYYY-MM-DD")],
) -> None:
    """已竣工项目的达效与投入产出比, 以及竣工未达效清单."""
    with session_scope() as session:
        actor = Actor.system()
        day = _day(as_of)
        done = effect.completed(session, actor, day)
        waiting = {p.id for p in effect.not_yet_effective(session, actor, day)}
        table = RichTable(title=f"竣工项目达效情况 截至{day}")
        for title in ("项目", "竣工日期", "达效年", "新增产值(万元)", "来源", "投入产出比", "竣工未达效"):
            table.add_column(title)
        for e in done:
            table.add_row(
                e.project.name,
                str(e.project.complete_actual),
                str(e.effect_year or "—"),
                "—" if e.new_output is None else f"{e.new_output:,.0f}",
                e.basis_label,
                "—" if e.ratio is None else f"{e.ratio:g}",
                "是" if e.project.id in waiting else "",
            )
    console.print(table)
    console.print(f"[dim]{effect.DEFINITION}[/dim]")


@app.command("settings")
@handle_errors
def settings(
    add_kind: Annotated[list[str] | None, typer.Option("--add-kind", help="增加项目类型 (可重复)")] = None,
    ahead: Annotated[float | None, typer.Option("--ahead", help="超前阈值: 高于时间进度的百分点")] = None,
    lagging: Annotated[float | None, typer.Option("--lagging", help="滞后阈值: 低于时间进度的百分点")] = None,
    severe: Annotated[
        float | None, typer.Option("--severe", help="严重滞后阈值: 低于时间进度的百分点")
    ] = None,
    rounding: Annotated[
        str | None, typer.Option("--rounding", help="比率取舍: round (四舍五入) 或 truncate (截断)")
    ] = None,
    decimals: Annotated[int | None, typer.Option("--decimals", help="比率小数位数")] = None,
    report_workday: Annotated[
        int | None, typer.Option("--report-workday", help="调度报送期限: 次月第N个工作日")
    ] = None,
) -> None:
    """查看或修改重点项目设置 (项目类型、状态阈值、比率取舍、报送期限)."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        current = project_settings.update(
            session,
            actor,
            add_kinds=tuple(add_kind or ()),
            ahead_pp=ahead,
            lagging_pp=lagging,
            severe_pp=severe,
            rounding=rounding,
            decimals=decimals,
            report_workday=report_workday,
        )
    mode = "截断" if current.rounding == "truncate" else "四舍五入"
    console.print(f"项目类型: {'、'.join(current.kinds)}")
    console.print(
        f"状态: 超前 > +{current.ahead_pp:g} 个百分点; 滞后 < −{current.lagging_pp:g}; "
        f"严重滞后 < −{current.severe_pp:g}"
    )
    console.print(
        f"比率: 保留 {current.decimals} 位小数 ({mode}); "
        f"调度报送期限: 次月第 {current.report_workday} 个工作日"
    )
