from datetime import date

import pytest

from zhizao.tracking.progress import Point, Status, TargetSpec, Thresholds, evaluate

YEAR_END = date(2024, 12, 31)


def growth(value: float, qualifier: str = "at_least", **kw: object) -> TargetSpec:
    return TargetSpec("growth", value, qualifier, "%", target_year=2024, **kw)  # type: ignore[arg-type]


def series(*values: float, year: int = 2024) -> list[Point]:
    """Cumulative readings for months 1..len(values)."""
    return [Point(year, m, v) for m, v in enumerate(values, start=1)]


# rates: growth -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "qualifier", "expected"),
    [
        (6.5, "at_least", Status.COMPLETED),
        (6.4, "at_least", Status.LAGGING),
        (4.4, "at_least", Status.SEVERE),
        (6.1, "about", Status.COMPLETED),  # within ±0.5
        (5.9, "about", Status.LAGGING),
        (6.5, "exact", Status.COMPLETED),
        (3.0, "at_most", Status.COMPLETED),
        (3.4, "at_most", Status.LAGGING),
    ],
)
def test_evaluate_growth_at_year_end(actual: float, qualifier: str, expected: Status) -> None:
    value = 3.0 if qualifier == "at_most" else 6.5
    result = evaluate(growth(value, qualifier), [Point(2024, 12, actual)], YEAR_END)
    assert result.status is expected
    assert result.gap == pytest.approx(actual - value)


def test_evaluate_growth_mid_year_met_is_on_track_not_completed() -> None:
    result = evaluate(growth(6.5, "about"), series(7.0, 7.2, 6.9, 7.1, 7.0, 6.8), date(2024, 6, 30))
    assert result.status is Status.ON_TRACK
    assert result.schedule == pytest.approx(0.5)
    assert result.latest == Point(2024, 6, 6.8)


def test_evaluate_growth_mid_month_uses_readings_up_to_that_month() -> None:
    points = series(7.0, 7.2, 6.9, 7.1, 7.0, 5.0)
    result = evaluate(growth(6.5), points, date(2024, 6, 15))
    assert result.latest == Point(2024, 6, 5.0)
    assert result.schedule == pytest.approx((5 + 15 / 30) / 12)
    assert result.status is Status.LAGGING
    earlier = evaluate(growth(6.5), points, date(2024, 5, 15))
    assert earlier.latest == Point(2024, 5, 7.0)
    assert earlier.status is Status.ON_TRACK


def test_evaluate_growth_thresholds_are_configurable() -> None:
    loose = Thresholds(rate_yellow=1.0, rate_red=3.0)
    assert evaluate(growth(6.5), series(6.0, 5.8), date(2024, 2, 29), loose).status is Status.ON_TRACK
    assert evaluate(growth(6.5), series(6.0, 4.0), date(2024, 2, 29), loose).status is Status.LAGGING
    assert evaluate(growth(6.5), series(6.0, 3.0), date(2024, 2, 29), loose).status is Status.SEVERE


def test_evaluate_about_tolerance_is_configurable() -> None:
    wide = Thresholds(about_rate=1.0)
    assert evaluate(growth(6.5, "about"), [Point(2024, 12, 5.6)], YEAR_END, wide).status is Status.COMPLETED
    assert evaluate(growth(6.5, "about"), [Point(2024, 12, 5.6)], YEAR_END).status is Status.LAGGING


def test_evaluate_without_readings_in_period_is_no_data() -> None:
    result = evaluate(growth(6.5), [Point(2023, 12, 9.0)], date(2024, 3, 31))
    assert result.status is Status.NO_DATA
    assert result.schedule == pytest.approx(0.25)


def test_evaluate_ignores_readings_after_as_of() -> None:
    assert evaluate(growth(6.5), series(7.0, 7.0, 7.0), date(2024, 1, 20)).latest == Point(2024, 1, 7.0)


