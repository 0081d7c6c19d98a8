"""Enterprises on chain nodes: suggested by the industry-code rule, then confirmed, rejected or moved to
another node by a person; roles per chain (链主, 龙头, ...).

A suggestion counts on the chain until a person rejects it (pages show how many wait for a decision).
Every change goes through the ORM, so the audit log records who decided what and when. Reading goes through
`enterprise_clause`: a district officer sees the firms of its region, an enterprise only itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, may_edit_enterprise, require_role
from zhizao.chains import store
from zhizao.chains.models import Chain, ChainMember, ChainNode, ChainRole
from zhizao.db.base import utcnow
from zhizao.enterprises.models import Enterprise
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.reference import home

STATUSES = {"suggested": "待确认", "confirmed": "已确认", "rejected": "已排除"}
ROLES = {
    "chain_leader": "链主",
    "world_class": "世界一流",
    "leading": "龙头",
    "core_supplier": "核心配套",
    "rising": "新锐",
}
ROLE_BY_LABEL = {label: key for key, label in ROLES.items()} | {key: key for key in ROLES}
COUNTED = ("suggested", "confirmed")
"""Member statuses that put a firm on a node (a rejected suggestion does not)."""


def visible(actor: Actor) -> ColumnElement[bool]:
    """The enterprises whose chain memberships the actor may see."""
    return enterprise_clause(actor, Enterprise.id, Enterprise.region_code)


def rule_clause(industry_codes: list[str]) -> Select[int]:
    """Ids of the home region's firms whose class falls under one of `industry_codes` (none for no code)."""
    matching = or_(*(Enterprise.industry_code.startswith(code, autoescape=True) for code in industry_codes))
    return select(Enterprise.id).where(
        home.home_clause(Enterprise.region_code), matching if industry_codes else false()
    )


@dataclass
class AssignResult:
    year: int
    graph_year: int
    added: int = 0
    carried: int = 0  # decisions taken over from the year before
    removed: int = 0  # suggestions whose rule no longer matches
    by_node: dict[str, int] = field(default_factory=dict)


def assign_by_rule(
    session: Session, actor: Actor, chain: Chain, year: int, *, dry_run: bool = False
) -> AssignResult:
    """Suggest every firm of the home region whose industry class falls under a node's codes, for `year`.

    A firm already on the node keeps its row; a person's decision of the year before (confirmed, rejected,
    or a firm added by hand) is carried into this year; suggestions the rule no longer makes are removed."""
    require_role(actor, Role.ADMIN)
    graph = store.graph_year(session, chain.id, year)
    result = AssignResult(year, graph)
    graph_nodes = store.nodes(session, chain.id, graph)
    existing = {(m.node_code, m.enterprise_id): m for m in _members(session, chain.id, year)}
    before = {
        (m.node_code, m.enterprise_id): m for m in _members(session, chain.id, year - 1) if m.decided_by
    }
    wanted: dict[tuple[str, int], ChainMember] = {}
    for node in graph_nodes:
        for firm_id in session.scalars(rule_clause(node.industry_codes)):
            wanted[(node.code, firm_id)] = ChainMember(
                chain_id=chain.id, year=year, node_code=node.code, enterprise_id=firm_id
            )
        result.by_node[node.code] = 0
    node_codes = {n.code for n in graph_nodes}
    for key, old in before.items():
        if key[0] in node_codes and (old.status != "suggested" or old.source == "manual"):
            wanted[key] = ChainMember(
                chain_id=chain.id,
                year=year,
                node_code=key[0],
                enterprise_id=key[1],
                status=old.status,
                source=old.source,
                decided_by=old.decided_by,
                decided_at=old.decided_at,
                note=old.note,
            )
    with acting_as(actor.username):
        for key, row in wanted.items():
            if key in existing:
                continue
            result.added += 1
            result.carried += row.decided_by is not None
            if not dry_run:
                session.add(row)
        for key, row in existing.items():
            if key not in wanted and row.status == "suggested" and row.source == "rule":
                result.removed += 1
                if not dry_run:
                    session.delete(row)
        if not dry_run:
            session.flush()
    for (node_code, _), row in wanted.items():
        if row.status in COUNTED:
            result.by_node[node_code] = result.by_node.get(node_code, 0) + 1
    return result


def _members(session: Session, chain_id: int, year: int) -> list[ChainMember]:
    stmt = select(ChainMember).where(ChainMember.chain_id == chain_id, ChainMember.year == year)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class MemberRow:
    id: int
    node_code: str
    enterprise_id: int
    credit_code: str
    name: str
    region_code: str
    industry_code: str
    above_scale: bool
    status: str
    source: str
    decided_by: str | None
    role: str | None

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role or "", "")


