"""诉求 analytics by category, department and district; repeated categories across firms."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tests.service.conftest import World
from zhizao.service import analytics, requests
from zhizao.service.models import ServiceRequest


def _file(session: Session, world: World, firm_id: int, code: str, on: date) -> ServiceRequest:
    return requests.file(
        session,
        world.actor("admin"),
        enterprise_id=firm_id,
        category_id=world.categories[code].id,
        title=f"诉求 {code}",
        on=on,
    )


def _close(session: Session, world: World, r: ServiceRequest, unit: str, on: date) -> None:
    requests.accept(session, world.actor(unit), r.id, r.clock_start)
    requests.complete(session, world.actor(unit), r.id, on, "已办结")


def _populate(session: Session, world: World) -> None:
    start = date(2025, 9, 26)  # due 09-30 for 政策咨询 (3 days), 10-21 for 用地 (13 days)
    on_time = _file(session, world, world.firm_a.id, "03", start)
    late = _file(session, world, world.firm_b.id, "03", start)
    land = _file(session, world, world.firm_c.id, "0101", start)
    _file(session, world, world.firm_a.id, "01", start)  # still open
    _close(session, world, on_time, "gxj", date(2025, 9, 29))  # 2 working days (Sun 09-28 counts)
    _close(session, world, late, "gxj", date(2025, 10, 10))  # 5 working days (09-28, 29, 30, 10-09, 10)
    _close(session, world, land, "zgj", date(2025, 10, 9))
    officer = world.actor("officer")
    requests.callback(session, officer, on_time.id, date(2025, 10, 9), resolved=True, satisfied=True)
    requests.callback(session, officer, late.id, date(2025, 10, 13), resolved=True, satisfied=False)


def test_summary_by_category(session: Session, world: World) -> None:
    _populate(session, world)
    rows = {
        r.key: r
        for r in analytics.summary(
            session, world.actor("admin"), date(2025, 9, 1), date(2025, 9, 30), "category"
        )
    }
    consult, land = rows["03"], rows["01"]
    assert (consult.volume, consult.completed, consult.on_time, consult.avg_workdays) == (2, 1, 1, 2.0)
    assert (consult.reopened, consult.called_back, consult.resolved, consult.satisfied) == (1, 2, 2, 1)
    assert consult.satisfied_rate == 0.5 and consult.reopen_rate == 0.5
    assert (land.label, land.volume, land.completed, land.on_time_rate) == ("要素保障", 2, 1, 1.0)


def test_summary_by_department_and_district_respects_scope(session: Session, world: World) -> None:
    _populate(session, world)
    period = (date(2025, 9, 1), date(2025, 9, 30))
    by_dept = {
        r.label: r.volume for r in analytics.summary(session, world.actor("admin"), *period, "department")
    }
    assert by_dept == {"测试工信局": 2, "测试资规局": 1, "测试发改委": 1}
    by_district = {
        r.key: r.volume for r in analytics.summary(session, world.actor("officer"), *period, "district")
    }
    assert by_district == {"370211": 3}
    mine = analytics.summary(session, world.actor("gxj"), *period, "department")
    assert [(r.label, r.volume) for r in mine] == [("测试工信局", 2)]


def test_repeated_categories_across_firms(session: Session, world: World) -> None:
    _populate(session, world)
    found = analytics.repeated(
        session, world.actor("admin"), date(2025, 9, 1), date(2025, 9, 30), min_firms=2
    )
    assert [(r.code, r.firms, r.requests) for r in found] == [("03", 2, 2)]
