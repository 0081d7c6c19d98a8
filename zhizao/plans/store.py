"""Keeping plans: create one from an extraction (the FORMAT.md shape), review its items, confirm it.

A plan starts in `review`: every target and task is `pending` until a person accepts or rejects it, and
may be edited meanwhile. Confirming needs no pending item left (or accepts the rest when asked); rejected
items are then removed, so a confirmed plan holds exactly what was accepted. Every change is audited under
the acting person's name.
"""

from __future__ import annotations

import calendar
import re
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import utcnow
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.plans.models import AssignmentUnit, Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.plans.units import UnitMatcher, split_units
from zhizao.reference.models import Unit

MEASURES = ("level", "growth", "reduction", "share", "increase", "rank")
QUALIFIERS = ("about", "at_least", "at_most", "exact")
REVIEW_STATES = ("pending", "accepted", "rejected")
ROLES = (("lead_units", "lead"), ("responsible_units", "responsible"), ("cooperating_units", "cooperating"))
_EDITORS = (Role.ADMIN, Role.ANALYST)
UPLOAD_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")


# ---- reading values -------------------------------------------------------------------------------------


def parse_deadline(text: str | None, year: int | None = None) -> date | None:
    """The last day of the period a deadline names: 2024-06-30, 2024年6月 -> 2024-06-30, 2025年底 ->
    2025-12-31, 全年/年底/年内 -> the plan year's 12-31. None when the text names no period."""
    value = (text or "").strip()
    if not value:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(\d{4})年(\d{1,2})月", value):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, calendar.monthrange(y, mo)[1]) if 1 <= mo <= 12 else None
    if m := re.search(r"(\d{4})年", value):
        return date(int(m[1]), 12, 31)
    if year and re.search(r"全年|年底|年内|年末|持续推进|长期坚持", value):
        return date(year, 12, 31)
    return None