def test_evaluate_growth_projection_carries_latest_rate_forward() -> None:
    result = evaluate(growth(6.5), series(7.0, 6.0), date(2024, 2, 29))
    assert result.projection is not None
    assert result.projection.value == 6.0
    assert result.projection.method == "按最新累计增速延续至年末"
    assert result.projection.meets_target is False
    assert evaluate(growth(6.5), [Point(2024, 12, 7.0)], YEAR_END).projection is None


# rates: share and single-year reduction -------------------------------------------------------------------


def test_evaluate_share_compares_rates() -> None:
    spec = TargetSpec("share", 13, "at_least", "%", target_year=2024)
    assert evaluate(spec, series(12.0, 13.2), date(2024, 2, 29)).status is Status.ON_TRACK
    assert evaluate(spec, series(12.0, 12.0), date(2024, 2, 29)).status is Status.LAGGING
    assert evaluate(spec, [Point(2024, 12, 10.0)], YEAR_END).status is Status.SEVERE


def test_evaluate_reduction_compares_rate_of_decrease() -> None:
    spec = TargetSpec("reduction", 3, "at_least", "%", target_year=2024)
    assert evaluate(spec, [Point(2024, 12, 3.2)], YEAR_END).status is Status.COMPLETED
    assert evaluate(spec, [Point(2024, 12, 2.0)], YEAR_END).status is Status.LAGGING
    assert evaluate(spec, series(1.5, 0.5), date(2024, 2, 29)).status is Status.SEVERE


def test_evaluate_reduction_over_several_years_counts_against_schedule() -> None:
    spec = TargetSpec("reduction", 17, "about", "%", target_year=2025, base_year=2020)
    result = evaluate(spec, [Point(2023, 12, 15.8)], date(2024, 1, 10))
    assert result.schedule == pytest.approx(0.6)
    assert result.completion == pytest.approx(15.8 / 17, abs=1e-4)
    assert result.status is Status.ON_TRACK
    assert evaluate(spec, [Point(2023, 12, 5.0)], date(2024, 1, 10)).status is Status.SEVERE


# amounts: increase and level ------------------------------------------------------------------------------


def increase(value: float, qualifier: str = "at_least") -> TargetSpec:
    return TargetSpec("increase", value, qualifier, "家", target_year=2024)


@pytest.mark.parametrize(
    ("achieved", "as_of", "expected"),
    [
        (275, date(2024, 11, 30), Status.ON_TRACK),  # 91.7% vs 91.7%
        (260, date(2024, 11, 30), Status.ON_TRACK),  # 86.7%: 5.0 points behind
        (250, date(2024, 11, 30), Status.LAGGING),  # 83.3%: 8.3 behind
        (220, date(2024, 11, 30), Status.SEVERE),  # 73.3%: 18.3 behind
        (300, date(2024, 11, 30), Status.COMPLETED),
        (150, date(2024, 6, 30), Status.ON_TRACK),
        (100, date(2024, 6, 30), Status.SEVERE),
    ],
)
def test_evaluate_increase_against_schedule_at_month_end(
    achieved: float, as_of: date, expected: Status
) -> None:
    result = evaluate(increase(300), [Point(2024, as_of.month, achieved)], as_of)
    assert result.status is expected
    assert result.completion == pytest.approx(achieved / 300, abs=1e-4)


def test_evaluate_increase_mid_month_uses_day_based_schedule() -> None:
    # 1-6月 reading looked at on 15 June: 序时进度 45.8%, completion 43.3% -> 2.5 points behind -> 正常
    result = evaluate(increase(300), [Point(2024, 6, 130)], date(2024, 6, 15))
    assert result.schedule == pytest.approx(5.5 / 12)
    assert result.status is Status.ON_TRACK
    assert result.gap == pytest.approx(-2.5, abs=0.1)


def test_evaluate_increase_short_at_year_end_is_at_least_lagging() -> None:
    assert evaluate(increase(300), [Point(2024, 12, 295)], YEAR_END).status is Status.LAGGING


