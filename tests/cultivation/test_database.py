"""Runs from the database, titles held, 帮包 levels and scope (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cultivation.levels import baobao_level, baobao_levels
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import diff_runs, evaluate_database, results_of, store_run
from zhizao.cultivation.titles import import_titles, ladder, renewal_alerts, validity
from zhizao.enterprises.figures import correct_figure
from zhizao.errors import Forbidden, NotFound

AS_OF = date(2026, 6, 30)


def _list(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "名单.csv"
    path.write_text(
        "序号,统一社会信用代码,企业名称\n" + "".join(f"{i},{c},{n}\n" for i, (c, n) in enumerate(rows, 1)),
        "utf-8",
    )
    return path


def test_import_titles_by_code_and_confirmed_name(session: Session, system: Actor, tmp_path: Path) -> None:
    a = add_enterprise(session, name="甲精密制造有限公司")
    b = add_enterprise(session, name="乙新材料有限公司")
    path = _list(tmp_path, [(a.credit_code, a.name), ("", b.name), ("", "不存在的公司")])
    found = import_titles(session, system, path, "zhuanjingtexin", 2024)
    assert (len(found.by_code), len(found.by_name), len(found.unmatched), found.written) == (1, 1, 1, 1)
    again = import_titles(session, system, path, "zhuanjingtexin", 2024, confirm_names=True)
    assert again.written == 1  # only the name match is new
    rungs = ladder(session, system, a.id, AS_OF)
    assert [(r.title, r.valid_to, r.state) for r in rungs] == [
        ("zhuanjingtexin", date(2026, 12, 31), "valid")
    ]
    assert ladder(session, system, a.id, AS_OF, warn_days=184)[0].state_label == "即将到期，需复核"
    assert ladder(session, system, a.id, date(2027, 1, 1))[0].state == "expired"


def test_validity_is_three_years() -> None:
    assert validity(2025) == (date(2025, 1, 1), date(2027, 12, 31))
    assert validity(2024, date(2024, 2, 29)) == (date(2024, 2, 29), date(2027, 2, 28))


def test_renewal_alerts_before_expiry_in_scope(session: Session, system: Actor, tmp_path: Path) -> None:
    mine = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370202")
    import_titles(
        session, system, _list(tmp_path, [(mine.credit_code, ""), (other.credit_code, "")]), "gaoqi", 2024
    )
    district = Actor("d", Role.DISTRICT, region_code="370211")
    alerts = renewal_alerts(session, district, AS_OF, warn_days=184)
    assert renewal_alerts(session, district, AS_OF, warn_days=183) == []
    assert [(a.enterprise_id, a.days_left) for a in alerts] == [(mine.id, 184)]
    assert renewal_alerts(session, district, date(2026, 1, 1), warn_days=30) == []


def test_import_titles_needs_an_administrator(session: Session, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        import_titles(
            session, Actor("d", Role.DISTRICT, region_code="370211"), _list(tmp_path, []), "gaoqi", 2024
        )


def test_held_title_is_read_by_criteria(session: Session, system: Actor, tmp_path: Path) -> None:
    firm = add_enterprise(session)
    programme = load_programme("xiaojuren-2026")
    before = evaluate_database(session, system, [programme], AS_OF, only=[firm.id])[0]
    assert next(c for c in before.criteria if c["id"] == "zhuanjingtexin_held")["status"] == "not_met"
    import_titles(session, system, _list(tmp_path, [(firm.credit_code, "")]), "zhuanjingtexin", 2025)
    after = evaluate_database(session, system, [programme], AS_OF, only=[firm.id])[0]
    assert next(c for c in after.criteria if c["id"] == "zhuanjingtexin_held")["status"] == "met"


def test_stored_runs_diff_newly_eligible_and_lost(session: Session, system: Actor) -> None:
    grows = add_enterprise(session, above_scale=False, figures={2025: {"revenue": 1900.0}})
    shrinks = add_enterprise(session, above_scale=False, figures={2025: {"revenue": 2100.0}})
    programme = load_programme("above-scale")
    ids = [grows.id, shrinks.id]
    first = store_run(
        session, system, [programme], AS_OF, evaluate_database(session, system, [programme], AS_OF, only=ids)
    )
    correct_figure(session, system, grows.id, "revenue", 2025, 2000.0, "年报更正")
    correct_figure(session, system, shrinks.id, "revenue", 2025, None, "数据待核")
    second = store_run(
        session, system, [programme], AS_OF, evaluate_database(session, system, [programme], AS_OF, only=ids)
    )
    changes = {(c.credit_code, c.kind) for c in diff_runs(session, system, first.id, second.id)}
    assert changes == {(grows.credit_code, "newly_eligible"), (shrinks.credit_code, "newly_at_risk")}
    assert second.counts == {"above-scale": {"eligible": 1, "possible": 1}}


def test_results_and_runs_are_scoped(session: Session, system: Actor) -> None:
    mine = add_enterprise(session, region_code="370211", figures={2025: {"revenue": 3000.0}})
    other = add_enterprise(session, region_code="370202", figures={2025: {"revenue": 3000.0}})
    programme = load_programme("above-scale")
    district = Actor("d", Role.DISTRICT, region_code="370211")
    seen = {
        o.enterprise_id
        for o in evaluate_database(session, district, [programme], AS_OF, only=[mine.id, other.id])
    }
    assert seen == {mine.id}
    run = store_run(
        session,
        system,
        [programme],
        AS_OF,
        evaluate_database(session, system, [programme], AS_OF, only=[mine.id, other.id]),
    )
    assert {r.enterprise_id for r in results_of(session, district, run.id)} == {mine.id}
    firm_account = Actor("e", Role.ENTERPRISE, enterprise_id=other.id)
    assert {r.enterprise_id for r in results_of(session, firm_account, run.id)} == {other.id}
    with pytest.raises(NotFound):
        ladder(session, firm_account, mine.id, AS_OF)


def test_baobao_level_is_a_library_function(session: Session, system: Actor) -> None:
    city = add_enterprise(
        session, figures={2025: {"output_value": 100000.0}, 2026: {"output_value_expected": 150000.0}}
    )
    town = add_enterprise(
        session, figures={2025: {"output_value": 100000.0}, 2026: {"output_value_expected": 105000.0}}
    )
    unknown = add_enterprise(session, figures={2025: {"output_value": 100000.0}})
    assert baobao_level(session, system, city.id, AS_OF) == "市级"
    assert baobao_levels(session, system, AS_OF, [city.id, town.id, unknown.id]) == {
        city.id: "市级",
        town.id: "镇(街道)级",
        unknown.id: None,
    }
    assert baobao_level(session, Actor("e", Role.ENTERPRISE, enterprise_id=town.id), city.id, AS_OF) is None
