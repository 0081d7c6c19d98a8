"""Gaps and what answers them: the 招商 candidate list per gap node (imported, with a status), and the
yearly diff of a chain (nodes gained or lost locally, firms entering or leaving nodes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.chains import store
from zhizao.chains.files import Column, read_rows
from zhizao.chains.members import member_rows
from zhizao.chains.models import Chain, ChainCandidate
from zhizao.chains.overview import NodeView, node_views, shows_gaps
from zhizao.enterprises import credit_code
from zhizao.errors import Forbidden, InvalidInput, NotFound, Problems

CANDIDATE_STATUSES = {
    "pending": "待接洽",
    "contacted": "已接洽",
    "negotiating": "洽谈中",
    "signed": "已签约",
    "landed": "已落地",
    "dropped": "已放弃",
}
_STATUS_BY_LABEL = {label: key for key, label in CANDIDATE_STATUSES.items()} | {
    k: k for k in CANDIDATE_STATUSES
}
CANDIDATE_COLUMNS = [
    Column("node_code", "节点代码", ("节点",), required=True),
    Column("name", "企业名称", ("候选企业", "企业"), required=True),
    Column("credit_code", "统一社会信用代码", ("信用代码",)),
    Column("origin", "所在地", ("所在地区", "地区")),
    Column("products", "主要产品", ("产品",)),
    Column("status", "状态", ("招商状态", "进展")),
    Column("note", "备注"),
    Column("source", "来源", ("名单来源",)),
]
VIEWERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)


@dataclass
class CandidateImport:
    added: int = 0
    updated: int = 0
    rows: int = 0


def import_candidates(
    session: Session, actor: Actor, chain: Chain, path: Path, *, dry_run: bool = False
) -> CandidateImport:
    """Add or update 招商 candidates from a file (one row per candidate firm and node). Every row is checked
    first; nothing is written when one is wrong (InvalidInput with each problem's row and column)."""
    require_role(actor, Role.ADMIN)
    graph = store.graph_year(session, chain.id, None)
    node_codes = {n.code for n in store.nodes(session, chain.id, graph)}
    problems = Problems()
    parsed: list[dict[str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in read_rows(path, CANDIDATE_COLUMNS):
        if row["node_code"] not in node_codes:
            problems.error(f"{graph}年图谱中没有节点 {row['node_code']!r}", number, "节点代码")
        if not row["name"]:
            problems.error("企业名称不能为空", number, "企业名称")
        code = row.get("credit_code", "").upper()
        if code and not credit_code.is_valid(code):
            problems.error(f"统一社会信用代码无效: {code}", number, "统一社会信用代码")
        status = _STATUS_BY_LABEL.get(row.get("status", "") or "待接洽")
        if status is None:
            problems.error(f"状态应为 {'、'.join(CANDIDATE_STATUSES.values())}", number, "状态")
        key = (row["node_code"], row["name"])
        if key in seen:
            problems.error(f"与第{seen[key]}行重复", number, "企业名称")
        seen[key] = number
        parsed.append({**row, "credit_code": code, "status": status or "pending"})
    if problems.errors:
        raise InvalidInput(f"招商候选名单有 {len(problems.errors)} 处错误，未导入任何一行", problems.items)
    result = CandidateImport(rows=len(parsed))
    existing = {
        (c.node_code, c.name): c
        for c in session.scalars(select(ChainCandidate).where(ChainCandidate.chain_id == chain.id))
    }
    with acting_as(actor.username):
        for row in parsed:
            found = existing.get((row["node_code"], row["name"]))
            result.updated += found is not None
            result.added += found is None
            if dry_run:
                continue
            item = found or ChainCandidate(chain_id=chain.id, node_code=row["node_code"], name=row["name"])
            for column in ("credit_code", "origin", "products", "status", "note", "source"):
                value = row.get(column, "")
                if value or column == "status":
                    setattr(item, column, value[:400])
            session.add(item)
        session.flush()
    return result


def set_candidate_status(
    session: Session, actor: Actor, candidate_id: int, status: str, note: str = ""
) -> ChainCandidate:
    require_role(actor, Role.ADMIN)
    item = session.get(ChainCandidate, candidate_id)
    if item is None:
        raise NotFound(f"没有这个招商候选: {candidate_id}")
    key = _STATUS_BY_LABEL.get(status)
    if key is None:
        raise InvalidInput(f"状态应为 {'、'.join(CANDIDATE_STATUSES.values())}")
    with acting_as(actor.username):
        item.status = key
        if note:
            item.note = note[:400]
        session.flush()
    return item


def candidates(
    session: Session, actor: Actor, chain_id: int, node_code: str | None = None
) -> list[ChainCandidate]:
    """招商 candidates of a chain (or one node): firms from elsewhere, for those who plan 招商."""
    if actor.role not in VIEWERS:
        raise Forbidden("当前账号无权查看招商名单")
    stmt = select(ChainCandidate).where(ChainCandidate.chain_id == chain_id)
    if node_code is not None:
        stmt = stmt.where(ChainCandidate.node_code == node_code)
    return list(session.scalars(stmt.order_by(ChainCandidate.node_code, ChainCandidate.name)))


@dataclass
class GapRow:
    node: NodeView
    candidates: list[ChainCandidate]


def gap_list(
    session: Session,
    actor: Actor,
    chain_id: int,
    year: int | None = None,
    nodes: list[NodeView] | None = None,
) -> list[GapRow]:
    """缺链 nodes first, then 弱链 nodes, each with its 招商 candidates (`nodes`: the year's node views when
    the caller has them already)."""
    if not shows_gaps(actor):
        raise Forbidden("当前账号不显示缺链、弱链")
    if nodes is None:
        graph = store.graph_year(session, chain_id, year)
        _, nodes, _ = node_views(session, actor, chain_id, year or graph)
    by_node: dict[str, list[ChainCandidate]] = {}
    for item in candidates(session, actor, chain_id):
        by_node.setdefault(item.node_code, []).append(item)
    gaps = [n for n in nodes if n.gap == "missing"] + [n for n in nodes if n.gap == "weak"]
    return [GapRow(n, by_node.get(n.code, [])) for n in gaps]


@dataclass
class NodeChange:
    code: str
    name: str
    firms_before: int
    firms_after: int
    entered: list[str] = field(default_factory=list)  # firm names
    left: list[str] = field(default_factory=list)


@dataclass
class YearDiff:
    year: int
    previous: int
    gained: list[NodeChange]  # had no local firm the year before (or was not in the graph), has one now
    lost: list[NodeChange]  # had a local firm, has none now (or left the graph)
    added_nodes: list[str]
    removed_nodes: list[str]
    changed: list[NodeChange]  # firms entered or left, the node covered both years
    comparable: bool = True  # False: the chain has no graph for the year before (nothing to compare)


def year_diff(
    session: Session, actor: Actor, chain_id: int, year: int, nodes: list[NodeView] | None = None
) -> YearDiff:
    """What changed on the chain from `year - 1` to `year`, over the firms the actor may see (`nodes`: the
    year's node views when the caller has them already)."""
    if not shows_gaps(actor):
        raise Forbidden("当前账号不显示年度对比")
    previous = year - 1
    after_nodes = nodes if nodes is not None else node_views(session, actor, chain_id, year)[1]
    try:
        _, before_nodes, _ = node_views(session, actor, chain_id, previous)
    except NotFound:  # no graph that early: nothing to compare with
        return YearDiff(year, previous, [], [], [], [], [], comparable=False)
    before = {n.code: n for n in before_nodes}
    after = {n.code: n for n in after_nodes}
    firms_before = _firms_by_node(session, actor, chain_id, previous)
    firms_after = _firms_by_node(session, actor, chain_id, year)
    gained, lost, changed = [], [], []
    for code in list(dict.fromkeys([*after, *before])):
        node = after.get(code) or before[code]
        b, a = before.get(code), after.get(code)
        names_b, names_a = firms_before.get(code, {}), firms_after.get(code, {})
        change = NodeChange(
            code,
            node.name,
            b.firms if b else 0,
            a.firms if a else 0,
            sorted(names_a[k] for k in set(names_a) - set(names_b)),
            sorted(names_b[k] for k in set(names_b) - set(names_a)),
        )
        if change.firms_after and not change.firms_before:
            gained.append(change)
        elif change.firms_before and not change.firms_after:
            lost.append(change)
        elif change.entered or change.left:
            changed.append(change)
    return YearDiff(
        year,
        previous,
        gained,
        lost,
        sorted(set(after) - set(before)),
        sorted(set(before) - set(after)),
        changed,
    )


def _firms_by_node(session: Session, actor: Actor, chain_id: int, year: int) -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = {}
    for row in member_rows(session, actor, chain_id, year):
        found.setdefault(row.node_code, {})[row.enterprise_id] = row.name
    return found
