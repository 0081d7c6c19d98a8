"""The facts an evaluation reads, as one wide Ibis table: one row per enterprise.

Inputs are four long tables (any Ibis backend): `enterprises` (enterprise_id, credit_code, name,
region_code, industry_code, established_on, above_scale), `figures` (enterprise_id, indicator_id, year,
month, value; month 0 is the whole year, months 1–12 single months), `titles` (enterprise_id, title,
valid_from, valid_to) and `declared` (enterprise_id, key, value: accepted declarations, one per key).
`wide_facts` pivots exactly the figure slots the programmes read, for the as-of date, with one aggregation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from zhizao.cultivation.programme import Data, Programme

Slot = tuple[str, int, str]  # indicator, year, months ("0" whole year, "q1", or "m<N>")


@dataclass(frozen=True)
class Inputs:
    enterprises: ir.Table
    figures: ir.Table
    titles: ir.Table
    declared: ir.Table


@dataclass(frozen=True)
class Calendar:
    """The periods of one as-of date: 上年度 is the last completed year, Q1 the latest complete Q1."""

    as_of: date
    base_year: int | None = None

    @property
    def last_year(self) -> int:
        return self.as_of.year - 1

    @property
    def q1_year(self) -> int:
        return self.as_of.year if self.as_of.month > 3 else self.as_of.year - 1

    def years(self, period: str) -> list[int]:
        """The whole years a period spans, latest first."""
        y = self.last_year
        spans = {
            "last_year": [y],
            "year_before": [y - 1],
            "this_year": [self.as_of.year],
            "avg_2y": [y, y - 1],
            "sum_2y": [y, y - 1],
            "min_2y": [y, y - 1],
            "avg_3y": [y, y - 1, y - 2],
            "sum_3y": [y, y - 1, y - 2],
            "base_year": [self.base_year or y],
        }
        return spans[period]

    def slot(self, indicator: str, period: str, back: int = 0) -> Slot:
        """The figure slot of a single period, `back` years earlier (for growth against the year before)."""
        if period == "q1":
            return (indicator, self.q1_year - back, "q1")
        if period == "eval_month":
            return (indicator, self.as_of.year - back, f"m{self.as_of.month}")
        return (indicator, self.years(period)[0] - back, "0")

    def label(self, period: str) -> str:
        """The period as a reader sees it: 2025年, 2023—2025年, 2026年一季度, 2026年3月."""
        if period == "q1":
            return f"{self.q1_year}年一季度"
        if period == "eval_month":
            return f"{self.as_of.year}年{self.as_of.month}月"
        years = self.years(period)
        return f"{years[0]}年" if len(years) == 1 else f"{years[-1]}—{years[0]}年"


def column(slot: Slot) -> str:
    indicator, year, months = slot
    return f"f__{indicator}__{year}__{months}"


def data_slots(data: Data, cal: Calendar) -> set[Slot]:
    """Every figure slot a datum reads."""
    if data.indicator is None:
        return set()
    names = [data.indicator, *([data.per] if data.per else [])]
    slots: set[Slot] = set()
    for name in names:
        if data.period in ("q1", "eval_month"):
            slots.add(cal.slot(name, data.period))
        else:
            slots.update((name, y, "0") for y in cal.years(data.period))
        if data.change == "avg_growth_2y":
            slots.update(cal.slot(name, data.period, back) for back in (1, 2))
        elif data.change == "cagr_2y":
            slots.add(cal.slot(name, data.period, 2))
        elif data.change:
            slots.add(cal.slot(name, data.period, 1))
        if data.relative_to:
            slots.update((name, y, "0") for y in cal.years(data.relative_to))
    if data.minus is not None:
        slots |= data_slots(data.minus, cal)
    return slots


def programme_needs(
    programmes: list[Programme], cal_of: dict[str, Calendar]
) -> tuple[set[Slot], set[str], set[str]]:
    """Figure slots, titles and declared keys the programmes read."""
    slots: set[Slot] = set()
    titles: set[str] = set()
    keys: set[str] = set()
    for p in programmes:
        for c in (r for leaf in p.leaves() for r in leaf.readings()):
            slots |= data_slots(c.data, cal_of[p.id])
            if c.data.title:
                titles.add(c.data.title)
            if c.data.declared:
                keys.add(c.data.declared)
        for term in p.ranking.terms if p.ranking else []:
            slots |= data_slots(term.data, cal_of[p.id])
    return slots, titles, keys


def wide_facts(inputs: Inputs, slots: set[Slot], titles: set[str], keys: set[str], as_of: date) -> ir.Table:
    """One row per enterprise: its attributes, every figure slot, titles held on `as_of`, declared facts."""
    e = inputs.enterprises
    table = e.select(
        "enterprise_id",
        "credit_code",
        "name",
        "region_code",
        "industry_code",
        "above_scale",
        industrial=_industrial(e.industry_code),
        age_days=_age_days(e.established_on, as_of),
    )
    if slots:
        table = table.left_join(_figure_columns(inputs.figures, slots), "enterprise_id").drop(
            "enterprise_id_right"
        )
    if titles:
        t = inputs.titles
        held = t.filter((t.valid_from <= ibis.literal(as_of)) & (t.valid_to >= ibis.literal(as_of)))
        agg = held.group_by("enterprise_id").aggregate(
            **{f"t__{name}": (held.title == name).any() for name in sorted(titles)}
        )
        table = table.left_join(agg, "enterprise_id").drop("enterprise_id_right")
        table = table.mutate(**{f"t__{n}": table[f"t__{n}"].fill_null(False) for n in sorted(titles)})
    if keys:
        d = inputs.declared
        agg = (
            d.filter(d.key.isin(sorted(keys)))
            .group_by("enterprise_id")
            .aggregate(**{f"d__{k}": d.value.max(where=d.key == k) for k in sorted(keys)})
        )
        table = table.left_join(agg, "enterprise_id").drop("enterprise_id_right")
    return table


def _industrial(code: ir.StringValue) -> ir.BooleanValue:
    """GB/T 4754 门类 B (06–12), C (13–43) and D (44–46): the industrial divisions."""
    division = code.substr(0, 2)
    return (division >= "06") & (division <= "46") & (code.length() >= 2)


def _age_days(established: ir.Value, as_of: date) -> ir.IntegerValue:
    return ibis.literal(as_of).delta(established.cast("date"), unit="day")


def _figure_columns(figures: ir.Table, slots: set[Slot]) -> ir.Table:
    """The slots as columns of one grouped aggregation (Q1 only when all three months are there)."""
    f = figures
    wanted = sorted({s[0] for s in slots})
    years = sorted({s[1] - 1 for s in slots} | {s[1] for s in slots})
    f = f.filter(f.indicator_id.isin(wanted) & f.year.isin(years))
    metrics: dict[str, ir.Value] = {}
    for slot in sorted(slots):
        indicator, year, months = slot
        base = (f.indicator_id == indicator) & (f.year == year)
        if months == "q1":
            where = base & f.month.between(1, 3)
            total = f.value.sum(where=where)
            metrics[column(slot)] = ibis.ifelse(f.value.count(where=where) == 3, total, ibis.null("float64"))
        else:
            month = 0 if months == "0" else int(months[1:])
            metrics[column(slot)] = f.value.max(where=base & (f.month == month)).cast("float64")
    return f.group_by("enterprise_id").aggregate(**metrics)
