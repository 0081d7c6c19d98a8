"""The one working-day calendar: Chinese statutory holidays and 调休 make-up days, plus the installation's
own overrides (a local holiday, or next year's schedule entered by hand before the library has it).

The State Council's yearly schedule comes from `chinese_calendar`, which transcribes each year's notice
(国务院办公厅关于…部分节假日安排的通知). A year the library does not yet cover falls back to weekends plus
the overrides, and `WorkCalendar.source(year)` says so, so a time limit is never silently wrong.
Every time limit in zhizao (诉求, task reminders, 调度 deadlines) is counted with this calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import chinese_calendar
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from zhizao.reference.models import CalendarDay

Source = Literal["statutory", "override", "weekends"]
SOURCE_LABELS: dict[str, str] = {
    "statutory": "国务院节假日安排",
    "override": "本系统录入",
    "weekends": "未收录当年安排，仅按周末计算",
}
_MAX_SPAN = 3660  # days a single count may walk: ten years


def _statutory(day: date) -> tuple[bool, str | None] | None:
    """(is_workday, holiday name in Chinese) from the published schedule, or None for an uncovered year."""
    try:
        on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    return (not on_holiday, names.get(holiday) if holiday else None)


def statutory_years() -> range:
    """The years whose schedule the installed `chinese_calendar` holds."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    note: str | None
    source: Source


@dataclass(frozen=True)
class WorkCalendar:
    """Statutory schedule with overrides on top: {date: (is_workday, note)}."""

    overrides: Mapping[date, tuple[bool, str]] = field(default_factory=dict)

    def info(self, day: date) -> DayInfo:
        if day in self.overrides:
            workday, note = self.overrides[day]
            return DayInfo(day, workday, note or None, "override")
        statutory = _statutory(day)
        if statutory is not None:
            workday, name = statutory
            if name and workday and day.weekday() >= 5:
                name = f"{name}调休上班"
            return DayInfo(day, workday, name, "statutory")
        return DayInfo(day, day.weekday() < 5, None, "weekends")

    def is_workday(self, day: date) -> bool:
        return self.info(day).workday

    def source(self, year: int) -> Source:
        """Where the year's days come from: the statutory schedule, overrides entered by hand, or weekends."""
        if year in statutory_years():
            return "statutory"
        if any(d.year == year for d in self.overrides):
            return "override"
        return "weekends"

    def add_workdays(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (`start` itself not counted); before it if negative.

        `add_workdays(d, 0)` is `d` if it is a working day, else the next one.
        """
        step = 1 if count >= 0 else -1
        day, left = start, abs(count)
        if left == 0:
            while not self.is_workday(day):
                day = self._step(day, 1, start)
            return day
        while left:
            day = self._step(day, step, start)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is before `start`)."""
        if end < start:
            return -self.workdays_between(end, start)
        if (end - start).days > _MAX_SPAN:
            raise ValueError("span longer than ten years")
        return sum(self.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    @staticmethod
    def _step(day: date, step: int, start: date) -> date:
        nxt = day + timedelta(days=step)
        if abs((nxt - start).days) > _MAX_SPAN:
            raise ValueError("no working day within ten years")
        return nxt


def load(session: Session) -> WorkCalendar:
    """The installation's calendar: the statutory schedule with its overrides."""
    if not inspect(session.connection()).has_table(CalendarDay.__tablename__):
        return WorkCalendar()  # a database not yet migrated: the statutory schedule alone
    rows = session.scalars(select(CalendarDay)).all()
    return WorkCalendar({row.day: (row.is_workday, row.note) for row in rows})


def set_day(session: Session, day: date, *, workday: bool, note: str = "") -> CalendarDay:
    """Record an override (audited like every ORM change); replaces one for the same date."""
    row = session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, is_workday=workday, note=note)
        session.add(row)
    else:
        row.is_workday, row.note = workday, note
    session.flush()
    return row


def clear_day(session: Session, day: date) -> bool:
    row = session.get(CalendarDay, day)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
