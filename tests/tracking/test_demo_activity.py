from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.audit.models import AppMeta
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.demo.accounts import DATASET_KEY, DEMO_DATASET, create_demo_accounts, demo_unit_usernames
from zhizao.demo.plans import load_demo_plans
from zhizao.demo.regions import demo_region
from zhizao.errors import NotFound
from zhizao.plans.models import Plan
from zhizao.tracking import demo, demo_activity, tasks
from zhizao.tracking.models import Observation, ProgressReport, TargetLink, TrackedSeries
from zhizao.tracking.monthly import plan_month
from zhizao.tracking.progress import Status, TargetSpec
from zhizao.tracking.targets import plan_progress

QINGDAO = "370200"  # the demo region whose documents and figures the shipped data holds
NINE_ACTIONS = "qingdao-2024-nine-actions.txt"
JUNE, YEAR_END = date(2024, 6, 30), date(2024, 12, 31)
TODAY = date(2026, 3, 1)


def _load(session: Session, system: Actor) -> Plan:
    session.add(AppMeta(key=DATASET_KEY, value=DEMO_DATASET))
    for _ in range(3):
        add_enterprise(session, region_code="370211", above_scale=True)
    add_enterprise(session, region_code="370212", above_scale=False)
    create_demo_accounts(session, system, QINGDAO)
    plans = {p.source_filename: p for p in load_demo_plans(session, system, demo_region(QINGDAO))}
    demo.load_real_stats(session, system, QINGDAO)
    demo_activity.load_demo_activity(session, system, QINGDAO, demo_unit_usernames(session), TODAY)
    return plans[NINE_ACTIONS]


@pytest.fixture
def plan(session: Session, system: Actor) -> Plan:
    return _load(session, system)


def _observations(session: Session, synthetic: bool) -> list[tuple[str, int, int, float, str]]:
    rows = session.execute(
        select(
            TrackedSeries.name, Observation.year, Observation.period, Observation.value, Observation.source
        )
        .join(Observation)
        .where((TrackedSeries.description == demo_activity.SYNTHETIC_DESCRIPTION) == synthetic)
        .order_by(TrackedSeries.name, Observation.period_type, Observation.year, Observation.period)
    )
    return [tuple(r) for r in rows]


def _reports(session: Session) -> list[tuple[int, date, str, str, int | None, int | None]]:
    rows = session.execute(
        select(
            ProgressReport.assignment_id,
            ProgressReport.reported_on,
            ProgressReport.text,
            ProgressReport.status,
            ProgressReport.percent,
            ProgressReport.unit_id,
        ).order_by(ProgressReport.assignment_id, ProgressReport.reported_on)
    )
    return [tuple(r) for r in rows]


def _statuses(session: Session, system: Actor, plan: Plan, as_of: date) -> Counter[Status]:
    return Counter(t.progress.status for t in plan_progress(session, system, plan.id, as_of))


def test_load_demo_activity_twice_same_rows(session: Session, system: Actor, plan: Plan) -> None:
    synthetic, real, reports = _observations(session, True), _observations(session, False), _reports(session)
    links = list(session.execute(select(TargetLink.target_id, TargetLink.series_id).order_by(TargetLink.id)))
    again = demo_activity.load_demo_activity(session, system, QINGDAO, demo_unit_usernames(session), TODAY)
    assert again.registry_links == 0  # already linked; refreshed, not linked again
    assert again.synthetic_series == len({row[0] for row in synthetic})
    assert _observations(session, True) == synthetic
    assert _observations(session, False) == real
    assert _reports(session) == reports
    assert (
        list(session.execute(select(TargetLink.target_id, TargetLink.series_id).order_by(TargetLink.id)))
        == links
    )


def test_synthetic_values_same_seed_identical() -> None:
    spec = TargetSpec("increase", 300, "at_least", "家", 2024)
    first = demo_activity.synthetic_values(spec, "lagging", random.Random("x"))
    assert first == demo_activity.synthetic_values(spec, "lagging", random.Random("x"))
    assert first == sorted(first) and len(first) == 12  # cumulative: never falls


def test_synthetic_series_marked_and_every_target_measured(
    session: Session, system: Actor, plan: Plan
) -> None:
    synthetic = session.scalars(
        select(TrackedSeries).where(TrackedSeries.description == demo_activity.SYNTHETIC_DESCRIPTION)
    ).all()
    assert len(synthetic) >= 30
    assert all(s.name.endswith(demo_activity.SYNTHETIC_MARK) for s in synthetic)
    rows = _observations(session, True)
    assert {row[4] for row in rows} == {demo_activity.SYNTHETIC_SOURCE}
    assert {(row[1], row[2]) for row in rows} == {(2024, m) for m in range(1, 13)}
    unlinked = [t for t in plan_progress(session, system, plan.id, YEAR_END) if t.series_id is None]
    assert unlinked == []


