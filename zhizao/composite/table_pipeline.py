"""An index definition run as one chain of Ibis steps, where the data live (DuckDB by default, PySpark):
denominate → screen → impute → (keep the chosen year) → treat → normalise (per year or pooled) →
aggregate the hierarchy level by level → rank per year.

Every step is a function of `zhizao.composite.steps` or `treat_table`; the few reads that decide something
(a zero denominator, the units screened out, the year asked for, the treatment's rounds) are small queries.
Only Copeland, an outranking over every pair of units, stays on arrays (`pipeline.run_index_arrays`).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from zhizao.composite.definition import IndexDefinition, Indicator
from zhizao.composite.hierarchy import levels_of
from zhizao.composite.steps import (
    aggregated,
    denominate_table,
    has_data,
    impute_previous_table,
    impute_table,
    normalised_columns,
    screen_table,
)
from zhizao.composite.treat_table import TableTreatment, treat_table
from zhizao.errors import InvalidInput
from zhizao.evaluation.backends import materialise

ROW = "__row"  # the input's row order, kept so the result comes back in it
POSITIVE_ONLY = ("geometric", "harmonic", "generalised")


@dataclass(frozen=True)
class TableIndex:
    """``table``: the lazy result (keys, every normalised indicator, every aggregate, ``rank``);
    ``treatments`` per indicator; ``dropped_units`` screened out for lack of data."""

    table: ir.Table
    treatments: dict[str, TableTreatment]
    dropped_units: list[str]


def level_methods(defn: IndexDefinition) -> list[str]:
    levels = levels_of(defn.parents, [i.code for i in defn.indicators])
    methods = defn.steps.aggregation
    per_level: list[str] = [methods] * len(levels) if isinstance(methods, str) else list(methods)
    if len(per_level) != len(levels):
        raise InvalidInput(f"methods: {len(per_level)} given for {len(levels)} levels")
    return per_level


def _keys(defn: IndexDefinition) -> list[str]:
    return [defn.unit_column, *([defn.year_column] if defn.year_column else [])]


def _check_schema(defn: IndexDefinition, t: ir.Table) -> None:
    needed = _keys(defn) + [i.code for i in defn.indicators]
    needed += [i.denominator for i in defn.indicators if i.denominator]
    if defn.steps.impute_group:
        needed.append(defn.steps.impute_group)
    missing = [c for c in dict.fromkeys(needed) if c not in t.columns]
    if missing:
        raise InvalidInput(f"数据缺少列: {', '.join(missing)}")


def _count(backend: BaseBackend, t: ir.Table) -> int:
    return int(backend.execute(t.count()))


def _denominate(backend: BaseBackend, defn: IndexDefinition, t: ir.Table) -> ir.Table:
    denominators = {i.code: i.denominator for i in defn.indicators if i.denominator}
    if not denominators:
        return t
    zero = ibis.literal(False)
    for column in set(denominators.values()):
        zero = zero | (t[column].cast("float64") == 0)
    if _count(backend, t.filter(zero)):
        raise InvalidInput("denominators: a denominator is zero")
    return denominate_table(t, denominators)


def _order(defn: IndexDefinition, t: ir.Table) -> list[str]:
    return [ROW] if ROW in t.columns else [*reversed(_keys(defn))]


def _screen(backend: BaseBackend, defn: IndexDefinition, t: ir.Table) -> tuple[ir.Table, list[str]]:
    threshold = defn.steps.screen
    if threshold is None:
        return t, []
    codes = [i.code for i in defn.indicators]
    kept = screen_table(t, codes, threshold)
    dropped = t.filter(~has_data(t, codes, threshold)).order_by(_order(defn, t)).select(defn.unit_column)
    units = [str(u) for u in backend.execute(dropped)[defn.unit_column]]
    if not _count(backend, kept):
        raise InvalidInput(f"筛选后没有单位: 每个单位的数据都不足 {threshold:.0%}")
    return kept, units


def _impute(defn: IndexDefinition, t: ir.Table) -> ir.Table:
    s, codes = defn.steps, [i.code for i in defn.indicators]
    if s.impute in ("mean", "median"):
        return impute_table(t, codes, s.impute)
    if s.impute in ("group_mean", "group_median"):
        assert s.impute_group is not None
        return impute_table(t, codes, s.impute.removeprefix("group_"), by=[s.impute_group])
    if s.impute == "previous":
        if not defn.year_column:
            raise InvalidInput("impute: previous 需要 year_column")
        return impute_previous_table(t, codes, defn.unit_column, defn.year_column)
    return t


SCALED = ("percentile_rank", "dist_to_max", "dist_to_target", "goalposts")  # scores × steps.scale


def _normalise_one(t: ir.Table, ind: Indicator, defn: IndexDefinition, by: list[str]) -> ir.Value:
    s = defn.steps
    how = ind.normalisation or s.normalisation
    d, code = {ind.code: ind.direction}, ind.code
    if how == "minmax":
        return normalised_columns(t, [code], how, d, by, lower=s.lower, upper=s.upper)[code]
    if how == "dist_to_target":
        assert ind.target is not None
        value = normalised_columns(t, [code], how, d, by, targets={code: ind.target}, cap=True)[code]
    elif how == "goalposts":
        assert ind.goalposts is not None
        value = normalised_columns(t, [code], how, d, by, goalposts={code: ind.goalposts})[code]
    else:
        value = normalised_columns(t, [code], how, d, by)[code]
    return value * s.scale if how in SCALED else value


def _normalise(defn: IndexDefinition, t: ir.Table) -> ir.Table:
    """Every indicator in one projection (a deep chain of projections defeats Spark's analyser)."""
    by = [defn.year_column] if defn.year_column and defn.steps.panel == "per_year" else []
    return t.mutate(**{ind.code: _normalise_one(t, ind, defn, by) for ind in defn.indicators})


def _aggregate(defn: IndexDefinition, t: ir.Table) -> ir.Table:
    """One projection per level of the hierarchy, bottom up."""
    s, leaves = defn.steps, [i.code for i in defn.indicators]
    done = list(leaves)
    for codes, method in zip(levels_of(defn.parents, leaves), level_methods(defn), strict=True):
        if method == "copeland":
            raise InvalidInput("copeland: 只能在数组上计算 (run_index_arrays)")
        level: dict[str, ir.Value] = {}
        for code in codes:
            children = [c for c in done if defn.parents.get(c) == code]
            weights = [defn.weights.get(c, 1.0) for c in children]
            level[code] = aggregated(t, children, weights, method, p=s.p, dat_thresh=s.dat_thresh)
        t = t.mutate(**level)
        done += codes
    return t


def _rank(defn: IndexDefinition, t: ir.Table) -> ir.Table:
    score = t[defn.index_code]
    group = [*([defn.year_column] if defn.year_column else []), score.isnull()]
    rank = ibis.rank().over(group_by=group, order_by=score.desc()).cast("float64") + 1
    return t.mutate(rank=ibis.ifelse(score.isnull(), ibis.null("float64"), rank))


def prepare_table(
    backend: BaseBackend, defn: IndexDefinition, t: ir.Table, year: int | None = None
) -> TableIndex:
    """Every step up to normalisation, lazily (a few small reads decide screening and treatment)."""
    _check_schema(defn, t)
    if year is not None:
        if not defn.year_column:
            raise InvalidInput("--year 需要定义文件给出 year_column")
        if not _count(backend, t.filter(t[defn.year_column] == year)):
            raise InvalidInput(f"数据中没有 {year} 年")
    codes = [i.code for i in defn.indicators]
    t = t.mutate(**{c: t[c].cast("float64") for c in codes})
    t = _denominate(backend, defn, t)
    t, dropped = _screen(backend, defn, t)
    t = _impute(defn, t)
    if year is not None:  # after imputation, so a gap can still take the previous year's value
        assert defn.year_column is not None
        t = t.filter(t[defn.year_column] == year)
    treatments: dict[str, TableTreatment] = {}
    if defn.steps.treat:  # the treatment reads the imputed data three times: compute it once
        t = materialise(backend, t)
        t, treatments = treat_table(backend, t, codes, winmax=defn.steps.winmax)
    t = _normalise(defn, t)
    kept = [ROW] if ROW in t.columns else []
    return TableIndex(t.select(*kept, *_keys(defn), *codes), treatments, dropped)


def index_table(
    backend: BaseBackend, defn: IndexDefinition, t: ir.Table, year: int | None = None
) -> TableIndex:
    """The whole index over an Ibis table: keys, normalised indicators, aggregates and ``rank``."""
    prepared = prepare_table(backend, defn, t, year)
    scored = _rank(defn, _aggregate(defn, prepared.table))
    return TableIndex(scored, prepared.treatments, prepared.dropped_units)


def as_table(frame: pd.DataFrame) -> ir.Table:
    """A data frame as an in-memory Ibis table with its row order in ``__row``."""
    data = frame.reset_index(drop=True)
    return ibis.memtable(
        pa.Table.from_pandas(data.assign(**{ROW: np.arange(len(data))}), preserve_index=False)
    )


def execute_index(backend: BaseBackend, defn: IndexDefinition, index: TableIndex) -> pd.DataFrame:
    """Run the lazy index and return it in the input's row order; a mean that needs positive values and
    met one is refused as the array functions refuse it."""
    frame = backend.execute(index.table.order_by(_order(defn, index.table)))
    frame = frame.drop(columns=[ROW], errors="ignore").reset_index(drop=True)
    levels = levels_of(defn.parents, [i.code for i in defn.indicators])
    for codes, method in zip(levels, level_methods(defn), strict=True):
        if method not in POSITIVE_ONLY:
            continue
        children = [c for c in frame.columns if defn.parents.get(c) in codes]
        values = frame[children].to_numpy(dtype=float)
        if (values[~np.isnan(values)] <= 0).any():
            raise InvalidInput(
                f"{method}: every value must be positive (normalise to a positive range first)"
            )
    return frame
