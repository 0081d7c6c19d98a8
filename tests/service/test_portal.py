"""The enterprise's own portal: its profile and figures, its 帮包 officer's contact, its 诉求 with the working
days left, filing one, the 政策清单 matched to its industry and size, and nothing of another firm."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.evaluation.city import add_city
from tests.service.conftest import World
from tests.web.conftest import csrf_from, login
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import NotFound
from zhizao.evaluation.runs import run_and_store
from zhizao.plans.models import Plan, PlanTarget, PlanTask
from zhizao.service import assignments, portal, requests


def _as(client: TestClient, username: str) -> TestClient:
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return client


def _plan(session: Session, region: str = "370200", status: str = "confirmed") -> None:
    plan = Plan(title="制造业高质量发展行动", year=2025, region_code=region, status=status)
    for position, text in enumerate(
        ["支持金属制品企业技术改造", "推动规上工业企业数字化转型", "发展生物医药"]
    ):
        plan.tasks.append(PlanTask(position=position, number=str(position + 1), title=None, text=text))
    plan.targets.append(
        PlanTarget(
            position=0, indicator="金属制品业产值", measure="level", value=100, text="金属制品业产值达100亿元"
        )
    )
    session.add(plan)
    session.flush()


def test_portal_gathers_profile_officer_requests_and_policies(session: Session, world: World) -> None:
    session.add(
        EnterpriseFigure(enterprise_id=world.firm_a.id, indicator_id="tax", year=2024, month=0, value=321.5)
    )
    assignments.assign(
        session,
        world.actor("officer"),
        enterprise_id=world.firm_a.id,
        officer_id=world.users["officer"].id,
        level="district",
        valid_from=date(2025, 1, 1),
        contact="0532-12345678",
    )
    filed = requests.file(
        session,
        world.actor("firm_a"),
        enterprise_id=world.firm_a.id,
        category_id=world.categories["03"].id,
        title="咨询技改补贴",
        on=date(2025, 3, 3),
    )
    _plan(session)
    _plan(session, region="370212")  # another district's plan: not for firm_a
    _plan(session, status="review")  # not confirmed
    page = portal.build(session, world.actor("firm_a"), date(2025, 3, 4))
    assert page.enterprise.id == world.firm_a.id
    assert page.officer is not None and page.officer.contact == "0532-12345678"
    assert [r.request.id for r in page.requests] == [filed.id]
    assert page.requests[0].clock.days_left == 2
    assert [(p.kind, p.text) for p in page.policies] == [
        ("task", "支持金属制品企业技术改造"),
        ("task", "推动规上工业企业数字化转型"),
        ("target", "金属制品业产值达100亿元"),
    ]
    assert page.policies[1].why == "面向规模以上工业企业"
    assert page.evaluation is None and page.programmes == []


def test_portal_only_for_enterprise_accounts(session: Session, world: World) -> None:
    for who in ("admin", "officer", "gxj"):
        with pytest.raises(NotFound):
            portal.build(session, world.actor(who), date(2025, 3, 4))


def test_portal_page_shows_own_firm_and_files_a_request(client: TestClient, world: World) -> None:
    _as(client, "svc-firm-a")
    page = client.get("/portal")
    assert page.status_code == 200
    assert (
        "甲制造有限公司" in page.text and "政策清单" in page.text and "/cultivation/mine/declare" in page.text
    )
    assert 'name="viewport"' in page.text
    token = csrf_from(client, "/portal")
    filed = client.post(
        "/service/requests",
        data={"category_id": world.categories["03"].id, "title": "门户提交的诉求", "csrf_token": token},
    )
    assert filed.status_code == 303
    request_id = int(filed.headers["location"].rsplit("/", 1)[1])
    assert "门户提交的诉求" in client.get("/portal").text
    _as(client, "svc-firm-b")
    other = client.get("/portal").text
    assert "门户提交的诉求" not in other and "甲制造有限公司" not in other
    assert client.get(f"/service/requests/{request_id}").status_code == 404
    assert client.get(f"/enterprises/{world.firm_a.id}").status_code == 404
    assert client.get(f"/api/v1/enterprises/{world.firm_a.id}").status_code == 404


def test_portal_page_not_for_staff(client: TestClient, world: World) -> None:
    _as(client, "svc-admin")
    assert client.get("/portal").status_code == 404


def test_portal_shows_the_evaluation_class_and_why(
    session: Session, world: World, client: TestClient
) -> None:

    city = add_city(session, "评价企业")
    create_user(
        session, Actor.system(), "svc-city-firm", "correct-horse-9", "enterprise", enterprise_id=city[3].id
    )
    run = run_and_store(session, Actor.system(), "huaian-2024", 2024)
    session.flush()
    own = Actor.from_user(session.scalars(select(User).where(User.username == "svc-city-firm")).one())
    page = portal.build(session, own, date(2025, 3, 4))
    assert page.evaluation is not None and page.evaluation.run.id == run.id
    assert page.evaluation.result.class_label and page.evaluation.lines
    _as(client, "svc-city-firm")
    shown = client.get("/portal").text
    assert page.evaluation.result.class_label in shown
    assert f"/evaluation/runs/{run.id}/enterprises/{city[3].id}" in shown
    assert client.get(f"/evaluation/runs/{run.id}/enterprises/{city[3].id}").status_code == 200


def test_portal_lists_programmes_with_gaps_and_offers_the_eligible(session: Session, world: World) -> None:
    from tests.conftest import add_enterprise
    from zhizao.cultivation.programme import load_programme
    from zhizao.cultivation.runs import evaluate_database, store_run

    small = add_city(session, "培育企业")[5]  # 规上 already, 650万元 revenue: not eligible, with gaps
    grown = add_enterprise(
        session,
        name="成长制造有限公司",
        above_scale=False,
        figures={2024: {"revenue": 2600.0, "land_mu": 10.0, "tax": 80.0, "energy_tce": 50.0}},
    )
    system = Actor.system()
    programmes = [load_programme("xiaoshenggui"), load_programme("above-scale")]
    on = date(2025, 6, 30)
    store_run(session, system, programmes, on, evaluate_database(session, system, programmes, on))
    for firm, username in ((small, "svc-small-firm"), (grown, "svc-grown-firm")):
        create_user(session, system, username, "correct-horse-9", "enterprise", enterprise_id=firm.id)
    users = {u.username: u for u in session.scalars(select(User).where(User.username.like("svc-%-firm")))}
    page = portal.build(session, Actor.from_user(users["svc-small-firm"]), date(2025, 7, 1))
    assert {p.id for p in page.programmes} == {"xiaoshenggui", "above-scale"}
    assert all(p.status == "not_eligible" and p.gaps for p in page.programmes)
    assert not [p for p in page.policies if p.kind == "programme"]
    page = portal.build(session, Actor.from_user(users["svc-grown-firm"]), date(2025, 7, 1))
    offered = [p for p in page.policies if p.kind == "programme"]
    assert [o.text for o in offered] == ["规模以上工业企业"]
    assert offered[0].why == "符合条件" and offered[0].link == "/cultivation/mine"
