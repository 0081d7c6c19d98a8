"""Declared data (form from the unknowns, review, scope) and pools / 免申即享 from a stored run."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cultivation.declarations import declaration_form, declare, get_declaration, pending, review
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.cultivation.pools import benefit_list, candidate_pool, pool_size
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import evaluate_database, store_run
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.tracking.attachments import check_file

AS_OF = date(2026, 6, 30)
PDF = b"%PDF-1.4 evidence"


def test_form_asks_only_the_unknown_declared_criteria(session: Session) -> None:
    firm = add_enterprise(
        session, figures={2025: {"revenue": 3000.0, "rd_expense": 150.0, "employees": 80.0}}
    )
    me = Actor("e", Role.ENTERPRISE, enterprise_id=firm.id)
    fields = declaration_form(session, me, firm.id, [load_programme("zhuanjingtexin-2026")], AS_OF)
    keys = {f.key for f in fields}
    assert {"debt_ratio", "main_revenue_share", "market_years", "zjtx_score"} <= keys
    assert "revenue" not in keys  # held data is never asked


def test_declared_value_reaches_the_engine_only_when_accepted(session: Session) -> None:
    firm = add_enterprise(session, region_code="370211")
    me = Actor("e", Role.ENTERPRISE, enterprise_id=firm.id)
    reviewer = Actor("d", Role.DISTRICT, region_code="370211")
    programme = load_programme("zhuanjingtexin-2026")

    def debt_state() -> str:
        outcome = evaluate_database(session, Actor.system(), [programme], AS_OF, only=[firm.id])[0]
        return next(c["status"] for c in outcome.criteria if c["id"] == "debt_ratio")

    item = declare(session, me, firm.id, "debt_ratio", 80.0, 2025, check_file("审计报告.pdf", PDF))
    assert item.evidence and debt_state() == "unknown"
    assert [p.id for p in pending(session, reviewer)] == [item.id]
    review(session, reviewer, item.id, accept=True)
    assert debt_state() == "met"  # 80 % exactly
    with pytest.raises(InvalidInput):
        review(session, reviewer, item.id, accept=False, note="重复审核")


def test_reject_needs_a_reason_and_enterprises_cannot_review(session: Session) -> None:
    firm = add_enterprise(session, region_code="370211")
    me = Actor("e", Role.ENTERPRISE, enterprise_id=firm.id)
    item = declare(session, me, firm.id, "market_years", 5, 2025)
    with pytest.raises(Forbidden):
        review(session, me, item.id, accept=True)
    with pytest.raises(InvalidInput):
        review(session, Actor.system(), item.id, accept=False)
    assert review(session, Actor.system(), item.id, accept=False, note="证明材料不足").status == "rejected"


def test_another_enterprises_declaration_is_not_found(session: Session) -> None:
    mine = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370202")
    item = declare(
        session, Actor("o", Role.ENTERPRISE, enterprise_id=other.id), other.id, "debt_ratio", 40, 2025
    )
    with pytest.raises(NotFound):
        get_declaration(session, Actor("e", Role.ENTERPRISE, enterprise_id=mine.id), item.id)
    with pytest.raises(NotFound):
        review(session, Actor("d", Role.DISTRICT, region_code="370211"), item.id, accept=True)
    with pytest.raises(NotFound):
        declare(session, Actor("e", Role.ENTERPRISE, enterprise_id=mine.id), other.id, "debt_ratio", 1, 2025)


def test_xiaoshenggui_pool_is_ceil_of_1_2_times_target(session: Session) -> None:
    assert pool_size("xiaoshenggui", 300) == 360
    assert pool_size("xiaoshenggui", 7) == 9
    firms = [
        add_enterprise(session, above_scale=False, figures={2025: {"revenue": 1000.0 + 100 * i}})
        for i in range(5)
    ]
    programme = load_programme("xiaoshenggui")
    ids = [f.id for f in firms]
    run = store_run(
        session,
        Actor.system(),
        [programme],
        AS_OF,
        evaluate_database(session, Actor.system(), [programme], AS_OF, only=ids),
    )
    pool = candidate_pool(session, Actor.system(), run.id, "xiaoshenggui", annual_target=3)
    assert pool.size == 4
    assert [r.enterprise_id for r in pool.candidates] == [firms[4].id, firms[3].id, firms[2].id, firms[1].id]
    assert sum(pool.by_region.values()) == 4


def test_benefit_list_never_holds_a_firm_with_an_unknown_criterion(session: Session) -> None:
    held = add_enterprise(session, figures={2025: {"revenue": 3000.0}})
    partly = add_enterprise(session, figures={2025: {"employees": 10.0}})
    programme = load_programme("above-scale")
    sme = load_programme("sme")
    run = store_run(
        session,
        Actor.system(),
        [programme, sme],
        AS_OF,
        evaluate_database(session, Actor.system(), [programme, sme], AS_OF),
    )
    listed = benefit_list(session, Actor.system(), run.id, "above-scale")
    assert held.id in {x["enterprise_id"] for x in listed}
    assert all(e["status"] in ("met", "not_met") for x in listed for e in x["evidence"])
    micro = {x["enterprise_id"] for x in benefit_list(session, Actor.system(), run.id, "sme")}
    assert partly.id in micro  # 10 employees: 微型 whatever the revenue


def test_benefit_list_leaves_out_eligible_firms_with_open_criteria(session: Session) -> None:
    firm = add_enterprise(session, figures={2025: {"revenue": 800.0, "employees": 50.0}})
    session.add(
        EnterpriseTitle(
            enterprise_id=firm.id,
            title="gaoqi",
            year=2024,
            valid_from=date(2024, 1, 1),
            valid_to=date(2026, 12, 31),
        )
    )
    session.flush()
    programme = load_programme("chuangxinxing-2022")
    outcomes = evaluate_database(session, Actor.system(), [programme], AS_OF, only=[firm.id])
    assert outcomes[0].status == "eligible"  # by the 高企 direct condition, with the score still open
    run = store_run(session, Actor.system(), [programme], AS_OF, outcomes)
    assert benefit_list(session, Actor.system(), run.id, "chuangxinxing-2022") == []


def test_benefit_publish_confirm_and_payment_export(session: Session) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from zhizao.cultivation.benefits import answer_benefit, benefits_for, payment_xlsx, publish_benefit

    firm = add_enterprise(session, region_code="370211", figures={2025: {"revenue": 3000.0}})
    other = add_enterprise(session, region_code="370202", figures={2025: {"revenue": 2500.0}})
    open_firm = add_enterprise(session, region_code="370211")  # revenue missing: never listed
    programme = load_programme("above-scale")
    ids = [firm.id, other.id, open_firm.id]
    outcomes = evaluate_database(session, Actor.system(), [programme], AS_OF, only=ids)
    run = store_run(session, Actor.system(), [programme], AS_OF, outcomes)
    with pytest.raises(Forbidden):
        publish_benefit(
            session, Actor("d", Role.DISTRICT, region_code="370211"), run.id, "above-scale", "x", 1, ""
        )
    listed = publish_benefit(session, Actor.system(), run.id, "above-scale", "小升规奖励", 20.0, "第十条")
    assert {e.enterprise_id for e in listed} == {firm.id, other.id}
    assert publish_benefit(session, Actor.system(), run.id, "above-scale", "小升规奖励", 20.0, "第十条") == []
    mine = Actor("e", Role.ENTERPRISE, enterprise_id=firm.id)
    own = benefits_for(session, mine)
    assert [e.enterprise_id for e in own] == [firm.id] and own[0].evidence
    theirs = next(e for e in listed if e.enterprise_id == other.id)
    with pytest.raises(NotFound):
        answer_benefit(session, mine, theirs.id, confirm=True)
    assert answer_benefit(session, mine, own[0].id, confirm=True).status == "confirmed"
    sheet = load_workbook(BytesIO(payment_xlsx(session, Actor.system(), "小升规奖励"))).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert firm.credit_code in values and other.credit_code not in values
