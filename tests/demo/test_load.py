from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.demo.conftest import QINGDAO
from zhizao.audit.models import AppMeta, AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.auth.users import authenticate
from zhizao.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from zhizao.demo.load import load_demo
from zhizao.demo.names import FICTIONAL_MARK
from zhizao.demo.population import DemoSpec, generate
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import Forbidden, InvalidInput


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_load_demo_writes_population(session: Session, system: Actor, small_spec: DemoSpec) -> None:
    expected_figures = sum(chunk.figure_count for chunk in generate(small_spec))
    progress: list[int] = []
    result = load_demo(
        session, system, small_spec, force=True, progress=lambda done, _total: progress.append(done)
    )
    assert result.enterprises == _count(session, Enterprise) == 300
    assert result.figures == _count(session, EnterpriseFigure) == expected_figures
    assert progress == [128, 256, 300]
    assert session.get(AppMeta, "dataset").value == "synthetic-demo"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "demo_load")).all()
    assert len(audit) == 1
    assert audit[0].changes["enterprises"] == 300
    names = session.scalars(select(Enterprise.name)).all()
    assert all(name.endswith(FICTIONAL_MARK) for name in names)
    sources = set(session.scalars(select(EnterpriseFigure.source).distinct()))
    assert sources == {"synthetic-demo"}


def test_load_demo_matches_generated_rows(session: Session, system: Actor, small_spec: DemoSpec) -> None:
    load_demo(session, system, small_spec, force=True, accounts=False)
    first = next(generate(small_spec)).enterprise_rows()[0]
    stored = session.scalar(select(Enterprise).where(Enterprise.credit_code == first["credit_code"]))
    assert stored is not None
    assert (stored.name, stored.region_code, stored.industry_code) == (
        first["name"],
        first["region_code"],
        first["industry_code"],
    )
    assert stored.established_on == first["established_on"]
    assert stored.tags == first["tags"]


def test_load_demo_accounts_can_log_in(session: Session, system: Actor, small_spec: DemoSpec) -> None:
    result = load_demo(session, system, small_spec, force=True)
    usernames = ["admin", "analyst", "quxian", "gongxin", "fagai"]
    assert [a.account.username for a in result.accounts] == usernames
    assert all(a.created for a in result.accounts)
    for username in usernames:
        assert authenticate(session, username, DEMO_PASSWORD).username == username
    quxian = authenticate(session, "quxian", DEMO_PASSWORD)
    assert (quxian.role, quxian.region_code) == (Role.DISTRICT.value, "370211")
    gongxin = authenticate(session, "gongxin", DEMO_PASSWORD)
    assert gongxin.role == Role.DEPARTMENT.value and gongxin.unit_id is not None
    assert [a.detail for a in result.accounts][3:] == ["市工业和信息化局", "市发展改革委"]


def test_load_demo_twice_replaces(session: Session, system: Actor, small_spec: DemoSpec) -> None:
    load_demo(session, system, small_spec, force=True)
    smaller = DemoSpec(size=120, region_code=QINGDAO, seed=3, current_year=2026, through_month=2)
    result = load_demo(session, system, smaller)
    assert result.removed == 300
    assert _count(session, Enterprise) == 120
    assert result.figures == _count(session, EnterpriseFigure)
    assert not any(a.created for a in result.accounts)  # the accounts are kept, not duplicated
    assert authenticate(session, "admin", DEMO_PASSWORD).username == "admin"


def test_load_demo_refuses_real_enterprises_without_force(
    session: Session, system: Actor, small_spec: DemoSpec
) -> None:
    load_demo(session, system, small_spec, force=True, accounts=False)
    add_enterprise(session, name="真实制造有限公司")
    with pytest.raises(InvalidInput, match="--force"):
        load_demo(session, system, small_spec, accounts=False)
    assert _count(session, Enterprise) == 301
    result = load_demo(session, system, small_spec, force=True, accounts=False)
    assert result.removed == 301
    assert _count(session, Enterprise) == 300


def test_load_demo_refused_for_non_admin(session: Session, small_spec: DemoSpec) -> None:
    analyst = Actor(username="someone", role=Role.ANALYST)
    with pytest.raises(Forbidden):
        load_demo(session, analyst, small_spec, force=True)


def test_create_demo_accounts_refused_outside_demo_mode(session: Session, system: Actor) -> None:
    session.execute(AppMeta.__table__.delete().where(AppMeta.key == "dataset"))
    with pytest.raises(Forbidden, match="演示模式"):
        create_demo_accounts(session, system, QINGDAO)
