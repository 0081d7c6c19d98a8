"""`zhizao index run`: compute a composite index from a definition file and a table of units."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhizao.cli.common import console, handle_errors
from zhizao.errors import InvalidInput

app = typer.Typer(help="综合指数 (如制造业高质量发展指数): 按定义文件计算得分和排名。", no_args_is_help=True)


def _read(path: Path) -> object:
    import pandas as pd

    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput(f"没有这个数据文件: {path}")
    if suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig")
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix == ".xlsx":
        return pd.read_excel(path)
    raise InvalidInput(f"不支持的数据类型 {suffix}: 请用 .csv、.parquet 或 .xlsx")


@app.command("run")
@handle_errors
def run(
    definition: Annotated[
        str, typer.Option("--definition", help="指数定义文件 (.yaml) 或内置定义名 (如 regional-hqd)")
    ],
    data: Annotated[Path, typer.Option("--data", help="数据 .csv/.parquet/.xlsx, 每个单位 (和年度) 一行")],
    out: Annotated[Path, typer.Option("--out", help="结果文件: .csv、.xlsx 或 .parquet")],
    year: Annotated[
        int | None, typer.Option("--year", help="只算这一年 (需定义文件给出 year_column)")
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="计算后端: duckdb|pyspark")] = "duckdb",
) -> None:
    """按定义文件计算综合指数: 分母化、筛选、插补、异常值处理、标准化、逐级加权汇总、排名。"""
    import pandas as pd

    from zhizao.composite.definition import load_definition
    from zhizao.composite.pipeline import run_index
    from zhizao.evaluation.backends import connect, is_backend_name
    from zhizao.evaluation.outputs import write_table

    if not is_backend_name(backend):
        raise InvalidInput(f"不支持的计算后端 {backend}（duckdb 或 pyspark）")
    defn = load_definition(definition)
    frame = _read(data)
    assert isinstance(frame, pd.DataFrame)
    result = run_index(defn, frame, year, backend=connect(backend))
    write_table(result.scores, out)
    treated = [c for c, t in result.treatments.items() if t.how != "none"]
    if result.dropped_units:
        console.print(f"[yellow]数据不足, 未参与计算[/yellow] {', '.join(result.dropped_units)}")
    if treated:
        console.print(f"异常值处理: {', '.join(treated)}")
    top = result.scores.sort_values("rank").head(5)
    console.print(f"{defn.name}: {len(result.scores)} 个单位, 已写出 {out}")
    for row in top.to_dict("records"):
        console.print(f"  {int(row['rank'])}. {row[defn.unit_column]}  {row[defn.index_code]:.2f}")


@app.command("sensitivity")
@handle_errors
def sensitivity(
    definition: Annotated[str, typer.Option("--definition", help="指数定义文件 (.yaml) 或内置定义名")],
    data: Annotated[Path, typer.Option("--data", help="数据 .csv/.parquet/.xlsx")],
    out: Annotated[Path, typer.Option("--out", help="结果文件: .csv、.xlsx 或 .parquet")],
    year: Annotated[int | None, typer.Option("--year", help="只算这一年")] = None,
    runs: Annotated[int, typer.Option("--runs", help="蒙特卡洛次数")] = 1000,
    weight_noise: Annotated[
        float, typer.Option("--weight-noise", help="权重扰动幅度: 乘以 U(1-a, 1+a)")
    ] = 0.25,
    drop_share: Annotated[float, typer.Option("--drop-share", help="随机去掉一个指标的次数占比")] = 0.0,
    aggregation: Annotated[
        list[str] | None,
        typer.Option("--aggregation", help="汇总方法, 可重复: arithmetic, geometric, harmonic"),
    ] = None,
    normalisation: Annotated[
        list[str] | None,
        typer.Option(
            "--normalisation",
            help="另可选的标准化方法, 可重复: minmax, zscore, rank, borda, percentile_rank, dist_to_max",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="随机种子")] = 0,
    sobol: Annotated[
        Path | None,
        typer.Option("--sobol", help="另写出各不确定输入的 Sobol 一阶与总效应指数 (.csv/.xlsx/.parquet)"),
    ] = None,
) -> None:
    """不确定性分析: 扰动权重、去掉指标、换标准化和汇总方法, 写出每个单位的名次区间 (5%–95%)。"""
    import pandas as pd

    from zhizao.composite.definition import load_definition
    from zhizao.composite.sensitivity import index_sensitivity, index_sobol
    from zhizao.evaluation.outputs import write_table

    defn = load_definition(definition)
    frame = _read(data)
    assert isinstance(frame, pd.DataFrame)
    aggregations = tuple(aggregation or ["arithmetic"])
    normalisations = tuple(normalisation or ())
    table = index_sensitivity(
        defn, frame, year, runs, weight_noise, drop_share, aggregations, seed, normalisations
    )
    write_table(table, out)
    if sobol is not None:
        indices = index_sobol(
            defn, frame, year, runs, weight_noise, drop_share, aggregations, seed, normalisations
        )
        write_table(indices, sobol)
        for row in indices.to_dict("records"):
            console.print(f"  {row['名称']}: 一阶 {row['first']:.3f}, 总效应 {row['total']:.3f}")
    widest = table.assign(width=table.rank_q95 - table.rank_q5).sort_values("width", ascending=False).head(3)
    console.print(f"{defn.name}: {runs} 次, {len(table)} 个单位, 已写出 {out}")
    for row in widest.to_dict("records"):
        console.print(
            f"  名次最不稳定: {row[defn.unit_column]} 名次 {row['rank']:.0f}, "
            f"区间 {row['rank_q5']:.0f}–{row['rank_q95']:.0f}"
        )


@app.command("regional")
@handle_errors
def regional(
    year: Annotated[list[int], typer.Option("--year", help="年度, 可重复 (如 --year 2023 --year 2024)")],
    out: Annotated[Path, typer.Option("--out", help="结果文件: .csv、.xlsx 或 .parquet")],
    definition: Annotated[
        str, typer.Option("--definition", help="指数定义文件 (.yaml) 或内置定义名")
    ] = "regional-hqd",
) -> None:
    """从数据库计算地区指数: 本辖区下一级各地区, 数据取自企业库汇总和监测指标, 目标值取自已确认计划。"""
    from zhizao.composite.definition import load_definition
    from zhizao.composite.regional import run_regional
    from zhizao.db.session import session_scope
    from zhizao.evaluation.outputs import write_table

    defn = load_definition(definition)
    with session_scope() as session:
        index = run_regional(session, defn, year)
    scores = index.result.scores.sort_values(["year", "rank"])
    write_table(scores, out)
    console.print(f"{defn.name}: {scores['region_code'].nunique()} 个地区, 已写出 {out}")
    for code, used in index.data.targets.items():
        console.print(f"  {code} 目标值 {used.value:g}: 取自{used.origin}")
    if index.result.dropped_units:
        console.print(f"  数据不足而未参与排名: {', '.join(index.result.dropped_units)}")
