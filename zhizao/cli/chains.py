"""`zhizao chains ...`: load a chain definition, list chains, put firms on nodes (by rule, by hand), gaps,
招商 candidates, the 配套 survey, the target link, and clusters. Parses options, calls `zhizao.chains`,
prints Rich tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from zhizao.auth.scope import Actor
from zhizao.cli.common import console, echo_json, handle_errors, lazy
from zhizao.db.session import session_scope
from zhizao.errors import InvalidInput

if TYPE_CHECKING:
    from zhizao.chains import clusters as cluster_lib
    from zhizao.chains import definition as definitions
    from zhizao.chains import gaps as gap_lib
    from zhizao.chains import members, overview, store, supply
else:  # imported when a command runs (the analytics load Ibis and pandas)
    cluster_lib, gap_lib = lazy("zhizao.chains.clusters"), lazy("zhizao.chains.gaps")
    definitions, members = lazy("zhizao.chains.definition"), lazy("zhizao.chains.members")
    overview, store, supply = (lazy(f"zhizao.chains.{n}") for n in ("overview", "store", "supply"))

app = typer.Typer(
    help="产业链与产业集群: 链长制图谱、链上企业、缺链弱链、招商、配套率 (industry chains).",
    no_args_is_help=True,
)
cluster_app = typer.Typer(help="产业集群: 载入集群名册、集群梯队.", no_args_is_help=True)
app.add_typer(cluster_app, name="clusters")

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="会替换已有数据时不再询问, 直接写入")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只检查并显示将发生的变化, 不写入")]
YearOpt = Annotated[int | None, typer.Option("--year", help="年份；默认最新图谱年份")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
ChainArg = Annotated[str, typer.Argument(help="产业链代码 (定义文件中的 code)")]


def _yi(wan: float) -> str:
    return f"{wan / 1e4:,.2f}"


@app.command("load")
@handle_errors
def load(
    source: Annotated[
        str, typer.Argument(help="定义文件 (.yaml) 或示例名 (new-energy-vehicle, smart-appliances)")
    ],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """载入产业链定义文件: 链长、牵头部门、专班、七个一、某年的节点和连线."""
    definition, text = definitions.read_definition(source)
    actor = Actor.system()
    with session_scope() as session:
        check = store.load_definition(session, actor, definition, text, dry_run=True)
        verb = "新建" if check.created else "更新"
        console.print(
            f"{verb}产业链 {definition.code} {definition.name}: "
            f"{check.year}年图谱 节点 {check.nodes} 个, 连线 {check.edges} 条"
        )
        if dry_run:
            console.print("[yellow]--dry-run: 未写入[/yellow]")
            return
        if check.replaced_nodes and not yes:
            console.print(
                f"[yellow]将替换{check.year}年已有图谱 (节点 {check.replaced_nodes} 个)。"
                "未写入; 确认后加 --yes 重新运行。[/yellow]"
            )
            raise typer.Exit(1)
        store.load_definition(session, actor, definition, text)
    console.print("[green]已载入[/green]")


@app.command("list")
@handle_errors
def list_chains(year: YearOpt = None, as_json: JsonOpt = False) -> None:
    """列出产业链及其节点数、链上企业、工业总产值、缺链与弱链节点数."""
    with session_scope() as session:
        rows = overview.chain_rows(session, Actor.system(), year)
        data: list[dict[str, Any]] = [
            {
                "id": r.chain.id,
                "code": r.chain.code,
                "name": r.chain.name,
                "graph_year": r.graph_year,
                "nodes": r.nodes,
                "firms": r.totals.firms,
                "above_scale_firms": r.totals.above_scale_firms,
                "output_value": r.totals.output_value,
                "tax": r.totals.tax,
                "missing": r.missing,
                "weak": r.weak,
            }
            for r in rows
        ]
    if as_json:
        echo_json(data)
        return
    table = Table(title="产业链")
    for column in ("代码", "名称", "图谱年份", "节点", "企业", "规上", "工业总产值(亿元)", "缺链", "弱链"):
        table.add_column(column)
    for d in data:
        table.add_row(
            d["code"],
            d["name"],
            str(d["graph_year"] or "—"),
            str(d["nodes"]),
            str(d["firms"]),
            str(d["above_scale_firms"]),
            _yi(d["output_value"]),
            str(d["missing"]),
            str(d["weak"]),
        )
    console.print(table)


@app.command("assign")
@handle_errors
def assign(
    chain: ChainArg, year: Annotated[int, typer.Option("--year", help="年份")], dry_run: DryRunOpt = False
) -> None:
    """按行业代码规则把企业挂到节点上 (待人工确认)；上一年的人工确认/排除会沿用."""
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        result = members.assign_by_rule(session, Actor.system(), found, year, dry_run=dry_run)
    table = Table(title=f"{chain} {year}年 (图谱 {result.graph_year}年)")
    table.add_column("节点")
    table.add_column("企业数")
    for code, n in result.by_node.items():
        table.add_row(code, str(n))
    console.print(table)
    console.print(
        f"新增 {result.added} 条 (沿用上年人工决定 {result.carried} 条)，"
        f"移除规则不再匹配的 {result.removed} 条"
    )
    if dry_run:
        console.print("[yellow]--dry-run: 未写入[/yellow]")


@app.command("confirm")
@handle_errors
def confirm(
    chain: ChainArg,
    node: Annotated[str, typer.Argument(help="节点代码")],
    credit_code: Annotated[str, typer.Argument(help="统一社会信用代码")],
    year: Annotated[int, typer.Option("--year", help="年份")],
    reject: Annotated[bool, typer.Option("--reject", help="排除 (不属于该节点)")] = False,
    move_to: Annotated[str | None, typer.Option("--move-to", help="改挂到另一个节点")] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="链上角色: 链主、世界一流、龙头、核心配套、新锐")
    ] = None,
) -> None:
    """确认、排除或改挂某企业在节点上的记录；也可手工挂上 (规则未匹配的企业)；可同时设定链上角色."""
    actor = Actor.system()
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        firm = members.firm_by_code(session, actor, credit_code)
        rows = [
            r
            for r in members.member_rows(session, actor, found.id, year, node, include_rejected=True)
            if r.enterprise_id == firm.id
        ]
        if rows:
            action = "move" if move_to else ("reject" if reject else "confirm")
            members.decide(session, actor, rows[0].id, action, move_to)
        elif reject or move_to:
            raise InvalidInput(f"{firm.name} 不在节点 {node} 上")
        else:
            members.add_member(session, actor, found.id, year, node, firm.id)
        if role:
            members.set_role(session, actor, found.id, firm.id, role)
        name = firm.name
    console.print(f"[green]已记录[/green] {name}")


@app.command("gaps")
@handle_errors
def gaps(chain: ChainArg, year: YearOpt = None, as_json: JsonOpt = False) -> None:
    """缺链 (无本地企业) 和弱链 (仅一家, 或全部为亩产效益C/D类) 节点及其招商候选."""
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        rows = gap_lib.gap_list(session, Actor.system(), found.id, year)
        data: list[dict[str, Any]] = [
            {
                "node": g.node.code,
                "name": g.node.name,
                "gap": g.node.gap,
                "firms": g.node.firms,
                "candidates": [
                    {"name": c.name, "origin": c.origin, "status": gap_lib.CANDIDATE_STATUSES[c.status]}
                    for c in g.candidates
                ],
            }
            for g in rows
        ]
    if as_json:
        echo_json(data)
        return
    table = Table(title=f"{chain} 缺链与弱链")
    for column in ("节点", "名称", "类型", "本地企业", "招商候选"):
        table.add_column(column)
    for d in data:
        names = "、".join(f"{c['name']}({c['status']})" for c in d["candidates"]) or "—"
        table.add_row(
            d["node"], d["name"], "缺链" if d["gap"] == "missing" else "弱链", str(d["firms"]), names
        )
    console.print(table)


@app.command("diff")
@handle_errors
def diff(chain: ChainArg, year: Annotated[int, typer.Option("--year", help="年份 (与上一年比较)")]) -> None:
    """与上一年相比: 新补上的节点、新出现的缺链节点、企业进出."""
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        result = gap_lib.year_diff(session, Actor.system(), found.id, year)
    console.print(f"{result.previous} → {result.year}")
    if not result.comparable:
        console.print(f"没有{result.previous}年的图谱，无法对比")
        return

    def names(items: list[str]) -> str:
        return "、".join(items[:5]) + (f" 等{len(items)}家" if len(items) > 5 else "") if items else "—"

    for label, changes in (
        ("补链 (新有本地企业)", result.gained),
        ("断链 (不再有本地企业)", result.lost),
        ("企业变动", result.changed),
    ):
        for c in changes:
            console.print(
                f"{label}: {c.code} {c.name} {c.firms_before}→{c.firms_after} "
                f"进 {names(c.entered)} 出 {names(c.left)}"
            )
    if result.added_nodes or result.removed_nodes:
        console.print(
            f"图谱新增节点: {'、'.join(result.added_nodes) or '—'}；"
            f"删除节点: {'、'.join(result.removed_nodes) or '—'}"
        )


@app.command("candidates")
@handle_errors
def candidates(
    chain: ChainArg,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    dry_run: DryRunOpt = False,
) -> None:
    """导入招商候选企业名单 (列: 节点代码、企业名称、统一社会信用代码、所在地、主要产品、状态、备注、来源)."""
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        result = gap_lib.import_candidates(session, Actor.system(), found, file, dry_run=dry_run)
    console.print(
        f"{result.rows} 行: 新增 {result.added}, 更新 {result.updated}"
        + ("  [yellow]--dry-run: 未写入[/yellow]" if dry_run else "")
    )


@app.command("survey")
@handle_errors
def survey(
    chain: ChainArg,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    year: Annotated[int, typer.Option("--year", help="调查年份")],
    dry_run: DryRunOpt = False,
) -> None:
    """导入配套调查并显示本地配套率.

    列: 统一社会信用代码、采购总额(万元)、本地采购额(万元)、供应商数、本地供应商数。
    """
    actor = Actor.system()
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        result = supply.import_survey(session, actor, found, year, file, source=file.name, dry_run=dry_run)
        rate = supply.supply_rate(session, actor, found.id, year)
    console.print(f"{result.rows} 家企业" + ("  [yellow]--dry-run: 未写入[/yellow]" if dry_run else ""))
    if rate and rate.rate is not None:
        console.print(f"本地配套率 {rate.rate:.1%} ({rate.firms} 家)")
        console.print(supply.SUPPLY_DEFINITION)


@app.command("target")
@handle_errors
def target(
    chain: ChainArg,
    target_id: Annotated[
        int | None, typer.Option("--target-id", help="计划目标编号 (如 优势产业链总规模突破1万亿元)")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--track", help="把该年链上企业工业总产值合计记为目标的年度观测值")
    ] = None,
) -> None:
    """关联计划目标，并把链上合计记入督查跟踪."""
    actor = Actor.system()
    with session_scope() as session:
        found = store.chain_by_code(session, chain)
        if target_id is not None:
            supply.link_target(session, actor, found, target_id)
            console.print(f"已关联目标 {target_id}")
        if year is not None:
            value = supply.track_total(session, actor, found, year)
            console.print(f"{year}年 合计 {value:,.4g} 已记入跟踪")


@cluster_app.command("load")
@handle_errors
def load_clusters(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="集群文件 (YAML)")],
) -> None:
    """载入产业集群名册 (层级、地区、成员企业或行业代码、目标层级与规模)."""
    with session_scope() as session:
        loaded = cluster_lib.load_clusters(
            session, Actor.system(), file.read_text(encoding="utf-8"), str(file)
        )
        lines = [f"{c.code} {c.name}: 成员 {n} 家" for c, n in loaded]
    for line in lines:
        console.print(line)


@cluster_app.command("ladder")
@handle_errors
def ladder(year: Annotated[int, typer.Option("--year", help="年份")]) -> None:
    """集群梯队: 层级、规模 (工业总产值, 亿元)、千亿级/500亿级、目标."""
    with session_scope() as session:
        rows = cluster_lib.cluster_rows(session, Actor.system(), year)
        table = Table(title=f"产业集群梯队 {year}年")
        for column in ("层级", "集群", "企业", "工业总产值(亿元)", "规模", "目标层级", "目标规模(亿元)"):
            table.add_column(column)
        for r in rows:
            scale = r.cluster.target_scale
            table.add_row(
                r.level_label,
                r.cluster.name,
                str(r.firms),
                f"{r.output_yi:,.2f}",
                r.scale or "—",
                r.target_label or "—",
                f"{scale:,.0f}" if scale else "—",
            )
    console.print(table)
