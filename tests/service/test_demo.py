"""The demo's made-up service data: officers assigned, first-quarter visits, 诉求 in several states."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.service.conftest import World
from zhizao.auth.scope import Actor
from zhizao.service import visits
from zhizao.service.demo import MARK, load_demo_service
from zhizao.service.models import ServiceAssignment, ServiceRequest, ServiceVisit


def test_demo_service_assigns_visits_and_files_marked_requests(session: Session, world: World) -> None:
    for k in range(30):
        add_enterprise(session, name=f"演示制造{k}有限公司", region_code="370211" if k % 2 else "370212")
    result = load_demo_service(session, Actor.system(), date(2025, 12, 1))
    assert result.categories == 0  # a configuration was already loaded: kept as it is
    assert result.assignments >= 30 and 0 < result.visits < result.assignments
    assert result.requests > 0
    visited = session.scalars(select(ServiceVisit)).all()
    assert all(
        v.findings.startswith(MARK) and date(2025, 1, 1) <= v.visited_on <= date(2025, 3, 31) for v in visited
    )
    filed = session.scalars(select(ServiceRequest)).all()
    assert all(r.title.startswith(MARK) for r in filed)
    assert {r.status for r in filed} >= {"pending", "visited"}
    officer = world.users["officer"]
    mine = session.scalars(select(ServiceAssignment).where(ServiceAssignment.officer_id == officer.id)).all()
    assert mine  # firms of the district officer's region are served by that officer
    assert all("虚构" in a.contact for a in mine)  # the portal shows the 帮包 officer's (made-up) contact
    covered = visits.coverage(session, Actor.system(), date(2025, 1, 1), date(2025, 3, 31))
    assert 0 < covered.visited < covered.firms
