"""One function per page: the data of the chain list and of one chain (its 七个一, graph, nodes with totals
and gaps, the chain total against its plan target, 配套率, 招商 candidates, the yearly diff). The full page,
the JSON API and the chart options are renderings of what these return.

Totals are over the firms the actor may see: a district officer gets its region's totals, an enterprise its
own figures. Gaps are shown only to those who see a whole region (an enterprise or a department seeing its
own firm, or none, would read every other node as 缺链)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ibis.backends import BaseBackend
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.chains import analytics, store
from zhizao.chains.definition import CHECKLIST, STAGES
from zhizao.chains.figures import UNIT_FACTORS, chain_membership, default_backend, inputs_for
from zhizao.chains.members import ROLES, MemberRow, member_rows
from zhizao.chains.models import Chain, ChainNode
from zhizao.plans.models import PlanTarget, PlanTask
from zhizao.reference.data_files import industry_names
from zhizao.reference.models import Unit


@dataclass
class NodeView:
    code: str
    name: str
    stage: str
    industry_codes: list[str]
    product_codes: list[str]
    firms: int = 0
    above_scale_firms: int = 0
    output_value: float = 0.0  # 万元
    tax: float = 0.0  # 万元
    weak_firms: int = 0
    gap: str = ""

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]

    @property
    def gap_label(self) -> str:
        return analytics.GAP_LABELS[self.gap]

    @property
    def industries(self) -> str:
        names = industry_names()
        return "、".join(f"{c} {names.get(c, '')}" for c in self.industry_codes)


@dataclass
class Totals:
    firms: int = 0
    above_scale_firms: int = 0
    output_value: float = 0.0
    tax: float = 0.0


@dataclass
class TargetView:
    target_id: int
    text: str
    value: float
    unit: str
    target_year: int | None
    actual: float  # the chain's total output in the target's unit
    share: float | None  # actual / value


@dataclass
class ChecklistView:
    key: str
    label: str
    text: str
    done: bool
    units: list[str]
    tasks: list[tuple[int, str]]
    projects: list[str]


@dataclass
class ChainView:
    chain: Chain
    year: int
    graph_year: int
    years: list[int]
    nodes: list[NodeView]
    edges: list[tuple[str, str, str]]
    totals: Totals
    shows_gaps: bool
    scope_note: str
    checklist: list[ChecklistView] = field(default_factory=list)
    target: TargetView | None = None
    pending: int = 0
    roles: dict[str, list[MemberRow]] = field(default_factory=dict)

    @property
    def missing(self) -> list[NodeView]:
        return [n for n in self.nodes if n.gap == "missing"] if self.shows_gaps else []

    @property
    def weak(self) -> list[NodeView]:
        return [n for n in self.nodes if n.gap == "weak"] if self.shows_gaps else []


def shows_gaps(actor: Actor) -> bool:
    return actor.role not in (Role.ENTERPRISE, Role.DEPARTMENT)


def scope_note(actor: Actor) -> str:
    if actor.role is Role.ENTERPRISE:
        return "仅显示本企业"
    if actor.role is Role.DEPARTMENT:
        return "部门账号不显示链上企业"
    if actor.role is Role.DISTRICT:
        return "合计仅含本地区企业"
    return "合计为本系统区域内企业"


def node_views(
    session: Session, actor: Actor, chain_id: int, year: int, con: BaseBackend | None = None
) -> tuple[int, list[NodeView], Totals]:
    """The graph year used for `year`, its nodes with totals and gaps, and the chain total (its distinct
    firms)."""
    graph = store.graph_year(session, chain_id, year)
    rows = store.nodes(session, chain_id, graph)
    con = con or default_backend()
    data = inputs_for(session, chain_membership(actor, chain_id, year), year)
    table = analytics.node_table(con, [n.code for n in rows], data)
    by_code = {r["group"]: r for r in table.to_dict("records")}
    views = []
    for node in rows:
        found = by_code[node.code]
        views.append(
            NodeView(
                node.code,
                node.name,
                node.stage,
                list(node.industry_codes),
                list(node.product_codes),
                int(found["firms"]),
                int(found["above_scale_firms"]),
                float(found["output_value"]),
                float(found["tax"]),
                int(found["weak_firms"]),
                str(found["gap"]),
            )
        )
    chain_data = analytics.Inputs(
        [("chain", e) for _, e in data.membership], data.firms, data.figures, data.grades
    )
    total = analytics.total_table(con, chain_data).to_dict("records")
    totals = (
        Totals(
            int(total[0]["firms"]),
            int(total[0]["above_scale_firms"]),
            float(total[0]["output_value"]),
            float(total[0]["tax"]),
        )
        if total
        else Totals()
    )
    return graph, views, totals


def chain_view(session: Session, actor: Actor, chain_id: int, year: int | None = None) -> ChainView:
    chain = store.get_chain(session, chain_id)
    all_years = store.years(session, chain_id)
    graph = store.graph_year(session, chain_id, year)
    year = year or graph
    graph, nodes, totals = node_views(session, actor, chain_id, year)
    edges = [(e.source, e.target, e.relation) for e in store.edges(session, chain_id, graph)]
    view = ChainView(
        chain, year, graph, all_years, nodes, edges, totals, shows_gaps(actor), scope_note(actor)
    )
    view.checklist = checklist_view(session, chain_id)
    if actor.reads_everything:
        view.target = target_view(session, chain, totals)
    rows = member_rows(session, actor, chain_id, year)
    view.pending = sum(1 for r in rows if r.status == "suggested")
    for row in rows:
        if row.role:
            view.roles.setdefault(row.role, [])
            if all(r.enterprise_id != row.enterprise_id for r in view.roles[row.role]):
                view.roles[row.role].append(row)
    view.roles = {k: view.roles[k] for k in ROLES if k in view.roles}
    return view


def checklist_view(session: Session, chain_id: int) -> list[ChecklistView]:
    items = store.checklist(session, chain_id)
    unit_ids = {u for i in items for u in i.unit_ids}
    task_ids = {t for i in items for t in i.task_ids}
    units = (
        {u.id: u.name for u in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))} if unit_ids else {}
    )
    tasks = {
        t.id: t.title or t.text[:40]
        for t in (session.scalars(select(PlanTask).where(PlanTask.id.in_(task_ids))) if task_ids else [])
    }
    return [
        ChecklistView(
            i.key,
            CHECKLIST[i.key],
            i.text,
            i.done,
            [units[u] for u in i.unit_ids if u in units],
            [(t, tasks[t]) for t in i.task_ids if t in tasks],
            list(i.project_codes),
        )
        for i in items
    ]


def target_view(session: Session, chain: Chain, totals: Totals) -> TargetView | None:
    if chain.target_id is None:
        return None
    target = session.get(PlanTarget, chain.target_id)
    if target is None:
        return None
    factor = UNIT_FACTORS.get(target.unit)
    actual = totals.output_value / factor if factor else totals.output_value
    share = actual / target.value if factor and target.value else None
    return TargetView(
        target.id,
        target.text or target.indicator,
        target.value,
        target.unit,
        target.target_year,
        actual,
        share,
    )


@dataclass
class ChainRow:
    chain: Chain
    graph_year: int | None
    nodes: int
    totals: Totals
    missing: int | None
    weak: int | None


def chain_rows(session: Session, actor: Actor, year: int | None = None) -> list[ChainRow]:
    """Every chain with its node count, totals and gap counts for the actor (the list page, the cockpit)."""
    con = default_backend()
    found = []
    for chain in store.list_chains(session):
        if not store.years(session, chain.id):
            found.append(ChainRow(chain, None, 0, Totals(), None, None))
            continue
        graph = store.graph_year(session, chain.id, year)
        graph, nodes, totals = node_views(session, actor, chain.id, year or graph, con)
        gaps = shows_gaps(actor)
        found.append(
            ChainRow(
                chain,
                graph,
                len(nodes),
                totals,
                sum(n.gap == "missing" for n in nodes) if gaps else None,
                sum(n.gap == "weak" for n in nodes) if gaps else None,
            )
        )
    return found


GAP_COLOURS = {"missing": "#d9534f", "weak": "#f0ad4e", "": "#5b8def"}
_STAGE_X = {"upstream": 0, "midstream": 1, "downstream": 2}


def map_options(view: ChainView) -> dict[str, Any]:
    """ECharts options of the chain map: a left-to-right graph (upstream → downstream), node size by output,
    colour by gap (grey when gaps are not shown to the actor)."""
    largest = max((n.output_value for n in view.nodes), default=0.0) or 1.0
    by_stage: dict[str, int] = {}
    data = []
    for node in view.nodes:
        row = by_stage.get(node.stage, 0)
        by_stage[node.stage] = row + 1
        colour = GAP_COLOURS[node.gap] if view.shows_gaps else "#8a8a8a"
        data.append(
            {
                "id": node.code,
                "name": node.name,
                "x": 300 * _STAGE_X[node.stage],
                "y": 90 * row,
                "symbolSize": round(24 + 46 * (node.output_value / largest) ** 0.5, 1),
                "itemStyle": {"color": colour},
                "value": round(node.output_value / 1e4, 2),
                "firms": node.firms,
                "gap": node.gap_label if view.shows_gaps else "",
            }
        )
    links = [{"source": s, "target": t, "label": {"show": False, "formatter": r}} for s, t, r in view.edges]
    return {
        "tooltip": {"formatter": "{b}: {c} 亿元"},
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": True,
                "label": {"show": True, "position": "bottom"},
                "edgeSymbol": ["none", "arrow"],
                "lineStyle": {"color": "#999", "curveness": 0.15},
                "data": data,
                "links": links,
            }
        ],
    }


def node_or_404(session: Session, chain_id: int, year: int, node_code: str) -> ChainNode:
    from zhizao.errors import NotFound

    graph = store.graph_year(session, chain_id, year)
    node = session.scalar(
        select(ChainNode).where(
            ChainNode.chain_id == chain_id, ChainNode.year == graph, ChainNode.code == node_code
        )
    )
    if node is None:
        raise NotFound(f"没有这个节点: {node_code}")
    return node
