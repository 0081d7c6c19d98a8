"""Step 6, aggregate: the total score = Σ indicator scores + bonus/penalty points.

Aggregators are looked up by name in `AGGREGATORS` (only ``weighted_sum`` for now; a geometric mean or a
TOPSIS closeness would be another entry).
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.steps.common import Context, col, has_tag, null_float

Aggregator = Callable[[ir.Table, Context], ir.FloatingValue]


def weighted_sum(t: ir.Table, ctx: Context) -> ir.FloatingValue:
    total: ir.FloatingValue = ibis.literal(0.0)
    for ind in ctx.method.indicators:
        total = total + t[col(ind.id, "score")]
    return total


AGGREGATORS: dict[str, Aggregator] = {"weighted_sum": weighted_sum}


def adjustment_points(t: ir.Table, ctx: Context) -> ir.FloatingValue:
    """Tag bonuses and penalties, minus penalty points for missing indicators under the ``penalty`` rule."""
    points: ir.FloatingValue = ibis.literal(0.0)
    for adj in ctx.method.adjustments:
        if adj.points is not None:
            points = points + ibis.ifelse(has_tag(t, adj.tag), adj.points, 0.0)
    for ind in ctx.method.indicators:
        missing = ctx.method.missing_of(ind)
        if missing.rule == "penalty" and missing.points:
            points = points - ibis.ifelse(t[col(ind.id, "missing")], missing.points, 0.0)
    return points


def aggregate(t: ir.Table, ctx: Context, how: str = "weighted_sum") -> ir.Table:
    t = t.mutate(adjust_points=ibis.ifelse(t.graded, adjustment_points(t, ctx), null_float()))
    return t.mutate(total=ibis.ifelse(t.graded, AGGREGATORS[how](t, ctx) + t.adjust_points, null_float()))
