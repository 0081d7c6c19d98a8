"""Gaps (缺链 / 弱链, including firms graded C/D in the latest run), 招商 candidates, the yearly diff, totals
by scope, the target link and the 配套 proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from tests.chains.conftest import OURS, ChainWorld, chain_yaml, grade
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.chains import gaps, members, overview, store, supply
from zhizao.chains.definition import parse_definition
from zhizao.errors import Forbidden, InvalidInput
from zhizao.plans.models import Plan, PlanTarget
from zhizao.tracking.models import Observation

DISTRICT = Actor("district-officer", Role.DISTRICT, region_code=OURS)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _gaps(session: Session, actor: Actor, world: ChainWorld) -> dict[str, str]:
    return {g.node.code: g.node.gap for g in gaps.gap_list(session, actor, world.chain.id, 2024)}


def test_detect_missing_and_weak_nodes(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    assert _gaps(session, system, world) == {"materials": "missing", "vehicles": "weak"}
    grade(session, {world.cells_ours: "A", world.cells_theirs: "B"})
    assert _gaps(session, system, world) == {"materials": "missing", "vehicles": "weak"}
    grade(session, {world.cells_ours: "C", world.cells_theirs: "D"})  # the latest run decides
    assert _gaps(session, system, world) == {"materials": "missing", "cells": "weak", "vehicles": "weak"}


def test_totals_follow_scope(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    view = overview.chain_view(session, system, world.chain.id, 2024)
    assert (view.totals.firms, view.totals.above_scale_firms, view.totals.output_value) == (3, 2, 2300.0)
    cells = next(n for n in view.nodes if n.code == "cells")
    assert (cells.firms, cells.output_value, cells.tax) == (2, 1300.0, 60.0)
    local = overview.chain_view(session, DISTRICT, world.chain.id, 2024)
    assert (local.totals.firms, local.totals.output_value) == (2, 2000.0)
    assert [n.gap for n in local.nodes] == ["missing", "weak", "weak"]
    own = overview.chain_view(
        session, Actor("firm", Role.ENTERPRISE, enterprise_id=world.cells_ours.id), world.chain.id
    )
    assert own.totals.firms == 1 and not own.shows_gaps and own.missing == [] and own.target is None
    with pytest.raises(Forbidden):
        gaps.gap_list(
            session, Actor("firm", Role.ENTERPRISE, enterprise_id=world.cells_ours.id), world.chain.id
        )


def test_import_candidates_all_or_nothing(
    session: Session, system: Actor, world: ChainWorld, tmp_path: Path
) -> None:
    header = ["节点代码", "企业名称", "所在地", "状态"]
    bad = _xlsx(
        tmp_path / "bad.xlsx",
        [header, ["materials", "外地材料公司", "外省", "待接洽"], ["nowhere", "某公司", "", "乱填"]],
    )
    with pytest.raises(InvalidInput) as caught:
        gaps.import_candidates(session, system, world.chain, bad)
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, "节点代码"), (3, "状态")}
    assert gaps.candidates(session, system, world.chain.id) == []
    good = _xlsx(
        tmp_path / "good.xlsx", [["状态", "企业名称", "节点"], ["洽谈中", "外地材料公司", "materials"]]
    )
    assert gaps.import_candidates(session, system, world.chain, good).added == 1
    members.assign_by_rule(session, system, world.chain, 2024)
    rows = gaps.gap_list(session, system, world.chain.id, 2024)
    assert rows[0].node.code == "materials" and [c.name for c in rows[0].candidates] == ["外地材料公司"]
    assert rows[0].candidates[0].status == "negotiating"
    gaps.set_candidate_status(session, system, rows[0].candidates[0].id, "已签约")
    assert gaps.candidates(session, system, world.chain.id)[0].status == "signed"


def test_year_diff_gained_and_lost(session: Session, system: Actor, world: ChainWorld) -> None:
    store.load_definition(session, system, parse_definition(chain_yaml(2023)), "")
    members.assign_by_rule(session, system, world.chain, 2023)
    rows = {r.name: r for r in members.member_rows(session, system, world.chain.id, 2023)}
    members.decide(session, system, rows["本区整车厂"].id, "reject")
    members.add_member(session, system, world.chain.id, 2023, "materials", world.unrelated.id)
    members.assign_by_rule(session, system, world.chain, 2024)
    rows = {r.name: r for r in members.member_rows(session, system, world.chain.id, 2024)}
    members.decide(session, system, rows["本区食品厂"].id, "reject")
    members.add_member(session, system, world.chain.id, 2024, "vehicles", world.vehicles_ours.id)
    diff = gaps.year_diff(session, system, world.chain.id, 2024)
    assert [c.code for c in diff.gained] == ["vehicles"] and diff.gained[0].entered == ["本区整车厂"]
    assert [c.code for c in diff.lost] == ["materials"] and diff.lost[0].left == ["本区食品厂"]
    assert diff.changed == [] and diff.previous == 2023


def test_target_tracked_with_chain_total(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    plan = Plan(title="行动计划", year=2024, region_code="370200", status="confirmed")
    plan.targets.append(
        PlanTarget(
            indicator="测试产业链总规模",
            measure="level",
            value=0.5,
            unit="亿元",
            qualifier="at_least",
            target_year=2025,
        )
    )
    session.add(plan)
    session.flush()
    supply.link_target(session, system, world.chain, plan.targets[0].id)
    view = overview.chain_view(session, system, world.chain.id, 2024)
    assert view.target is not None and view.target.actual == pytest.approx(0.23)
    assert view.target.share == pytest.approx(0.46)
    assert supply.track_total(session, system, world.chain, 2024) == pytest.approx(0.23)
    obs = session.query(Observation).filter(Observation.year == 2024, Observation.value == 0.23).one()
    assert obs.region_code == "370200"


def test_supply_rate_proxy(session: Session, system: Actor, world: ChainWorld, tmp_path: Path) -> None:
    header = ["统一社会信用代码", "采购总额(万元)", "本地采购额(万元)"]
    bad = _xlsx(tmp_path / "bad.xlsx", [header, [world.vehicles_ours.credit_code, 100, 120]])
    with pytest.raises(InvalidInput):
        supply.import_survey(session, system, world.chain, 2024, bad)
    good = _xlsx(
        tmp_path / "s.xlsx",
        [header, [world.vehicles_ours.credit_code, 100, 40], [world.cells_theirs.credit_code, 100, 10]],
    )
    supply.import_survey(session, system, world.chain, 2024, good)
    rate = supply.supply_rate(session, system, world.chain.id, 2024)
    assert rate is not None and rate.rate == pytest.approx(0.25) and "代理" in rate.definition
    local = supply.supply_rate(session, DISTRICT, world.chain.id, 2024)
    assert local is not None and local.firms == 1 and local.rate == pytest.approx(0.4)
    assert supply.supply_rate(session, system, world.chain.id, 2023) is None


def test_year_diff_without_earlier_graph(session: Session, system: Actor, world: ChainWorld) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    diff = gaps.year_diff(session, system, world.chain.id, 2024)
    assert not diff.comparable and diff.gained == [] and diff.lost == []
