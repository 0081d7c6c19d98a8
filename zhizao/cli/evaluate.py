"""`zhizao evaluate`: run a 亩产效益 method over enterprise figures and write one row per enterprise."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from zhizao.cli.common import console, handle_errors
from zhizao.errors import InvalidInput

if TYPE_CHECKING:  # imported lazily at run time, to keep `zhizao --help` fast
    import pandas as pd
    import pyarrow as pa

    from zhizao.evaluation.pipeline import EvaluationResult
    from zhizao.evaluation.runs import MethodSource


def _parse_weights(items: list[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            weights[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InvalidInput(f"--weight 应写成 指标=权重, 例如 tax_per_mu=40, 而不是 {item!r}")
    return weights


@handle_errors
def evaluate(
    method: Annotated[
        str, typer.Option("--method", help="预置方法名 (如 huaian-2024) 或 .yaml/.toml 方法文件")
    ],
    year: Annotated[int, typer.Option("--year", help="评价年度 Y (基准值用 Y-1 年数据)")],
    out: Annotated[Path, typer.Option("--out", help="结果文件: .csv、.xlsx 或 .parquet")],
    data: Annotated[
        Path | None, typer.Option("--data", help="企业数据 .csv/.parquet/.xlsx; 不给则读数据库中的企业数据")
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="计算后端: duckdb (默认) 或 pyspark")] = "duckdb",
    weight: Annotated[
        list[str] | None, typer.Option("--weight", help="覆盖权重, 指标=权重, 可重复 (如预设未公布的权重)")
    ] = None,
    runs: Annotated[int, typer.Option("--sensitivity", help="敏感性分析: 扰动权重的次数 N (0 = 不做)")] = 0,
    weight_noise: Annotated[
        float, typer.Option("--weight-noise", help="权重扰动幅度: 乘以 U(1-a, 1+a)")
    ] = 0.25,
    benchmark_noise: Annotated[
        float, typer.Option("--benchmark-noise", help="基准倍数扰动幅度 b (0 = 不扰动)")
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="敏感性分析的随机种子")] = 0,
    store: Annotated[
        bool, typer.Option("--store", help="把这次评价 (方法、数据指纹、结果) 存入数据库, 供网页查看和比较")
    ] = False,
) -> None:
    """按亩产效益评价方法计算得分、排名和分类 (A/B/C/D/T), 写出每家企业一行及原因。"""
    from zhizao.evaluation.backends import connect, is_backend_name
    from zhizao.evaluation.inputs import read_database_arrow, read_into
    from zhizao.evaluation.outputs import write_result, write_table
    from zhizao.evaluation.pipeline import evaluate as run_evaluation
    from zhizao.evaluation.runs import MethodSource

    if not is_backend_name(backend):
        raise InvalidInput(f"--backend 只能是 duckdb 或 pyspark, 而不是 {backend!r}")
    source = MethodSource.load(method)
    if weight:
        source = MethodSource.of(source.method.with_weights(_parse_weights(weight)))
    chosen = source.method
    for note in chosen.notes:
        console.print(f"[yellow]注意[/yellow] {note}")
    engine = connect(backend)
    figures = read_into(data, engine) if data is not None else read_database_arrow([year - 1, year])
    result = run_evaluation(figures, chosen, year, backend=engine)
    table: pa.Table | pd.DataFrame
    if runs > 0:
        table = result.to_pandas().merge(
            _sensitivity(result, runs, weight_noise, benchmark_noise, seed), how="left"
        )
        write_table(table, out)
    elif out.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(write_result(result, out), columns=["pool", "class"])
    else:
        table = result.to_pyarrow()
        write_table(table, out)
    _print_summary(table, chosen.id, result.method_hash, len(table), out)
    if store:
        _store(source, result, backend, str(data) if data is not None else "database")


def _store(source: MethodSource, result: EvaluationResult, backend: str, input_source: str) -> None:
    from zhizao.auth.scope import Actor
    from zhizao.db.session import session_scope
    from zhizao.evaluation.runs import store_result

    with session_scope() as session:
        run = store_result(session, Actor.system(), source, result, backend, input_source=input_source)
        run_id = run.id
    console.print(f"已保存为评价批次 {run_id} (zhizao evaluation-compare 可比较两次评价)")


@handle_errors
def compare(
    run_a: Annotated[int, typer.Argument(help="较早的评价批次编号")],
    run_b: Annotated[int, typer.Argument(help="较新的评价批次编号")],
    limit: Annotated[int, typer.Option("--limit", help="最多列出多少家变动的企业")] = 50,
) -> None:
    """比较两次已保存的评价: 哪些企业的类别变了, 以及是哪些指标的得分变化导致的。"""
    from zhizao.auth.scope import Actor
    from zhizao.db.session import session_scope
    from zhizao.evaluation.runs import compare_runs

    with session_scope() as session:
        comparison = compare_runs(session, Actor.system(), run_a, run_b)
        method = "相同" if comparison.same_method else "不同"
        data = "相同" if comparison.same_input else "不同"
        console.print(
            f"批次 {run_a} → {run_b}: 比较 {comparison.compared} 家, 类别变化 {len(comparison.moves)} 家; "
            f"方法{method}, 数据{data}"
        )
        grid = Table(title="类别变化的企业")
        for name in ("统一社会信用代码", "企业名称", "类别", "总分", "原因"):
            grid.add_column(name)
        for move in comparison.moves[:limit]:
            grid.add_row(
                move.credit_code,
                move.name,
                f"{move.class_a or '-'} → {move.class_b or '-'}",
                f"{_num(move.total_a)} → {_num(move.total_b)}",
                move.why,
            )
        console.print(grid)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _sensitivity(
    result: EvaluationResult, runs: int, weight_noise: float, benchmark_noise: float, seed: int
) -> pd.DataFrame:
    from zhizao.evaluation.sensitivity import sensitivity

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("敏感性分析", total=runs)
        outcome = sensitivity(
            result,
            runs=runs,
            weight_noise=weight_noise,
            benchmark_noise=benchmark_noise,
            seed=seed,
            progress=lambda n: progress.advance(task, n),
        )
    console.print(f"敏感性分析 {runs} 次: 分类始终不变的企业占 {outcome.stable_share:.1%}")
    return outcome.per_enterprise.drop(columns=["class"])


def _print_summary(
    table: pa.Table | pd.DataFrame, method_id: str, method_hash: str, rows: int, out: Path
) -> None:
    import pyarrow as pa

    if isinstance(table, pa.Table):  # counted in Arrow; only the small count table becomes pandas
        grouped = table.select(["pool", "class"]).group_by(["pool", "class"], use_threads=False)
        table = grouped.aggregate([([], "count_all")]).to_pandas()
        counts = table.pivot_table(
            index="pool", columns="class", values="count_all", aggfunc="sum", fill_value=0, dropna=False
        )
    else:
        counts = table.groupby(["pool", "class"], dropna=False).size().unstack(fill_value=0)
    grid = Table(title=f"{method_id} 分类结果 (方法哈希 {method_hash[:12]})")
    grid.add_column("池")
    for name in counts.columns:
        grid.add_column(str(name) if name == name else "未评价", justify="right")
    for pool, row in counts.iterrows():
        grid.add_row(str(pool) if pool == pool else "范围外", *[str(int(v)) for v in row])
    console.print(grid)
    console.print(f"已写出 {rows} 行 → {out}")
