"""Correcting one figure by hand: scope, history and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput, NotFound
from zhizao.imports.history import figure_history


def _value(session: Session, enterprise_id: int, indicator_id: str) -> float | None:
    return session.scalar(
        select(EnterpriseFigure.value).where(
            EnterpriseFigure.enterprise_id == enterprise_id, EnterpriseFigure.indicator_id == indicator_id
        )
    )


def test_correct_figure_records_history_and_audit(session: Session) -> None:
    enterprise = add_enterprise(session, region_code="370211", figures={2024: {"tax": 10.0}})
    officer = Actor("huangdao", Role.DISTRICT, region_code="370211")
    old = correct_figure(session, officer, enterprise.id, "tax", 2024, 11.5, "税务局更正")
    assert old == 10.0
    assert _value(session, enterprise.id, "tax") == 11.5
    [entry] = figure_history(session, officer, enterprise.id)
    assert (entry.reason, entry.actor, entry.old_value, entry.new_value, entry.note) == (
        "manual",
        "huangdao",
        10.0,
        11.5,
        "税务局更正",
    )
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "correct")).all()
    assert audit[-1].changes["value"] == {"old": 10.0, "new": 11.5}


def test_correct_figure_other_district_is_not_found(session: Session) -> None:
    enterprise = add_enterprise(session, region_code="370212")
    officer = Actor("huangdao", Role.DISTRICT, region_code="370211")
    with pytest.raises(NotFound):
        correct_figure(session, officer, enterprise.id, "tax", 2024, 1.0, "x")


def test_correct_figure_rejects_negative_land_and_missing_note(session: Session, system: Actor) -> None:
    enterprise = add_enterprise(session)
    with pytest.raises(InvalidInput, match="负数"):
        correct_figure(session, system, enterprise.id, "land_mu", 2024, -1.0, "原因")
    with pytest.raises(InvalidInput, match="原因"):
        correct_figure(session, system, enterprise.id, "land_mu", 2024, 1.0, " ")


def test_correct_figure_none_removes_the_value(session: Session, system: Actor) -> None:
    enterprise = add_enterprise(session, figures={2024: {"profit": -3.0}})
    correct_figure(session, system, enterprise.id, "profit", 2024, None, "误报")
    assert _value(session, enterprise.id, "profit") is None
