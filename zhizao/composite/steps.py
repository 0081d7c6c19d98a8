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
    "goalposts",
)
TABLE_AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalised")


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


def has_data(t: ir.Table, columns: Sequence[str], dat_thresh: float = 0.9) -> ir.BooleanValue:
    """Whether a row's share of non-missing ``columns`` is at least ``dat_thresh``."""
    if not columns or not 0 <= dat_thresh <= 1:
        raise InvalidInput("screen_table: give columns and a dat_thresh in [0, 1]")
    present: ir.IntegerValue = ibis.literal(0)
    for code in columns:
        present = present + t[code].notnull().cast("int64")
    return present.cast("float64") >= _float(dat_thresh * len(columns))


def screen_table(t: ir.Table, columns: Sequence[str], dat_thresh: float = 0.9) -> ir.Table:
    """The rows whose share of non-missing ``columns`` is at least ``dat_thresh`` (COINr ``Screen``, byNA)."""
    return t.filter(has_data(t, columns, dat_thresh))


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
    goalposts: Mapping[str, tuple[float, float]] | None = None,
) -> ir.Table:
    return t.mutate(
        **normalised_columns(
            t, columns, method, directions, by, lower, upper, mean, sd, targets, cap, goalposts
        )
    )


def normalised_columns(
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
    goalposts: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, ir.Value]:
    """Normalise ``columns`` as `zhizao.composite.normalise` does (direction −1 multiplies by −1 first).

    A constant column within a block gives a gap rather than an error here (a database cannot raise per
    block); screen constant indicators first if that matters. With ``cap``, a block in which every unit
    already reaches the target scores 1 throughout (the numpy function refuses such a column).
    ``goalposts`` (lower, upper in the indicator's units) score (x − lower)/(upper − lower) truncated to
    [0, 1] (direction −1: (upper − x)/(upper − lower)), COINr ``n_goalposts``.
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
            if cap:
                reached = ibis.ifelse(x.isnull(), ibis.null("float64"), _float(1.0))
                out[code] = ibis.ifelse(target > lo, ibis.ifelse(y > 1, _float(1.0), y), reached)
            else:
                out[code] = y
        elif method == "goalposts":
            if goalposts is None or code not in goalposts:
                raise InvalidInput(f"goalposts: none given for {code}")
            gl, gu = goalposts[code]
            if not gu > gl:
                raise InvalidInput(f"goalposts: for {code} the upper goalpost is not above the lower")
            raw = t[code].cast("float64")
            y = (raw - gl) / (gu - gl) if d == 1 else (gu - raw) / (gu - gl)
            out[code] = ibis.greatest(ibis.least(y, _float(1.0)), _float(0.0))
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
    return out


def aggregate_table(
    t: ir.Table,
    columns: Sequence[str],
    weights: Sequence[float] | None = None,
    name: str = "score",
    method: str = "arithmetic",
    p: float = 2.0,
    dat_thresh: float | None = None,
) -> ir.Table:
    return t.mutate(**{name: aggregated(t, columns, weights, method, p, dat_thresh)})


def aggregated(
    t: ir.Table,
    columns: Sequence[str],
    weights: Sequence[float] | None = None,
    method: str = "arithmetic",
    p: float = 2.0,
    dat_thresh: float | None = None,
) -> ir.FloatingValue:
    """The ``name``: the weighted arithmetic, geometric, harmonic or generalised (power ``p``) mean of
    ``columns`` per row, skipping gaps and renormalising the remaining weights (COINr ``a_amean``,
    ``a_gmean``, ``a_hmean``, ``a_genmean``). A row with only gaps, with fewer than ``dat_thresh`` of its
    columns present, or with a value ≤ 0 under a mean other than the arithmetic, gets a gap."""
    choice(method, TABLE_AGGREGATIONS, "aggregation")
    if method == "generalised" and p == 0:
        method = "geometric"
    w = as_weights([1.0] * len(columns) if weights is None else weights, len(columns))
    num: ir.FloatingValue = _float(0.0)
    den: ir.FloatingValue = _float(0.0)
    count: ir.IntegerValue = ibis.literal(0)
    invalid: ir.BooleanValue = ibis.literal(False)
    for code, weight in zip(columns, w, strict=True):
        x = t[code].cast("float64")
        present = x.notnull()
        count = count + present.cast("int64")
        if method != "arithmetic":  # a value ≤ 0 has no logarithm or power: a gap, not a wrong score
            invalid = invalid | (present & (x <= 0))
            safe = ibis.ifelse(x > 0, x, _float(1.0))
            x = {"geometric": safe.ln(), "harmonic": 1 / safe, "generalised": safe**p}[method]
        num = num + ibis.ifelse(present, x * float(weight), _float(0.0))
        den = den + ibis.ifelse(present, _float(float(weight)), _float(0.0))
    nonzero = ibis.ifelse(den > 0, den, ibis.null("float64"))
    value = num / nonzero
    if method == "geometric":
        value = value.exp()
    elif method == "harmonic":
        value = nonzero / ibis.ifelse(num > 0, num, ibis.null("float64"))
    elif method == "generalised":
        value = value ** (1 / p)
    if method != "arithmetic":
        value = ibis.ifelse(invalid, ibis.null("float64"), value)
    if dat_thresh is not None:
        enough = count.cast("float64") / len(columns) >= _float(dat_thresh)  # as numpy's mean
        value = ibis.ifelse(enough, value, ibis.null("float64"))
    return value
