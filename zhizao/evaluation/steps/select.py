"""Step 1, select: assign each enterprise-year to a pool and decide class T (evaluated, not graded)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.method import Pool
from zhizao.evaluation.steps.common import Context, has_tag


def _in_pool(t: ir.Table, pool: Pool) -> ir.BooleanValue:
    condition = ibis.literal(True)
    if pool.above_scale is not None:
        condition &= t.above_scale == pool.above_scale
    if pool.min_land_mu is not None:
        condition &= t.land_mu >= pool.min_land_mu
    return condition.fill_null(False)


def select(t: ir.Table, ctx: Context) -> ir.Table:
    """Adds ``pool`` (null = outside every pool), ``in_scope``, one ``t__*`` flag per T rule and ``t_class``.

    T rules are judged per row against that row's year, so last year's graded population (the benchmark
    base) is selected by the same rules as this year's.
    """
    method = ctx.method
    t = t.filter(t.year.isin([ctx.year - 1, ctx.year]))
    pool = ibis.cases(*[(_in_pool(t, p), p.id) for p in method.pools], else_=ibis.null("string"))
    t = t.mutate(pool=pool).mutate(in_scope=lambda s: s.pool.notnull())
    rules = method.t_class
    flags: dict[str, ir.BooleanValue] = {}
    if rules.industry_divisions:
        flags["t__industry"] = t.industry_code.substr(0, 2).isin(rules.industry_divisions).fill_null(False)
    if rules.max_age_years is not None:
        # Founded less than N whole years before the end of the row's year: founded after 31 Dec of year − N.
        flags["t__age"] = (t.established_on.cast("date").year() > t.year - rules.max_age_years).fill_null(
            False
        )
    for i, tag in enumerate(rules.tags):
        flags[f"t__tag{i}"] = has_tag(t, tag)
    t = t.mutate(**{name: expr & t.in_scope for name, expr in flags.items()})
    any_flag = ibis.literal(False)
    for name in flags:
        any_flag |= t[name]
    return t.mutate(t_class=any_flag, graded=t.in_scope & ~any_flag)
