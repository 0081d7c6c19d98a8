from datetime import date

import pytest

from zhizao.tracking.schedule import Period, elapsed_share, target_period


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 11, 30), 11 / 12),
        (date(2024, 6, 30), 0.5),
        (date(2024, 12, 31), 1.0),
        (date(2024, 1, 31), 1 / 12),
        (date(2023, 12, 31), 0.0),
        (date(2025, 3, 1), 1.0),
    ],
)
def test_elapsed_share_of_year_at_month_ends(as_of: date, expected: float) -> None:
    assert elapsed_share(Period.year(2024), as_of) == pytest.approx(expected)


def test_elapsed_share_at_end_of_november_is_91_7_percent() -> None:
    assert round(elapsed_share(Period.year(2024), date(2024, 11, 30)) * 100, 1) == 91.7


def test_elapsed_share_mid_month_counts_days() -> None:
    assert elapsed_share(Period.year(2024), date(2024, 6, 15)) == pytest.approx((5 + 15 / 30) / 12)
    assert elapsed_share(Period.year(2024), date(2024, 2, 15)) == pytest.approx((1 + 15 / 29) / 12)


def test_elapsed_share_of_quarter_and_month() -> None:
    assert elapsed_share(Period.quarter(2024, 2), date(2024, 5, 31)) == pytest.approx(2 / 3)
    assert elapsed_share(Period.month(2024, 4), date(2024, 4, 15)) == pytest.approx(0.5)


def test_elapsed_share_over_several_years() -> None:
    period = target_period(2025, 2020, 2024)
    assert period == Period.years(2021, 2025)
    assert elapsed_share(period, date(2023, 12, 31)) == pytest.approx(0.6)


def test_target_period_is_target_year_without_base() -> None:
    assert target_period(2024, None, 2030) == Period.year(2024)
    assert target_period(None, None, 2030) == Period.year(2030)