def _date(value: Any, problems: Problems, row: int | None, column: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.error(f"日期格式应为 YYYY-MM-DD: {value}", row, column)
        return None


def _number(value: Any, problems: Problems, row: int | None, column: str) -> float | None:
    if isinstance(value, bool):
        problems.error(f"数值无效: {value}", row, column)
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        problems.error(f"数值无效: {value}", row, column)
        return None


def _year(value: Any, problems: Problems, row: int | None, column: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        problems.error(f"年份无效: {value}", row, column)
        return None
    if not 1949 <= year <= 2100:
        problems.error(f"年份超出范围: {year}", row, column)
        return None
    return year


def _choice(value: Any, allowed: tuple[str, ...], problems: Problems, row: int | None, column: str) -> str:
    if value not in allowed:
        problems.error(f"取值无效: {value}(应为 {' / '.join(allowed)})", row, column)
        return allowed[0]
    return str(value)


def _span(item: Mapping[str, Any], length: int) -> tuple[int | None, int | None]:
    span = item.get("source_span") or item.get("span")
    if span is None and "start" in item and "end" in item:
        span = (item["start"], item["end"])
    if span is None:
        return None, None
    try:
        start, end = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return None, None
    if 0 <= start < end <= length:
        return start, end
    return None, None


def _unit_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_units(value)
    return [str(v).strip() for v in value if str(v).strip()]


# ---- building rows ---------------------------------------------------------------------------------------


def _target(item: Mapping[str, Any], position: int, source: str, problems: Problems) -> PlanTarget:
    row = position + 1
    indicator = str(item.get("indicator") or "").strip()
    if not indicator:
        problems.error("目标缺少指标名称", row, "indicator")
    start, end = _span(item, len(source))
    return PlanTarget(
        position=position,
        indicator=indicator[:200],
        measure=_choice(item.get("measure"), MEASURES, problems, row, "measure"),
        value=_number(item.get("value"), problems, row, "value") or 0.0,
        unit=str(item.get("unit") or "")[:30],
        qualifier=_choice(item.get("qualifier") or "exact", QUALIFIERS, problems, row, "qualifier"),
        target_year=_year(item.get("target_year"), problems, row, "target_year"),
        base_year=_year(item.get("base_year"), problems, row, "base_year"),
        text=str(item.get("text") or ""),
        span_start=start,
        span_end=end,
    )


def _fill_units(assignment: TaskAssignment, names: Mapping[str, list[str]], matcher: UnitMatcher) -> None:
    assignment.units.clear()
    position = 0
    for key, role in ROLES:
        for text in names.get(key, []):
            matches: list[Unit | None] = [*matcher.match(text)] or [None]
            for unit in matches:
                assignment.units.append(
                    AssignmentUnit(
                        position=position, role=role, unit_text=text[:200], unit_id=unit.id if unit else None
                    )
                )
                position += 1


def _assignment(
    item: Mapping[str, Any],
    position: int,
    row: int,
    year: int | None,
    matcher: UnitMatcher,
    problems: Problems,
) -> TaskAssignment:
    deadline_text = item.get("deadline_text") or None
    deadline = _date(item.get("deadline"), problems, row, "deadline") or parse_deadline(deadline_text, year)
    assignment = TaskAssignment(
        position=position,
        deadline=deadline,
        deadline_text=str(deadline_text)[:100] if deadline_text else None,
        note_text=str(item.get("text") or ""),
    )
    _fill_units(assignment, {key: _unit_list(item.get(key)) for key, _ in ROLES}, matcher)
    return assignment


def _task(
    item: Mapping[str, Any],
    position: int,
    source: str,
    year: int | None,
    matcher: UnitMatcher,
    problems: Problems,
) -> PlanTask:
    row = position + 1
    start, end = _span(item, len(source))
    title = item.get("title")
    text = str(item.get("text") or (source[start:end] if start is not None else "") or title or "")
    if not title and not text:
        problems.error("任务既无标题也无原文", row, "title")
    task = PlanTask(
        position=position,
        number=str(item.get("number") or "")[:20],
        path=[str(p) for p in item.get("path") or []],
        title=str(title)[:300] if title else None,
        text=text,
        span_start=start,
        span_end=end,
    )
    for index, note in enumerate(item.get("assignments") or []):
        task.assignments.append(_assignment(note, index, row, year, matcher, problems))
    return task


def create_plan_from_extraction(
    session: Session,
    actor: Actor,
    data: Mapping[str, Any],
    source_text: str,
    filename: str,
    *,
    confirmed: bool = False,
) -> Plan:
    """Store an extraction (FORMAT.md shape, with optional `source_span` offsets into `source_text`) as a
    plan in review, every item pending; with `confirmed=True`, as a confirmed plan with every item accepted.
    Nothing is written when the extraction has errors."""
    require_role(actor, *_EDITORS)
    problems = Problems()
    title = str(data.get("title") or "").strip() or PurePath(filename).stem.strip()
    if not title:
        problems.error("未识别出文件标题", None, "title")
    year = _year(data.get("year"), problems, None, "year")
    matcher = UnitMatcher.load(session)
    targets = [_target(t, i, source_text, problems) for i, t in enumerate(data.get("targets") or [])]
    tasks = [_task(t, i, source_text, year, matcher, problems) for i, t in enumerate(data.get("tasks") or [])]
    if problems.errors:
        raise InvalidInput("提取结果有误,计划未保存", problems.items)
    status = "accepted" if confirmed else "pending"
    reviewed: list[PlanTarget | PlanTask] = [*targets, *tasks]
    for item in reviewed:
        item.review_status = status
    plan = Plan(
        title=title[:300],
        doc_number=(str(data.get("doc_number"))[:100] if data.get("doc_number") else None),
        issuer=(str(data.get("issuer"))[:200] if data.get("issuer") else None),
        year=year,
        status="confirmed" if confirmed else "review",
        source_filename=PurePath(filename).name[:300],
        source_text=source_text,
        created_by=actor.username,
        confirmed_by=actor.username if confirmed else None,
        confirmed_at=utcnow() if confirmed else None,
        targets=targets,
        tasks=tasks,
    )
    with acting_as(actor.username):
        session.add(plan)
        session.flush()
    return plan


# ---- review ---------------------------------------------------------------------------------------------


def _plan_in_review(session: Session, actor: Actor, plan_id: int) -> Plan:
    require_role(actor, *_EDITORS)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    if plan.status != "review":
        raise InvalidInput("计划已确认,不能再修改")
    return plan


def _item(session: Session, actor: Actor, model: type[Any], item_id: int) -> Any:
    item = session.get(model, item_id)
    if item is None:
        raise NotFound(f"条目 {item_id} 不存在")
    plan_id = item.plan_id if hasattr(item, "plan_id") else item.task.plan_id
    _plan_in_review(session, actor, plan_id)
    return item


def update_target(session: Session, actor: Actor, target_id: int, changes: Mapping[str, Any]) -> PlanTarget:
    """Edit a target's indicator, measure, value, unit, qualifier, target_year or base_year."""
    target: PlanTarget = _item(session, actor, PlanTarget, target_id)
    problems = Problems()
    values: dict[str, Any] = {}
    for key, raw in changes.items():
        if key == "indicator":
            values[key] = str(raw or "").strip()[:200]
            if not values[key]:
                problems.error("指标名称不能为空", None, key)
        elif key == "measure":
            values[key] = _choice(raw, MEASURES, problems, None, key)
        elif key == "qualifier":
            values[key] = _choice(raw, QUALIFIERS, problems, None, key)
        elif key == "value":
            values[key] = _number(raw, problems, None, key)
        elif key == "unit":
            values[key] = str(raw or "").strip()[:30]
        elif key in ("target_year", "base_year"):
            values[key] = _year(raw, problems, None, key)
        else:
            problems.error(f"不能修改的字段: {key}", None, key)
    if problems.errors:
        raise InvalidInput("目标修改有误", problems.items)
    with acting_as(actor.username):
        for key, value in values.items():
            setattr(target, key, value)
        session.flush()
    return target


def update_task(session: Session, actor: Actor, task_id: int, changes: Mapping[str, Any]) -> PlanTask:
    """Edit a task's number or title."""
    task: PlanTask = _item(session, actor, PlanTask, task_id)
    unknown = set(changes) - {"number", "title"}
    if unknown:
        raise InvalidInput(f"不能修改的字段: {', '.join(sorted(unknown))}")
    with acting_as(actor.username):
        if "number" in changes:
            task.number = str(changes["number"] or "").strip()[:20]
        if "title" in changes:
            task.title = str(changes["title"] or "").strip()[:300] or None
        session.flush()
    return task


def update_assignment(
    session: Session, actor: Actor, assignment_id: int, changes: Mapping[str, Any]
) -> TaskAssignment:
    """Edit an assignment's units (lead_units, responsible_units, cooperating_units: a list or a 、-separated
    string; matched again) and its deadline (YYYY-MM-DD, or read from deadline_text when empty)."""
    assignment: TaskAssignment = _item(session, actor, TaskAssignment, assignment_id)
    unknown = set(changes) - {
        "lead_units",
        "responsible_units",
        "cooperating_units",
        "deadline",
        "deadline_text",
    }
    if unknown:
        raise InvalidInput(f"不能修改的字段: {', '.join(sorted(unknown))}")
    problems = Problems()
    plan_year = assignment.task.plan.year
    deadline_text = changes.get("deadline_text", assignment.deadline_text)
    deadline = assignment.deadline
    if "deadline" in changes or "deadline_text" in changes:
        deadline = _date(changes.get("deadline"), problems, None, "deadline") or parse_deadline(
            deadline_text, plan_year
        )
    if problems.errors:
        raise InvalidInput("任务分工修改有误", problems.items)
    with acting_as(actor.username):
        if any(key in changes for key, _ in ROLES):
            current = {key: [u.unit_text for u in assignment.units if u.role == role] for key, role in ROLES}
            names = {
                key: _dedupe(_unit_list(changes[key])) if key in changes else current[key] for key, _ in ROLES
            }
            _fill_units(assignment, names, UnitMatcher.load(session))
        assignment.deadline = deadline
        assignment.deadline_text = str(deadline_text).strip()[:100] if deadline_text else None
        session.flush()
    return assignment


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def add_assignment(session: Session, actor: Actor, task_id: int) -> TaskAssignment:
    """Add an empty responsibility note to a task (to be filled with `update_assignment`)."""
    task: PlanTask = _item(session, actor, PlanTask, task_id)
    with acting_as(actor.username):
        assignment = TaskAssignment(position=len(task.assignments))
        task.assignments.append(assignment)
        session.flush()
    return assignment


def set_review_status(session: Session, actor: Actor, kind: str, item_id: int, status: str) -> Any:
    """Accept, reject or reset (pending) one target (`kind="target"`) or task (`kind="task"`)."""
    models = {"target": PlanTarget, "task": PlanTask}
    if kind not in models:
        raise InvalidInput(f"条目类型无效: {kind}")
    if status not in REVIEW_STATES:
        raise InvalidInput(f"审核状态无效: {status}")
    item = _item(session, actor, models[kind], item_id)
    with acting_as(actor.username):
        item.review_status = status
        session.flush()
    return item


def set_all_review_status(session: Session, actor: Actor, plan_id: int, status: str) -> int:
    """Set every pending item of a plan to `status`. Returns the number of items changed."""
    if status not in REVIEW_STATES:
        raise InvalidInput(f"审核状态无效: {status}")
    plan = _plan_in_review(session, actor, plan_id)
    changed = 0
    with acting_as(actor.username):
        items: list[PlanTarget | PlanTask] = [*plan.targets, *plan.tasks]
        for item in items:
            if item.review_status == "pending":
                item.review_status = status
                changed += 1
        session.flush()
    return changed


def confirm_plan(session: Session, actor: Actor, plan_id: int, *, accept_pending: bool = False) -> Plan:
    """Confirm a plan in review. Pending items block it unless `accept_pending`; rejected items are
    removed."""
    plan = _plan_in_review(session, actor, plan_id)
    items: list[PlanTarget | PlanTask] = [*plan.targets, *plan.tasks]
    pending = [i for i in items if i.review_status == "pending"]
    if pending and not accept_pending:
        raise InvalidInput(f"还有 {len(pending)} 条未审核,请先接受或驳回")
    if not any(i.review_status != "rejected" for i in items):
        raise InvalidInput("计划没有任何已接受的目标或任务")
    with acting_as(actor.username):
        for item in pending:
            item.review_status = "accepted"
        plan.targets = [t for t in plan.targets if t.review_status == "accepted"]
        plan.tasks = [t for t in plan.tasks if t.review_status == "accepted"]
        plan.status = "confirmed"
        plan.confirmed_by = actor.username
        plan.confirmed_at = utcnow()
        session.flush()
    return plan


def delete_plan(session: Session, actor: Actor, plan_id: int) -> None:
    """Delete a plan with all its items (administrators; analysts only while it is in review)."""
    require_role(actor, *_EDITORS)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    if plan.status == "confirmed" and actor.role is not Role.ADMIN:
        raise InvalidInput("已确认的计划只有管理员可以删除")
    with acting_as(actor.username):
        session.delete(plan)
        session.flush()


def plan_titled(session: Session, title: str) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.title == title)).first()


