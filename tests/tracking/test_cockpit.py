from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, KJJ, SamplePlan, department
from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput, NotFound
from zhizao.tracking import cockpit, linking, tasks
from zhizao.tracking import observations as obs
from zhizao.tracking.progress import Point, Status
from zhizao.tracking.targets import get_target_progress

JUNE = date(2024, 6, 30)


def _growth(session: Session, system: Actor, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    for month, value in ((3, 7.1), (4, 7.4), (5, 6.0), (6, 5.2)):
        item = obs.ObservationInput(series.id, "370200", "ytd", 2024, month, value)
        obs.record_observation(session, system, item)
    linking.confirm_link(session, system, sample.growth.id, series.id)


def _firms(session: Session, system: Actor, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规模以上工业企业数量", "家")
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 4000))
    linking.confirm_link(session, system, sample.firms.id, series.id, base_value=3000)


def test_parse_month_gives_month_end() -> None:
    assert cockpit.parse_month("2024-02") == date(2024, 2, 29)
    with pytest.raises(InvalidInput):
        cockpit.parse_month("2024年6月")


def test_default_as_of_is_year_end_for_a_past_plan_year() -> None:
    assert cockpit.default_as_of(2023, date(2024, 6, 15)) == date(2023, 12, 31)
    assert cockpit.default_as_of(2024, date(2024, 6, 15)) == date(2024, 6, 15)
    assert cockpit.month_choices(2024, date(2024, 3, 2)) == ["2024-01", "2024-02", "2024-03"]
    assert len(cockpit.month_choices(2023, date(2024, 3, 2))) == 12


