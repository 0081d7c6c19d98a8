"""The chains part of `zhizao demo` (synthetic, marked 演示数据（虚构）): the two example chains with graphs
for the last two complete years, firms put on nodes by the rule, roles for the largest firms, one node
emptied in the latest year (so a 缺链 and a yearly loss show), made-up 招商 candidates for the gap nodes, a
made-up 配套 survey of the leading firms, and one cluster per chain."""

from __future__ import annotations

import random

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.chains import members, store
from zhizao.chains.clusters import load_clusters
from zhizao.chains.definition import ChainDefinition, example_names, read_definition
from zhizao.chains.models import (
    Chain,
    ChainCandidate,
    ChainChecklistItem,
    ChainEdge,
    ChainMember,
    ChainNode,
    ChainRole,
    ChainSurvey,
    Cluster,
    ClusterMember,
)
from zhizao.chains.overview import node_views
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.evaluation.demo import latest_complete_year
from zhizao.reference.units import unit_for_key

DEMO = "演示数据（虚构）"
DEMO_CLUSTERS = ("demo-nev", "demo-appliances", "demo-materials")
EMPTIED = {"new-energy-vehicle": "chips", "smart-appliances": "displays"}


def load_demo_chains(session: Session, actor: Actor, region_code: str | None = None, seed: int = 2024) -> int:
    """Load the demo chains; returns how many were loaded (0 when the registry has no complete year). The
    examples' lead department becomes the industry department of `region_code` (a province's
    工业和信息化厅)."""
    year = latest_complete_year(session)
    if year is None:
        return 0
    rng = random.Random(seed)
    _remove_demo(session)
    for name in example_names():
        definition, text = read_definition(name)
        definition = _with_department(definition, region_code)
        for y in (year - 1, year):
            dated = definition.model_copy(
                update={"year": y, "description": f"{definition.description}（{DEMO}）"}
            )
            loaded = store.load_definition(session, actor, dated, text)
        chain = loaded.chain
        for y in (year - 1, year):
            members.assign_by_rule(session, actor, chain, y)
        _empty_node(session, actor, chain.id, year, EMPTIED[chain.code])
        _roles(session, actor, chain.id, year)
        _candidates(session, actor, chain.id, year, rng)
        _survey(session, chain.id, year, rng)
    load_clusters(session, actor, _CLUSTERS, "demo")
    return len(example_names())


def _with_department(definition: ChainDefinition, region_code: str | None) -> ChainDefinition:
    """The definition with its lead department (and the units of its 七个一) renamed to the region's
    industry department: the examples name a city's bureau, which a province does not have."""
    if region_code is None:
        return definition
    department = unit_for_key(region_code, "industry")
    old = definition.lead_department
    checklist = {
        key: entry.model_copy(update={"units": [department if u == old else u for u in entry.units]})
        for key, entry in definition.checklist.items()
    }
    return definition.model_copy(update={"lead_department": department, "checklist": checklist})


def _remove_demo(session: Session) -> None:
    """Remove an earlier demo's chains and clusters (a second `zhizao demo` replaces them)."""
    chain_ids = list(session.scalars(select(Chain.id).where(Chain.code.in_(example_names()))))
    children = (ChainMember, ChainRole, ChainCandidate, ChainSurvey, ChainNode, ChainEdge, ChainChecklistItem)
    for model in children:
        session.execute(delete(model).where(model.chain_id.in_(chain_ids)))
    session.execute(delete(Chain).where(Chain.id.in_(chain_ids)))
    cluster_ids = list(session.scalars(select(Cluster.id).where(Cluster.code.in_(DEMO_CLUSTERS))))
    session.execute(delete(ClusterMember).where(ClusterMember.cluster_id.in_(cluster_ids)))
    session.execute(delete(Cluster).where(Cluster.id.in_(cluster_ids)))
    session.flush()


def _empty_node(session: Session, actor: Actor, chain_id: int, year: int, node_code: str) -> None:
    for row in members.member_rows(session, actor, chain_id, year, node_code):
        members.decide(session, actor, row.id, "reject", note=f"{DEMO}: 模拟该环节企业外迁")


def _output(session: Session, ids: list[int], year: int) -> dict[int, float]:
    f = EnterpriseFigure
    stmt = select(f.enterprise_id, f.value).where(
        f.enterprise_id.in_(ids), f.year == year, f.month == 0, f.indicator_id == "output_value"
    )
    return {int(i): float(v) for i, v in session.execute(stmt)}


def _roles(session: Session, actor: Actor, chain_id: int, year: int) -> None:
    rows = members.member_rows(session, actor, chain_id, year)
    output = _output(session, [r.enterprise_id for r in rows], year)
    ranked = sorted({r.enterprise_id for r in rows}, key=lambda i: -output.get(i, 0.0))
    for i, firm in enumerate(ranked[:8]):
        role = "链主" if i == 0 else "龙头" if i < 3 else "核心配套"
        members.set_role(session, actor, chain_id, firm, role)


def _candidates(session: Session, actor: Actor, chain_id: int, year: int, rng: random.Random) -> None:
    _, nodes, _ = node_views(session, actor, chain_id, year)
    statuses = ["pending", "contacted", "negotiating", "signed"]
    for node in nodes:
        if not node.gap:
            continue
        for k in range(1, 3):
            session.add(
                ChainCandidate(
                    chain_id=chain_id,
                    node_code=node.code,
                    name=f"{node.name}候选企业{k}（演示）",
                    origin="外地（演示）",
                    products=node.name,
                    status=rng.choice(statuses),
                    source=DEMO,
                )
            )
    session.flush()


def _survey(session: Session, chain_id: int, year: int, rng: random.Random) -> None:
    actor = Actor.system()
    rows = members.member_rows(session, actor, chain_id, year)
    leaders = sorted({r.enterprise_id for r in rows if r.role in ("chain_leader", "leading")})
    for firm in leaders:
        total = round(rng.uniform(5_000, 50_000), 1)
        local = round(total * rng.uniform(0.2, 0.6), 1)
        session.add(
            ChainSurvey(
                chain_id=chain_id,
                year=year,
                enterprise_id=firm,
                total_purchases=total,
                local_purchases=local,
                source=DEMO,
            )
        )
    session.flush()


_CLUSTERS = """
clusters:
  - {code: demo-nev, name: 新能源汽车产业集群（演示）, level: provincial_advanced, chain: new-energy-vehicle,
     industry_codes: ["3612", "3670", "3841"], target_level: national, target_scale: 1000, target_year: 2027,
     note: 演示数据（虚构）}
  - {code: demo-appliances, name: 智能家电产业集群（演示）, level: national, chain: smart-appliances,
     industry_codes: ["385"], target_level: world_candidate, target_scale: 1000, target_year: 2027,
     note: 演示数据（虚构）}
  - {code: demo-materials, name: 新材料产业集群（演示）, level: provincial_yanzhen,
     industry_codes: ["265", "325", "398"], target_level: provincial_advanced,
     target_scale: 500, note: 演示数据（虚构）}
"""
