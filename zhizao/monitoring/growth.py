"""Year-on-year growth on a like-for-like basis, contributions and 增长面, as Ibis expressions.

For a month M of year Y, every firm that reported in M of Y or of Y−1 is one of:

- `same` (可比): reported in both; its 累计 and 当月 count in the group's like-for-like values;
- `new` (增量): reported in Y only (newly 规上, newly founded, newly reporting);
- `exit` (退出): reported in Y−1 only (closed, dropped out of 规上, stopped reporting).

Growth is Σ累计(Y) / Σ累计(Y−1) − 1 over the group's `same` firms; a firm with a zero base counts in the
sums but has no growth rate of its own. The contribution of a group (拉动, percentage points) is its change
divided by the total's base; its share of growth is its change divided by the total's change. 增长面 is the
share of a group's `same` firms whose 累计 grew, and of its industries (大类) whose like-for-like 累计 grew.

Everything here runs on the backend; only the aggregated rows (one per group and month) come back, and the
ratios are taken from them in `zhizao.monitoring.results`.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

TOTAL = "__total__"


def month_index(year: int, month: int) -> int:
    """Months since year 0: consecutive months differ by one across a year boundary."""
    return year * 12 + month - 1


def needed_points(year: int, months: list[int]) -> list[tuple[int, int]]:
    """The (year, month) points `firm_periods` reads: each month, a year before, and the month before."""
    points = set()
    for m in months:
        points |= {(year, m), (year - 1, m), (year, m - 1) if m > 1 else (year - 1, 12)}
    return sorted(points)


def firm_periods(series: ir.Table, firms: ir.Table, year: int, months: list[int]) -> ir.Table:
    """One row per firm and month of `months` of `year` that the firm reported in then or a year before.

    `series` is `monthly_series(...)` or `series_at(..., needed_points(year, months))`; `firms` has
    enterprise_id and division (行业大类). Columns out:
    enterprise_id, month, division, status, value_cum, value_cum_prev, value_month, value_month_prev,
    value_month_before (当月 of the month before), delta (累计 change of a `same` firm)."""
    s = series.mutate(t=series.year * 12 + series.month - 1)
    wanted = [month_index(year, m) for m in months]
    s = s.filter(s.t.isin(sorted({u + d for u in wanted for d in (0, -1, -12)})))
    cur = s.filter(s.t.isin(wanted)).select("enterprise_id", "t", value_cum=s.cum, value_month=s.value)
    prev = s.filter(s.t.isin([t - 12 for t in wanted])).select(
        p_id=s.enterprise_id, p_t=s.t + 12, value_cum_prev=s.cum, value_month_prev=s.value
    )
    before = s.filter(s.t.isin([t - 1 for t in wanted])).select(
        b_id=s.enterprise_id, b_t=s.t + 1, value_month_before=s.value
    )
    keys = cur.select("enterprise_id", "t").union(
        prev.select(enterprise_id=prev.p_id, t=prev.p_t), distinct=True
    )
    joined = (
        keys.left_join(cur, ["enterprise_id", "t"])
        .left_join(prev, [keys.enterprise_id == prev.p_id, keys.t == prev.p_t])
        .left_join(before, [keys.enterprise_id == before.b_id, keys.t == before.b_t])
    )
    joined = joined.select(
        "enterprise_id",
        "t",
        "value_cum",
        "value_cum_prev",
        "value_month",
        "value_month_prev",
        "value_month_before",
    )
    f = firms.select(f_id=firms.enterprise_id, division=firms.division)
    joined = joined.left_join(f, joined.enterprise_id == f.f_id).drop("f_id")
    status = ibis.cases(
        (joined.value_cum.notnull() & joined.value_cum_prev.notnull(), "same"),
        (joined.value_cum.notnull(), "new"),
        else_="exit",
    )
    return joined.mutate(
        month=(joined.t - year * 12 + 1).cast("int64"),
        status=status,
        delta=ibis.ifelse(
            joined.value_cum.notnull() & joined.value_cum_prev.notnull(),
            joined.value_cum - joined.value_cum_prev,
            ibis.null("float64"),
        ),
    ).drop("t")


def _sums(t: ir.Table) -> dict[str, ir.Value]:
    same = t.status == "same"
    months_same = same & t.value_month.notnull() & t.value_month_prev.notnull()
    mom = t.value_month.notnull() & t.value_month_before.notnull()
    return {
        "firms": same.sum().cast("int64"),
        "growing_firms": (same & (t.value_cum > t.value_cum_prev)).sum().cast("int64"),
        "value_cum": t.value_cum.sum(where=same),
        "value_cum_prev": t.value_cum_prev.sum(where=same),
        "value_month": t.value_month.sum(where=months_same),
        "value_month_prev": t.value_month_prev.sum(where=months_same),
        "value_month_now": t.value_month.sum(where=mom),
        "value_month_before": t.value_month_before.sum(where=mom),
        "new_firms": (t.status == "new").sum().cast("int64"),
        "new_value": t.value_cum.sum(where=t.status == "new"),
        "exit_firms": (t.status == "exit").sum().cast("int64"),
        "exit_value": t.value_cum_prev.sum(where=t.status == "exit"),
    }


def group_sums(periods: ir.Table, keys: ir.Table | None) -> ir.Table:
    """Sums per group and month (`keys`: enterprise_id, group; a firm may sit in several groups, or none).
    Without keys, the total, as group `TOTAL`."""
    if keys is None:
        t = periods.mutate(group=ibis.literal(TOTAL))
    else:
        k = keys.select(k_id=keys.enterprise_id, group=keys.group.cast("string"))
        t = periods.join(k, periods.enterprise_id == k.k_id).drop("k_id")
    sums = t.group_by("group", "month").aggregate(**_sums(t))
    same = t.filter(t.status == "same")
    by_industry = same.group_by("group", "month", "division").aggregate(
        c=same.value_cum.sum(), p=same.value_cum_prev.sum()
    )
    breadth = by_industry.group_by(i_group=by_industry.group, i_month=by_industry.month).aggregate(
        industries=by_industry.count().cast("int64"),
        growing_industries=(by_industry.c > by_industry.p).sum().cast("int64"),
    )
    joined = sums.left_join(breadth, [sums.group == breadth.i_group, sums.month == breadth.i_month])
    return joined.drop("i_group", "i_month")


def firm_rows(periods: ir.Table, month: int) -> ir.Table:
    """The firms behind the numbers of `month` (drill-down, top lists, warnings)."""
    return periods.filter(periods.month == month)
