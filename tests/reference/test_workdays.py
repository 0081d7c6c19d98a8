"""The working-day calendar against the State Council's published schedules, and the local overrides."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from zhizao.reference import workdays
from zhizao.reference.workdays import WorkCalendar

# (date, is a working day) from the State Council notices 国办发明电〔2023〕7号 (2024),
# 国办发明电〔2024〕12号 (2025) and 国办发明电〔2025〕7号 (2026), and the 2020 extension of the Spring
# Festival (国办发明电〔2020〕1号: off until 2 February, the make-up Saturday 1 February cancelled).
PUBLISHED = [
    (date(2020, 1, 31), False),
    (date(2020, 2, 1), False),
    (date(2020, 2, 3), True),
    (date(2024, 2, 4), True),  # Sunday, 春节调休上班
    (date(2024, 2, 16), False),
    (date(2024, 2, 18), True),  # Sunday, 春节调休上班
    (date(2024, 4, 7), True),  # Sunday, 清明调休上班
    (date(2024, 5, 11), True),  # Saturday, 劳动节调休上班
    (date(2024, 9, 14), True),  # Saturday, 中秋调休上班
    (date(2024, 10, 7), False),
    (date(2024, 10, 12), True),  # Saturday, 国庆调休上班
    (date(2025, 1, 26), True),  # Sunday
    (date(2025, 2, 4), False),
    (date(2025, 2, 8), True),  # Saturday
    (date(2025, 4, 27), True),  # Sunday
    (date(2025, 10, 8), False),  # 国庆中秋 1–8 October
    (date(2025, 10, 11), True),  # Saturday
    (date(2026, 1, 2), False),
    (date(2026, 1, 4), True),  # Sunday
    (date(2026, 2, 14), True),  # Saturday
    (date(2026, 2, 23), False),  # 春节 15–23 February
    (date(2026, 2, 28), True),  # Saturday
    (date(2026, 5, 9), True),  # Saturday
    (date(2026, 9, 20), True),  # Sunday
    (date(2026, 10, 10), True),  # Saturday
    (date(2026, 10, 7), False),
    (date(2026, 12, 1), True),  # an ordinary Tuesday
    (date(2026, 12, 5), False),  # an ordinary Saturday
]


@pytest.mark.parametrize(("day", "expected"), PUBLISHED, ids=[d.isoformat() for d, _ in PUBLISHED])
def test_is_workday_follows_the_published_schedule(day: date, expected: bool) -> None:
    assert WorkCalendar().is_workday(day) is expected


def test_statutory_years_cover_2020_to_the_latest_published() -> None:
    years = workdays.statutory_years()
    assert years.start <= 2020 and years.stop - 1 >= 2026


def test_add_workdays_counts_make_up_days_and_skips_the_golden_week() -> None:
    calendar = WorkCalendar()
    # Received Friday 26 September 2025: Sun 28 (调休), Mon 29, Tue 30, then 1–8 October off, Thu 9, Fri 10.
    assert calendar.add_workdays(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert calendar.add_workdays(date(2025, 10, 10), -5) == date(2025, 9, 26)
    assert calendar.add_workdays(date(2025, 10, 4), 0) == date(2025, 10, 9)
    assert calendar.workdays_between(date(2025, 9, 26), date(2025, 10, 10)) == 5


def test_holiday_names_are_chinese() -> None:
    calendar = WorkCalendar()
    assert calendar.info(date(2025, 10, 1)).note == "国庆节"
    assert calendar.info(date(2026, 2, 14)).note == "春节调休上班"


def test_a_year_not_yet_published_falls_back_to_weekends_and_says_so() -> None:
    year = workdays.statutory_years().stop + 1
    calendar = WorkCalendar()
    monday = date(year, 3, 1)
    while monday.weekday() != 0:
        monday = date.fromordinal(monday.toordinal() + 1)
    assert calendar.source(year) == "weekends"
    assert calendar.is_workday(monday) and not calendar.is_workday(date.fromordinal(monday.toordinal() + 5))


def test_overrides_in_the_database_win_over_the_schedule(session: Session) -> None:
    workdays.set_day(session, date(2026, 12, 1), workday=False, note="本地节日")
    workdays.set_day(session, date(2026, 12, 5), workday=True, note="补班")
    calendar = workdays.load(session)
    assert not calendar.is_workday(date(2026, 12, 1)) and calendar.is_workday(date(2026, 12, 5))
    assert calendar.info(date(2026, 12, 1)).source == "override"
    # Monday 30 November + 1 working day skips the local holiday and lands on Wednesday.
    assert calendar.add_workdays(date(2026, 11, 30), 1) == date(2026, 12, 2)
    assert workdays.clear_day(session, date(2026, 12, 1))
    assert workdays.load(session).is_workday(date(2026, 12, 1))


def test_next_years_schedule_entered_by_hand_is_an_override_year(session: Session) -> None:
    year = workdays.statutory_years().stop
    workdays.set_day(session, date(year, 1, 1), workday=False, note="元旦")
    assert workdays.load(session).source(year) == "override"
