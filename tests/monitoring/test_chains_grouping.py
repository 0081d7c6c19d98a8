"""Monitoring grouped by industrial chain: a firm on several chains counts in each, the total once; a
district sees its own firms' share of each chain only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.cli import app
from zhizao.db.session import session_scope
from zhizao.enterprises.models import Enterprise
from zhizao.monitoring.queries import group_firms, run_analysis

from .chains import store_chains
from .conftest import HUANGDAO, SHINAN, YEAR, Stored
from .test_cli import cli_db  # noqa: F401  (the CLI's database fixture)

ADMIN = Actor.system()


def test_chains_group_firms_in_each_chain_and_total_once(session: Session, stored: Stored) -> None:
    _, b = store_chains(session, stored)
    result = run_analysis(session, ADMIN, YEAR, 3, by="chain")
    groups = {g.name: g for g in result.groups}
    assert set(groups) == {"示例装备链", "示例材料链"}
    chain_a, chain_b = groups["示例装备链"], groups["示例材料链"]
    # chain A: the growing firm (on two of its nodes, counted once) and the falling one
    assert (chain_a.firms, chain_a.value_cum, chain_a.value_cum_prev) == (2, 570.0, 600.0)
    # chain B: the growing firm only (the falling one was rejected)
    assert (chain_b.firms, chain_b.value_cum, chain_b.growth) == (1, 360.0, pytest.approx(20.0))
    # the total is every comparable firm once, not the sum of the chains
    assert (result.total.value_cum, result.total.value_cum_prev) == (570.0, 600.0)
    assert chain_a.contribution_pp == pytest.approx(-30 / 600 * 100)
    behind = group_firms(session, ADMIN, YEAR, 3, by="chain", group=str(b.id))
    assert [f.enterprise_id for f in behind] == [stored.up.id]


def test_district_sees_only_its_firms_on_each_chain(session: Session, stored: Stored) -> None:
    store_chains(session, stored)
    shinan = Actor("shinan", Role.DISTRICT, region_code=SHINAN)
    result = run_analysis(session, shinan, YEAR, 3, by="chain")
    assert [(g.name, g.firms, g.value_cum) for g in result.groups] == [("示例装备链", 1, 210.0)]
    assert result.total.value_cum_prev == 300.0
    huangdao = Actor("huangdao", Role.DISTRICT, region_code=HUANGDAO)
    by_name = {g.name: g.value_cum for g in run_analysis(session, huangdao, YEAR, 3, by="chain").groups}
    assert by_name == {"示例装备链": 360.0, "示例材料链": 360.0}


def test_cli_monitor_run_groups_by_chain(cli_db: None) -> None:  # noqa: F811
    with session_scope() as session:
        up, down = (
            session.scalars(select(Enterprise).where(Enterprise.name == name)).one()
            for name in ("示例增长制造有限公司", "示例下降制造有限公司")
        )
        store_chains(session, Stored(up, down, up))
    result = CliRunner().invoke(
        app, ["monitor", "run", "--month", "2025-03", "--format", "json", "--group-by", "chain"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {g["name"] for g in data["groups"]} == {"示例装备链", "示例材料链"}
    assert data["total"]["value_cum"] == pytest.approx(570.0)
