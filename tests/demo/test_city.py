from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.demo.conftest import QINGDAO
from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.auth.users import authenticate
from zhizao.demo.accounts import DEMO_PASSWORD
from zhizao.demo.city import load_demo_city
from zhizao.demo.population import DemoSpec
from zhizao.enterprises.models import Enterprise
from zhizao.tracking.models import ProgressReport

TODAY = date(2026, 3, 1)


def _first_huangdao_firm(session: Session) -> int | None:
    query = select(Enterprise.id).where(Enterprise.region_code == "370211").order_by(Enterprise.id)
    return session.scalar(query.limit(1))


def _visible(session: Session, actor: Actor) -> list[int]:
    clause = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    return list(session.scalars(select(Enterprise.id).where(clause)))


def test_load_demo_city_enterprise_account_sees_only_its_firm(
    session: Session, system: Actor, small_spec: DemoSpec
) -> None:
    city = load_demo_city(session, system, small_spec, force=True, today=TODAY)
    qiye = next(a for a in city.registry.accounts if a.account.username == "qiye")
    assert qiye.created and qiye.detail.endswith("（虚构）")
    user = authenticate(session, "qiye", DEMO_PASSWORD)
    assert user.role == Role.ENTERPRISE.value
    assert _visible(session, Actor.from_user(user)) == [_first_huangdao_firm(session)]
    assert city.activity.synthetic_series > 0 and city.activity.reports > 0


def test_load_demo_city_twice_relinks_and_does_not_duplicate(
    session: Session, system: Actor, small_spec: DemoSpec
) -> None:
    load_demo_city(session, system, small_spec, force=True, today=TODAY)
    reports = session.scalar(select(func.count()).select_from(ProgressReport))
    smaller = DemoSpec(size=120, region_code=QINGDAO, seed=3, current_year=2026, through_month=2)
    again = load_demo_city(session, system, smaller, today=TODAY)
    assert not any(a.created for a in again.registry.accounts)
    user = session.scalar(select(User).where(User.username == "qiye"))
    assert user is not None and user.enterprise_id == _first_huangdao_firm(session)
    assert session.scalar(select(func.count()).select_from(ProgressReport)) == reports
    assert again.activity.reports == reports


def test_load_demo_city_stores_an_evaluation_run(
    session: Session, system: Actor, small_spec: DemoSpec
) -> None:
    from zhizao.evaluation.models import EvaluationRun

    city = load_demo_city(session, system, small_spec, force=True, today=TODAY)
    run = session.get(EvaluationRun, city.evaluation_run_id)
    assert run is not None and run.method_id == "huaian-2024" and run.rows > 0


def test_load_demo_city_registry_only_skips_plans(
    session: Session, system: Actor, small_spec: DemoSpec
) -> None:
    from zhizao.plans.models import Plan

    city = load_demo_city(session, system, small_spec, force=True, today=TODAY, registry_only=True)
    assert city.registry.enterprises == small_spec.size
    assert city.plans == 0 and city.evaluation_run_id is None
    assert session.scalar(select(func.count()).select_from(Plan)) == 0
