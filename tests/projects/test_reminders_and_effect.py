"""Reminders for units that have not reported (deadlines on the working-day calendar), 达效 and 投入产出比,
the 竣工未达效 list, and the cockpit tile's counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.projects.conftest import World, add_project
from zhizao.projects import effect, progress, reminders


def test_deadline_is_the_fifth_working_day_after_the_holiday(session: Session, world: World) -> None:
    # September 2026's report: October starts with the National Day holiday (10-01 … 10-07), and Saturday
    # 10-10 is a 调休 working day: 10-08, 09, 10, 12, 13
    assert reminders.deadline(session, 2026, 9) == date(2026, 10, 13)
    assert reminders.deadline(session, 2026, 6) == date(2026, 7, 7)


def test_missing_reports_per_unit(session: Session, world: World) -> None:
    unit = world.units["测试工信局"]
    add_project(
        session, "已报", unit_id=unit.id, start_actual=date(2026, 3, 1), months={(2026, 6): (1.0, 1.0)}
    )
    add_project(session, "未报", unit_id=unit.id, start_actual=date(2026, 3, 1))
    add_project(
        session, "停建", unit_id=unit.id, start_actual=date(2026, 3, 1), suspended_on=date(2026, 5, 1)
    )
    add_project(session, "未到开工", unit_id=unit.id, start_planned=date(2026, 9, 1))
    found = reminders.missing_reports(session, world.actor("admin"), 2026, 6, date(2026, 7, 8))
    assert [(m.who, [p.name for p in m.projects], m.overdue) for m in found] == [
        ("测试工信局", ["未报"], True)
    ]
    assert found[0].message == "1个项目尚未报送调度：未报；已逾期（期限 2026-07-07）"
    early = reminders.missing_reports(session, world.actor("admin"), 2026, 6, date(2026, 7, 1))
    assert not early[0].overdue and early[0].workdays_left == 4


def test_input_output_ratio_from_entered_or_owner_figures(session: Session, world: World) -> None:
    owner = add_enterprise(
        session, name="丁制造有限公司", figures={2024: {"output_value": 10000}, 2026: {"output_value": 16000}}
    )
    from_figures = add_project(
        session,
        "甲",
        enterprise_id=owner.id,
        total_investment=20000,
        start_actual=date(2025, 3, 1),
        complete_actual=date(2025, 12, 1),
    )
    entered = add_project(
        session,
        "乙",
        total_investment=8000,
        complete_actual=date(2025, 6, 1),
        effect_actual=date(2026, 6, 1),
        new_output=12000,
    )
    found = {e.project.name: e for e in effect.completed(session, world.actor("admin"), date(2026, 12, 31))}
    assert (found["甲"].effect_year, found["甲"].new_output, found["甲"].ratio, found["甲"].basis_label) == (
        2026,
        6000,
        0.3,
        "企业工业总产值",
    )
    assert (found["乙"].ratio, found["乙"].basis) == (1.5, "entered")
    waiting = effect.not_yet_effective(session, world.actor("admin"), date(2026, 12, 31))
    assert [p.name for p in waiting] == ["甲"]
    assert "尚无官方定义" in effect.DEFINITION
    assert from_figures.id and entered.id


def test_status_counts_for_a_cockpit_tile(session: Session, world: World) -> None:
    add_project(session, "快", plans={2026: 100}, months={(2026, 10): (100.0, 100.0)})
    add_project(session, "慢", plans={2026: 100}, months={(2026, 10): (10.0, 10.0)})
    add_project(session, "停", plans={2026: 100}, suspended_on=date(2026, 8, 1))
    add_project(session, "无", region_code="370212")
    counts = progress.status_counts(session, world.actor("admin"), date(2026, 10, 31))
    assert counts == {"ahead": 1, "normal": 0, "lagging": 0, "severe": 1, "suspended": 1, "no_plan": 1}
    mine = progress.status_counts(session, world.actor("officer"), date(2026, 10, 31))
    assert sum(mine.values()) == 3  # the district officer's region only
