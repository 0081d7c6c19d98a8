"""`zhizao evaluate`: run a 亩产效益 method over enterprise figures and write one row per enterprise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from zhizao.cli.common import console, handle_errors
from zhizao.errors import InvalidInput


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
        list[str] | None, typer.Option("--weight", help="覆盖权重, 指标=权重, 可重复 (如山东未公布权重)")
    ] = None,
    runs: Annotated[int, typer.Option("--sensitivity", help="敏感性分析: 扰动权重的次数 N (0 = 不做)")] = 0,
    weight_noise: Annotated[
        float, typer.Option("--weight-noise", help="权重扰动幅度: 乘以 U(1-a, 1+a)")
    ] = 0.25,
    benchmark_noise: Annotated[
        float, typer.Option("--benchmark-noise", help="基准倍数扰动幅度 b (0 = 不扰动)")
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="敏感性分析的随机种子")] = 0,
) -> None:
    """按亩产效益评价方法计算得分、排名和分类 (A/B/C/D/T), 写出每家企业一行及原因。"""
    from zhizao.evaluation.backends import connect
    from zhizao.evaluation.inputs import read_database, read_frame
    from zhizao.evaluation.method import load_method
    from zhizao.evaluation.outputs import write_table
    from zhizao.evaluation.pipeline import evaluate as run_evaluation

    if backend not in ("duckdb", "pyspark"):
        raise InvalidInput(f"--backend 只能是 duckdb 或 pyspark, 而不是 {backend!r}")
    chosen = load_method(method)
    if weight:
        chosen = chosen.with_weights(_parse_weights(weight))
    for note in chosen.notes:
        console.print(f"[yellow]注意[/yellow] {note}")
    frame = read_frame(data) if data is not None else read_database([year - 1, year])
    result = run_evaluation(frame, chosen, year, backend=connect(backend))  # type: ignore[arg-type]
    table = result.to_pandas()
    if runs > 0:
        table = table.merge(_sensitivity(result, runs, weight_noise, benchmark_noise, seed), how="left")
    write_table(table, out)
    _print_summary(table, chosen.id, result.method_hash, len(table), out)


def _sensitivity(result, runs: int, weight_noise: float, benchmark_noise: float, seed: int):  # type: ignore[no-untyped-def]
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


def _print_summary(table, method_id: str, method_hash: str, rows: int, out: Path) -> None:  # type: ignore[no-untyped-def]
    counts = table.groupby(["pool", "class"], dropna=False).size().unstack(fill_value=0)
    grid = Table(title=f"{method_id} 分类结果 (方法哈希 {method_hash[:12]})")
    grid.add_column("池")
    for name in counts.columns:
        grid.add_column(str(name) if name == name else "未评价", justify="right")
    for pool, row in counts.iterrows():
        grid.add_row(str(pool) if pool == pool else "范围外", *[str(int(v)) for v in row])
    console.print(grid)
    console.print(f"已写出 {rows} 行 → {out}")
