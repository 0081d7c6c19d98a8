from __future__ import annotations

import pandas as pd
import pytest
from ibis.backends import BaseBackend

from zhizao.monitoring.analysis import Inputs, analyse, firms_behind
from zhizao.monitoring.series import monthly_series

from .firms import FIRMS, REGIONS, YEAR, figures


def _by_region(backend: BaseBackend):
    inputs = Inputs.of(figures(), FIRMS, REGIONS, {"370211": "甲区", "370212": "乙区"})
    return analyse(backend, inputs, year=YEAR, month=2, by="region")


def test_total_growth_like_for_like_with_new_and_exiting_firms(backend: BaseBackend) -> None:
    total = _by_region(backend).total
    assert total.value_cum == pytest.approx(550.0)  # A 230 + B 300 + E 20
    assert total.value_cum_prev == pytest.approx(600.0)  # A 200 + B 400 + E 0
    assert total.growth == pytest.approx(-50 / 600 * 100)
    assert (total.new_firms, total.new_value) == (1, pytest.approx(100.0))
    assert (total.exit_firms, total.exit_value) == (1, pytest.approx(60.0))
    assert total.growth_breadth == pytest.approx(200 / 3)  # A and E grew, B fell
    assert total.industry_breadth == pytest.approx(50.0)  # 大类 36 grew, 26 fell
    assert total.growth_month == pytest.approx((280 / 300 - 1) * 100)  # B's 当月 from its 累计
    assert total.mom_growth == pytest.approx((330 / 320 - 1) * 100)
    assert total.beside_growth == pytest.approx(25.0)


def test_contribution_and_share_of_growth_by_region(backend: BaseBackend) -> None:
    groups = {g.group: g for g in _by_region(backend).groups}
    a, b = groups["370211"], groups["370212"]
    assert a.name == "甲区" and a.growth == pytest.approx(25.0)
    assert a.contribution_pp == pytest.approx(50 / 600 * 100)
    assert b.contribution_pp == pytest.approx(-100 / 600 * 100)
    assert a.contribution_pp + b.contribution_pp == pytest.approx(_by_region(backend).total.growth)
    assert a.share_of_growth == pytest.approx(-100.0) and b.share_of_growth == pytest.approx(200.0)
    assert (a.new_firms, b.exit_firms) == (1, 1)
    assert b.beside_growth is None and a.beside_growth == pytest.approx(25.0)


def test_zero_base_firm_counts_in_sums_without_a_rate(backend: BaseBackend) -> None:
    rows = {f.credit_code: f for f in firms_behind(backend, Inputs.of(figures(), FIRMS), year=YEAR, month=2)}
    assert rows["E"].status == "same" and rows["E"].growth is None
    assert rows["E"].contribution_pp == pytest.approx(20 / 600 * 100)
    assert rows["C"].status == "new" and rows["D"].status == "exit"
    assert rows["A"].growth == pytest.approx(15.0)


def test_top_support_and_drag(backend: BaseBackend) -> None:
    result = _by_region(backend)
    assert [f.credit_code for f in result.support] == ["A", "E"]
    assert [f.credit_code for f in result.drag] == ["B"]


def test_breadth_over_months(backend: BaseBackend) -> None:
    points = _by_region(backend).months
    assert [p.month for p in points] == [1, 2]
    # month 1: A 110>100, B 150<200, E 10>0
    assert points[0].growth_breadth == pytest.approx(200 / 3)
    assert points[0].growth == pytest.approx((270 / 300 - 1) * 100)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("division", {"36": 25.0, "26": -25.0}),
        ("scale", {"above": -50 / 600 * 100}),
        ("size", {"large": 15.0, "small": -25.0, "micro": None}),  # B lacks 300 staff
    ],
)
def test_growth_by_other_groupings(backend: BaseBackend, by: str, expected: dict) -> None:
    result = analyse(backend, Inputs.of(figures(), FIRMS), year=YEAR, month=2, by=by, top=0)  # type: ignore[arg-type]
    growth = {g.group: g.growth for g in result.groups if g.firms}
    assert growth == pytest.approx(expected)


def test_growth_by_park_membership(backend: BaseBackend) -> None:
    members = pd.DataFrame({"enterprise_id": [1, 2, 3], "group": ["7", "7", "7"]})
    result = analyse(backend, Inputs.of(figures(), FIRMS, members), year=YEAR, month=2, by="park")
    (park,) = result.groups
    assert park.growth == pytest.approx((530 / 600 - 1) * 100) and park.new_firms == 1


def test_cumulative_that_falls_or_disagrees_is_flagged(backend: BaseBackend) -> None:
    frame = pd.DataFrame(
        [
            (6, "output_value_ytd", YEAR, 1, 100.0),
            (6, "output_value_ytd", YEAR, 2, 90.0),
            (7, "output_value", YEAR, 1, 10.0),
            (7, "output_value", YEAR, 2, 10.0),
            (7, "output_value_ytd", YEAR, 2, 25.0),
        ],
        columns=["enterprise_id", "indicator_id", "year", "month", "value"],
    )
    series = Inputs.of(frame, FIRMS).figures
    rows = backend.execute(monthly_series(series, "output_value").order_by(["enterprise_id", "month"]))
    flags = {(r.enterprise_id, r.month): (r.cum_falls, r.mismatch) for r in rows.itertuples()}
    assert flags == {
        (6, 1): (False, False),
        (6, 2): (True, False),
        (7, 1): (False, False),
        (7, 2): (False, True),
    }
    assert list(rows["cum"]) == pytest.approx([100.0, 90.0, 10.0, 25.0])
    assert list(rows["value"]) == pytest.approx([100.0, -10.0, 10.0, 10.0])


def test_series_at_points_matches_the_monthly_series(backend: BaseBackend) -> None:
    from zhizao.monitoring.series import series_at

    figures_table = Inputs.of(figures(), FIRMS).figures
    points = [(YEAR, 1), (YEAR, 2), (YEAR - 1, 2)]
    columns = ["enterprise_id", "year", "month", "value", "cum"]
    full = backend.execute(monthly_series(figures_table, "output_value"))[columns]
    full = full[[(y, m) in points for y, m in zip(full.year, full.month, strict=True)]]
    fast = backend.execute(series_at(figures_table, "output_value", points))[columns]
    key = ["enterprise_id", "year", "month"]
    pd.testing.assert_frame_equal(
        full.sort_values(key).reset_index(drop=True),
        fast.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