# ---- importing documents --------------------------------------------------------------------------------


def import_text(session: Session, actor: Actor, text: str, filename: str, *, confirmed: bool = False) -> Plan:
    """Read pasted or extracted text (zhizao.plans.reading) and store it as a plan in review."""
    from zhizao.plans.reading import parse_text

    extraction = parse_text(text)
    return create_plan_from_extraction(
        session, actor, extraction.to_json(), text, filename, confirmed=confirmed
    )


def import_document(session: Session, actor: Actor, path: str | Path) -> Plan:
    """Read a document file (.txt, .docx, .html, .pdf with a text layer) and store it as a plan in review."""
    from zhizao.plans.reading.sources import read_source

    source = Path(path)
    if not source.is_file():
        raise NotFound(f"文件不存在: {source}")
    return import_text(session, actor, read_source(source), source.name)


def import_upload(session: Session, actor: Actor, filename: str, content: bytes) -> Plan:
    """Store an uploaded document (its name gives the format) as a plan in review."""
    require_role(actor, *_EDITORS)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InvalidInput(
            f"不支持的文件类型: {suffix or '(无扩展名)'};请上传 {' '.join(UPLOAD_SUFFIXES)} 文件"
        )
    if not content:
        raise InvalidInput("上传的文件是空的")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        plan = import_document(session, actor, path)
    plan.source_filename = PurePath(filename).name[:300]
    session.flush()
    return plan
