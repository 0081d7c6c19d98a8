"""Step 3, benchmark: the reference value B of each indicator for each current-year row.

Fixed values come from the method per pool. Statistics (``mean``/``max`` × multiplier) are computed over the
chosen year's population within the scope (region, pool, both, or the whole city when the scope is empty)
and joined back. The step returns the current year's rows only.
"""

from __future__ import annotations

from collections import defaultdict

import ibis.expr.types as ir

from zhizao.evaluation.method import Benchmark, Indicator
from zhizao.evaluation.steps.common import Context, by_pool, col, null_float, scope_columns

_STAT_KEY = tuple[str, str, tuple[str, ...]]  # (year, population, scope)


def _statistic(value: ir.FloatingColumn, bench: Benchmark) -> ir.FloatingScalar:
    stat = value.mean() if bench.method == "mean" else value.max()
    return stat * bench.multiplier


def _join_statistics(
    current: ir.Table, source: ir.Table, key: _STAT_KEY, items: list[tuple[Indicator, Benchmark]]
) -> ir.Table:
    _year, population, scope = key
    keys = scope_columns(scope)
    source = source.filter(source.graded) if population == "graded" else source.filter(source.in_scope)
    aggs = {f"_b_{ind.id}": _statistic(source[col(ind.id, "value")], bench) for ind, bench in items}
    if keys:
        stats = source.group_by(keys).aggregate(**aggs).rename({f"_k_{k}": k for k in keys})
        predicates = [current[k] == stats[f"_k_{k}"] for k in keys]
        joined = current.left_join(stats, predicates).drop(*[f"_k_{k}" for k in keys])
    else:
        joined = current.cross_join(source.aggregate(**aggs))
    return joined.mutate(**{col(ind.id, "benchmark"): joined[f"_b_{ind.id}"] for ind, _ in items}).drop(
        *aggs.keys()
    )


def benchmark(t: ir.Table, ctx: Context) -> ir.Table:
    method = ctx.method
    current = t.filter(t.year == ctx.year)
    previous = t.filter(t.year == ctx.year - 1)
    groups: dict[_STAT_KEY, list[tuple[Indicator, Benchmark]]] = defaultdict(list)
    fixed: dict[str, ir.FloatingValue] = {}
    for ind in method.indicators:
        bench = method.benchmark_of(ind)
        if method.scoring_of(ind).method == "minmax":
            fixed[col(ind.id, "benchmark")] = null_float()
        elif bench.method == "fixed":
            fixed[col(ind.id, "benchmark")] = by_pool(current, bench.values)
        else:
            groups[(bench.year, bench.population, tuple(bench.scope))].append((ind, bench))
    current = current.mutate(**fixed) if fixed else current
    for key, items in groups.items():
        current = _join_statistics(current, previous if key[0] == "previous" else current, key, items)
    return current
