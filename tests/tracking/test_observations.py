from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.office.habits import assert_excel_habits, data_rows, read_sheet
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput
from zhizao.tracking import observations as obs
from zhizao.tracking.models import TrackedSeries
from zhizao.tracking.progress import Point


def _series(session: Session, name: str = "规模以上工业增加值增速", unit: str = "%") -> TrackedSeries:
    return obs.ensure_series(session, name, unit, aliases=["规上工业增加值增速"])


def test_record_observation_replaces_same_period(session: Session, system: Actor) -> None:
    series = _series(session)
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 9.0))
    obs.record_observation(
        session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 9.8, "市统计局")
    )
    rows = obs.list_observations(session, series.id, "370200")
    assert [(r.value, r.source) for r in rows] == [(9.8, "市统计局")]


def test_record_observation_rejects_bad_period_and_region(session: Session, system: Actor) -> None:
    series = _series(session)
    with pytest.raises(InvalidInput) as caught:
        obs.record_observation(session, system, obs.ObservationInput(series.id, "999999", "ytd", 2024, 13, 1))
    assert {p.column for p in caught.value.problems} == {"期", "地区代码"}


def test_record_observation_refused_for_department(session: Session) -> None:
    series = _series(session)
    clerk = Actor("clerk", Role.DEPARTMENT, unit_id=1)
    with pytest.raises(Forbidden):
        obs.record_observation(session, clerk, obs.ObservationInput(series.id, "370200", "year", 2024, 0, 1))


def test_record_observation_refused_outside_the_home_region(
    session: Session, system: Actor, home_region: Callable[[str | None], None]
) -> None:
    home_region("370700")
    series = _series(session)
    with pytest.raises(InvalidInput) as caught:
        obs.record_observation(
            session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 9.0)
        )
    assert caught.value.problems[0].message == "行政区划代码 370200 不在本系统辖区（山东省潍坊市）内"
    stored = obs.record_observation(
        session, system, obs.ObservationInput(series.id, "370785", "ytd", 2024, 6, 9.0)
    )
    assert stored.region_code == "370785"


def test_cumulative_points_add_months_of_amounts_and_keep_direct_values(
    session: Session, system: Actor
) -> None:
    series = _series(session, "新增专精特新中小企业", "家")
    for month, value in ((1, 10), (2, 20), (3, 30), (5, 50)):
        obs.record_observation(
            session, system, obs.ObservationInput(series.id, "370200", "month", 2024, month, value)
        )
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 2, 33))
    points = obs.series_points(session, series.id, "370200", additive=True)
    assert points == [Point(2024, 1, 10), Point(2024, 2, 33), Point(2024, 3, 60)]


def test_cumulative_points_of_rates_use_only_cumulative_values(session: Session, system: Actor) -> None:
    series = _series(session)
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "month", 2024, 1, 8.0))
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "month", 2024, 2, 9.0))
    obs.record_observation(
        session, system, obs.ObservationInput(series.id, "370200", "quarter", 2024, 2, 7.0)
    )
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "year", 2024, 0, 9.4))
    points = obs.series_points(session, series.id, "370200", additive=False)
    assert points == [Point(2024, 1, 8.0), Point(2024, 12, 9.4)]


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(obs.TEMPLATE_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_workbook_reads_template_rows_by_alias(session: Session, system: Actor) -> None:
    series = _series(session)
    data = _workbook(
        [
            ["规上工业增加值增速", "370200", "累计", 2024, 6, 9.8, "青岛晚报", ""],
            ["规模以上工业增加值增速", "370200", "年度", 2024, None, 9.4, "", ""],
        ]
    )
    assert obs.import_workbook(session, system, data) == 2
    assert [(r.period_type, r.value) for r in obs.list_observations(session, series.id)] == [
        ("year", 9.4),
        ("ytd", 9.8),
    ]


def test_import_workbook_with_errors_writes_nothing(session: Session, system: Actor) -> None:
    series = _series(session)
    data = _workbook(
        [
            ["规模以上工业增加值增速", "370200", "累计", 2024, 6, 9.8, "", ""],
            ["未知指标", "370200", "累计", 2024, 6, 1, "", ""],
            ["规模以上工业增加值增速", "370200", "半年", 2024, 6, "abc", "", ""],
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        obs.import_workbook(session, system, data)
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, "指标"), (4, "期别类型"), (4, "数值")}
    assert obs.list_observations(session, series.id) == []


def test_template_and_export_round_trip(session: Session, system: Actor) -> None:
    series = _series(session)
    assert obs.template_workbook(session)[:2] == b"PK"
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 9.8))
    exported = obs.export_workbook(session, [series.id])
    sheet = read_sheet(exported)
    assert_excel_habits(sheet, numbers=("年份", "期", "数值"))
    assert data_rows(sheet) == [("规模以上工业增加值增速", "370200", "累计", 2024, 6, 9.8, None, None)]
    assert_excel_habits(read_sheet(obs.template_workbook(session)))
    obs.record_observation(session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, 6, 1.0))
    assert obs.import_workbook(session, system, exported) == 1
    assert obs.list_observations(session, series.id)[0].value == 9.8


def test_refresh_registry_series_counts_above_scale_enterprises(session: Session) -> None:
    for _ in range(3):
        add_enterprise(session, region_code="370211", above_scale=True)
    add_enterprise(session, region_code="370212", above_scale=False)
    series = obs.ensure_series(
        session, "规模以上工业企业数量", "家", kind="registry", aggregate={"op": "count", "above_scale": True}
    )
    before = obs.series_points(session, series.id, "370200", additive=False)
    stored = obs.refresh_registry_series(session, series, "370200", date(2024, 6, 30))
    assert stored.source == "企业库汇总"
    points = obs.series_points(session, series.id, "370200", additive=False)
    assert len(points) == len(before) + 1
    assert points[-1].month == 6
    assert points[-1].value >= 3
