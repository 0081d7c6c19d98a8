"""Progress and status of a target: pure functions, no database.

A target is measured by its `measure` (FORMAT.md):

- amounts — `level` (a stock such as 高新技术企业 8500家; with a base value, the distance from base to target)
  and `increase` (an amount added in the period), and `reduction` counted from a base year over several
  years — compare the achieved share of the target (completion) with 序时进度;
- rates — `growth`, `share` and single-year `reduction` — compare the latest cumulative rate with the
  target rate, in percentage points;
- `rank` compares positions (lower is better).

Qualifiers: `at_least` and `exact` mean "reach the target"; `at_most` is a ceiling; `about` (左右) counts as
reached within a tolerance (default ±0.5 point for rates, ±2% of the target for amounts).

Statuses: 已完成 / 正常 / 滞后 (yellow) / 严重滞后 (red) / 无数据. See docs/tracking.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zhizao.tracking.schedule import Period, elapsed_share, month_end, target_period


class Measure(StrEnum):
    LEVEL = "level"
    GROWTH = "growth"
    REDUCTION = "reduction"
    SHARE = "share"
    INCREASE = "increase"
    RANK = "rank"


class Qualifier(StrEnum):
    ABOUT = "about"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EXACT = "exact"


class Status(StrEnum):
    COMPLETED = "completed"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    SEVERE = "severe"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_LABELS = {
    Status.COMPLETED: "已完成",
    Status.ON_TRACK: "正常",
    Status.LAGGING: "滞后",
    Status.SEVERE: "严重滞后",
    Status.NO_DATA: "无数据",
}
# Colours as hex RGB: the cockpit, the ledger and the bulletin use the same ones.
STATUS_COLOURS = {
    Status.COMPLETED: "1E7B34",
    Status.ON_TRACK: "2E9D4F",
    Status.LAGGING: "E0A800",
    Status.SEVERE: "C62828",
    Status.NO_DATA: "9E9E9E",
}
QUALIFIER_LABELS = {"about": "左右", "at_least": "以上", "at_most": "以内", "exact": ""}
# What a target measures, as the ledger's 计量 column and the bulletin say it.
MEASURE_LABELS = {
    Measure.LEVEL: "水平",
    Measure.GROWTH: "增长",
    Measure.SHARE: "比重",
    Measure.INCREASE: "新增",
    Measure.REDUCTION: "下降",
    Measure.RANK: "位次",
}


def measure_label(measure: str) -> str:
    """增长, 比重, 水平, 新增 … for a measure code (the code itself only when unknown)."""
    try:
        return MEASURE_LABELS[Measure(measure)]
    except ValueError:
        return measure


@dataclass(frozen=True)
class Thresholds:
    """How far behind counts as 滞后 / 严重滞后, and the 左右 tolerances. Configurable per plan."""

    lag_yellow: float = 5.0  # amounts: points of 序时进度 the completion may trail and still be 正常
    lag_red: float = 15.0  # amounts: points behind beyond which it is 严重滞后
    rate_yellow: float = 0.0  # rates: points short (after tolerance) still counted 正常
    rate_red: float = 2.0  # rates: points short beyond which it is 严重滞后
    rank_red: int = 2  # ranks: positions behind beyond which it is 严重滞后
    about_rate: float = 0.5  # 左右 on a rate: ± percentage points
    about_level: float = 2.0  # 左右 on an amount: ± percent of the target


@dataclass(frozen=True)
class TargetSpec:
    measure: str
    value: float
    qualifier: str = "at_least"
    unit: str = ""
    target_year: int | None = None
    base_year: int | None = None


@dataclass(frozen=True)
class Point:
    """A cumulative reading: the value for months 1..`month` of `year` (12 = the whole year)."""

    year: int
    month: int
    value: float

    @property
    def end(self) -> date:
        return month_end(self.year, self.month)

    @property
    def label(self) -> str:
        return f"{self.year}年" if self.month == 12 else f"{self.year}年1-{self.month}月"


@dataclass(frozen=True)
class Projection:
    value: float
    method: str
    meets_target: bool


@dataclass(frozen=True)
class Progress:
    status: Status
    latest: Point | None = None
    schedule: float | None = None  # 序时进度 (0..1) at the latest reading, or at as_of without data
    completion: float | None = None  # amounts: achieved share of the target (0..1, may exceed 1)
    gap: float | None = None  # rates: actual − target (points); amounts: completion − schedule (points)
    projection: Projection | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return self.status.label


def is_amount(spec: TargetSpec) -> bool:
    if spec.measure in (Measure.LEVEL, Measure.INCREASE):
        return True
    return spec.measure == Measure.REDUCTION and _multi_year(spec)


def _multi_year(spec: TargetSpec) -> bool:
    if spec.base_year is None or spec.target_year is None:
        return False
    return spec.target_year - spec.base_year > 1


def period_of(spec: TargetSpec, as_of: date) -> Period:
    return target_period(spec.target_year, spec.base_year if _multi_year(spec) else None, as_of.year)


def evaluate(
    spec: TargetSpec,
    points: Iterable[Point],
    as_of: date,
    thresholds: Thresholds | None = None,
    base_value: float | None = None,
) -> Progress:
    """The progress and status of `spec` as of `as_of`, from cumulative readings within the target period.

    Readings later than the month of `as_of` are ignored. 序时进度 is taken at the end of the latest reading's
    period, or at `as_of` when that comes first (mid-month)."""
    t = thresholds or Thresholds()
    period = period_of(spec, as_of)
    usable = [
        p
        for p in points
        if period.first_day <= p.end <= period.last_day and (p.year, p.month) <= (as_of.year, as_of.month)
    ]
    if not usable:
        return Progress(Status.NO_DATA, schedule=elapsed_share(period, as_of), note="本期尚无数据")
    latest = max(usable, key=lambda p: (p.year, p.month))
    schedule = elapsed_share(period, min(as_of, latest.end))
    complete = latest.end >= period.last_day
    if spec.measure == Measure.RANK:
        return _rank(spec, latest, schedule, complete, t)
    if is_amount(spec):
        return _amount(spec, latest, schedule, complete, t, base_value)
    return _rate(spec, latest, schedule, complete, t)


def _grade(behind: float, yellow: float, red: float) -> Status:
    if behind <= yellow:
        return Status.ON_TRACK
    return Status.LAGGING if behind <= red else Status.SEVERE


def _rate(spec: TargetSpec, latest: Point, schedule: float, complete: bool, t: Thresholds) -> Progress:
    tol = t.about_rate if spec.qualifier == Qualifier.ABOUT else 0.0
    if spec.qualifier == Qualifier.AT_MOST:
        short = latest.value - (spec.value + tol)
    else:
        short = (spec.value - tol) - latest.value
    gap = latest.value - spec.value
    projection = project_rate(spec, latest, complete, t)
    if short <= 0:
        status = Status.COMPLETED if complete else Status.ON_TRACK
        note = f"{latest.label}{latest.value:g}，目标{spec.value:g}{QUALIFIER_LABELS.get(spec.qualifier, '')}"
    else:
        status = _grade(short, t.rate_yellow, t.rate_red)
        if complete and status is Status.ON_TRACK:
            status = Status.LAGGING
        note = f"{latest.label}{latest.value:g}，距目标{spec.value:g}差{short:.1f}个百分点"
    return Progress(status, latest, schedule, None, round(gap, 2), projection, note)


def _amount(
    spec: TargetSpec,
    latest: Point,
    schedule: float,
    complete: bool,
    t: Thresholds,
    base_value: float | None,
) -> Progress:
    tol = t.about_level / 100 if spec.qualifier == Qualifier.ABOUT else 0.0
    if spec.measure == Measure.LEVEL and base_value is not None and spec.value != base_value:
        completion = (latest.value - base_value) / (spec.value - base_value)
    else:
        completion = latest.value / spec.value if spec.value else 1.0
    gap = round((completion - schedule) * 100, 1)
    projection = project_amount(spec, latest, schedule, complete, base_value, t)
    if spec.qualifier == Qualifier.AT_MOST:
        return _ceiling(spec, latest, schedule, complete, t, tol, completion, gap, projection)
    if completion >= 1 - tol:
        status = Status.COMPLETED
    else:
        status = _grade(-gap, t.lag_yellow, t.lag_red)
        if complete and status is Status.ON_TRACK:
            status = Status.LAGGING
    note = f"{latest.label}完成目标的{completion:.1%}，序时进度{schedule:.1%}"
    return Progress(status, latest, schedule, round(completion, 4), gap, projection, note)


def _ceiling(
    spec: TargetSpec,
    latest: Point,
    schedule: float,
    complete: bool,
    t: Thresholds,
    tol: float,
    completion: float,
    gap: float,
    projection: Projection | None,
) -> Progress:
    """`at_most` on an amount: a level must stay under the limit; an increase under its pro-rata share."""
    allowed = (1 + tol) * (schedule if spec.measure == Measure.INCREASE else 1.0)
    over = (completion - allowed) * 100
    if over <= 0:
        status = Status.COMPLETED if complete else Status.ON_TRACK
    else:
        status = Status.LAGGING if over <= t.lag_red else Status.SEVERE
    note = f"{latest.label}为上限的{completion:.1%}"
    return Progress(status, latest, schedule, round(completion, 4), gap, projection, note)


def _rank(spec: TargetSpec, latest: Point, schedule: float, complete: bool, t: Thresholds) -> Progress:
    behind = latest.value - spec.value
    if behind <= 0:
        status = Status.COMPLETED if complete else Status.ON_TRACK
    else:
        status = Status.LAGGING if behind <= t.rank_red else Status.SEVERE
    note = f"{latest.label}排名第{latest.value:g}，目标前{spec.value:g}"
    return Progress(status, latest, schedule, None, -behind, None, note)


def project_rate(spec: TargetSpec, latest: Point, complete: bool, t: Thresholds) -> Projection | None:
    """Year-end projection of a rate: the latest cumulative rate carried forward to the year end."""
    if complete:
        return None
    tol = t.about_rate if spec.qualifier == Qualifier.ABOUT else 0.0
    meets = (
        latest.value <= spec.value + tol
        if spec.qualifier == Qualifier.AT_MOST
        else latest.value >= spec.value - tol
    )
    return Projection(latest.value, "按最新累计增速延续至年末", meets)


def project_amount(
    spec: TargetSpec,
    latest: Point,
    schedule: float,
    complete: bool,
    base_value: float | None,
    t: Thresholds,
) -> Projection | None:
    """Year-end projection of an amount: the amount achieved so far at the same pace for the rest of the
    period (achieved ÷ 序时进度). A level without a base value is a stock and is carried forward."""
    if complete or schedule <= 0:
        return None
    if spec.measure == Measure.LEVEL and base_value is None:
        value, method = latest.value, "按最新水平延续至期末"
    else:
        base = base_value if spec.measure == Measure.LEVEL and base_value is not None else 0.0
        value = base + (latest.value - base) / schedule
        method = "按已完成量与序时进度同比例外推"
    tol = t.about_level / 100 if spec.qualifier == Qualifier.ABOUT else 0.0
    if spec.qualifier == Qualifier.AT_MOST:
        meets = value <= spec.value * (1 + tol)
    else:
        meets = value >= spec.value * (1 - tol)
    return Projection(round(value, 4), method, meets)