def test_real_series_keep_only_real_figures(session: Session, system: Actor, plan: Plan) -> None:
    real = _observations(session, False)
    assert real and demo_activity.SYNTHETIC_SOURCE not in {row[4] for row in real}
    rows = {(t.indicator, t.spec.measure): t for t in plan_progress(session, system, plan.id, YEAR_END)}
    growth = rows[("规模以上工业增加值", "growth")]
    assert growth.series_name == "规模以上工业增加值增速" and growth.progress.status is Status.COMPLETED
    assert (
        rows[("高新技术企业", "level")].progress.status is Status.NO_DATA
    )  # no real 2024 figure, none made up


def test_registry_aggregate_counts_above_scale_enterprises(
    session: Session, system: Actor, plan: Plan
) -> None:
    rows = {(t.indicator, t.spec.measure): t for t in plan_progress(session, system, plan.id, YEAR_END)}
    firms = rows[("规模以上工业企业数量", "level")]
    assert firms.series_name == "规模以上工业企业数量"
    assert firms.progress.latest is not None and firms.progress.latest.value == 3  # the three 规上 firms
    series = session.get(TrackedSeries, firms.series_id)
    assert series is not None and series.kind == "registry"


def test_synthetic_statuses_spread(session: Session, system: Actor, plan: Plan) -> None:
    june = _statuses(session, system, plan, JUNE)
    assert june[Status.ON_TRACK] > june[Status.COMPLETED] >= 3
    assert june[Status.ON_TRACK] > june[Status.LAGGING] + june[Status.SEVERE]
    assert june[Status.LAGGING] >= 2 and june[Status.SEVERE] >= 1
    year_end = _statuses(session, system, plan, YEAR_END)
    assert year_end[Status.COMPLETED] > sum(year_end.values()) / 2
    assert year_end[Status.LAGGING] + year_end[Status.SEVERE] >= 2


def test_demo_reports_mix_of_statuses(session: Session, system: Actor, plan: Plan) -> None:
    reports = _reports(session)
    assert reports and all(text.endswith(demo_activity.REPORT_MARK) for _, _, text, *_ in reports)
    latest = Counter(v.status.value for v in tasks.list_assignments(session, system, plan_id=plan.id))
    assert latest["completed"] > latest["in_progress"] + latest["blocked"]
    assert latest["in_progress"] >= 2 and latest["blocked"] >= 2
    month = plan_month(session, system, plan.id, JUNE)
    assert month.silent_units  # some units skipped June
    assert demo_activity.load_demo_reports(session, system, QINGDAO) == len(reports)
    assert len(_reports(session)) == len(reports)  # replaced, not added


def test_demo_reports_made_by_lead_unit(session: Session, system: Actor, plan: Plan) -> None:
    for view in tasks.list_assignments(session, system, plan_id=plan.id):
        units = {r[5] for r in _reports(session) if r[0] == view.id}
        assert units <= {view.owner[0]}
    gongxin = session.scalar(select(User).where(User.username == "gongxin"))
    assert gongxin is not None
    authors = set(
        session.scalars(select(ProgressReport.author).where(ProgressReport.unit_id == gongxin.unit_id))
    )
    assert authors == {"gongxin"}


def test_department_account_sees_only_its_unit(session: Session, system: Actor, plan: Plan) -> None:
    users = {
        u.username: u for u in session.scalars(select(User).where(User.username.in_(["gongxin", "fagai"])))
    }
    everything = tasks.list_assignments(session, system, plan_id=plan.id)
    for user in users.values():
        actor = Actor.from_user(user)
        visible = tasks.list_assignments(session, actor, plan_id=plan.id)
        own = [v for v in everything if user.unit_id in {u for u, _ in v.lead_units + v.responsible_units}]
        assert visible and [v.id for v in visible] == [v.id for v in own]
    gongxin = Actor.from_user(users["gongxin"])
    other = next(
        v
        for v in everything
        if users["gongxin"].unit_id not in {u for u, _ in v.lead_units + v.responsible_units}
    )
    with pytest.raises(NotFound):
        tasks.report_progress(session, gongxin, other.id, reported_on=JUNE, text="x", status="推进中")


def test_report_schedule_profiles() -> None:
    done = demo_activity.report_schedule("推进技改", date(2024, 6, 30), "done", 0)
    assert [r.month for r in done] == [1, 2, 3, 4, 5, 6]
    assert done[-1].status == "已完成" and done[-1].percent == 100
    assert [r.percent for r in done] == sorted(r.percent for r in done)
    skip = demo_activity.report_schedule("推进技改", date(2024, 12, 31), "skip", 5)
    assert 6 not in [r.month for r in skip] and 12 not in [r.month for r in skip]
    blocked = demo_activity.report_schedule("推进技改", None, "blocked", 7)
    assert blocked[-1].status == "受阻"
    late = demo_activity.report_schedule("推进技改", date(2024, 9, 30), "late", 2)
    assert late[-1].month == 12 and late[-1].status == "推进中"
    assert all("推进技改" in r.text and r.text.endswith("（演示数据）") for r in done + skip + blocked + late)
