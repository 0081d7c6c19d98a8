from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.audit.log import acting_as
from zhizao.audit.models import AuditEntry


def _entries(session: Session, entity: str, key: str) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_key == key)
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_audit_records_create_update_delete_with_actor(session: Session) -> None:
    with acting_as("huangdao"):
        enterprise = add_enterprise(session, name="甲公司")
        key = str(enterprise.id)
        enterprise.name = "乙公司"
        session.flush()
        session.delete(enterprise)
        session.flush()
    entries = _entries(session, "enterprises", key)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.actor for e in entries} == {"huangdao"}
    assert entries[1].changes == {"name": {"old": "甲公司", "new": "乙公司"}}
    assert entries[0].changes["credit_code"] == enterprise.credit_code


def test_audit_entries_roll_back_with_the_change(session: Session) -> None:
    savepoint = session.begin_nested()
    enterprise = add_enterprise(session)
    key = str(enterprise.id)
    savepoint.rollback()
    assert _entries(session, "enterprises", key) == []


def test_audit_attributes_session_changes_to_its_user(session: Session) -> None:
    from zhizao.audit.log import attribute_session

    attribute_session(session, "gongxin")
    enterprise = add_enterprise(session, name="丙公司")
    with acting_as("admin"):
        enterprise.name = "丁公司"
        session.flush()
    entries = _entries(session, "enterprises", str(enterprise.id))
    assert [(e.action, e.actor) for e in entries] == [("create", "gongxin"), ("update", "admin")]
