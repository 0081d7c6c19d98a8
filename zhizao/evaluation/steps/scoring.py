"""Steps 4–5, normalise and weight: indicator value → normalised score n → indicator score n × weight.

Normalisers are looked up by the method's ``scoring.method`` in `NORMALISERS`; adding z-score or rank
normalisation later means adding a function here, not changing the pipeline.

For every normaliser: a missing value or benchmark leaves n missing (then the missing-data rule applies);
n is clamped to [floor, cap]; a negative numerator gives n = 0, never below.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.method import Indicator, Scoring
from zhizao.evaluation.steps.common import Context, by_pool, col, null_float, scope_columns

Normaliser = Callable[[ir.Table, Indicator, Scoring], ir.FloatingValue]


def _ratio_to_benchmark(t: ir.Table, ind: Indicator) -> ir.FloatingValue:
    bench = t[col(ind.id, "benchmark")]
    return ibis.ifelse(bench > 0, t[col(ind.id, "value")] / bench, null_float())


def ratio(t: ir.Table, ind: Indicator, _scoring: Scoring) -> ir.FloatingValue:
    """n = x / B (比值法)."""
    return _ratio_to_benchmark(t, ind)


def inverse(t: ir.Table, ind: Indicator, _scoring: Scoring) -> ir.FloatingValue:
    """Lower is better: n = max(0, 2 − x/B) / 2, so x = B gives half the weight and x ≥ 2B gives 0."""
    return _at_least(2 - _ratio_to_benchmark(t, ind), 0.0) / 2


def minmax(t: ir.Table, ind: Indicator, scoring: Scoring) -> ir.FloatingValue:
    """Jingde: n = (f + (100 − f) × (x − min)/(max − min)) / 100 over graded firms of the scope.

    For lower-is-better, (max − x) replaces (x − min). When max = min every firm gets n = 1.
    """
    value = t[col(ind.id, "value")]
    window = ibis.window(group_by=scope_columns(scoring.scope) or None)
    among = ibis.ifelse(t.graded, value, null_float())
    low, high = among.min().over(window), among.max().over(window)
    position = (value - low) if ind.direction == "higher" else (high - value)
    share = ibis.ifelse(high > low, position / (high - low), ibis.literal(1.0))
    return (scoring.floor_points + (100 - scoring.floor_points) * share) / 100


NORMALISERS: dict[str, Normaliser] = {"ratio": ratio, "inverse": inverse, "minmax": minmax}


def _at_least(n: ir.FloatingValue, low: float) -> ir.FloatingValue:
    """max(n, low) that keeps null null (SQL GREATEST skips nulls on DuckDB and Spark)."""
    return ibis.ifelse(n < low, ibis.literal(low), n)


def _clamp(n: ir.FloatingValue, scoring: Scoring) -> ir.FloatingValue:
    n = _at_least(n, scoring.floor)
    return ibis.ifelse(n > scoring.cap, ibis.literal(scoring.cap), n) if scoring.cap is not None else n


def normalise(t: ir.Table, ctx: Context) -> ir.Table:
    """Adds ``__ratio`` (x/B, kept for sensitivity), ``__weight``, ``__missing`` and ``__norm``."""
    method = ctx.method
    columns: dict[str, ir.Value] = {}
    for ind in method.indicators:
        scoring = method.scoring_of(ind)
        weight = by_pool(t, {p.id: method.weight(p, ind) for p in method.pools}, default=0.0)
        raw = NORMALISERS[scoring.method](t, ind, scoring)
        negative = t[col(ind.id, "negative")] & t[col(ind.id, "value")].notnull()
        n = ibis.cases((negative, ibis.literal(0.0)), else_=_clamp(raw, scoring))
        columns[col(ind.id, "ratio")] = _ratio_to_benchmark(t, ind)
        columns[col(ind.id, "weight")] = weight
        columns[col(ind.id, "missing")] = (weight > 0) & n.isnull() & t.graded
        columns[col(ind.id, "norm")] = n
    t = t.mutate(**columns)
    return t.mutate(**{col(ind.id, "norm"): _fill_missing(t, ctx, ind) for ind in method.indicators})


def _fill_missing(t: ir.Table, ctx: Context, ind: Indicator) -> ir.FloatingValue:
    """The missing-data rule: ``zero`` and ``penalty`` give n = 0; ``pool_mean`` the mean n of the scope."""
    missing = ctx.method.missing_of(ind)
    n = t[col(ind.id, "norm")]
    if missing.rule != "pool_mean":
        return n.fill_null(0.0)
    window = ibis.window(group_by=scope_columns(missing.scope) or None)
    mean = ibis.ifelse(t.graded, n, null_float()).mean().over(window)
    return n.fill_null(mean.fill_null(0.0))


def weight(t: ir.Table, ctx: Context) -> ir.Table:
    """Indicator score = n × the indicator's weight in the enterprise's pool (null outside the graded set)."""
    return t.mutate(
        **{
            col(ind.id, "score"): ibis.ifelse(
                t.graded, t[col(ind.id, "norm")] * t[col(ind.id, "weight")], null_float()
            )
            for ind in ctx.method.indicators
        }
    )
