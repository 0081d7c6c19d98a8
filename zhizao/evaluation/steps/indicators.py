"""Step 2, indicators: each indicator is numerator / denominator of canonical fields.

A missing numerator, a missing denominator or a zero denominator makes the value missing (null); it never
raises. A negative numerator (a net tax refund) is flagged so scoring can give it 0, never less.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.steps.common import Context, col, null_float


def indicators(t: ir.Table, ctx: Context) -> ir.Table:
    columns: dict[str, ir.Value] = {}
    for ind in ctx.method.indicators:
        num = t[ind.numerator].cast("float64")
        den = t[ind.denominator].cast("float64")
        usable = num.notnull() & den.notnull() & (den != 0)
        columns[col(ind.id, "value")] = ibis.ifelse(usable, num / den, null_float())
        columns[col(ind.id, "negative")] = (num < 0).fill_null(False)
    return t.mutate(**columns)
