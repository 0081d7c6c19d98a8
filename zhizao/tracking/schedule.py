"""序时进度: the share of a period that has elapsed by a date.

Bureaus count time in months: at the end of November 11 of 12 months have passed (91.7%). Within a month
the share grows by days, so 15 June is (5 + 15/30) / 12 = 45.8% of the year. A period may span several
years (a five-year plan counted from the year after its base year); the months are then counted over all of
them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """A span of whole months, from the first day of `start` to the last day of `end` (year, month)."""

    start_year: int
    start_month: int
    end_year: int
    end_month: int

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(year, 1, year, 12)

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        return cls(first, 1, last, 12)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, 3 * quarter - 2, year, 3 * quarter)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month, year, month)

    @property
    def months(self) -> int:
        return (self.end_year - self.start_year) * 12 + self.end_month - self.start_month + 1

    @property
    def first_day(self) -> date:
        return date(self.start_year, self.start_month, 1)

    @property
    def last_day(self) -> date:
        return month_end(self.end_year, self.end_month)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_elapsed(period: Period, as_of: date) -> float:
    """Months of `period` elapsed by the end of `as_of` (a fraction within the current month)."""
    if as_of < period.first_day:
        return 0.0
    if as_of >= period.last_day:
        return float(period.months)
    whole = (as_of.year - period.start_year) * 12 + as_of.month - period.start_month
    days_in_month = calendar.monthrange(as_of.year, as_of.month)[1]
    return whole + as_of.day / days_in_month


def elapsed_share(period: Period, as_of: date) -> float:
    """序时进度 of `period` at the end of `as_of`, between 0 and 1."""
    return months_elapsed(period, as_of) / period.months


def target_period(target_year: int | None, base_year: int | None, fallback_year: int) -> Period:
    """The period a target is measured over: its target year, or from the year after its base year up to the
    target year when the target is cumulative over several years (较2020年降低17% by 2025)."""
    last = target_year or fallback_year
    if base_year is not None and base_year < last:
        return Period.years(base_year + 1, last)
    return Period.year(last)
