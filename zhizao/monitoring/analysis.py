"""One analysis as of a month: the Ibis expressions of `series`, `growth` and `groupings` run on a backend
(DuckDB by default, PySpark identically), and their sums turned into `results`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from zhizao.evaluation.backends import materialise
from zhizao.monitoring.groupings import GroupBy, group_keys
from zhizao.monitoring.growth import TOTAL, firm_periods, firm_rows, group_sums, needed_points
from zhizao.monitoring.results import (
    Analysis,
    FirmResult,
    GroupResult,
    MonthPoint,
    group_result,
    growth_pct,
    number,
    share_pct,
)
from zhizao.monitoring.series import series_at

BESIDE = "electricity"  # the leading indicator shown beside output


def as_ibis(data: ir.Table | pd.DataFrame) -> ir.Table:
    if isinstance(data, pd.DataFrame):
        # one chunk per column: a concatenated frame's string columns arrive chunked, which Spark refuses
        return ibis.memtable(pa.Table.from_pandas(data, preserve_index=False).combine_chunks())
    return data


@dataclass(frozen=True)
class Inputs:
    """The figures (long: enterprise_id, indicator_id, year, month, value) and firms (see groupings) an
    analysis reads, and the grouping's mapping table and group names."""

    figures: ir.Table
    firms: ir.Table
    mapping: ir.Table | None = None
    names: Mapping[str, str] | None = None

    @classmethod
    def of(
        cls,
        figures: ir.Table | pd.DataFrame,
        firms: ir.Table | pd.DataFrame,
        mapping: ir.Table | pd.DataFrame | None = None,
        names: Mapping[str, str] | None = None,
    ) -> Inputs:
        return cls(as_ibis(figures), as_ibis(firms), None if mapping is None else as_ibis(mapping), names)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def analyse(
    con: BaseBackend,
    inputs: Inputs,
    *,
    year: int,
    month: int,
    indicator: str = "output_value",
    by: GroupBy = "region",
    beside: str | None = BESIDE,
    top: int = 10,
    history: bool = True,
) -> Analysis:
    """Growth, contributions and 增长面 of `indicator` per group as of `month` of `year`.

    With `history`, the total's growth and 增长面 of every month 1..`month` too (one pass over the months);
    with `beside`, that indicator's like-for-like 累计 growth next to each group's."""
    months = list(range(1, month + 1)) if history else [month]
    series = series_at(inputs.figures, indicator, needed_points(year, months))
    periods = materialise(con, firm_periods(series, inputs.firms, year, months))
    keys = group_keys(inputs.firms, by, inputs.mapping)
    totals = _records(con.execute(group_sums(periods, None)))
    by_month = {int(r["month"]): r for r in totals}
    total_row = by_month.get(month, {})
    rows = [r for r in _records(con.execute(group_sums(periods.filter(periods.month == month), keys)))]
    names = inputs.names or {}
    groups = [
        group_result(str(r["group"]), names.get(str(r["group"]), str(r["group"])), r, total_row) for r in rows
    ]
    total = group_result(TOTAL, "合计", total_row, total_row)
    if beside and beside != indicator:
        _add_beside(con, inputs, keys, beside, year, month, groups, total)
    groups.sort(key=lambda g: (g.contribution_pp is None, -(g.contribution_pp or 0), g.group))
    points = [
        MonthPoint(m, r.growth, r.growth_breadth, r.industry_breadth, r.growth_month)
        for m in sorted(by_month)
        for r in [group_result(TOTAL, "", by_month[m], by_month[m])]
    ]
    support, drag = top_firms(con, inputs, periods, month, number(total_row.get("value_cum_prev")), top)
    return Analysis(year, month, indicator, by, total, groups, points, support, drag, beside)


