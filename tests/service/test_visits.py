"""Assignments with history, visits that raise 诉求, coverage as of a date and workload per officer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.service.conftest import World
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.service import assignments, visits


def test_assign_keeps_history(session: Session, world: World) -> None:
    admin, officer = world.actor("admin"), world.users["officer"]
    other = world.users["officer_c"]
    assignments.assign(
        session,
        admin,
        enterprise_id=world.firm_a.id,
        officer_id=officer.id,
        level="district",
        valid_from=date(2025, 1, 1),
    )
    assignments.assign(
        session,
        admin,
        enterprise_id=world.firm_a.id,
        officer_id=other.id,
        level="city",
        valid_from=date(2025, 7, 1),
    )
    rows = assignments.history(session, admin, world.firm_a.id)
    assert [(r.officer_id, r.level, r.valid_from, r.valid_to) for r in rows] == [
        (officer.id, "district", date(2025, 1, 1), date(2025, 7, 1)),
        (other.id, "city", date(2025, 7, 1), None),
    ]
    assert assignments.current(session, admin, world.firm_a.id, date(2025, 6, 30)).officer_id == officer.id  # type: ignore[union-attr]
    assert assignments.current(session, admin, world.firm_a.id, date(2025, 7, 1)).officer_id == other.id  # type: ignore[union-attr]
    assert assignments.current(session, admin, world.firm_a.id, date(2024, 12, 31)) is None
    with pytest.raises(InvalidInput):
        assignments.assign(
            session,
            admin,
            enterprise_id=world.firm_a.id,
            officer_id=officer.id,
            level="city",
            valid_from=date(2025, 3, 1),
        )


def test_assign_refused_outside_scope_and_to_enterprise_account(session: Session, world: World) -> None:
    with pytest.raises(NotFound):
        assignments.assign(
            session,
            world.actor("officer"),
            enterprise_id=world.firm_c.id,
            officer_id=world.users["officer"].id,
            level="district",
            valid_from=date(2025, 1, 1),
        )
    with pytest.raises(InvalidInput):
        assignments.assign(
            session,
            world.actor("admin"),
            enterprise_id=world.firm_a.id,
            officer_id=world.users["firm_a"].id,
            level="district",
            valid_from=date(2025, 1, 1),
        )
    with pytest.raises(Forbidden):
        visits.record(
            session,
            world.actor("gxj"),
            enterprise_id=world.firm_a.id,
            visited_on=date(2025, 2, 1),
            form="onsite",
        )


def test_visit_files_problems_as_requests(session: Session, world: World) -> None:
    visit, filed = visits.record(
        session,
        world.actor("officer"),
        enterprise_id=world.firm_a.id,
        visited_on=date(2025, 3, 3),
        form="onsite",
        findings="扩产缺地",
        problems=[visits.Problem(world.categories["0101"].id, "扩产用地指标")],
    )
    [request] = filed
    assert request.visit_id == visit.id and request.channel == "visit"
    assert request.department_id == world.units["测试资规局"].id
    assert visit.officer_id == world.users["officer"].id


def test_coverage_as_of_date_by_district_and_officer(session: Session, world: World) -> None:
    small = add_enterprise(session, name="丁小微企业", region_code="370211", above_scale=False)
    admin, officer = world.actor("admin"), world.users["officer"]
    for firm in (world.firm_a, world.firm_b):
        assignments.assign(
            session,
            admin,
            enterprise_id=firm.id,
            officer_id=officer.id,
            level="district",
            valid_from=date(2025, 1, 1),
        )
    visits.record(session, admin, enterprise_id=world.firm_a.id, visited_on=date(2025, 2, 10), form="onsite")
    visits.record(session, admin, enterprise_id=world.firm_c.id, visited_on=date(2025, 4, 2), form="phone")
    visits.record(session, admin, enterprise_id=small.id, visited_on=date(2025, 2, 11), form="onsite")

    q1 = visits.coverage(session, admin, date(2025, 1, 1), date(2025, 3, 31))
    mine = {r.key: (r.firms, r.visited) for r in q1.by_district if r.key in ("370211", "370212")}
    assert mine == {"370211": (2, 1), "370212": (1, 0)}
    [row] = [r for r in q1.by_officer if r.key == str(officer.id)]
    assert (row.firms, row.visited, row.rate) == (2, 1, 0.5)
    ids = {e.id for e in q1.not_visited}
    assert {world.firm_b.id, world.firm_c.id} <= ids and world.firm_a.id not in ids and small.id not in ids

    april = visits.coverage(session, admin, date(2025, 1, 1), date(2025, 4, 30))
    assert world.firm_c.id not in {e.id for e in april.not_visited}
    before = visits.coverage(session, admin, date(2025, 1, 1), date(2025, 2, 9))
    assert world.firm_a.id in {e.id for e in before.not_visited}

    district = visits.coverage(session, world.actor("officer"), date(2025, 1, 1), date(2025, 3, 31))
    assert {e.id for e in district.not_visited} == {world.firm_b.id}
    assert (district.firms, district.visited) == (2, 1)


def test_workload_counts_firms_open_requests_and_visits(session: Session, world: World) -> None:
    admin, officer = world.actor("admin"), world.users["officer"]
    assignments.assign(
        session,
        admin,
        enterprise_id=world.firm_a.id,
        officer_id=officer.id,
        level="district",
        valid_from=date(2025, 1, 1),
    )
    visits.record(
        session,
        world.actor("officer"),
        enterprise_id=world.firm_a.id,
        visited_on=date(2025, 3, 3),
        form="onsite",
        problems=[visits.Problem(world.categories["03"].id, "政策咨询")],
    )
    [load] = [
        w
        for w in assignments.workload(session, admin, date(2025, 3, 31), date(2025, 1, 1))
        if w.officer_id == officer.id
    ]
    assert (load.firms, load.open_requests, load.visits) == (1, 1, 1)
