"""The same steps as Ibis expressions over a wide table (one row per unit, or per unit and year; one column
per indicator), so they run where the data live (DuckDB, PySpark). Each function returns the table with
the named columns replaced; ``by`` names the columns that form a block (e.g. ``["year"]`` normalises
each year separately; no ``by`` pools the whole table). Missing values stay missing and are skipped,
exactly as in the numpy functions (tests check the two agree on the COINr reference data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from zhizao.composite._checks import as_weights, choice
from zhizao.errors import InvalidInput

TABLE_NORMALISATIONS = (
    "minmax",
    "zscore",
    "rank",
    "borda",
    "percentile_rank",
    "dist_to_max",
    "dist_to_target",
)


def _float(value: float) -> ir.FloatingScalar:
    return ibis.literal(value, type="float64")


def denominate_table(t: ir.Table, denominators: Mapping[str, str], scale: float = 1.0) -> ir.Table:
    """Indicator column ← indicator / denominator column × scale (a zero denominator gives a gap)."""
    return t.mutate(
        **{
            code: ibis.ifelse(t[d] == 0, ibis.null("float64"), t[code].cast("float64") / t[d] * scale)
            for code, d in denominators.items()
        }
    )


def screen_table(t: ir.Table, columns: Sequence[str], dat_thresh: float = 0.9) -> ir.Table:
    """The rows whose share of non-missing ``columns`` is at least ``dat_thresh`` (COINr ``Screen``, byNA)."""
    if not columns or not 0 <= dat_thresh <= 1:
        raise InvalidInput("screen_table: give columns and a dat_thresh in [0, 1]")
    present: ir.IntegerValue = ibis.literal(0)
    for code in columns:
        present = present + t[code].notnull().cast("int64")
    return t.filter(present.cast("float64") >= _float(dat_thresh * len(columns)))


def impute_table(t: ir.Table, columns: Sequence[str], stat: str = "mean", by: Sequence[str] = ()) -> ir.Table:
    """Each gap ← the column's mean or median over the table, or within the block ``by`` (COINr ``i_mean``,
    ``i_median``, ``i_mean_grp``, ``i_median_grp``); a block with no value leaves the gap."""
    choice(stat, ("mean", "median"), "stat")
    window = ibis.window(group_by=list(by) or None)
    out: dict[str, ir.Value] = {}
    for code in columns:
        x = t[code].cast("float64")
        fill = x.mean().over(window) if stat == "mean" else x.median().over(window)
        out[code] = x.fill_null(fill)
    return t.mutate(**out)


def impute_previous_table(t: ir.Table, columns: Sequence[str], unit: str, time: str) -> ir.Table:
    """Panel: each gap ← the same unit's latest earlier observed value (last observation carried forward);
    a unit's first periods stay missing. Plain SQL windows: a running count of observed values numbers the
    runs, and each run takes the one value it holds."""
    running = ibis.window(group_by=unit, order_by=time, preceding=None, following=0)
    marks = {f"__run_{i}": t[code].count().over(running) for i, code in enumerate(columns)}
    t = t.mutate(**marks)
    out: dict[str, ir.Value] = {}
    for i, code in enumerate(columns):
        x = t[code].cast("float64")
        out[code] = x.fill_null(x.max().over(ibis.window(group_by=[t[unit], t[f"__run_{i}"]])))
    return t.mutate(**out).drop(*marks)


def normalise_table(
    t: ir.Table,
    columns: Sequence[str],
    method: str = "minmax",
    directions: Mapping[str, int] | None = None,
    by: Sequence[str] = (),
    lower: float = 0.0,
    upper: float = 1.0,
    mean: float = 0.0,
    sd: float = 1.0,
    targets: Mapping[str, float] | None = None,
    cap: bool = False,
) -> ir.Table:
    """Normalise ``columns`` as `zhizao.composite.normalise` does (direction −1 multiplies by −1 first).

    A constant column within a block gives a gap rather than an error here (a database cannot raise per
    block); screen constant indicators first if that matters.
    """
    choice(method, TABLE_NORMALISATIONS, "normalisation")
    directions = directions or {}
    window = ibis.window(group_by=list(by) or None)
    out: dict[str, ir.Value] = {}
    for code in columns:
        d = directions.get(code, 1)
        if d not in (1, -1):
            raise InvalidInput(f"directions: {code} must be 1 or -1")
        x = t[code].cast("float64") * d
        lo, hi = x.min().over(window), x.max().over(window)
        spread = ibis.ifelse(hi > lo, hi - lo, ibis.null("float64"))
        if method == "minmax":
            out[code] = (x - lo) / spread * (upper - lower) + lower
        elif method == "dist_to_max":
            out[code] = 1 - (hi - x) / spread
        elif method == "zscore":
            s = x.std(how="sample").over(window)
            out[code] = (x - x.mean().over(window)) / ibis.ifelse(s > 0, s, ibis.null("float64")) * sd + mean
        elif method == "dist_to_target":
            if targets is None or code not in targets:
                raise InvalidInput(f"dist_to_target: no target for {code}")
            target = _float(targets[code] * d)
            y = 1 - (target - x) / ibis.ifelse(target > lo, target - lo, ibis.null("float64"))
            out[code] = ibis.ifelse(y > 1, _float(1.0), y) if cap else y
        else:  # rank-based: ties take the lowest rank, gaps stay gaps and are not counted
            w = ibis.window(group_by=[*by, x.isnull()], order_by=x)
            rank0 = ibis.rank().over(w).cast("float64")
            if method == "rank":
                value = rank0 + 1
            elif method == "borda":
                value = rank0
            else:
                n = x.count().over(window).cast("float64")
                value = rank0 / ibis.ifelse(n > 1, n - 1, ibis.null("float64"))
            out[code] = ibis.ifelse(x.isnull(), ibis.null("float64"), value)
    return t.mutate(**out)


def aggregate_table(
    t: ir.Table,
    columns: Sequence[str],
    weights: Sequence[float] | None = None,
    name: str = "score",
    method: str = "arithmetic",
) -> ir.Table:
    """Add ``name``: the weighted arithmetic or geometric mean of ``columns`` per row, skipping gaps and
    renormalising the remaining weights (COINr ``a_amean`` / ``a_gmean``). A row with only gaps, or with a
    value ≤ 0 under the geometric mean, gets a gap."""
    choice(method, ("arithmetic", "geometric"), "aggregation")
    w = as_weights([1.0] * len(columns) if weights is None else weights, len(columns))
    num: ir.FloatingValue = _float(0.0)
    den: ir.FloatingValue = _float(0.0)
    invalid: ir.BooleanValue = ibis.literal(False)
    for code, weight in zip(columns, w, strict=True):
        x = t[code].cast("float64")
        present = x.notnull()
        if method == "geometric":  # a value ≤ 0 has no logarithm: the row gets a gap, not a wrong score
            invalid = invalid | (present & (x <= 0))
            x = ibis.ifelse(x > 0, x, _float(1.0)).ln()
        num = num + ibis.ifelse(present, x * float(weight), _float(0.0))
        den = den + ibis.ifelse(present, _float(float(weight)), _float(0.0))
    value = num / ibis.ifelse(den > 0, den, ibis.null("float64"))
    if method == "geometric":
        value = ibis.ifelse(invalid, ibis.null("float64"), value.exp())
    return t.mutate(**{name: value})
