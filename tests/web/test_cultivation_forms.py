"""企业培育 forms on the web: the enterprise's declaration form (only its unknown criteria, evidence upload),
the reviewers' queue (scope, accept/reject with reason, effect on the next run), 免申即享 (publish, 意愿确认,
payment export) and a plan target linked to a programme."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import add_user, csrf_from, login
from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.config import Settings
from zhizao.cultivation.declarations import declare
from zhizao.cultivation.models import BenefitEntry, Declaration, EnterpriseTitle
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import evaluate_database, store_run
from zhizao.enterprises.models import Enterprise
from zhizao.plans.models import Plan, PlanTarget

PDF = b"%PDF-1.4 evidence"
PROGRAMME = "zhuanjingtexin-2026"


@pytest.fixture
def uploads(app: FastAPI, tmp_path: Path) -> Path:
    app.state.settings = Settings(secret_key="test-secret-key", upload_dir=tmp_path)
    return tmp_path


def _as(client: TestClient, session: Session, name: str, role: str, **options: object) -> str:
    """Log in as a new user; the CSRF token of the session."""
    add_user(session, name, role, **options)
    client.cookies.clear()  # log out whoever was logged in
    assert login(client, name).status_code == 303
    return csrf_from(client, "/account/password")


def _debt_state(session: Session, firm: Enterprise) -> str:
    outcome = evaluate_database(
        session, Actor.system(), [load_programme(PROGRAMME)], date(2026, 6, 30), only=[firm.id]
    )[0]
    return next(c["status"] for c in outcome.criteria if c["id"] == "debt_ratio")


def test_declare_form_asks_only_unknown_criteria_and_stores_evidence(
    client: TestClient, session: Session, uploads: Path
) -> None:
    firm = add_enterprise(session, figures={2025: {"revenue": 3000.0, "employees": 80.0}})
    token = _as(client, session, "firm", "enterprise", enterprise_id=firm.id)
    page = client.get("/cultivation/mine/declare")
    assert page.status_code == 200
    assert 'name="value__debt_ratio"' in page.text and 'name="value__revenue"' not in page.text
    response = client.post(
        "/cultivation/mine/declare",
        data={"value__debt_ratio": "55", "value__market_years": "", "csrf_token": token},
        files={"evidence__debt_ratio": ("审计报告.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 303
    stored = session.scalars(select(Declaration).where(Declaration.enterprise_id == firm.id)).all()
    assert [(d.key, d.value, d.status, d.declared_by) for d in stored] == [
        ("debt_ratio", 55.0, "pending", "firm")
    ]
    assert (uploads / "reports" / stored[0].evidence).read_bytes() == PDF
    assert client.get(f"/cultivation/declarations/{stored[0].id}/evidence").content == PDF
    assert "待审核" in client.get("/cultivation/mine/declare").text
    assert session.scalar(select(AuditEntry).where(AuditEntry.entity == "cultivation_declarations"))


def test_declare_refuses_a_key_not_on_the_form_and_writes_nothing(
    client: TestClient, session: Session, uploads: Path
) -> None:
    firm = add_enterprise(session, figures={2025: {"revenue": 3000.0}})
    token = _as(client, session, "firm", "enterprise", enterprise_id=firm.id)
    response = client.post(
        "/cultivation/mine/declare",
        data={"value__debt_ratio": "50", "value__revenue": "99999", "csrf_token": token},
    )
    assert response.status_code == 400
    bad_number = client.post(
        "/cultivation/mine/declare", data={"value__debt_ratio": "多", "csrf_token": token}
    )
    assert bad_number.status_code == 400
    assert session.scalars(select(Declaration)).all() == []


def test_enterprise_cannot_see_or_review_another_firms_declaration(
    client: TestClient, session: Session, uploads: Path
) -> None:
    mine = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370202")
    theirs = declare(session, Actor.system(), other.id, "debt_ratio", 40, 2025, None, uploads)
    token = _as(client, session, "firm", "enterprise", enterprise_id=mine.id)
    assert client.get(f"/cultivation/declarations/{theirs.id}/evidence").status_code == 404
    review = client.post(
        f"/cultivation/declarations/{theirs.id}/review", data={"decision": "accept", "csrf_token": token}
    )
    assert review.status_code == 403
    assert client.get("/cultivation/declarations").status_code == 403
    assert session.get(Declaration, theirs.id).status == "pending"  # type: ignore[union-attr]


def test_district_reviewer_sees_and_reviews_only_its_firms(
    client: TestClient, session: Session, uploads: Path
) -> None:
    mine = add_enterprise(session, name="本区申报企业", region_code="370211")
    other = add_enterprise(session, name="外区申报企业", region_code="370202")
    own_item = declare(session, Actor.system(), mine.id, "debt_ratio", 40, 2025, None, uploads)
    their_item = declare(session, Actor.system(), other.id, "debt_ratio", 40, 2025, None, uploads)
    token = _as(client, session, "reviewer", "district", region_code="370211")
    queue = client.get("/cultivation/declarations")
    assert "本区申报企业" in queue.text and "外区申报企业" not in queue.text
    refused = client.post(
        f"/cultivation/declarations/{their_item.id}/review", data={"decision": "accept", "csrf_token": token}
    )
    assert refused.status_code == 404
    accepted = client.post(
        f"/cultivation/declarations/{own_item.id}/review", data={"decision": "accept", "csrf_token": token}
    )
    assert accepted.status_code == 303
    session.refresh(own_item)
    assert own_item.status == "accepted" and own_item.reviewer == "reviewer" and own_item.reviewed_at


def test_rejected_value_is_not_used_and_accepted_value_changes_the_next_run(
    client: TestClient, session: Session, uploads: Path
) -> None:
    firm = add_enterprise(session, region_code="370211")
    token = _as(client, session, "firm", "enterprise", enterprise_id=firm.id)
    client.post("/cultivation/mine/declare", data={"value__debt_ratio": "60", "csrf_token": token})
    first = session.scalar(select(Declaration).where(Declaration.enterprise_id == firm.id))
    assert first is not None
    token = _as(client, session, "reviewer", "district", region_code="370211")
    url = f"/cultivation/declarations/{first.id}/review"
    assert client.post(url, data={"decision": "reject", "csrf_token": token}).status_code == 400  # no reason
    no = client.post(url, data={"decision": "reject", "note": "无审计报告", "csrf_token": token})
    assert no.status_code == 303
    assert _debt_state(session, firm) == "unknown"  # the rejected value is not read

    token = _as(client, session, "firm2", "enterprise", enterprise_id=firm.id)
    history = client.get("/cultivation/mine/declare").text
    assert "已退回" in history and "无审计报告" in history
    client.post("/cultivation/mine/declare", data={"value__debt_ratio": "60", "csrf_token": token})
    second = session.scalar(
        select(Declaration).where(Declaration.enterprise_id == firm.id, Declaration.status == "pending")
    )
    assert second is not None
    token = _as(client, session, "reviewer2", "district", region_code="370211")
    yes = client.post(
        f"/cultivation/declarations/{second.id}/review", data={"decision": "accept", "csrf_token": token}
    )
    assert yes.status_code == 303
    assert _debt_state(session, firm) == "met"  # 60 % ≤ 70 %: read on the next run, source 企业申报
    reviews = session.scalars(select(AuditEntry).where(AuditEntry.action == "review")).all()
    assert len(reviews) == 2


def test_benefit_published_confirmed_and_exported_for_payment(
    client: TestClient, session: Session, uploads: Path
) -> None:
    held = add_enterprise(
        session, name="数据齐全企业", region_code="370211", figures={2025: {"revenue": 3000.0}}
    )
    declined = add_enterprise(
        session, name="放弃企业", region_code="370211", figures={2025: {"revenue": 2600.0}}
    )
    missing = add_enterprise(session, name="缺数企业", region_code="370211")  # revenue unknown
    programme = load_programme("above-scale")
    ids = [held.id, declined.id, missing.id]
    outcomes = evaluate_database(session, Actor.system(), [programme], date(2026, 6, 30), only=ids)
    store_run(session, Actor.system(), [programme], date(2026, 6, 30), outcomes)

    token = _as(client, session, "boss", "admin")
    preview = client.get("/cultivation/benefits", params={"programme": "above-scale"}).text
    table = preview[preview.index('id="benefit-preview"') :]
    assert "数据齐全企业" in table and "放弃企业" in table and "缺数企业" not in table
    assert "企业数据" in table  # each firm's evidence snapshot names its source
    published = client.post(
        "/cultivation/benefits",
        data={
            "programme": "above-scale",
            "benefit": "规上奖励",
            "amount": "20",
            "clause": "第十条",
            "csrf_token": token,
        },
    )
    assert published.status_code == 303
    listed = {e.enterprise_id for e in session.scalars(select(BenefitEntry))}
    assert listed == {held.id, declined.id} and missing.id not in listed
    assert "规上奖励" in client.get("/cultivation/benefits").text

    for firm, decision in ((held, "confirm"), (declined, "decline")):
        token = _as(client, session, f"firm{firm.id}", "enterprise", enterprise_id=firm.id)
        own = client.get("/cultivation/mine")
        assert "规上奖励" in own.text and "确认享受" in own.text
        entry = session.scalar(select(BenefitEntry).where(BenefitEntry.enterprise_id == firm.id))
        assert entry is not None
        answered = client.post(
            f"/cultivation/mine/benefits/{entry.id}", data={"decision": decision, "csrf_token": token}
        )
        assert answered.status_code == 303

    _as(client, session, "boss2", "admin")
    entries = client.get("/cultivation/benefits", params={"benefit": "规上奖励"}).text
    assert "已确认" in entries and "已放弃" in entries
    export = client.get("/cultivation/benefits/export.xlsx", params={"benefit": "规上奖励"})
    assert export.status_code == 200
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    assert list(header) == ["序号", "企业名称", "统一社会信用代码", "政策", "金额(万元)", "条款", "确认时间"]
    body = [r for r in rows[rows.index(header) + 1 :] if r and isinstance(r[0], int)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in body] == [
        ("数据齐全企业", held.credit_code, "规上奖励", 20, "第十条")
    ]
    assert body[0][6]


def test_programme_page_links_a_target_and_counts_newly_recognised_firms(
    client: TestClient, session: Session
) -> None:
    year = date.today().year
    plan = Plan(title="培育行动方案", year=year, region_code="370200", status="confirmed")
    plan.targets.append(
        PlanTarget(
            position=0, indicator="新增专精特新中小企业", measure="increase", value=4, unit="家",
            qualifier="at_least", target_year=year, text="新增专精特新中小企业4家", review_status="accepted",
        )
    )  # fmt: skip
    session.add(plan)
    firms = [add_enterprise(session, region_code="370211") for _ in range(3)]
    for firm, years in zip(firms, ((year,), (year,), (year - 3, year)), strict=True):
        for listed in years:  # the third firm is renewed (复核) this year: not newly recognised
            session.add(
                EnterpriseTitle(
                    enterprise_id=firm.id, title="zhuanjingtexin", year=listed,
                    valid_from=date(listed, 1, 1), valid_to=date(listed + 2, 12, 31),
                )
            )  # fmt: skip
    session.flush()
    token = _as(client, session, "analyst", "analyst")
    page = client.get(f"/cultivation/programmes/{PROGRAMME}")
    assert "新增专精特新中小企业4家" in page.text  # offered for linking
    linked = client.post(
        f"/cultivation/programmes/{PROGRAMME}/targets",
        data={"target_id": str(plan.targets[0].id), "csrf_token": token},
    )
    assert linked.status_code == 303
    targets = client.get(f"/cultivation/programmes/{PROGRAMME}").text
    table = targets[targets.index('id="cultivation-targets"') :]
    assert "50.0%" in table  # 2 of 4 newly recognised
    assert "zhuanjingtexin-2022" not in table
    untitled = client.post(
        "/cultivation/programmes/xiaoshenggui/targets",
        data={"target_id": str(plan.targets[0].id), "csrf_token": token},
    )
    assert untitled.status_code == 400