def member_rows(
    session: Session,
    actor: Actor,
    chain_id: int,
    year: int,
    node_code: str | None = None,
    *,
    include_rejected: bool = False,
) -> list[MemberRow]:
    """The firms on the chain (or one node) in `year` that the actor may see."""
    m, e = ChainMember, Enterprise
    stmt = (
        select(m, e, ChainRole.role)
        .join(e, e.id == m.enterprise_id)
        .outerjoin(
            ChainRole, (ChainRole.chain_id == m.chain_id) & (ChainRole.enterprise_id == m.enterprise_id)
        )
        .where(m.chain_id == chain_id, m.year == year, visible(actor))
        .order_by(m.node_code, e.name)
    )
    if node_code is not None:
        stmt = stmt.where(m.node_code == node_code)
    if not include_rejected:
        stmt = stmt.where(m.status.in_(COUNTED))
    return [
        MemberRow(
            member.id,
            member.node_code,
            firm.id,
            firm.credit_code,
            firm.name,
            firm.region_code,
            firm.industry_code,
            firm.above_scale,
            member.status,
            member.source,
            member.decided_by,
            role,
        )
        for member, firm, role in session.execute(stmt)
    ]


def _editable_firm(session: Session, actor: Actor, enterprise_id: int) -> Enterprise:
    firm = session.scalar(select(Enterprise).where(Enterprise.id == enterprise_id, visible(actor)))
    if firm is None:
        raise NotFound(f"没有这家企业: {enterprise_id}")
    if not may_edit_enterprise(actor, firm.region_code):
        raise Forbidden("当前账号无权调整产业链企业")
    return firm


def _node(session: Session, chain_id: int, year: int, node_code: str) -> ChainNode:
    graph = store.graph_year(session, chain_id, year)
    node = session.scalar(
        select(ChainNode).where(
            ChainNode.chain_id == chain_id, ChainNode.year == graph, ChainNode.code == node_code
        )
    )
    if node is None:
        raise InvalidInput(f"{graph}年图谱中没有节点 {node_code}")
    return node


def decide(
    session: Session, actor: Actor, member_id: int, action: str, node_code: str | None = None, note: str = ""
) -> ChainMember:
    """A person's decision on a firm on a node: `confirm`, `reject`, or `move` it to `node_code` (a
    correction: the firm leaves this node, confirmed on the other). NotFound for a firm out of scope."""
    member = session.get(ChainMember, member_id)
    if member is None:
        raise NotFound(f"没有这条记录: {member_id}")
    _editable_firm(session, actor, member.enterprise_id)
    with acting_as(actor.username):
        if action == "move":
            if not node_code or node_code == member.node_code:
                raise InvalidInput("请选择要调整到的节点")
            _node(session, member.chain_id, member.year, node_code)
            member.status, member.note = "rejected", note or f"调整到 {node_code}"
            _stamp(member, actor)
            target = add_member(
                session, actor, member.chain_id, member.year, node_code, member.enterprise_id, note
            )
            session.flush()
            return target
        if action not in ("confirm", "reject"):
            raise InvalidInput(f"未知操作: {action} (confirm、reject 或 move)")
        member.status = "confirmed" if action == "confirm" else "rejected"
        member.note = note[:200]
        _stamp(member, actor)
        session.flush()
    return member


def _stamp(member: ChainMember, actor: Actor) -> None:
    member.decided_by = actor.username
    member.decided_at = utcnow()


def add_member(
    session: Session,
    actor: Actor,
    chain_id: int,
    year: int,
    node_code: str,
    enterprise_id: int,
    note: str = "",
) -> ChainMember:
    """Put a firm on a node by hand (confirmed)."""
    _editable_firm(session, actor, enterprise_id)
    _node(session, chain_id, year, node_code)
    member = session.scalar(
        select(ChainMember).where(
            ChainMember.chain_id == chain_id,
            ChainMember.year == year,
            ChainMember.node_code == node_code,
            ChainMember.enterprise_id == enterprise_id,
        )
    ) or ChainMember(
        chain_id=chain_id, year=year, node_code=node_code, enterprise_id=enterprise_id, source="manual"
    )
    with acting_as(actor.username):
        member.status = "confirmed"
        member.note = note[:200]
        _stamp(member, actor)
        session.add(member)
        session.flush()
    return member


def set_role(session: Session, actor: Actor, chain_id: int, enterprise_id: int, role: str | None) -> None:
    """Give a firm its role in a chain (链主, 龙头, 核心配套, 新锐, 世界一流), or take it away (None)."""
    _editable_firm(session, actor, enterprise_id)
    store.get_chain(session, chain_id)
    key = ROLE_BY_LABEL.get(role) if role else None
    if role and key is None:
        raise InvalidInput(f"未知角色: {role} (可选: {'、'.join(ROLES.values())})")
    row = session.scalar(
        select(ChainRole).where(ChainRole.chain_id == chain_id, ChainRole.enterprise_id == enterprise_id)
    )
    with acting_as(actor.username):
        if key is None:
            if row is not None:
                session.delete(row)
        else:
            row = row or ChainRole(chain_id=chain_id, enterprise_id=enterprise_id)
            row.role = key
            session.add(row)
        session.flush()


def firm_by_code(session: Session, actor: Actor, credit_code: str) -> Enterprise:
    firm = session.scalar(
        select(Enterprise).where(Enterprise.credit_code == credit_code.strip().upper(), visible(actor))
    )
    if firm is None:
        raise NotFound(f"没有这家企业: {credit_code}")
    return firm
