"""Creating plans: from an extraction (the FORMAT.md shape), or from a document's text, file or upload read
by `zhizao.plans.reading`. A new plan is in review, every target and task pending (or, when asked,
confirmed with everything accepted); nothing is written when the extraction has errors.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import utcnow
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.plans.fields import (
    MEASURES,
    QUALIFIERS,
    ROLES,
    fill_units,
    read_choice,
    read_date,
    read_number,
    read_year,
    unit_list,
)
from zhizao.plans.models import Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.plans.reading.deadlines import read_deadline
from zhizao.plans.reading.sources import read_bytes
from zhizao.plans.store import EDITORS
from zhizao.plans.units import UnitMatcher
from zhizao.reference import home

UPLOAD_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".shtml", ".pdf", ".doc", ".wps")


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


def _confidence(item: Mapping[str, Any]) -> tuple[float | None, dict[str, str] | None]:
    """How sure the reader was of an item (0–1) and why; (None, None) when the extraction does not say (a
    hand-made one), and a value out of range is ignored rather than stored."""
    raw = item.get("confidence")
    confidence = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
    if confidence is not None and not 0 <= confidence <= 1:
        confidence = None
    reasons = item.get("reasons")
    if not isinstance(reasons, Mapping):
        return confidence, None
    return confidence, {str(k)[:40]: str(v)[:200] for k, v in reasons.items() if v} or None


def _target(item: Mapping[str, Any], position: int, source: str, problems: Problems) -> PlanTarget:
    row = position + 1
    indicator = str(item.get("indicator") or "").strip()
    if not indicator:
        problems.error("目标缺少指标名称", row, "indicator")
    start, end = _span(item, len(source))
    confidence, reasons = _confidence(item)
    return PlanTarget(
        confidence=confidence,
        reasons=reasons,
        position=position,
        indicator=indicator[:200],
        measure=read_choice(item.get("measure"), MEASURES, problems, row, "measure"),
        value=read_number(item.get("value"), problems, row, "value") or 0.0,
        unit=str(item.get("unit") or "")[:30],
        qualifier=read_choice(item.get("qualifier") or "exact", QUALIFIERS, problems, row, "qualifier"),
        target_year=read_year(item.get("target_year"), problems, row, "target_year"),
        base_year=read_year(item.get("base_year"), problems, row, "base_year"),
        text=str(item.get("text") or ""),
        span_start=start,
        span_end=end,
    )


def _assignment(
    item: Mapping[str, Any],
    position: int,
    row: int,
    year: int | None,
    matcher: UnitMatcher,
    problems: Problems,
) -> TaskAssignment:
    deadline_text = item.get("deadline_text") or None
    deadline = read_date(item.get("deadline"), problems, row, "deadline") or read_deadline(
        deadline_text, year
    )
    confidence, reasons = _confidence(item)
    assignment = TaskAssignment(
        position=position,
        confidence=confidence,
        reasons=reasons,
        deadline=deadline,
        deadline_text=str(deadline_text)[:100] if deadline_text else None,
        note_text=str(item.get("text") or ""),
    )
    fill_units(assignment, {key: unit_list(item.get(key)) for key, _ in ROLES}, matcher)
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
    region_code: str | None = None,
) -> Plan:
    """Store an extraction (FORMAT.md shape, with optional `source_span` offsets into `source_text`) as a
    plan in review, every item pending; with `confirmed=True`, as a confirmed plan with every item accepted.
    `region_code` is the region the document was issued for (default: the installation's region, else the
    province or city its issuer or title names). Nothing is written when the extraction has errors."""
    require_role(actor, *EDITORS)
    problems = Problems()
    title = str(data.get("title") or "").strip() or PurePath(filename).stem.strip()
    if not title:
        problems.error("未识别出文件标题", None, "title")
    year = read_year(data.get("year"), problems, None, "year")
    matcher = UnitMatcher.load(session)
    targets = [_target(t, i, source_text, problems) for i, t in enumerate(data.get("targets") or [])]
    tasks = [_task(t, i, source_text, year, matcher, problems) for i, t in enumerate(data.get("tasks") or [])]
    if problems.errors:
        raise InvalidInput("提取结果有误,计划未保存", problems.items)
    status = "accepted" if confirmed else "pending"
    reviewed: list[PlanTarget | PlanTask] = [*targets, *tasks]
    for item in reviewed:
        item.review_status = status
    # the region the issuer (or else the title) names inside the home region, else the home region itself
    named = home.region_named(session, str(data.get("issuer") or "")) or home.region_named(session, title)
    plan = Plan(
        title=title[:300],
        region_code=region_code or named or home.home_region_code(),
        doc_number=(str(data.get("doc_number"))[:100] if data.get("doc_number") else None),
        issuer=(str(data.get("issuer"))[:200] if data.get("issuer") else None),
        year=year,
        reasons=_confidence(data)[1],
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


def check_upload(filename: str, content: bytes) -> str:
    """The upload's suffix, if it is a document this reader takes and not empty; InvalidInput otherwise
    (checked in the request, before the reading runs as a job)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InvalidInput(
            f"不支持的文件类型: {suffix or '(无扩展名)'};请上传 {' '.join(UPLOAD_SUFFIXES)} 文件"
        )
    if not content:
        raise InvalidInput("上传的文件是空的")
    if suffix == ".docx":  # opening a .docx takes milliseconds: a zip or entity bomb is refused here
        read_bytes(content, filename)
    return suffix


def import_upload(session: Session, actor: Actor, filename: str, content: bytes) -> Plan:
    """Store an uploaded document (its name gives the format) as a plan in review."""
    require_role(actor, *EDITORS)
    suffix = check_upload(filename, content)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        plan = import_document(session, actor, path)
    plan.source_filename = PurePath(filename).name[:300]
    session.flush()
    return plan
