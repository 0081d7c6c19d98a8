from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, KJJ, SWJ, SamplePlan, department
from zhizao.auth.scope import Actor
from zhizao.tracking import alerts, tasks
from zhizao.tracking.alerts import AlertKind


def _kinds(found: list[alerts.Alert]) -> set[tuple[int, AlertKind]]:
    return {(a.assignment_id, a.kind) for a in found}


def test_alerts_as_of_flag_overdue_due_soon_and_no_report(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    found = alerts.alerts_as_of(session, system, date(2024, 7, 1), plan_id=sample.plan.id)
    assert _kinds(found) == {
        (sample.a_gxj.id, AlertKind.OVERDUE),
        (sample.a_swj.id, AlertKind.DUE_SOON),
        (sample.a_gxj.id, AlertKind.NO_REPORT),
        (sample.a_kjj.id, AlertKind.NO_REPORT),
        (sample.a_swj.id, AlertKind.NO_REPORT),
    }


def test_alerts_as_of_due_soon_window_is_configurable(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    found = alerts.alerts_as_of(session, system, date(2024, 6, 1), plan_id=sample.plan.id, due_soon_days=45)
    due = {a.assignment_id for a in found if a.kind is AlertKind.DUE_SOON}
    assert due == {sample.a_gxj.id, sample.a_swj.id}


def test_alerts_as_of_report_clears_and_blocked_flags(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    tasks.report_progress(
        session,
        department(session, GXJ),
        sample.a_gxj.id,
        reported_on=date(2024, 6, 28),
        text="完成",
        status="已完成",
    )
    tasks.report_progress(
        session, department(session, KJJ), sample.a_kjj.id, reported_on=date(2024, 6, 5), text="用地未落实",
        status="受阻",
    )  # fmt: skip
    found = alerts.alerts_as_of(session, system, date(2024, 6, 30), plan_id=sample.plan.id)
    assert _kinds(found) == {
        (sample.a_kjj.id, AlertKind.BLOCKED),
        (sample.a_swj.id, AlertKind.DUE_SOON),
        (sample.a_swj.id, AlertKind.NO_REPORT),
    }


def test_alerts_as_of_department_sees_own_only(session: Session, sample: SamplePlan) -> None:
    found = alerts.alerts_as_of(session, department(session, SWJ), date(2024, 7, 1))
    assert {a.assignment_id for a in found} == {sample.a_swj.id}


def test_send_reminders_groups_by_unit_and_logs(
    session: Session, sample: SamplePlan, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = alerts.LogNotifier()
    with caplog.at_level(logging.INFO, logger="zhizao.tracking.remind"):
        grouped = alerts.send_reminders(session, date(2024, 7, 1), notifier, plan_id=sample.plan.id)
    assert set(grouped) == {GXJ, KJJ, SWJ}
    assert sorted(notifier.sent) == sorted((name, len(items)) for name, items in grouped.items())
    assert "逾期" in caplog.text


def test_alerts_as_of_on_the_deadline_says_due_today(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    found = alerts.alerts_as_of(session, system, date(2024, 7, 10), plan_id=sample.plan.id)
    due = [a.message for a in found if a.kind is AlertKind.DUE_SOON and a.assignment_id == sample.a_swj.id]
    assert due == ["今日到期（2024-07-10）"]
    assert alerts.due_text(date(2024, 7, 11), date(2024, 7, 10)).startswith("明日到期")
    assert alerts.due_text(date(2024, 7, 20), date(2024, 7, 10)).startswith("距期限还有 10 天")
