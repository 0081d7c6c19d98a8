"""Monthly series of one indicator, reconciled from the 当月 and 1–N月累计 forms firms report.

A figure of the indicator (`output_value`) at month m is the 当月 value; a figure of its 累计 twin
(`output_value_ytd`, the catalogue's 「工业总产值累计」) at month m is the 1–m月 cumulative value. Either form
may be missing, and a firm may switch form during the year. The reconciled series has both for every month
a firm reported in:

- 累计 = the reported 累计, else the running sum of the 当月 values reported so far that year;
- 当月 = the reported 当月, else the difference of this and the previous month's reported 累计.

Two things are flagged, never silently repaired: a reported 累计 lower than the month before (`cum_falls`:
a later month was not corrected with an earlier one, or a figure was keyed wrongly) and a reported 累计 that
disagrees with the sum of the reported 当月 values by more than `MISMATCH_SHARE` (`mismatch`). Corrections
overwrite the stored figure, so the series always reads the latest value of each month.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

CUMULATIVE_SUFFIX = "_ytd"
MISMATCH_SHARE = 0.005  # 0.5 % of the 累计


def cumulative_id(indicator: str) -> str:
    """The catalogue id of an indicator's 累计 form."""
    return indicator + CUMULATIVE_SUFFIX


def monthly_series(figures: ir.Table, indicator: str, through_month: int = 12) -> ir.Table:
    """One row per (enterprise_id, year, month) the firm reported `indicator` in, either form.

    `figures` is the long figure table (enterprise_id, indicator_id, year, month, value). Columns out:
    enterprise_id, year, month, value (当月), cum (累计), months_reported (当月 values so far that year),
    cum_falls, mismatch, and the evidence: reported_cum (the 累计 as reported), previous_cum (the month
    before's reported 累计) and month_sum (Σ reported 当月 so far). With `through_month`, only months up
    to it (and December, the month before January) are read: a 累计 as of month M needs nothing later."""
    ytd = cumulative_id(indicator)
    months = figures.month.between(1, through_month) | (figures.month == 12)
    f = figures.filter(months, figures.indicator_id.isin([indicator, ytd]))
    wide = f.group_by("enterprise_id", "year", "month").aggregate(
        reported=f.value.max(where=f.indicator_id == indicator),
        reported_cum=f.value.max(where=f.indicator_id == ytd),
    )
    running = ibis.cumulative_window(group_by=["enterprise_id", "year"], order_by="month")
    ordered = ibis.window(group_by=["enterprise_id", "year"], order_by="month")
    wide = wide.mutate(
        summed=wide.reported.sum().over(running),
        months_reported=wide.reported.count().over(running),
        before_cum=wide.reported_cum.lag().over(ordered),
        before_month=wide.month.lag().over(ordered),
    )
    follows = (wide.before_month == wide.month - 1).fill_null(False)
    derived = ibis.cases(
        (wide.month == 1, wide.reported_cum),
        (follows, wide.reported_cum - wide.before_cum),
        else_=ibis.null("float64"),
    )
    gap = (wide.reported_cum - wide.summed).abs()
    complete = wide.months_reported == wide.month
    return wide.select(
        "enterprise_id",
        "year",
        "month",
        value=wide.reported.coalesce(derived).cast("float64"),
        cum=wide.reported_cum.coalesce(wide.summed).cast("float64"),
        months_reported=wide.months_reported.cast("int64"),
        cum_falls=(follows & (wide.reported_cum < wide.before_cum)).fill_null(False),
        mismatch=(complete & (gap > wide.reported_cum.abs() * MISMATCH_SHARE)).fill_null(False),
        reported_cum=wide.reported_cum.cast("float64"),
        previous_cum=ibis.ifelse(follows, wide.before_cum, ibis.null("float64")).cast("float64"),
        month_sum=wide.summed.cast("float64"),
    )


def series_at(figures: ir.Table, indicator: str, points: list[tuple[int, int]]) -> ir.Table:
    """`monthly_series`' value and cum at the given (year, month) points only, by one grouped scan with no
    window: what an as-of-month analysis reads. Same rules: 累计 is the reported one, else the sum of the
    当月 values reported up to the month; 当月 is the reported one, else the difference of this and the
    previous month's reported 累计. A firm has a row at a point when it reported either form in it."""
    ytd = cumulative_id(indicator)
    years = sorted({y for y, _ in points})
    last = max(m for _, m in points)
    f = figures.filter(
        figures.indicator_id.isin([indicator, ytd]),
        figures.year.isin(years),
        figures.month.between(1, last),
    )
    own, cum = f.indicator_id == indicator, f.indicator_id == ytd
    months = sorted({m for _, m in points})
    aggregates: dict[str, ir.Value] = {}
    for m in months:
        aggregates[f"r{m}"] = f.value.max(where=own & (f.month == m))
        aggregates[f"c{m}"] = f.value.max(where=cum & (f.month == m))
        aggregates[f"s{m}"] = f.value.sum(where=own & (f.month <= m))
        if m > 1:
            aggregates[f"p{m}"] = f.value.max(where=cum & (f.month == m - 1))
    wide = f.group_by("enterprise_id", "year").aggregate(**aggregates)
    parts = []
    for m in months:
        wanted = [y for y, mm in points if mm == m]
        rows = wide.filter(wide.year.isin(wanted), wide[f"r{m}"].notnull() | wide[f"c{m}"].notnull())
        derived = rows[f"c{m}"] if m == 1 else rows[f"c{m}"] - rows[f"p{m}"]
        parts.append(
            rows.select(
                "enterprise_id",
                "year",
                month=ibis.literal(m, "int64"),
                value=rows[f"r{m}"].coalesce(derived).cast("float64"),
                cum=rows[f"c{m}"].coalesce(rows[f"s{m}"]).cast("float64"),
            )
        )
    result = parts[0]
    for part in parts[1:]:
        result = result.union(part)
    return result
