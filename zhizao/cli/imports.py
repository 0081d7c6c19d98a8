"""`zhizao import ...`: enterprises and figures from Excel/CSV, templates, rollback, figure history.

Exit status: 0 when the file was accepted (imported, or would be with --dry-run; a file whose values are all
already stored is accepted and changes nothing), 1 on validation errors (the report path is printed) or an
unconfirmed warning, 2 when the file is unusable (not a spreadsheet, encrypted, no recognisable header).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor
from zhizao.cli.common import console, err_console, handle_errors, lazy
from zhizao.db.session import session_scope
from zhizao.imports.outcome import Preview, ValidationFailed
from zhizao.imports.readers import UnusableFile, open_table
from zhizao.imports.validate import Options

if TYPE_CHECKING:
    from zhizao.enterprises import registry
    from zhizao.imports import apply as importing
    from zhizao.imports import history, report, templates
else:  # imported when a command runs (the checks use NumPy and Arrow)
    registry, importing = lazy("zhizao.enterprises.registry"), lazy("zhizao.imports.apply")
    history, report, templates = (lazy(f"zhizao.imports.{n}") for n in ("history", "report", "templates"))

app = typer.Typer(help="导入: 企业名录与企业指标 (Excel/CSV), 模板, 撤销, 历史.", no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="要导入的文件 (.xlsx/.xls/.csv)", exists=False)]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="有警告或会修改已有数据时不再询问, 直接导入")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只检查并显示将发生的变化, 不写入")]
HistoricalOpt = Annotated[
    bool, typer.Option("--accept-historical-codes", help="校验位不符的历史信用代码作为警告接受")
]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="错误报告保存路径 (默认: 文件旁 <名称>-错误报告.xlsx)")
]


@app.command("enterprises")
def enterprises(
    file: FileArg,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    accept_historical_codes: HistoricalOpt = False,
    report_path: ReportOpt = None,
) -> None:
    """导入企业名录 (统一社会信用代码, 企业名称, 所属区域, 行业代码, ...)."""
    _run(
        "enterprises",
        file,
        Options(accept_historical_codes=accept_historical_codes),
        dry_run,
        yes,
        report_path,
    )


@app.command("figures")
def figures(
    file: FileArg,
    year: Annotated[int | None, typer.Option("--year", help="文件没有「年度」列时使用的年度")] = None,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    accept_historical_codes: HistoricalOpt = False,
    report_path: ReportOpt = None,
) -> None:
    """导入企业指标 (每行一家企业一个年度, 每列一个指标; 表头可写单位, 如 税收(元))."""
    options = Options(year=year, accept_historical_codes=accept_historical_codes)
    _run("figures", file, options, dry_run, yes, report_path)


def _run(kind: str, file: Path, options: Options, dry_run: bool, yes: bool, report_path: Path | None) -> None:
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:

        def preview() -> Preview:
            with _progress(file) as advance:
                return importing.preview(session, actor, file, kind, options, progress=advance)

        checked = review(file, preview, report_path=report_path, dry_run=dry_run, yes=yes)
        if checked is None:
            return
        with _progress(file) as advance:
            result = importing.apply(
                session, actor, file, kind, options, confirmed=True, progress=advance, previewed=checked
            )
    console.print(
        f"[green]已导入[/green] 导入编号 #{result.import_id}: 新增 {checked.created}, "
        f"修改 {checked.updated}, 未变 {checked.unchanged}"
    )


def review(
    file: Path, preview: Callable[[], Preview], *, report_path: Path | None, dry_run: bool, yes: bool
) -> Preview | None:
    """The CLI's side of every import's check: exit 2 when the file is unusable, 1 with an error report
    beside it when it has errors; the summary, problems and changes shown; None when nothing is to be
    written (a dry run, or no change), after asking where a warning needs it."""
    try:
        checked = preview()
    except UnusableFile as exc:
        err_console.print(f"[red]无法导入[/red] {file.name}: {exc.message}")
        raise typer.Exit(2) from exc
    _show_summary(checked)
    if checked.errors:
        out = report_path or file.with_name(f"{file.stem}-错误报告.xlsx")
        report.write_report(open_table(file), checked.problems, out)
        _show_problems(checked)
        err_console.print(f"[red]{ValidationFailed(checked).message}[/red]")
        err_console.print(f"错误报告: {out}")
        raise typer.Exit(1)
    _show_problems(checked)
    _show_changes(checked)
    if dry_run:
        console.print("[yellow]--dry-run: 未写入[/yellow]" if checked.has_changes else "没有变化")
        return None
    if not checked.has_changes:
        console.print("[green]数据已是最新, 没有需要写入的变化[/green]")
        return None
    if checked.needs_confirmation and not yes:
        _confirm()
    return checked


def _confirm() -> None:
    if not sys.stdin.isatty():
        err_console.print(
            "[yellow]有警告或会修改已有数据, 需要确认。未导入; 确认无误后加 --yes 重新运行。[/yellow]"
        )
        raise typer.Exit(1)
    if not typer.confirm("确认导入?", default=False):
        err_console.print("已取消, 未导入")
        raise typer.Exit(1)


class _progress:
    """A Rich progress bar over rows (shown only on a terminal, for files of some size)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not console.is_terminal or not self.file.is_file() or self.file.stat().st_size < 1 << 20:
            return None
        try:
            total = open_table(self.file).estimated_rows()
        except UnusableFile:
            return None
        self.bar = Progress(
            TextColumn("读取行"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
        )
        self.bar.start()
        task = self.bar.add_task("rows", total=total)
        assert self.bar is not None
        bar = self.bar
        return lambda n: bar.advance(task, n)

    def __exit__(self, *_exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _show_summary(checked: Preview) -> None:
    console.print(
        f"{checked.filename} ({checked.file_type}): 有效数据行 {checked.rows_total}; "
        f"新增 {checked.created}, 修改 {checked.updated}, 未变 {checked.unchanged}; "
        f"错误 {checked.errors}, 警告 {checked.warnings}"
    )
    if checked.ignored_columns:
        console.print(f"[dim]未识别、已忽略的列: {'、'.join(checked.ignored_columns)}[/dim]")


def _show_problems(checked: Preview, limit: int = 50) -> None:
    for problem in checked.problems[:limit]:
        colour = "red" if problem.severity == "error" else "yellow"
        label = report.SEVERITY_LABELS.get(problem.severity, problem.severity)
        err_console.print(f"  [{colour}]{label}[/{colour}] {report.problem_where(problem)} {problem.message}")
    more = checked.errors + checked.warnings - min(limit, len(checked.problems))
    if more > 0:
        err_console.print(f"  ... 另有 {more} 条, 见错误报告")


def _show_changes(checked: Preview, limit: int = 50) -> None:
    if not checked.changes:
        return
    table = RichTable(title=f"将修改的已有数据 ({checked.updated})")
    for title in ("行", "信用代码", "企业", "项目", "年度", "原值", "新值"):
        table.add_column(title)
    for change in checked.changes[:limit]:
        period = (
            "" if change.year is None else f"{change.year}" + (f"-{change.month:02d}" if change.month else "")
        )
        table.add_row(
            str(change.row),
            change.credit_code,
            change.name,
            change.label,
            period,
            str(change.old),
            str(change.new),
        )
    console.print(table)


@app.command("template")
@handle_errors
def template(
    kind: Annotated[str, typer.Argument(help="enterprises 或 figures")],
    out: Annotated[Path, typer.Option("--out", help="保存路径 (.xlsx)")],
) -> None:
    """生成导入模板 (表头、说明批注、下拉列表、示例行)."""
    with session_scope() as session:
        templates.write_template(session, kind, out)
    console.print(f"[green]模板已保存[/green] {out}")


@app.command("rollback")
@handle_errors
def rollback(import_id: Annotated[int, typer.Argument(help="导入编号")]) -> None:
    """撤销一次导入: 恢复原值, 删除该次导入新增的数据."""
    actor = Actor.system()
    with acting_as(actor.username), session_scope() as session:
        restored = history.rollback(session, actor, import_id)
    console.print(f"[green]已撤销导入 #{import_id}[/green]: 恢复 {restored} 项")


@app.command("history")
@handle_errors
def show_history(
    code: Annotated[str, typer.Argument(metavar="CREDIT_CODE", help="统一社会信用代码")],
) -> None:
    """显示一家企业的指标修改历史."""
    actor = Actor.system()
    with session_scope() as session:
        enterprise_id = registry.enterprise_id_for_code(session, actor, code)
        entries = history.figure_history(session, actor, enterprise_id)
    table = RichTable(title=f"{code} 指标修改历史")
    for title in ("时间", "操作人", "来源", "指标", "期间", "原值", "新值"):
        table.add_column(title)
    for e in entries:
        source = e.reason_label + (f" #{e.import_id}" if e.import_id else "")
        period = f"{e.year}" + (f"-{e.month:02d}" if e.month else "")
        table.add_row(
            f"{e.at:%Y-%m-%d %H:%M}",
            e.actor,
            source,
            e.indicator_label,
            period,
            str(e.old_value),
            str(e.new_value),
        )
    console.print(table)