def _add_beside(
    con: BaseBackend,
    inputs: Inputs,
    keys: ir.Table,
    beside: str,
    year: int,
    month: int,
    groups: list[GroupResult],
    total: GroupResult,
) -> None:
    series = series_at(inputs.figures, beside, needed_points(year, [month]))
    periods = materialise(con, firm_periods(series, inputs.firms, year, [month]))
    rows = _records(con.execute(group_sums(periods, keys)))
    growth = {str(r["group"]): growth_pct(number(r["value_cum"]), number(r["value_cum_prev"])) for r in rows}
    for g in groups:
        g.beside_growth = growth.get(g.group)
    t = _records(con.execute(group_sums(periods, None)))
    if t:
        total.beside_growth = growth_pct(number(t[0]["value_cum"]), number(t[0]["value_cum_prev"]))


FIRM_COLUMNS = ("enterprise_id", "credit_code", "name", "region_code", "industry_code")


def firm_results(rows: list[dict[str, Any]], total_prev: float | None) -> list[FirmResult]:
    return [
        FirmResult(
            enterprise_id=int(r["enterprise_id"]),
            credit_code=str(r.get("credit_code") or ""),
            name=str(r.get("name") or ""),
            region_code=str(r.get("region_code") or ""),
            industry_code=str(r.get("industry_code") or ""),
            status=str(r["status"]),
            value_cum=number(r.get("value_cum")),
            value_cum_prev=number(r.get("value_cum_prev")),
            growth=growth_pct(number(r.get("value_cum")), number(r.get("value_cum_prev"))),
            contribution_pp=share_pct(number(r.get("delta")), total_prev)
            if total_prev and total_prev > 0
            else None,
            value_month=number(r.get("value_month")),
            value_month_prev=number(r.get("value_month_prev")),
        )
        for r in rows
    ]


def _with_firm(periods: ir.Table, firms: ir.Table) -> ir.Table:
    f = firms.select(f_id=firms.enterprise_id, **{c: firms[c] for c in FIRM_COLUMNS[1:]})
    return periods.join(f, periods.enterprise_id == f.f_id).drop("f_id")


def top_firms(
    con: BaseBackend,
    inputs: Inputs,
    periods: ir.Table,
    month: int,
    total_prev: float | None,
    top: int,
) -> tuple[list[FirmResult], list[FirmResult]]:
    """The firms carrying growth (增长支撑: largest increases) and dragging it (减量因素: largest falls)."""
    if top <= 0:
        return [], []
    same = firm_rows(periods, month)
    same = same.filter(same.status == "same")
    rows = _with_firm(same, inputs.firms)
    up = rows.filter(rows.delta > 0).order_by([ibis.desc("delta"), "enterprise_id"]).limit(top)
    down = rows.filter(rows.delta < 0).order_by([ibis.asc("delta"), "enterprise_id"]).limit(top)
    return (
        firm_results(_records(con.execute(up)), total_prev),
        firm_results(_records(con.execute(down)), total_prev),
    )


def firms_behind(
    con: BaseBackend,
    inputs: Inputs,
    *,
    year: int,
    month: int,
    indicator: str = "output_value",
    by: GroupBy | None = None,
    group: str | None = None,
    limit: int = 500,
) -> list[FirmResult]:
    """The firms behind a group's numbers (every firm of the total without `by`), largest change first."""
    series = series_at(inputs.figures, indicator, needed_points(year, [month]))
    periods = materialise(con, firm_periods(series, inputs.firms, year, [month]))
    total = _records(con.execute(group_sums(periods, None)))
    total_prev = number(total[0]["value_cum_prev"]) if total else None
    if by is not None and group is not None:
        keys = group_keys(inputs.firms, by, inputs.mapping)
        keys = keys.filter(keys.group.cast("string") == group).select(k_id=keys.enterprise_id)
        periods = periods.join(keys, periods.enterprise_id == keys.k_id).drop("k_id")
    rows = _with_firm(periods, inputs.firms)
    ordered = rows.order_by([ibis.desc(rows.delta.abs().fill_null(0)), "enterprise_id"]).limit(limit)
    return firm_results(_records(con.execute(ordered)), total_prev)
