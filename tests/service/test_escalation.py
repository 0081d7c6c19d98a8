"""The escalation ladder: 催办 the working day after expiry, 通报 five working days after the 催办; paused and
transferred 诉求 follow their own clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.service.conftest import World
from zhizao.errors import Forbidden, NotFound
from zhizao.service import escalation, notices, requests
from zhizao.service.models import ServiceRequest


def _filed(session: Session, world: World, on: date) -> ServiceRequest:
    r = requests.file(
        session,
        world.actor("firm_a"),
        enterprise_id=world.firm_a.id,
        category_id=world.categories["03"].id,
        title="咨询",
        on=on,
    )
    requests.accept(session, world.actor("gxj"), r.id, on)
    return r


def test_nothing_overdue_on_due_day(session: Session, world: World) -> None:
    r = _filed(session, world, date(2025, 9, 26))  # due Tue 09-30
    assert escalation.overdue(session, world.actor("admin"), r.complete_due) == []


def test_cuiban_due_next_working_day_after_expiry(session: Session, world: World) -> None:
    r = _filed(session, world, date(2025, 9, 26))
    admin = world.actor("admin")
    # 10-01..10-08 is a holiday: the 催办 falls on Thu 10-09
    [item] = escalation.overdue(session, admin, date(2025, 10, 3))
    assert item.request_id == r.id and item.next_step == "cuiban" and item.next_on == date(2025, 10, 9)
    assert not item.step_due and item.days_overdue == 0
    [item] = escalation.overdue(session, admin, date(2025, 10, 9))
    assert item.step_due and item.days_overdue == 1 and item.next_label == "今日应催办"


def test_escalate_records_cuiban_then_tongbao_after_five_workdays(session: Session, world: World) -> None:
    r = _filed(session, world, date(2025, 9, 26))
    admin = world.actor("admin")
    assert [i.next_step for i in escalation.escalate(session, admin, date(2025, 10, 9))] == ["cuiban"]
    assert escalation.escalate(session, admin, date(2025, 10, 9)) == []  # once only
    [item] = escalation.overdue(session, admin, date(2025, 10, 10))
    # five working days after Thu 10-09: 10-10, Sat 10-11 (调休), 10-13, 10-14, 10-15
    assert item.done == ("cuiban",) and item.next_step == "tongbao" and item.next_on == date(2025, 10, 15)
    assert escalation.escalate(session, admin, date(2025, 10, 14)) == []
    assert [i.next_step for i in escalation.escalate(session, admin, date(2025, 10, 15))] == ["tongbao"]
    [item] = escalation.overdue(session, admin, date(2025, 10, 20))
    assert item.done == ("cuiban", "tongbao") and item.next_step is None and item.next_label == "已通报"
    kinds = [e.kind for e in requests.events(session, admin, r.id)]
    assert kinds[-2:] == ["cuiban", "tongbao"]


def test_paused_and_completed_requests_are_not_escalated(session: Session, world: World) -> None:
    paused = _filed(session, world, date(2025, 9, 26))
    done = _filed(session, world, date(2025, 9, 26))
    gxj = world.actor("gxj")
    requests.pause(session, gxj, paused.id, date(2025, 9, 29), "待企业补充材料")
    requests.complete(session, gxj, done.id, date(2025, 9, 29), "已办结")
    assert escalation.overdue(session, world.actor("admin"), date(2025, 10, 20)) == []


def test_transfer_restarts_ladder(session: Session, world: World) -> None:
    r = _filed(session, world, date(2025, 9, 26))
    admin = world.actor("admin")
    escalation.escalate(session, admin, date(2025, 10, 9))
    requests.transfer(session, admin, r.id, date(2025, 10, 10), world.units["测试发改委"].id)
    assert escalation.overdue(session, admin, date(2025, 10, 14)) == []
    [item] = escalation.overdue(session, admin, date(2025, 10, 16))  # due 10-14 at the new department
    assert item.done == () and item.next_step == "cuiban" and item.department == "测试发改委"


def test_department_sees_only_its_overdue(session: Session, world: World) -> None:
    _filed(session, world, date(2025, 9, 26))
    assert escalation.overdue(session, world.actor("fgw"), date(2025, 10, 20)) == []
    assert len(escalation.overdue(session, world.actor("gxj"), date(2025, 10, 20))) == 1


def test_notice_docx_in_gbt_9704_layout(session: Session, world: World) -> None:
    import io

    from docx import Document
    from docx.shared import Mm

    r = _filed(session, world, date(2025, 9, 26))
    escalation.escalate(session, world.actor("admin"), date(2025, 10, 9))
    result = notices.notice(session, world.actor("admin"), r.id, date(2025, 10, 9), "cuiban")
    doc = Document(io.BytesIO(result.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于督促办理企业诉求的通知" in text and "测试工信局：" in text
    assert "已超期1个工作日" in text and "2025年9月30日" in text
    section = doc.sections[0]
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    with pytest.raises(Forbidden):
        notices.notice(session, world.actor("gxj"), r.id, date(2025, 10, 9), "cuiban")
    with pytest.raises(NotFound):
        notices.notice(session, world.actor("admin"), r.id, date(2025, 9, 30), "cuiban")


def test_first_contact_and_reply_limits_lapse_and_are_reminded_once(session: Session, world: World) -> None:
    admin = world.actor("admin")
    # 政策咨询: contact within 1 working day, reply within 3; filed Fri 2025-09-26 (Sunday 09-28 is a 调休
    # working day, 10-01..10-08 a holiday), so the limits fall on r.contact_due and r.reply_due.
    r = requests.file(
        session,
        world.actor("firm_a"),
        enterprise_id=world.firm_a.id,
        category_id=world.categories["03"].id,
        title="咨询",
        on=date(2025, 9, 26),
    )
    assert escalation.lapses(session, admin, r.contact_due) == []
    [late] = escalation.lapses(session, admin, date(2025, 9, 30))
    assert late.limit == "contact" and late.label == "首次联系超时" and late.due == r.contact_due
    assert not late.reminded
    assert [x.request_id for x in escalation.remind(session, admin, date(2025, 9, 30))] == [r.id]
    assert escalation.remind(session, admin, date(2025, 9, 30)) == []  # once per clock
    [again] = escalation.lapses(session, admin, date(2025, 9, 30))
    assert again.reminded
    # the department sees its own lapse; another department does not
    assert [x.request_id for x in escalation.lapses(session, world.actor("gxj"), date(2025, 9, 30))] == [r.id]
    assert escalation.lapses(session, world.actor("fgw"), date(2025, 9, 30)) == []
    requests.accept(session, world.actor("gxj"), r.id, date(2025, 9, 30))
    [late_reply] = escalation.lapses(session, admin, date(2025, 10, 10))
    assert late_reply.limit == "reply" and late_reply.due == r.reply_due and late_reply.days_late > 0
    requests.reply(session, world.actor("gxj"), r.id, date(2025, 10, 10), "已答复")
    assert escalation.lapses(session, admin, date(2025, 10, 10)) == []
    labels = [e.kind for e in requests.events(session, admin, r.id)]
    assert "remind_contact" in labels and requests.EVENT_LABELS["remind_contact"] == "提醒：首次联系超时"