def test_gather_plan_cockpit_statuses_series_and_tasks(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _growth(session, system, sample)
    tasks.report_progress(
        session,
        department(session, KJJ),
        sample.a_kjj.id,
        reported_on=date(2024, 6, 3),
        text="受阻",
        status="受阻",
    )
    data = cockpit.plan_cockpit(session, system, sample.plan.id, JUNE, today=date(2024, 7, 5))
    tiles = {t.indicator: t for t in data.tiles}
    growth = tiles["规模以上工业增加值"]
    assert growth.status is Status.LAGGING  # 5.2 against 6.5 左右: 0.8 point short
    assert growth.css_class == "status-lagging" and growth.colour == "#E0A800"
    assert [p.month for p in growth.points] == [3, 4, 5, 6]
    assert tiles["规模以上工业企业"].status is Status.NO_DATA
    assert data.status_counts == {"severe": 0, "lagging": 1, "on_track": 0, "completed": 0, "no_data": 1}
    units = {row.unit_name: row.counts for row in data.units}
    assert units[KJJ]["blocked"] == 1 and units[GXJ]["not_started"] == 1
    assert {a.kind.value for a in data.alerts} >= {"due_soon", "blocked", "no_report"}
    assert data.month == "2024-06" and data.months[-1] == "2024-07"


def test_gather_plan_cockpit_shows_no_readings_after_the_month(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _growth(session, system, sample)
    april = cockpit.plan_cockpit(session, system, sample.plan.id, date(2024, 4, 30), today=date(2024, 7, 5))
    growth = next(t for t in april.tiles if t.indicator == "规模以上工业增加值")
    assert [p.month for p in growth.points] == [3, 4]


def test_gather_plan_cockpit_department_sees_own_tasks_only(session: Session, sample: SamplePlan) -> None:
    data = cockpit.plan_cockpit(session, department(session, GXJ), sample.plan.id, JUNE, date(2024, 7, 1))
    assert [row.unit_name for row in data.units] == [GXJ]
    assert {a.unit_name for a in data.alerts} == {GXJ}


def test_gather_plan_cockpit_refuses_unseen_plan(session: Session, sample: SamplePlan) -> None:
    with pytest.raises(NotFound):
        cockpit.plan_cockpit(session, department(session, "市财政局"), sample.plan.id, JUNE, date(2024, 7, 1))


def test_summarise_plans_by_status(session: Session, system: Actor, sample: SamplePlan) -> None:
    _growth(session, system, sample)
    found = [
        p for p in cockpit.plan_summaries(session, system, date(2024, 6, 30)) if p.plan_id == sample.plan.id
    ]
    assert found[0].counts["lagging"] == 1 and found[0].total == 2


def test_gather_target_page_with_observations_and_suggestions(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _firms(session, system, sample)
    obs.ensure_series(session, "规上工业企业", "家")
    page = cockpit.target_page(session, system, sample.firms.id, JUNE, date(2024, 7, 1))
    assert page.base_value == 3000 and page.region_code == "370200"
    assert [o.value for o in page.observations] == [4000]
    assert "规上工业企业" in [s.name for s in page.suggestions]
    assert page.tile.completion == pytest.approx(0.5)  # (4000 − 3000) / (5000 − 3000)


def test_list_reminders_per_unit(session: Session, system: Actor, sample: SamplePlan) -> None:
    found = cockpit.reminders(session, system, date(2024, 7, 5), plan_id=sample.plan.id)
    assert set(found.units) == {GXJ, KJJ, "市商务局"}
    assert found.total == sum(len(v) for v in found.units.values())


def test_list_reminders_of_a_past_plan_default_to_its_year_end(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    found = cockpit.reminders(session, system, None, plan_id=sample.plan.id, today=date(2026, 3, 1))
    assert found.as_of == date(2024, 12, 31)
    assert cockpit.reminders(session, system, None, today=date(2026, 3, 1)).as_of == date(2026, 3, 1)


def test_build_sparkline_options_keeps_last_twelve_points() -> None:
    points = [Point(2023 + (m - 1) // 12, (m - 1) % 12 + 1, float(m)) for m in range(1, 16)]
    options = cockpit.sparkline_options(points, "#2E9D4F")
    assert options["series"][0]["data"] == [float(m) for m in range(4, 16)]
    assert options["xAxis"]["show"] is False and options["yAxis"]["show"] is False
    assert options["series"][0]["lineStyle"]["color"] == "#2E9D4F"
    json.dumps(options)


def test_build_tasks_bar_options_stacks_statuses_per_unit() -> None:
    rows = [
        cockpit.UnitStatusRow("甲", {"not_started": 1, "in_progress": 2, "completed": 0, "blocked": 1}),
        cockpit.UnitStatusRow("乙", {"not_started": 0, "in_progress": 0, "completed": 1, "blocked": 0}),
    ]
    options = cockpit.tasks_bar_options(rows)
    assert options["yAxis"]["data"] == ["乙", "甲"]  # largest unit on top
    assert [s["name"] for s in options["series"]] == ["未启动", "推进中", "已完成", "受阻"]
    assert {s["stack"] for s in options["series"]} == {"tasks"}
    assert options["series"][1]["data"] == [0, 2]
    translated = cockpit.tasks_bar_options(rows, {"受阻": "Blocked"}.get)
    assert translated["series"][3]["name"] == "Blocked"


def test_build_target_chart_for_a_rate_compares_growth_with_growth(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _growth(session, system, sample)
    tp = get_target_progress(session, system, sample.growth.id, JUNE)
    options = cockpit.target_chart_options(tp, JUNE)
    actual, target = options["series"]  # no 0–100% time line beside a growth rate
    assert options["xAxis"]["data"][0] == "1月" and len(options["xAxis"]["data"]) == 12
    assert actual["data"][:6] == [None, None, 7.1, 7.4, 6.0, 5.2]
    assert actual["name"] == "累计实际值（%）" and actual["label"]["formatter"] == "{c}%"
    assert target["data"] == [6.5] * 12 and target["endLabel"]["formatter"] == "目标值 {c}%"
    (axis,) = options["yAxis"]
    assert axis["axisLabel"]["formatter"] == "{value}%" and axis["min"] < 5.2 and axis["max"] > 7.4
    json.dumps(options)


def test_build_target_chart_for_an_amount_draws_expected_value_from_base(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    _firms(session, system, sample)
    tp = get_target_progress(session, system, sample.firms.id, JUNE)
    options = cockpit.target_chart_options(tp, JUNE, base_value=3000)
    schedule = options["series"][2]
    assert "yAxisIndex" not in schedule and len(options["yAxis"]) == 1
    assert schedule["name"].startswith("序时进度（")
    assert schedule["data"][5] == pytest.approx(4000) and schedule["data"][11] == pytest.approx(5000)
    assert options["series"][0]["data"][5] == 4000
