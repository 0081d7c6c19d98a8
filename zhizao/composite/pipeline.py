"""Run an index definition over a table of units (one row per unit, or per unit and year):
denominate → screen → impute → (keep the chosen year) → treat → normalise (per year or pooled) → aggregate
the hierarchy → rank. Screening looks at the gaps before imputation; imputation sees the whole panel.

`run_index` runs the chain of Ibis steps (`table_pipeline`) on DuckDB by default or any backend given;
`run_index_arrays` and `prepare` run the package's array functions on a data frame (the reference the
table path is tested against, Copeland's outranking, and the data sets the uncertainty analysis
replicates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from zhizao.composite import impute, normalise
from zhizao.composite.definition import IndexDefinition, Indicator
from zhizao.composite.hierarchy import aggregate_hierarchy
from zhizao.composite.mcda import rank_descending
from zhizao.composite.treat import ColumnTreatment, treat
from zhizao.composite.treat_table import TableTreatment
from zhizao.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from ibis.backends import BaseBackend


@dataclass(frozen=True)
class IndexResult:
    """``scores``: one row per unit (and year) with the unit, year, every normalised indicator and every
    aggregate, and ``rank`` (1 = best, per year). ``treatments``: what the outlier step did per indicator."""

    scores: pd.DataFrame
    treatments: dict[str, ColumnTreatment] | dict[str, TableTreatment]
    dropped_units: list[str]


def _check_columns(defn: IndexDefinition, frame: pd.DataFrame) -> None:
    needed = [defn.unit_column, *([defn.year_column] if defn.year_column else [])]
    needed += [i.code for i in defn.indicators] + [i.denominator for i in defn.indicators if i.denominator]
    if defn.steps.impute_group:
        needed.append(defn.steps.impute_group)
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        raise InvalidInput(
            f"数据缺少列: {', '.join(missing)}", [Problem(message="数据缺少此列", column=c) for c in missing]
        )
    bad = []
    numeric = [i.code for i in defn.indicators] + [i.denominator for i in defn.indicators if i.denominator]
    for column in dict.fromkeys(numeric):
        values = pd.to_numeric(frame[column], errors="coerce")
        rows = np.nonzero(values.isna().to_numpy() & frame[column].notna().to_numpy())[0]
        bad += [Problem(message="不是数字", row=int(r) + 2, column=column) for r in rows[:5]]
    if bad:
        raise InvalidInput(f"数据中有 {len(bad)} 处不是数字", bad)


def _normalise_column(x: np.ndarray, ind: Indicator, defn: IndexDefinition) -> np.ndarray:
    s = defn.steps
    how = ind.normalisation or s.normalisation
    col, d = x[:, None], [ind.direction]
    if how == "minmax":
        return normalise.minmax(col, s.lower, s.upper, d)[:, 0]
    if how == "zscore":
        return normalise.zscore(col, directions=d)[:, 0]
    if how == "rank":
        return normalise.rank(col, d)[:, 0]
    if how == "borda":
        return normalise.borda(col, d)[:, 0]
    if how == "percentile_rank":
        return normalise.percentile_rank(col, d)[:, 0] * s.scale
    if how == "dist_to_max":
        return normalise.dist_to_max(col, d)[:, 0] * s.scale
    if how == "dist_to_target":
        assert ind.target is not None
        if np.all(np.isnan(x) | (x * ind.direction >= ind.target * ind.direction)):
            return np.where(np.isnan(x), np.nan, s.scale)  # every unit has reached the plan's target
        return normalise.dist_to_target(col, [ind.target], d, cap=True)[:, 0] * s.scale
    assert ind.goalposts is not None
    lo, hi = ind.goalposts
    return normalise.goalposts(col, [lo], [hi], s.scale, d)[:, 0]


SPREAD_BASED = ("minmax", "zscore", "dist_to_max")  # normalisations that divide by the spread


def _normalise(values: np.ndarray, defn: IndexDefinition, groups: np.ndarray | None) -> np.ndarray:
    out = np.full(values.shape, np.nan)
    blocks = (
        [np.ones(len(values), dtype=bool)] if groups is None else [groups == g for g in np.unique(groups)]
    )
    for rows in blocks:
        for j, ind in enumerate(defn.indicators):
            present = values[rows, j][~np.isnan(values[rows, j])]
            how = ind.normalisation or defn.steps.normalisation
            if how in SPREAD_BASED and (present.size < 2 or np.all(present == present[0])):
                # every unit alike (or one value): the indicator tells them apart in nothing, so it is left
                # out of this block's aggregation (a gap, weights renormalised) rather than failing the index
                continue
            try:
                out[rows, j] = _normalise_column(values[rows, j], ind, defn)
            except InvalidInput as exc:
                raise InvalidInput(f"{ind.code}: {exc.message}") from exc
    return out


@dataclass(frozen=True)
class Prepared:
    """Every step up to normalisation: the unit (and year) columns, the normalised indicators (in the
    definition's order) and what treatment and screening did."""

    keys: pd.DataFrame
    normalised: np.ndarray
    treatments: dict[str, ColumnTreatment]
    dropped_units: list[str]

    def years(self, defn: IndexDefinition) -> np.ndarray | None:
        return self.keys[defn.year_column].to_numpy() if defn.year_column else None


def prepare(defn: IndexDefinition, frame: pd.DataFrame, year: int | None = None) -> Prepared:
    """Denominate, screen, impute, keep the year, treat and normalise."""
    _check_columns(defn, frame)
    s = defn.steps
    if year is not None:
        if not defn.year_column:
            raise InvalidInput("--year 需要定义文件给出 year_column")
        if not (frame[defn.year_column] == year).any():
            raise InvalidInput(f"数据中没有 {year} 年")
    frame = frame.reset_index(drop=True)
    codes = [i.code for i in defn.indicators]
    values = frame[codes].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    denominators = np.column_stack(
        [
            pd.to_numeric(frame[i.denominator], errors="coerce").to_numpy(dtype=float)
            if i.denominator
            else np.ones(len(frame))
            for i in defn.indicators
        ]
    )
    values = impute.denominate(values, denominators)
    dropped: list[str] = []
    if s.screen is not None:
        keep = impute.screen_units(values, s.screen)
        dropped = [str(u) for u in frame.loc[~keep, defn.unit_column]]
        frame, values = frame[keep].reset_index(drop=True), values[keep]
        if frame.empty:
            raise InvalidInput(f"筛选后没有单位: 每个单位的数据都不足 {s.screen:.0%}")
    if s.impute in ("mean", "median"):
        values = impute.impute_column(values, s.impute)
    elif s.impute in ("group_mean", "group_median"):
        assert s.impute_group is not None
        values = impute.impute_group(
            values, frame[s.impute_group].to_numpy(), s.impute.removeprefix("group_")
        )
    elif s.impute == "previous":
        if not defn.year_column:
            raise InvalidInput("impute: previous 需要 year_column")
        values = impute.impute_previous(values, frame[defn.unit_column], frame[defn.year_column])
    if year is not None:  # after imputation, so a gap can still take the previous year's value
        assert defn.year_column is not None
        this_year = (frame[defn.year_column] == year).to_numpy()
        frame, values = frame[this_year].reset_index(drop=True), values[this_year]
    treatments: dict[str, ColumnTreatment] = {}
    if s.treat:
        values, details = treat(values, winmax=s.winmax)
        treatments = dict(zip(codes, details, strict=True))
    years = frame[defn.year_column].to_numpy() if defn.year_column else None
    normalised = _normalise(values, defn, years if s.panel == "per_year" else None)
    keys = frame[[defn.unit_column, *([defn.year_column] if defn.year_column else [])]].copy()
    return Prepared(keys, normalised, treatments, dropped)


def ranks_by_year(index: np.ndarray, years: np.ndarray | None) -> np.ndarray:
    """Rank 1 = best within each year (or overall); units without a score get no rank."""
    rank = np.full(index.shape[0], np.nan)
    for rows in (
        [np.ones(len(index), dtype=bool)] if years is None else [years == y for y in np.unique(years)]
    ):
        ok = rows & ~np.isnan(index)
        rank[ok] = rank_descending(index[ok])
    return rank


def run_index(
    defn: IndexDefinition,
    frame: pd.DataFrame,
    year: int | None = None,
    backend: BaseBackend | None = None,
) -> IndexResult:
    """Run every step as Ibis expressions on ``backend`` (a fresh in-memory DuckDB by default) and return
    one row per unit (and year), in the data's row order, with indicators, aggregates and rank. A
    definition aggregating by Copeland runs on arrays (`run_index_arrays`)."""
    import ibis

    from zhizao.composite.table_pipeline import as_table, execute_index, index_table, level_methods

    _check_columns(defn, frame)
    if "copeland" in level_methods(defn):
        return run_index_arrays(defn, frame, year)
    numeric = [i.code for i in defn.indicators] + [i.denominator for i in defn.indicators if i.denominator]
    data = frame.copy()
    for column in dict.fromkeys(numeric):
        data[column] = pd.to_numeric(data[column], errors="coerce").astype(float)
    con = backend if backend is not None else ibis.duckdb.connect()
    index = index_table(con, defn, as_table(data), year)
    scores = execute_index(con, defn, index)
    return IndexResult(scores=scores, treatments=index.treatments, dropped_units=index.dropped_units)


def run_index_arrays(defn: IndexDefinition, frame: pd.DataFrame, year: int | None = None) -> IndexResult:
    """Run every step on arrays and return one row per unit (and year) with indicators, aggregates and
    rank."""
    prepared = prepare(defn, frame, year)
    s = defn.steps
    scores = aggregate_hierarchy(
        {i.code: prepared.normalised[:, j] for j, i in enumerate(defn.indicators)},
        defn.parents,
        defn.weights,
        s.aggregation,
        p=s.p,
        dat_thresh=s.dat_thresh,
    )
    out = prepared.keys.copy()
    for code, v in scores.items():
        out[code] = v
    out["rank"] = ranks_by_year(scores[defn.index_code], prepared.years(defn))
    return IndexResult(scores=out, treatments=prepared.treatments, dropped_units=prepared.dropped_units)
