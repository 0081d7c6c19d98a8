"""Steps 7–8, rank and classify.

Quota rule (exact): within each ranking group, graded enterprises are sorted by total descending, then by
the method's tie-break fields, then by credit code ascending (so the order is total and reproducible). The
enterprise at 1-based rank r in a group of n gets the first class whose cumulative share c satisfies
r ≤ round_half_up(c × n). Shares are held as integer basis points, so the rounding is exact integer
arithmetic: round_half_up(c × n) = (c_bp × n + 5000) // 10000.

Tag adjustments then apply: ``downgrade`` moves the class down (never past the last class); ``force_class``
sets the class (the lowest forced class wins). Adjusted enterprises keep their rank.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.method import Classes
from zhizao.evaluation.steps.common import Context, has_tag, scope_columns


def rank(t: ir.Table, ctx: Context) -> ir.Table:
    """Adds ``rank`` (1-based within the ranking group, graded only) and ``group_size`` (the quota n)."""
    ranking = ctx.method.ranking
    keys = scope_columns(ranking.scope)
    order = [ibis.desc(t.total)]
    order += [
        ibis.desc(t[tb.field]) if tb.order == "desc" else ibis.asc(t[tb.field]) for tb in ranking.tie_break
    ]
    order.append(ibis.asc(t.credit_code))
    position = ibis.row_number().over(ibis.window(group_by=[*keys, t.graded], order_by=order)) + 1
    if ctx.method.classes.quota_base == "graded":
        size = t.credit_code.count().over(ibis.window(group_by=[*keys, t.graded]))
    else:
        size = t.credit_code.count().over(ibis.window(group_by=[*keys, t.in_scope]))
    null_int = ibis.null("int64")
    return t.mutate(
        rank=ibis.ifelse(t.graded, position.cast("int64"), null_int),
        group_size=ibis.ifelse(t.graded, size.cast("int64"), null_int),
    )


def quota_cutoffs(classes: Classes) -> list[int]:
    """Cumulative shares in basis points, exactly (0.2 + 0.4 is 6000, not 0.6000000000000001)."""
    cumulative, cutoffs = Decimal(0), []
    for item in classes.items:
        cumulative += Decimal(str(item.share))
        cutoffs.append(int(cumulative * 10000))
    return cutoffs


def base_class_index(t: ir.Table, classes: Classes) -> ir.IntegerValue:
    """0-based class index from the quota or the score thresholds."""
    last = len(classes.items) - 1
    if classes.mode == "quota":
        branches = [
            (t.rank <= (t.group_size * cutoff + 5000) // 10000, i)
            for i, cutoff in enumerate(quota_cutoffs(classes)[:-1])
        ]
    else:
        branches = [(t.total >= item.min_score, i) for i, item in enumerate(classes.items[:-1])]
    return ibis.cases(*branches, else_=last)


def classify(t: ir.Table, ctx: Context) -> ir.Table:
    """Adds ``quota_class`` (before adjustments), ``class`` and ``class_label`` (T; null outside scope)."""
    method = ctx.method
    classes = method.classes
    ids = [c.id for c in classes.items]
    last = len(ids) - 1
    base = base_class_index(t, classes)
    down: ir.IntegerValue = ibis.literal(0)
    forced: ir.IntegerValue = ibis.literal(-1)
    for adj in method.adjustments:
        if adj.downgrade is not None:
            down = down + ibis.ifelse(has_tag(t, adj.tag), adj.downgrade, 0)
        if adj.force_class is not None:
            forced = ibis.greatest(forced, ibis.ifelse(has_tag(t, adj.tag), ids.index(adj.force_class), -1))
    moved = ibis.ifelse(base + down > last, last, base + down)
    final = ibis.ifelse(forced >= 0, forced, moved)

    def name(index: ir.IntegerValue) -> ir.StringValue:
        return ibis.cases(*[(index == i, cid) for i, cid in enumerate(ids)], else_=ibis.null("string"))

    labels = {c.id: c.label for c in classes.items} | {"T": method.t_class.label}
    t = t.mutate(
        adj_down=down,
        adj_forced=forced,
        quota_class=ibis.ifelse(t.graded, name(base), ibis.null("string")),
        **{"class": ibis.cases((t.graded, name(final)), (t.t_class, "T"), else_=ibis.null("string"))},
    )
    label = ibis.cases(*[(t["class"] == k, v) for k, v in labels.items()], else_=ibis.null("string"))
    return t.mutate(class_label=label)
