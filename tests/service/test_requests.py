"""诉求 time limits on the one working-day calendar (春节, 国庆 and their 调休 weekends), with pause,
extension, transfer, 退回 and the 回访 that reopens; and who may see and act on which 诉求."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.service.conftest import World
from zhizao.audit.models import AuditEntry
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.service import requests
from zhizao.service.models import ServiceRequest


def _file(session: Session, world: World, on: date, code: str = "03", who: str = "firm_a") -> ServiceRequest:
    firm = world.firm_a if who == "firm_a" else world.firm_b
    return requests.file(
        session,
        world.actor(who),
        enterprise_id=firm.id,
        category_id=world.categories[code].id,
        title="咨询技改补贴申报条件",
        on=on,
    )


def test_file_request_routes_to_department_with_limits_across_spring_festival(
    session: Session, world: World
) -> None:
    # Filed Fri 2025-01-24: Sun 01-26 is a 调休 working day, 01-28..02-04 is 春节.
    r = _file(session, world, date(2025, 1, 24))
    assert r.department_id == world.units["测试工信局"].id
    assert r.status == requests.PENDING
    assert r.contact_due == date(2025, 1, 26)  # the 调休 Sunday
    assert r.complete_due == date(2025, 2, 5)  # day 3 after the holiday
    assert r.original_due == r.complete_due


def test_subcategory_inherits_limits_and_uses_its_own_department(session: Session, world: World) -> None:
    # Filed Fri 2025-09-26: Sun 09-28 and Sat 10-11 are 调休 working days, 10-01..10-08 is 国庆/中秋.
    r = _file(session, world, date(2025, 9, 26), code="0101")
    assert r.department_id == world.units["测试资规局"].id
    assert r.reply_due == date(2025, 9, 29)
    assert r.complete_due == date(2025, 10, 21)


def test_pause_excludes_paused_workdays_from_limit(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    gxj = world.actor("gxj")
    requests.accept(session, gxj, r.id, date(2025, 1, 26))
    requests.pause(session, gxj, r.id, date(2025, 1, 27), "待企业补充营业执照")
    assert requests.clock(r, _calendar(session), date(2025, 2, 10)).label == "暂停计时"
    # resumed Thu 02-06: working days 02-05 and 02-06 were paused (the holiday counts for nothing anyway)
    requests.resume(session, gxj, r.id, date(2025, 2, 6))
    assert r.paused_workdays == 2
    assert r.complete_due == date(2025, 2, 7)
    assert r.original_due == date(2025, 2, 5)


def test_pause_refused_after_expiry(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    requests.accept(session, world.actor("gxj"), r.id, date(2025, 1, 27))
    with pytest.raises(InvalidInput, match="时限已过"):
        requests.pause(session, world.actor("gxj"), r.id, date(2025, 2, 6), "补材料")


def test_extension_requested_and_approved_before_expiry_moves_due(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 9, 26))  # due 09-30
    gxj, admin = world.actor("gxj"), world.actor("admin")
    requests.accept(session, gxj, r.id, date(2025, 9, 28))
    requests.request_extension(session, gxj, r.id, date(2025, 9, 29), 2, "需现场核查")
    requests.approve_extension(session, admin, r.id, date(2025, 9, 30))
    assert r.complete_due == date(2025, 10, 10)  # two working days after the 国庆 holiday
    assert r.original_due == date(2025, 9, 30)


def test_extension_refused_after_expiry(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 9, 26))
    gxj, admin = world.actor("gxj"), world.actor("admin")
    requests.accept(session, gxj, r.id, date(2025, 9, 28))
    with pytest.raises(InvalidInput, match="届满前申请"):
        requests.request_extension(session, gxj, r.id, date(2025, 10, 9), 2, "来不及")
    requests.request_extension(session, gxj, r.id, date(2025, 9, 30), 2, "需现场核查")
    with pytest.raises(InvalidInput, match="不能再批准"):
        requests.approve_extension(session, admin, r.id, date(2025, 10, 9))
    assert r.complete_due == date(2025, 9, 30)


def test_transfer_restarts_clock_at_new_department(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    with pytest.raises(InvalidInput):
        requests.transfer(session, world.actor("admin"), r.id, date(2025, 2, 5), 10**6)
    requests.transfer(session, world.actor("admin"), r.id, date(2025, 2, 5), world.units["测试发改委"].id)
    assert r.department_id == world.units["测试发改委"].id
    assert r.status == requests.PENDING
    assert r.clock_start == date(2025, 2, 5)
    assert r.complete_due == date(2025, 2, 8)  # 3 days from the transfer: Sat 02-08 is a 调休 working day
    with pytest.raises(NotFound):  # the old department no longer sees it
        requests.accept(session, world.actor("gxj"), r.id, date(2025, 2, 6))
    requests.accept(session, world.actor("fgw"), r.id, date(2025, 2, 6))


def test_return_stops_clock_and_needs_reason(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    gxj = world.actor("gxj")
    with pytest.raises(InvalidInput, match="理由"):
        requests.return_request(session, gxj, r.id, date(2025, 1, 27), " ")
    requests.return_request(session, gxj, r.id, date(2025, 1, 27), "属用地问题，非本部门职责")
    assert r.status == requests.RETURNED and r.return_reason.startswith("属用地")
    assert not requests.clock(r, _calendar(session), date(2025, 3, 1)).overdue
    requests.transfer(session, world.actor("admin"), r.id, date(2025, 2, 5), world.units["测试资规局"].id)
    assert r.status == requests.PENDING and r.complete_due == date(2025, 2, 8)


def test_callback_unsatisfied_reopens_with_new_limit(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 9, 26))
    gxj, officer = world.actor("gxj"), world.actor("officer")
    requests.accept(session, gxj, r.id, date(2025, 9, 28))
    requests.complete(session, gxj, r.id, date(2025, 9, 30), "已答复申报条件")
    with pytest.raises(Forbidden):
        requests.callback(
            session, world.actor("firm_a"), r.id, date(2025, 10, 9), resolved=True, satisfied=True
        )
    requests.callback(session, officer, r.id, date(2025, 10, 9), resolved=False, satisfied=False)
    assert r.status == requests.HANDLING and r.reopen_count == 1
    assert r.resolved is False and r.satisfied is False
    assert r.complete_due == date(2025, 10, 13)  # 10-10, Sat 10-11 (调休), 10-13
    requests.complete(session, gxj, r.id, date(2025, 10, 13), "补充答复")
    requests.callback(session, officer, r.id, date(2025, 10, 14), resolved=True, satisfied=True)
    assert r.status == requests.VISITED
    kinds = [e.kind for e in requests.events(session, world.actor("admin"), r.id)]
    assert kinds == ["filed", "accept", "complete", "callback", "reopen", "complete", "callback"]


def test_firm_never_sees_another_firms_request(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24), who="firm_b")
    with pytest.raises(NotFound):
        requests.get(session, world.actor("firm_a"), r.id)
    assert session.scalars(requests.visible(world.actor("firm_a"))).all() == []
    assert requests.get(session, world.actor("firm_b"), r.id) is r
    with pytest.raises(NotFound):
        requests.file(
            session,
            world.actor("firm_a"),
            enterprise_id=world.firm_b.id,
            category_id=world.categories["03"].id,
            title="冒名",
            on=date(2025, 1, 24),
        )


def test_department_sees_and_acts_on_its_requests_only(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))  # 测试工信局's
    with pytest.raises(NotFound):
        requests.accept(session, world.actor("fgw"), r.id, date(2025, 1, 27))
    assert session.scalars(requests.visible(world.actor("fgw"))).all() == []
    assert [x.id for x in session.scalars(requests.visible(world.actor("gxj")))] == [r.id]


def test_district_sees_its_regions_firms_requests(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    assert [x.id for x in session.scalars(requests.visible(world.actor("officer")))] == [r.id]
    assert session.scalars(requests.visible(world.actor("officer_c"))).all() == []


def test_every_change_is_audited_as_its_actor(session: Session, world: World) -> None:
    r = _file(session, world, date(2025, 1, 24))
    requests.accept(session, world.actor("gxj"), r.id, date(2025, 1, 27))
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "service_requests", AuditEntry.entity_key == str(r.id))
    ).all()
    assert [(e.action, e.actor) for e in entries] == [("create", "svc-firm-a"), ("update", "svc-gxj")]
    assert entries[1].changes["status"] == {"old": "pending", "new": "handling"}


def _calendar(session: Session):  # type: ignore[no-untyped-def]
    from zhizao.reference import workdays

    return workdays.load(session)