def test_evaluate_increase_about_within_two_percent_is_completed() -> None:
    assert evaluate(increase(300, "about"), [Point(2024, 12, 295)], YEAR_END).status is Status.COMPLETED
    assert evaluate(increase(300, "about"), [Point(2024, 12, 290)], YEAR_END).status is Status.LAGGING


def test_evaluate_increase_at_most_compares_with_pro_rata_ceiling() -> None:
    june = date(2024, 6, 30)
    assert evaluate(increase(120, "at_most"), [Point(2024, 6, 55)], june).status is Status.ON_TRACK
    assert evaluate(increase(120, "at_most"), [Point(2024, 6, 70)], june).status is Status.LAGGING
    assert evaluate(increase(120, "at_most"), [Point(2024, 12, 100)], YEAR_END).status is Status.COMPLETED


def test_evaluate_increase_projection_is_run_rate() -> None:
    result = evaluate(increase(300), [Point(2024, 6, 140)], date(2024, 6, 30))
    assert result.projection is not None
    assert result.projection.value == pytest.approx(280)
    assert result.projection.method == "按已完成量与序时进度同比例外推"
    assert result.projection.meets_target is False


def test_evaluate_level_without_base_is_share_of_target() -> None:
    spec = TargetSpec("level", 5000, "at_least", "家", target_year=2024)
    assert evaluate(spec, [Point(2024, 12, 5020)], YEAR_END).status is Status.COMPLETED
    assert evaluate(spec, [Point(2024, 6, 4800)], date(2024, 6, 30)).status is Status.ON_TRACK
    result = evaluate(spec, [Point(2024, 6, 4800)], date(2024, 6, 30))
    assert result.projection is not None
    assert result.projection.value == 4800


def test_evaluate_level_with_base_measures_distance_covered() -> None:
    spec = TargetSpec("level", 8500, "at_least", "家", target_year=2024)
    result = evaluate(spec, [Point(2024, 6, 8000)], date(2024, 6, 30), base_value=7920)
    assert result.completion == pytest.approx(80 / 580, abs=1e-4)
    assert result.status is Status.SEVERE
    assert result.projection is not None
    assert result.projection.value == pytest.approx(8080)


def test_evaluate_level_at_most_is_a_ceiling() -> None:
    spec = TargetSpec("level", 100, "at_most", "万吨", target_year=2024)
    assert evaluate(spec, [Point(2024, 12, 98)], YEAR_END).status is Status.COMPLETED
    assert evaluate(spec, [Point(2024, 12, 105)], YEAR_END).status is Status.LAGGING
    assert evaluate(spec, [Point(2024, 12, 130)], YEAR_END).status is Status.SEVERE


def test_evaluate_level_exact_means_reach() -> None:
    spec = TargetSpec("level", 150, "exact", "个", target_year=2024)
    assert evaluate(spec, [Point(2024, 12, 150)], YEAR_END).status is Status.COMPLETED
    assert evaluate(spec, [Point(2024, 12, 140)], YEAR_END).status is Status.LAGGING


def test_evaluate_amount_thresholds_are_configurable() -> None:
    strict = Thresholds(lag_yellow=1.0, lag_red=5.0)
    result = evaluate(increase(300), [Point(2024, 11, 260)], date(2024, 11, 30), strict)
    assert result.status is Status.LAGGING


# rank -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rank", "as_of", "expected"),
    [
        (2, YEAR_END, Status.COMPLETED),
        (3, YEAR_END, Status.COMPLETED),
        (3, date(2024, 6, 30), Status.ON_TRACK),
        (5, YEAR_END, Status.LAGGING),
        (7, YEAR_END, Status.SEVERE),
    ],
)
def test_evaluate_rank_compares_positions(rank: int, as_of: date, expected: Status) -> None:
    spec = TargetSpec("rank", 3, "at_most", "名", target_year=2024)
    assert evaluate(spec, [Point(2024, as_of.month, rank)], as_of).status is expected


def test_status_labels_are_chinese() -> None:
    assert [s.label for s in Status] == ["已完成", "正常", "滞后", "严重滞后", "无数据"]
