"""Chains in the database: loading a definition file (the chain, its 七个一 and its graph of one year), and
reading chains back. Chains themselves are not scoped: every account may see a chain, its graph and its
checklist; the firms on it are scoped (`zhizao.chains.members`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.chains.definition import CHECKLIST, ChainDefinition
from zhizao.chains.models import Chain, ChainChecklistItem, ChainEdge, ChainNode
from zhizao.errors import InvalidInput, NotFound, Problem
from zhizao.plans.models import PlanTask
from zhizao.reference.models import Unit


@dataclass
class LoadResult:
    chain: Chain
    year: int
    created: bool
    nodes: int
    edges: int
    replaced_nodes: int = 0
    warnings: list[str] = field(default_factory=list)


def _unit_ids(session: Session, definition: ChainDefinition) -> tuple[dict[str, int], list[Problem]]:
    """Unit name (or short name) → id for every unit the file names; a problem for each unknown one."""
    by_name: dict[str, int] = {}
    for unit in session.scalars(select(Unit)):
        for alias in unit.aliases or []:
            by_name.setdefault(alias, unit.id)
        by_name[unit.name] = unit.id
    problems: list[Problem] = []
    if definition.lead_department and definition.lead_department not in by_name:
        problems.append(Problem(f"单位不存在: {definition.lead_department}", column="lead_department"))
    for key, entry in definition.checklist.items():
        for i, name in enumerate(entry.units):
            if name not in by_name:
                problems.append(Problem(f"单位不存在: {name}", column=f"checklist.{key}.units.{i}"))
    return by_name, problems


def _task_problems(session: Session, definition: ChainDefinition) -> list[Problem]:
    wanted = {t for entry in definition.checklist.values() for t in entry.tasks}
    found = set(session.scalars(select(PlanTask.id).where(PlanTask.id.in_(wanted)))) if wanted else set()
    return [
        Problem(f"计划任务不存在: {task}", column=f"checklist.{key}.tasks.{i}")
        for key, entry in definition.checklist.items()
        for i, task in enumerate(entry.tasks)
        if task not in found
    ]


def load_definition(
    session: Session, actor: Actor, definition: ChainDefinition, text: str = "", *, dry_run: bool = False
) -> LoadResult:
    """Create or update the chain `definition.code`, replace its 七个一, and replace its graph of
    `definition.year` (other years' graphs and the firms on them stay). Nothing is written when a name in the
    file matches nothing in zhizao; with `dry_run` nothing is written at all."""
    require_role(actor, Role.ADMIN)
    by_name, problems = _unit_ids(session, definition)
    problems += _task_problems(session, definition)
    if problems:
        keys = "; ".join(f"{p.column}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"产业链定义文件有误 — {keys}", problems)
    chain = session.scalar(select(Chain).where(Chain.code == definition.code))
    created = chain is None
    old_nodes = 0
    if chain is not None:
        old_nodes = len(
            session.scalars(select(ChainNode.id).where(*_of_year(chain.id, definition.year))).all()
        )
    result = LoadResult(
        chain or Chain(code=definition.code, name=definition.name),
        definition.year,
        created,
        len(definition.nodes),
        len(definition.edges),
        old_nodes,
    )
    if dry_run:
        return result
    with acting_as(actor.username):
        chain = result.chain
        chain.name = definition.name
        chain.leader = definition.leader
        chain.lead_department = definition.lead_department
        chain.lead_unit_id = by_name.get(definition.lead_department)
        chain.team = definition.team
        chain.parks = list(definition.parks)
        chain.platforms = list(definition.platforms)
        chain.description = definition.description
        chain.definition_text = text
        session.add(chain)
        session.flush()
        _write_checklist(session, chain, definition, by_name)
        _write_graph(session, chain, definition)
    return result


def _of_year(chain_id: int, year: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (ChainNode.chain_id == chain_id, ChainNode.year == year)


def _write_checklist(
    session: Session, chain: Chain, definition: ChainDefinition, units: dict[str, int]
) -> None:
    existing = {
        i.key: i
        for i in session.scalars(select(ChainChecklistItem).where(ChainChecklistItem.chain_id == chain.id))
    }
    for key in CHECKLIST:
        entry = definition.checklist.get(key)
        item = existing.pop(key, None) or ChainChecklistItem(chain_id=chain.id, key=key)
        item.text = entry.text if entry else ""
        item.done = entry.done if entry else False
        item.unit_ids = [units[n] for n in entry.units] if entry else []
        item.task_ids = list(entry.tasks) if entry else []
        item.project_codes = list(entry.projects) if entry else []
        session.add(item)
    session.flush()


def _write_graph(session: Session, chain: Chain, definition: ChainDefinition) -> None:
    year = definition.year
    session.execute(delete(ChainEdge).where(ChainEdge.chain_id == chain.id, ChainEdge.year == year))
    old = {n.code: n for n in session.scalars(select(ChainNode).where(*_of_year(chain.id, year)))}
    for position, node in enumerate(definition.nodes):
        row = old.pop(node.code, None) or ChainNode(chain_id=chain.id, year=year, code=node.code)
        row.name = node.name
        row.stage = node.stage
        row.industry_codes = list(node.industry_codes)
        row.product_codes = list(node.product_codes)
        row.position = position
        session.add(row)
    for row in old.values():
        session.delete(row)
    for edge in definition.edges:
        session.add(
            ChainEdge(
                chain_id=chain.id, year=year, source=edge.source, target=edge.target, relation=edge.relation
            )
        )
    session.flush()


def list_chains(session: Session) -> list[Chain]:
    return list(session.scalars(select(Chain).order_by(Chain.name)))


def get_chain(session: Session, chain_id: int) -> Chain:
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise NotFound(f"没有这条产业链: {chain_id}")
    return chain


def chain_by_code(session: Session, code: str) -> Chain:
    chain = session.scalar(select(Chain).where(Chain.code == code))
    if chain is None:
        raise NotFound(f"没有这条产业链: {code}")
    return chain


def years(session: Session, chain_id: int) -> list[int]:
    """The years the chain has a graph for, oldest first."""
    stmt = select(ChainNode.year).where(ChainNode.chain_id == chain_id).distinct().order_by(ChainNode.year)
    return list(session.scalars(stmt))


def graph_year(session: Session, chain_id: int, year: int | None) -> int:
    """`year` when the chain has a graph for it; the newest graph year at or before it otherwise (the
    newest of all when `year` is None)."""
    found = years(session, chain_id)
    if not found:
        raise NotFound("该产业链还没有图谱")
    if year is None:
        return found[-1]
    earlier = [y for y in found if y <= year]
    if not earlier:
        raise NotFound(f"该产业链没有{year}年及以前的图谱")
    return earlier[-1]


def nodes(session: Session, chain_id: int, year: int) -> list[ChainNode]:
    stmt = select(ChainNode).where(*_of_year(chain_id, year)).order_by(ChainNode.position)
    return list(session.scalars(stmt))


def edges(session: Session, chain_id: int, year: int) -> list[ChainEdge]:
    stmt = (
        select(ChainEdge).where(ChainEdge.chain_id == chain_id, ChainEdge.year == year).order_by(ChainEdge.id)
    )
    return list(session.scalars(stmt))


def checklist(session: Session, chain_id: int) -> list[ChainChecklistItem]:
    items = {
        i.key: i
        for i in session.scalars(select(ChainChecklistItem).where(ChainChecklistItem.chain_id == chain_id))
    }
    return [items[k] for k in CHECKLIST if k in items]
