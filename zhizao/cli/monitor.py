"""`zhizao monitor ...` and `zhizao report operations`: industrial operations monitoring (工业运行监测)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from zhizao.cli.common import console, echo_json, handle_errors
from zhizao.cli.tracking import _month
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput

if TYPE_CHECKING:
    from zhizao.evaluation.backends import BackendName
    from zhizao.monitoring.groupings import GroupBy

app = typer.Typer(
    help="工业运行监测：增速、拉动、增长面与预警 (industrial operations monitoring).", no_args_is_help=True
)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _group_by(value: str) -> GroupBy:
    from zhizao.monitoring.groupings import GROUP_LABELS, is_group_by

    if not is_group_by(value):
        raise InvalidInput(f"不支持的分组 {value}（可选：{'、'.join(GROUP_LABELS)}）")
    return value


def _backend(value: str) -> BackendName:
    from zhizao.evaluation.backends import is_backend_name

    if not is_backend_name(value):
        raise InvalidInput(f"不支持的计算后端 {value}（duckdb 或 pyspark）")
    return value


def run_json(analysis: object) -> dict[str, object]:
    """The JSON shape of `monitor run`: per group value_cum, value_cum_prev, growth (%), contribution_pp,
    growth_breadth (% of firms growing), and the same for `total`."""
    from zhizao.monitoring.results import Analysis

    assert isinstance(analysis, Analysis)
    return analysis.as_json()


@app.command("run")
@handle_errors
def run(
    month: str = typer.Option(..., "--month", help="月份 YYYY-MM（截至该月的累计）"),
    indicator: str = typer.Option("output_value", "--indicator", help="指标（目录编号，默认工业总产值）"),
    group_by: str = typer.Option(
        "region",
        "--group-by",
        help=(
            "分组：region|section|division|group|size|scale|park|chain|list"
            "（一家企业在多条产业链上时各链都计，合计不重复）"
        ),
    ),
    fmt: str = typer.Option("table", "--format", help="输出：json|table|xlsx"),
    out: Path | None = typer.Option(None, "--out", help="xlsx 输出文件"),
    backend: str = typer.Option("duckdb", "--backend", help="计算后端：duckdb|pyspark"),
) -> None:
    """按月分析：累计、同比（可比口径）、拉动、增长面、增量与退出企业。"""
    from zhizao.auth.scope import Actor
    from zhizao.monitoring.groupings import GROUP_LABELS
    from zhizao.monitoring.queries import Report, district_warnings, run_analysis
    from zhizao.monitoring.tables import workbook

    year, number = _month(month)
    by = _group_by(group_by)
    if fmt not in ("json", "table", "xlsx"):
        raise InvalidInput(f"不支持的输出格式 {fmt}（json、table 或 xlsx）")
    if fmt == "xlsx" and out is None:
        raise InvalidInput("xlsx 输出需要 --out 文件")
    actor = Actor.system()
    with session_scope() as session:
        analysis = run_analysis(
            session,
            actor,
            year,
            number,
            indicator=indicator,
            by=by,
            backend=_backend(backend),
        )
        warnings = (
            district_warnings(session, actor, year, number, indicator=indicator) if fmt == "xlsx" else []
        )
    if fmt == "json":
        echo_json(analysis.as_json())
        return
    if fmt == "xlsx":
        assert out is not None
        out.write_bytes(workbook(Report(analysis, None, warnings), f"{year}年1—{number}月工业运行"))
        console.print(f"[green]已生成[/green] {out}")
        return
    table = Table(title=f"{year}年1—{number}月 {indicator} 按{GROUP_LABELS[by]}")
    for header in (
        "分组",
        "累计",
        "上年同期",
        "同比%",
        "拉动(百分点)",
        "增长面%",
        "可比企业",
        "增量",
        "退出",
        "用电同比%",
    ):
        table.add_column(header, justify="left" if header == "分组" else "right")
    for g in [*analysis.groups, analysis.total]:
        table.add_row(
            g.name,
            _fmt(g.value_cum),
            _fmt(g.value_cum_prev),
            _fmt(g.growth),
            _fmt(g.contribution_pp, 2),
            _fmt(g.growth_breadth),
            str(g.firms),
            str(g.new_firms),
            str(g.exit_firms),
            _fmt(g.beside_growth),
        )
    console.print(table)


@app.command("warnings")
@handle_errors
def warnings(
    month: str = typer.Option(..., "--month", help="月份 YYYY-MM"),
    indicator: str = typer.Option("output_value", "--indicator", help="指标（默认工业总产值）"),
    output_drop: float = typer.Option(0.20, "--output-drop", help="累计降幅阈值（比例，默认 0.20）"),
    electricity_drop: float = typer.Option(0.20, "--electricity-drop", help="用电量累计降幅阈值（比例）"),
    weight: float = typer.Option(0.03, "--weight", help="大企业权重阈值（占总量基数比例）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """预警企业：累计或用电大幅下降、连续两月下降、停报、大企业拖累，按地区列出并附依据。"""
    from zhizao.auth.scope import Actor
    from zhizao.monitoring.queries import by_district, district_warnings
    from zhizao.monitoring.warnings import Thresholds

    year, number = _month(month)
    thresholds = Thresholds(output_drop, electricity_drop, weight)
    with session_scope() as session:
        found = district_warnings(
            session, Actor.system(), year, number, indicator=indicator, thresholds=thresholds
        )
    if as_json:
        echo_json([w.as_json() for w in found])
        return
    if not found:
        console.print(f"{year}年{number}月没有预警企业。")
        return
    for district, items in by_district(found).items():
        console.print(f"[bold]{district}[/bold]（{len(items)} 条）")
        for w in items:
            console.print(f"  [{w.label}] {w.name} {w.credit_code} — {w.evidence}", markup=False)


@handle_errors
def operations(
    month: str = typer.Option(..., "--month", help="月份 YYYY-MM"),
    out: Path = typer.Option(..., "--out", help="输出 .docx 文件"),
    indicator: str = typer.Option("output_value", "--indicator", help="指标（默认工业总产值）"),
) -> None:
    """生成月度工业运行分析（GB/T 9704 公文格式 .docx）。"""
    from zhizao.auth.scope import Actor
    from zhizao.monitoring.document import operations_report

    year, number = _month(month)
    with session_scope() as session:
        data = operations_report(session, Actor.system(), year, number, indicator)
    out.write_bytes(data)
    console.print(f"[green]已生成[/green] {out}")


@app.command("parks")
@handle_errors
def parks(
    file: Path = typer.Argument(
        ..., help="园区（或企业名单）成员文件 .xlsx/.csv：名称、统一社会信用代码[、级别、行政区划代码]"
    ),
    kind: str = typer.Option("park", "--kind", help="park（园区、开发区）或 list（重点企业等名单）"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只检查，不写入"),
) -> None:
    """导入园区名录及其成员企业（或保存的企业名单），用于按园区分组分析。"""
    from zhizao.auth.scope import Actor
    from zhizao.monitoring.parks import KINDS, import_groups

    with session_scope() as session:
        result = import_groups(session, Actor.system(), file, kind, dry_run)
    verb = "检查通过（未写入）" if result.dry_run else "已导入"
    console.print(
        f"[green]{verb}[/green] {KINDS.get(kind, kind)} {result.groups} 个，成员企业 {result.members} 家"
    )
