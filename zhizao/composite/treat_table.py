"""COINr's outlier treatment (winsorise while skew and kurtosis are both high, else log) over an Ibis table.

The rule is `zhizao.composite.treat`'s, decision for decision; only where the numbers come from differs.
Two small queries read, per column, the ``winmax + 1`` largest and smallest distinct values with how many
points hold each, and the power sums of the points strictly between them (centred on the middle of that
range, so no precision is lost to large magnitudes). Every state the winsorisation can reach clips the
column to ``[lower, upper]`` with both bounds among those distinct values and leaves the middle points
untouched, so its skew and kurtosis follow exactly from what was read: the rounds run in Python over a
handful of numbers, and the result goes back to the database as one ``clip`` (or one ``log``) per column.
A third query, only when some column falls back to the log, measures the logged column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from zhizao.errors import InvalidInput


@dataclass(frozen=True)
class TableTreatment:
    """What happened to one column: ``how`` is "none", "winsorise" or "log"; a winsorised column is
    clipped to [``lower``, ``upper``] (``n_points`` points moved); a logged column is
    log(x − ``lower`` + ``shift``)."""

    how: str
    n_winsorised: int
    n_points: int
    lower: float
    upper: float
    shift: float
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float


@dataclass(frozen=True)
class _Column:
    """One column as the rounds see it: its extreme distinct values with their counts, and the power sums
    Σ(x − centre)^k, k = 0..4, of the points strictly between them."""

    extremes: dict[float, int]
    inner: tuple[float, float, float, float, float]
    centre: float

    def moments(self, lower: float, upper: float) -> tuple[float, float]:
        """Skew and excess kurtosis (e1071 type 2) of the column clipped to [lower, upper]."""
        s = list(self.inner)
        for value, count in self.extremes.items():
            d = min(max(value, lower), upper) - self.centre
            for k in range(5):
                s[k] += count * d**k
        return _skew_kurt(*s)

    @property
    def values(self) -> list[float]:
        return sorted(self.extremes)


def _skew_kurt(n: float, s1: float, s2: float, s3: float, s4: float) -> tuple[float, float]:
    a1, a2, a3, a4 = s1 / n, s2 / n, s3 / n, s4 / n
    m2 = a2 - a1**2
    m3 = a3 - 3 * a1 * a2 + 2 * a1**3
    m4 = a4 - 4 * a1 * a3 + 6 * a1**2 * a2 - 3 * a1**4
    if m2 <= 0:
        return math.nan, math.nan
    skew = m3 / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2)
    g2 = m4 / m2**2 - 3
    kurt = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurt


def _float(x: ir.Value) -> ir.FloatingValue:
    return x.cast("float64")


def _read_extremes(
    backend: BaseBackend, t: ir.Table, columns: Sequence[str], keep: int
) -> dict[str, dict[float, int]]:
    long = t.select(**{code: _float(t[code]) for code in columns}).pivot_longer(
        list(columns), names_to="code", values_to="value"
    )
    counted = long.filter(long.value.notnull()).group_by("code", "value").aggregate(points=ibis._.count())
    ranked = counted.mutate(
        top=ibis.row_number().over(group_by="code", order_by=ibis.desc("value")),
        bottom=ibis.row_number().over(group_by="code", order_by="value"),
    )
    frame = backend.execute(ranked.filter((ranked.top < keep) | (ranked.bottom < keep)))
    out: dict[str, dict[float, int]] = {code: {} for code in columns}
    for row in frame.itertuples(index=False):
        out[str(row.code)][float(row.value)] = int(row.points)
    return out


def _read_inner(
    backend: BaseBackend, t: ir.Table, extremes: dict[str, dict[float, int]], keep: int
) -> dict[str, _Column]:
    sums: dict[str, ir.Scalar] = {}
    bounds: dict[str, tuple[float, float, float]] = {}
    for i, (code, values) in enumerate(extremes.items()):
        ordered = sorted(values)
        if len(ordered) < 2 * keep:  # every distinct value is among the extremes: no middle
            continue
        lo, hi = ordered[keep - 1], ordered[-keep]
        centre = (lo + hi) / 2
        bounds[code] = (lo, hi, centre)
        x = _float(t[code])
        inside = (x > lo) & (x < hi)
        d = ibis.ifelse(inside, x - centre, ibis.null("float64"))
        sums[f"n{i}"] = d.count()
        for k in range(1, 5):
            sums[f"s{k}_{i}"] = (d**k).sum()
    row = backend.execute(t.aggregate(**sums)).iloc[0] if sums else None
    out: dict[str, _Column] = {}
    for i, (code, values) in enumerate(extremes.items()):
        if code not in bounds:
            ordered = sorted(values)
            centre = (ordered[0] + ordered[-1]) / 2 if ordered else 0.0
            out[code] = _Column(values, (0.0, 0.0, 0.0, 0.0, 0.0), centre)
            continue
        assert row is not None
        inner = [float(row[f"n{i}"])] + [
            0.0
            if row[f"s{k}_{i}"] is None or math.isnan(float(row[f"s{k}_{i}"]))
            else float(row[f"s{k}_{i}"])
            for k in range(1, 5)
        ]
        out[code] = _Column(values, (inner[0], inner[1], inner[2], inner[3], inner[4]), bounds[code][2])
    return out


def _or_zero(value: object) -> float:
    """A sum over no rows comes back as NULL (None or NaN): it is 0."""
    return 0.0 if value is None or math.isnan(float(value)) else float(value)  # type: ignore[arg-type]


def _passes(skew: float, kurt: float, skew_thresh: float, kurt_thresh: float) -> bool:
    return abs(skew) < skew_thresh or kurt < kurt_thresh


def _decide(col: _Column, winmax: int, skew_thresh: float, kurt_thresh: float) -> TableTreatment:
    values = col.values
    n = sum(col.extremes.values()) + col.inner[0]
    nan = math.nan
    if n < 4 or len(values) < 2:
        return TableTreatment("none", 0, 0, nan, nan, 0.0, nan, nan, nan, nan)
    lower, upper = values[0], values[-1]
    sk0, ku0 = col.moments(lower, upper)
    if _passes(sk0, ku0, skew_thresh, kurt_thresh):
        return TableTreatment("none", 0, 0, lower, upper, 0.0, sk0, ku0, sk0, ku0)
    sk, ku, rounds = sk0, ku0, 0
    while not _passes(sk, ku, skew_thresh, kurt_thresh) and rounds < winmax:
        if sk > 0:  # the maximum and its ties take the next value in
            upper = max([v for v in values if v < upper], default=lower)
            upper = max(upper, lower)
        else:
            lower = min([v for v in values if v > lower], default=upper)
            lower = min(lower, upper)
        sk, ku = col.moments(lower, upper)
        rounds += 1
    if _passes(sk, ku, skew_thresh, kurt_thresh):
        moved = sum(c for v, c in col.extremes.items() if v > upper or v < lower)
        return TableTreatment("winsorise", rounds, moved, lower, upper, 0.0, sk0, ku0, sk, ku)
    lo, hi = values[0], values[-1]
    return TableTreatment("log", rounds, int(n), lo, hi, 0.01 * (hi - lo), sk0, ku0, nan, nan)


def _logged(x: ir.FloatingValue, d: TableTreatment) -> ir.FloatingValue:
    return ((x - d.lower) + d.shift).ln()


def _measure_logs(
    backend: BaseBackend, t: ir.Table, details: dict[str, TableTreatment]
) -> dict[str, TableTreatment]:
    logs = [code for code, d in details.items() if d.how == "log"]
    if not logs:
        return details
    sums: dict[str, ir.Scalar] = {}
    for i, code in enumerate(logs):
        y = _logged(_float(t[code]), details[code])
        d0 = details[code]
        # the logged values run from log(shift) to log(max − min + shift): centring on their middle keeps
        # the power sums well conditioned
        centre = (math.log(d0.shift) + math.log(d0.upper - d0.lower + d0.shift)) / 2
        d = y - centre
        sums[f"n{i}"] = d.count()
        for k in range(1, 5):
            sums[f"s{k}_{i}"] = (d**k).sum()
    row = backend.execute(t.aggregate(**sums)).iloc[0]
    out = dict(details)
    for i, code in enumerate(logs):
        sk, ku = _skew_kurt(*(float(row[f"n{i}"]), *(float(row[f"s{k}_{i}"]) for k in range(1, 5))))
        d = details[code]
        out[code] = TableTreatment(
            d.how, d.n_winsorised, d.n_points, d.lower, d.upper, d.shift, d.skew_before, d.kurt_before, sk, ku
        )
    return out


def treat_table(
    backend: BaseBackend,
    t: ir.Table,
    columns: Sequence[str],
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
) -> tuple[ir.Table, dict[str, TableTreatment]]:
    """Treat ``columns`` of ``t`` (pooled over all its rows) by COINr's rule; returns the treated table
    (lazy) and what was done to each column. ``backend`` runs the two or three small reading queries."""
    if winmax < 0:
        raise InvalidInput("winmax: must be 0 or more")
    if not columns:
        return t, {}
    keep = winmax + 1
    extremes = _read_extremes(backend, t, columns, keep)
    data = _read_inner(backend, t, extremes, keep)
    details = {code: _decide(data[code], winmax, skew_thresh, kurt_thresh) for code in columns}
    details = _measure_logs(backend, t, details)
    out: dict[str, ir.Value] = {}
    for code, d in details.items():
        x = _float(t[code])
        if d.how == "winsorise":
            out[code] = x.clip(lower=d.lower, upper=d.upper)
        elif d.how == "log":
            out[code] = _logged(x, d)
    return (t.mutate(**out) if out else t), details
