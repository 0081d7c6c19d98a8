"""What an analysis returns: one row per group (and the total), the firms behind them, and the ratios taken
from the backend's sums (growth, 拉动, share of growth, 增长面, month-on-month)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


def number(value: Any) -> float | None:
    """A backend value as a float, None for null/NaN."""
    if value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result


def count(value: Any) -> int:
    result = number(value)
    return int(result) if result is not None else 0


def growth_pct(now: float | None, base: float | None) -> float | None:
    """(now / base − 1) × 100; None without a positive base."""
    if now is None or base is None or base <= 0:
        return None
    return (now / base - 1) * 100


def share_pct(part: float | int | None, whole: float | int | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole * 100


@dataclass
class GroupResult:
    """A group's (or the total's) numbers as of the month. Values in the indicator's unit, rates in %."""

    group: str
    name: str
    value_cum: float | None = None
    value_cum_prev: float | None = None
    growth: float | None = None
    contribution_pp: float | None = None
    share_of_growth: float | None = None
    growth_breadth: float | None = None
    firms: int = 0
    growing_firms: int = 0
    industries: int = 0
    growing_industries: int = 0
    industry_breadth: float | None = None
    value_month: float | None = None
    value_month_prev: float | None = None
    growth_month: float | None = None
    mom_growth: float | None = None
    new_firms: int = 0
    new_value: float | None = None
    exit_firms: int = 0
    exit_value: float | None = None
    beside_growth: float | None = None  # electricity's like-for-like 累计 growth, the leading indicator

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def group_result(group: str, name: str, row: dict[str, Any], total: dict[str, Any]) -> GroupResult:
    """The ratios of one group's sums, against the total's sums of the same month."""
    c, p = number(row.get("value_cum")), number(row.get("value_cum_prev"))
    tc, tp = number(total.get("value_cum")), number(total.get("value_cum_prev"))
    delta = None if c is None or p is None else c - p
    total_delta = None if tc is None or tp is None else tc - tp
    firms, growing = count(row.get("firms")), count(row.get("growing_firms"))
    industries, growing_ind = count(row.get("industries")), count(row.get("growing_industries"))
    vm, vmp = number(row.get("value_month")), number(row.get("value_month_prev"))
    return GroupResult(
        group=group,
        name=name,
        value_cum=c,
        value_cum_prev=p,
        growth=growth_pct(c, p),
        contribution_pp=share_pct(delta, tp) if tp and tp > 0 else None,
        share_of_growth=share_pct(delta, total_delta),
        growth_breadth=share_pct(growing, firms),
        firms=firms,
        growing_firms=growing,
        industries=industries,
        growing_industries=growing_ind,
        industry_breadth=share_pct(growing_ind, industries),
        value_month=vm,
        value_month_prev=vmp,
        growth_month=growth_pct(vm, vmp),
        mom_growth=growth_pct(number(row.get("value_month_now")), number(row.get("value_month_before"))),
        new_firms=count(row.get("new_firms")),
        new_value=number(row.get("new_value")),
        exit_firms=count(row.get("exit_firms")),
        exit_value=number(row.get("exit_value")),
    )


@dataclass
class FirmResult:
    """A firm behind the numbers: its values, growth and contribution to the total (pp)."""

    enterprise_id: int
    credit_code: str
    name: str
    region_code: str
    industry_code: str
    status: str  # same | new | exit
    value_cum: float | None
    value_cum_prev: float | None
    growth: float | None
    contribution_pp: float | None
    value_month: float | None
    value_month_prev: float | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MonthPoint:
    month: int
    growth: float | None
    growth_breadth: float | None
    industry_breadth: float | None
    growth_month: float | None


@dataclass
class Analysis:
    year: int
    month: int
    indicator: str
    group_by: str
    total: GroupResult
    groups: list[GroupResult]
    months: list[MonthPoint] = field(default_factory=list)
    support: list[FirmResult] = field(default_factory=list)
    drag: list[FirmResult] = field(default_factory=list)
    beside: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "month": self.month,
            "indicator": self.indicator,
            "group_by": self.group_by,
            "beside": self.beside,
            "groups": [g.as_json() for g in self.groups],
            "total": self.total.as_json(),
            "months": [asdict(m) for m in self.months],
            "support": [f.as_json() for f in self.support],
            "drag": [f.as_json() for f in self.drag],
        }
