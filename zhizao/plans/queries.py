"""Reading stored plans, through the role scope: administrators and analysts see every plan; department
and district users see the confirmed plans that assign a task to their unit (their district government)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import ColumnElement, and_, false, func, select, true
from sqlalchemy.orm import Session, selectinload

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput, NotFound
from zhizao.plans.models import AssignmentUnit, Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.plans.units import Unmatched, all_units, unit_names, unmatched_units
from zhizao.reference.models import Unit
from zhizao.reference.regions import within_clause

MEASURE_LABELS = {
    "level": "达到",
    "growth": "增长",
    "reduction": "下降",
    "share": "占比",
    "increase": "新增",
    "rank": "排名",
}
QUALIFIER_LABELS = {"about": "左右", "at_least": "以上", "at_most": "以内", "exact": ""}
STATUS_LABELS = {"review": "待审核", "confirmed": "已确认"}
# the words of the user guide (docs/user-guide.zh.md): 采纳 / 不采纳
REVIEW_LABELS = {"pending": "待审核", "accepted": "已采纳", "rejected": "不采纳"}
REVIEW_ORDERS = ("document", "uncertain")  # 按原文顺序 / 待核实优先
UNCERTAIN = 0.8  # below this the reader guessed: the item is marked 待核实
# the fields a reason is given for, as the review page names them
REASON_FIELDS = {
    "title": "标题",
    "year": "年份",
    "goals": "目标",
    "target_year": "目标年份",
    "base_year": "基期",
    "indicator": "指标",
    "value": "目标值",
    "measure": "计量",
    "qualifier": "限定",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "deadline": "完成时限",
}


def is_uncertain(confidence: float | None) -> bool:
    """Whether the reader was unsure of an item (an item a person wrote has no confidence: it is not)."""
    return confidence is not None and confidence < UNCERTAIN


def reason_lines(reasons: dict[str, str]) -> list[str]:
    """Reasons as the review page lists them: 年份：年份取自文件标题."""
    return [f"{REASON_FIELDS.get(key, key)}：{why}" for key, why in reasons.items() if why]


def actor_units_clause(actor: Actor) -> ColumnElement[bool] | None:
    """The assignment units that are the actor's own: a department's unit, a district officer's district
    government; None for roles that own no unit (all or nothing is decided by the caller)."""
    if actor.role is Role.DEPARTMENT and actor.unit_id:
        return AssignmentUnit.unit_id == actor.unit_id
    if actor.role is Role.DISTRICT and actor.region_code:
        district_units = select(Unit.id).where(
            Unit.kind == "district", within_clause(Unit.region_code, actor.region_code)
        )
        return AssignmentUnit.unit_id.in_(district_units)
    return None


def plan_clause(actor: Actor) -> ColumnElement[bool]:
    """Plans the actor may see."""
    if actor.reads_everything:
        return true()
    unit_clause = actor_units_clause(actor)
    if unit_clause is None:
        return false()
    assigned = (
        select(PlanTask.plan_id)
        .join(TaskAssignment, TaskAssignment.task_id == PlanTask.id)
        .join(AssignmentUnit, AssignmentUnit.assignment_id == TaskAssignment.id)
        .where(unit_clause)
    )
    return and_(Plan.status == "confirmed", Plan.id.in_(assigned))


@dataclass(frozen=True)
class PlanSummary:
    id: int
    title: str
    doc_number: str | None
    issuer: str | None
    year: int | None
    status: str
    targets: int
    tasks: int
    pending: int
    created_at: datetime
    confirmed_at: datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def list_plans(session: Session, actor: Actor, status: str | None = None) -> list[PlanSummary]:
    """Plans the actor may see, newest first, with item counts."""
    query = select(Plan).where(plan_clause(actor)).order_by(Plan.created_at.desc(), Plan.id.desc())
    if status:
        query = query.where(Plan.status == status)
    plans = list(session.scalars(query))
    ids = [p.id for p in plans]
    counts: dict[tuple[int, str], int] = {}
    pending: dict[int, int] = {}
    for model, kind in ((PlanTarget, "targets"), (PlanTask, "tasks")):
        rows = session.execute(
            select(model.plan_id, model.review_status, func.count())
            .where(model.plan_id.in_(ids))
            .group_by(model.plan_id, model.review_status)
        )
        for plan_id, review, n in rows:
            counts[(plan_id, kind)] = counts.get((plan_id, kind), 0) + n
            if review == "pending":
                pending[plan_id] = pending.get(plan_id, 0) + n
    return [
        PlanSummary(
            id=p.id,
            title=p.title,
            doc_number=p.doc_number,
            issuer=p.issuer,
            year=p.year,
            status=p.status,
            targets=counts.get((p.id, "targets"), 0),
            tasks=counts.get((p.id, "tasks"), 0),
            pending=pending.get(p.id, 0),
            created_at=p.created_at,
            confirmed_at=p.confirmed_at,
        )
        for p in plans
    ]


def get_plan(session: Session, actor: Actor, plan_id: int) -> Plan:
    """One plan with its targets, tasks, assignments and units loaded; NotFound when it is not visible."""
    plan = session.scalars(
        select(Plan)
        .where(Plan.id == plan_id, plan_clause(actor))
        .options(
            selectinload(Plan.targets),
            selectinload(Plan.tasks).selectinload(PlanTask.assignments).selectinload(TaskAssignment.units),
        )
    ).first()
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    return plan


def display_units(units: list[AssignmentUnit], role: str, names: dict[int, str]) -> list[str]:
    """The units of one role as a table shows them: the matched unit's name, or the text as written for an
    expanded group (各区(市)) or an unmatched name."""
    groups: dict[str, list[AssignmentUnit]] = {}
    for unit in units:
        if unit.role == role:
            groups.setdefault(unit.unit_text, []).append(unit)
    shown: list[str] = []
    for text, rows in groups.items():
        if len(rows) == 1 and rows[0].unit_id is not None:
            shown.append(names.get(rows[0].unit_id, text))
        else:
            shown.append(text)
    return list(dict.fromkeys(shown))


@dataclass
class AssignmentRow:
    id: int
    lead: list[str]
    responsible: list[str]
    cooperating: list[str]
    deadline: date | None
    deadline_text: str | None
    note_text: str
    unit_ids: set[int] = field(default_factory=set)
    unmatched: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)  # role -> unit names as written
    confidence: float | None = None
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def reason_lines(self) -> list[str]:
        return reason_lines(self.reasons)

    @property
    def deadline_label(self) -> str:
        if self.deadline_text and self.deadline:
            return f"{self.deadline_text}({self.deadline.isoformat()})"
        if self.deadline:
            return self.deadline.isoformat()
        return self.deadline_text or ""


@dataclass
class TaskRow:
    """A task with its assignments as names, for tables, filters and the export."""

    id: int
    plan_id: int
    plan_title: str
    position: int
    number: str
    path: list[str]
    title: str | None
    text: str
    review_status: str
    span_start: int | None
    span_end: int | None
    assignments: list[AssignmentRow]

    @property
    def label(self) -> str:
        return self.title or self.text

    @property
    def confidence(self) -> float | None:
        """The least sure of its assignments (None when the reader said nothing: a person wrote them)."""
        known = [a.confidence for a in self.assignments if a.confidence is not None]
        return min(known) if known else None

    @property
    def path_label(self) -> str:
        return ".".join(self.path)


def _task_row(task: PlanTask, plan_title: str, names: dict[int, str]) -> TaskRow:
    rows = [
        AssignmentRow(
            id=a.id,
            lead=display_units(a.units, "lead", names),
            responsible=display_units(a.units, "responsible", names),
            cooperating=display_units(a.units, "cooperating", names),
            deadline=a.deadline,
            deadline_text=a.deadline_text,
            note_text=a.note_text,
            unit_ids={u.unit_id for u in a.units if u.unit_id is not None},
            unmatched=[u.unit_text for u in a.units if u.unit_id is None],
            texts={
                role: list(dict.fromkeys(u.unit_text for u in a.units if u.role == role))
                for role in ("lead", "responsible", "cooperating")
            },
            confidence=a.confidence,
            reasons=dict(a.reasons or {}),
        )
        for a in task.assignments
    ]
    return TaskRow(
        id=task.id,
        plan_id=task.plan_id,
        plan_title=plan_title,
        position=task.position,
        number=task.number,
        path=list(task.path or []),
        title=task.title,
        text=task.text,
        review_status=task.review_status,
        span_start=task.span_start,
        span_end=task.span_end,
        assignments=rows,
    )


def _keep(row: AssignmentRow, unit_id: int | None, due_from: date | None, due_to: date | None) -> bool:
    if unit_id is not None and unit_id not in row.unit_ids:
        return False
    if due_from is not None and (row.deadline is None or row.deadline < due_from):
        return False
    return not (due_to is not None and (row.deadline is None or row.deadline > due_to))


def task_rows(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    unit_id: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    include_rejected: bool = True,
) -> list[TaskRow]:
    """A plan's tasks, optionally only those with an assignment to `unit_id` due within [due_from, due_to]
    (each kept task then shows only its matching assignments)."""
    plan = get_plan(session, actor, plan_id)
    names = unit_names(
        session, (u.unit_id for t in plan.tasks for a in t.assignments for u in a.units if u.unit_id)
    )
    filtering = unit_id is not None or due_from is not None or due_to is not None
    rows: list[TaskRow] = []
    for task in plan.tasks:
        if not include_rejected and task.review_status == "rejected":
            continue
        row = _task_row(task, plan.title, names)
        if filtering:
            row.assignments = [a for a in row.assignments if _keep(a, unit_id, due_from, due_to)]
            if not row.assignments:
                continue
        rows.append(row)
    return rows


@dataclass(frozen=True)
class TargetRow:
    id: int
    position: int
    indicator: str
    measure: str
    value: float
    unit: str
    qualifier: str
    target_year: int | None
    base_year: int | None
    text: str
    review_status: str
    span_start: int | None
    span_end: int | None
    confidence: float | None = None
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def reason_lines(self) -> list[str]:
        return reason_lines(self.reasons)

    @property
    def value_label(self) -> str:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return f"{value}{self.unit}"

    @property
    def measure_label(self) -> str:
        return MEASURE_LABELS.get(self.measure, self.measure)

    @property
    def qualifier_label(self) -> str:
        return QUALIFIER_LABELS.get(self.qualifier, self.qualifier)


def target_rows(
    session: Session, actor: Actor, plan_id: int, *, include_rejected: bool = True
) -> list[TargetRow]:
    plan = get_plan(session, actor, plan_id)
    return [
        TargetRow(
            id=t.id,
            position=t.position,
            indicator=t.indicator,
            measure=t.measure,
            value=t.value,
            unit=t.unit,
            qualifier=t.qualifier,
            target_year=t.target_year,
            base_year=t.base_year,
            text=t.text,
            review_status=t.review_status,
            span_start=t.span_start,
            span_end=t.span_end,
            confidence=t.confidence,
            reasons=dict(t.reasons or {}),
        )
        for t in plan.targets
        if include_rejected or t.review_status != "rejected"
    ]


def plan_units(session: Session, actor: Actor, plan_id: int) -> list[Unit]:
    """The organisation units a plan assigns work to (for the unit filter)."""
    get_plan(session, actor, plan_id)
    assigned = (
        select(AssignmentUnit.unit_id)
        .join(TaskAssignment, TaskAssignment.id == AssignmentUnit.assignment_id)
        .join(PlanTask, PlanTask.id == TaskAssignment.task_id)
        .where(PlanTask.plan_id == plan_id)
    )
    query = select(Unit).where(Unit.id.in_(assigned))
    order = {"department": 0, "district": 1, "other": 2}
    return sorted(session.scalars(query), key=lambda u: (order.get(u.kind, 3), u.id))


@dataclass(frozen=True)
class Segment:
    """A piece of the source text and the items (`t<id>` targets, `k<id>` tasks) whose span covers it."""

    text: str
    items: tuple[str, ...]


def source_segments(text: str, spans: list[tuple[str, int | None, int | None]]) -> list[Segment]:
    """Cut `text` at every span boundary so each piece can be marked with the items it belongs to."""
    valid = [
        (key, s, e) for key, s, e in spans if s is not None and e is not None and 0 <= s < e <= len(text)
    ]
    cuts = sorted({0, len(text), *(s for _, s, _ in valid), *(e for _, _, e in valid)})
    segments: list[Segment] = []
    for start, end in pairwise(cuts):
        items = tuple(key for key, s, e in valid if s <= start and end <= e)
        segments.append(Segment(text[start:end], items))
    return segments


@dataclass
class ReviewPage:
    """Everything the review page of a plan shows."""

    plan: Plan
    targets: list[TargetRow]
    tasks: list[TaskRow]
    segments: list[Segment]
    unmatched: list[Unmatched]
    units: list[Unit]
    order: str = "document"  # document | uncertain (待核实优先)

    @property
    def uncertain(self) -> int:
        """How many items the reader was unsure of (confidence below UNCERTAIN)."""
        items: list[TargetRow | TaskRow] = [*self.targets, *self.tasks]
        return sum(1 for item in items if is_uncertain(item.confidence))

    @property
    def heading_reasons(self) -> list[str]:
        return reason_lines(self.plan.reasons or {})

    @property
    def pending(self) -> int:
        items: list[TargetRow | TaskRow] = [*self.targets, *self.tasks]
        return sum(1 for item in items if item.review_status == "pending")


def _to_check(item: TargetRow | TaskRow) -> tuple[bool, float, int]:
    """待核实优先: items still to review before reviewed ones, the least sure first, then document order."""
    sure = 1.0 if item.confidence is None else item.confidence
    return (item.review_status != "pending", sure, item.position)


def review_page(session: Session, actor: Actor, plan_id: int, order: str = "document") -> ReviewPage:
    """The review page's data; `order="uncertain"` puts the items the reader was least sure of first
    (待核实优先), otherwise items stay in the document's order."""
    if order not in REVIEW_ORDERS:
        raise InvalidInput(f"排序方式无效: {order}(应为 {' / '.join(REVIEW_ORDERS)})")
    plan = get_plan(session, actor, plan_id)
    targets = target_rows(session, actor, plan_id)
    tasks = task_rows(session, actor, plan_id)
    if order == "uncertain":
        targets.sort(key=_to_check)
        tasks.sort(key=_to_check)
    spans = [(f"t{t.id}", t.span_start, t.span_end) for t in targets]
    spans += [(f"k{t.id}", t.span_start, t.span_end) for t in tasks]
    return ReviewPage(
        plan=plan,
        targets=targets,
        tasks=tasks,
        segments=source_segments(plan.source_text, spans),
        unmatched=unmatched_units(session, plan_id),
        units=all_units(session),
        order=order,
    )
