"""Task assignments and their progress reports, with the scope rule: a department user sees and reports on
the assignments where their unit is the lead or a responsible unit; a district officer sees those of their
district government (the unit `plans.queries` matches to their region) and does not report; administrators
and analysts see all (analysts do not report). An assignment or attachment out of scope is `NotFound`,
exactly like a missing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import Session, selectinload

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.plans.models import AssignmentUnit, PlanTask, TaskAssignment
from zhizao.plans.queries import actor_units_clause
from zhizao.plans.units import unit_names
from zhizao.reference.models import Unit
from zhizao.tracking import attachments as files
from zhizao.tracking.models import Attachment, ProgressReport

OWNING_ROLES = ("lead", "responsible")


class ReportStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return REPORT_STATUS_LABELS[self]


REPORT_STATUS_LABELS = {
    ReportStatus.NOT_STARTED: "未启动",
    ReportStatus.IN_PROGRESS: "推进中",
    ReportStatus.COMPLETED: "已完成",
    ReportStatus.BLOCKED: "受阻",
}
_STATUS_BY_LABEL = {label: status for status, label in REPORT_STATUS_LABELS.items()}


def parse_report_status(value: str) -> ReportStatus:
    value = (value or "").strip()
    if value in _STATUS_BY_LABEL:
        return _STATUS_BY_LABEL[value]
    try:
        return ReportStatus(value)
    except ValueError:
        raise InvalidInput("状态应为 未启动、推进中、已完成 或 受阻") from None


class ReopenNeeded(InvalidInput):
    """The report would turn a completed assignment back; the user has to confirm it."""


@dataclass(frozen=True)
class AssignmentView:
    id: int
    plan_id: int
    task_id: int
    task_number: str
    task_title: str
    deadline: date | None
    deadline_text: str | None
    lead_units: list[tuple[int | None, str]]
    responsible_units: list[tuple[int | None, str]]
    latest: ProgressReport | None

    @property
    def owner(self) -> tuple[int | None, str]:
        """The unit the assignment belongs to: its first lead unit (or first responsible unit)."""
        units = self.lead_units or self.responsible_units
        return units[0] if units else (None, "未明确单位")

    @property
    def status(self) -> ReportStatus:
        return ReportStatus(self.latest.status) if self.latest else ReportStatus.NOT_STARTED

    @property
    def task_label(self) -> str:
        return f"{self.task_number} {self.task_title}".strip()


def assignment_clause(actor: Actor) -> ColumnElement[bool]:
    """Assignments the actor may see."""
    if actor.reads_everything:
        return true()
    units = actor_units_clause(actor)  # a department's unit, a district officer's district government
    if units is None:
        return false()
    return exists().where(
        AssignmentUnit.assignment_id == TaskAssignment.id, AssignmentUnit.role.in_(OWNING_ROLES), units
    )


def _units(assignment: TaskAssignment, role: str, names: dict[int, str]) -> list[tuple[int | None, str]]:
    return [
        (u.unit_id, names.get(u.unit_id, u.unit_text) if u.unit_id else u.unit_text)
        for u in assignment.units
        if u.role == role
    ]


def latest_reports(
    session: Session, assignment_ids: Sequence[int], as_of: date | None = None
) -> dict[int, ProgressReport]:
    """The latest report of each assignment (made on or before `as_of`, when given)."""
    latest: dict[int, ProgressReport] = {}
    if not assignment_ids:
        return latest
    stmt = select(ProgressReport).where(ProgressReport.assignment_id.in_(assignment_ids))
    if as_of is not None:
        stmt = stmt.where(ProgressReport.reported_on <= as_of)
    reports = session.scalars(stmt.order_by(ProgressReport.reported_on, ProgressReport.id))
    for report in reports:
        latest[report.assignment_id] = report
    return latest


def list_assignments(
    session: Session,
    actor: Actor,
    plan_id: int | None = None,
    unit_id: int | None = None,
    as_of: date | None = None,
) -> list[AssignmentView]:
    """The assignments the actor may see, each with its latest report (as of `as_of`, when given)."""
    stmt = (
        select(TaskAssignment)
        .join(PlanTask)
        .where(assignment_clause(actor), PlanTask.review_status != "rejected")
        .options(selectinload(TaskAssignment.units), selectinload(TaskAssignment.task))
        .order_by(PlanTask.plan_id, PlanTask.position, TaskAssignment.position, TaskAssignment.id)
    )
    if plan_id is not None:
        stmt = stmt.where(PlanTask.plan_id == plan_id)
    if unit_id is not None:
        stmt = stmt.where(
            exists().where(
                AssignmentUnit.assignment_id == TaskAssignment.id,
                AssignmentUnit.unit_id == unit_id,
                AssignmentUnit.role.in_(OWNING_ROLES),
            )
        )
    assignments = list(session.scalars(stmt))
    names = {row.id: row.name for row in session.execute(select(Unit.id, Unit.name))}
    latest = latest_reports(session, [a.id for a in assignments], as_of)
    return [_view(a, names, latest) for a in assignments]


def _view(a: TaskAssignment, names: dict[int, str], latest: dict[int, ProgressReport]) -> AssignmentView:
    return AssignmentView(
        a.id,
        a.task.plan_id,
        a.task_id,
        a.task.number,
        a.task.title or a.task.text[:40],
        a.deadline,
        a.deadline_text,
        _units(a, "lead", names),
        _units(a, "responsible", names),
        latest.get(a.id),
    )


def get_assignment(session: Session, actor: Actor, assignment_id: int) -> TaskAssignment:
    """The assignment, if the actor may see it (NotFound otherwise, whether or not it exists)."""
    assignment = session.scalar(
        select(TaskAssignment).where(TaskAssignment.id == assignment_id, assignment_clause(actor))
    )
    if assignment is None:
        raise NotFound(f"任务分工 {assignment_id} 不存在")
    return assignment


def get_assignment_view(session: Session, actor: Actor, assignment_id: int) -> AssignmentView:
    """One assignment as the lists show it, with its latest report (NotFound when out of scope)."""
    assignment = get_assignment(session, actor, assignment_id)
    names = unit_names(session, (u.unit_id for u in assignment.units if u.unit_id))
    return _view(assignment, names, latest_reports(session, [assignment.id]))


def report_history(session: Session, actor: Actor, assignment_id: int) -> list[ProgressReport]:
    get_assignment(session, actor, assignment_id)
    return list(
        session.scalars(
            select(ProgressReport)
            .where(ProgressReport.assignment_id == assignment_id)
            .options(selectinload(ProgressReport.attachments))
            .order_by(ProgressReport.reported_on.desc(), ProgressReport.id.desc())
        )
    )


def _reporting_unit(assignment: TaskAssignment, actor: Actor) -> int | None:
    if actor.role is Role.DEPARTMENT:
        return actor.unit_id
    owners = [u.unit_id for u in assignment.units if u.role in OWNING_ROLES and u.unit_id]
    return owners[0] if owners else None


def report_progress(
    session: Session,
    actor: Actor,
    assignment_id: int,
    *,
    reported_on: date,
    text: str,
    status: str,
    percent: int | None = None,
    uploads: Sequence[tuple[str, bytes]] = (),
    upload_dir: Path | None = None,
    reopen: bool = False,
) -> ProgressReport:
    """Add a progress report (with attachments). Everything is checked before anything is written.

    A report that would turn a completed assignment back to another status (a late or mistaken report
    made on or after the completion report) is refused with `ReopenNeeded` unless `reopen` says the user
    meant it; one dated before the completion does not change the status and goes in as history."""
    if actor.role not in (Role.ADMIN, Role.DEPARTMENT):
        raise Forbidden("当前账号无权报送任务进展")
    assignment = get_assignment(session, actor, assignment_id)
    parsed = parse_report_status(status)
    if not (text or "").strip():
        raise InvalidInput("请填写进展情况")
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInput("完成百分比应在 0–100 之间")
    if parsed is ReportStatus.COMPLETED and percent is None:
        percent = 100
    checked = [files.check_file(name, data) for name, data in uploads]
    completed = latest_reports(session, [assignment.id]).get(assignment.id)
    if (
        not reopen
        and parsed is not ReportStatus.COMPLETED
        and completed is not None
        and completed.status == ReportStatus.COMPLETED.value
        and reported_on >= completed.reported_on
    ):
        raise ReopenNeeded(
            f"该任务已于 {completed.reported_on.isoformat()} 报送“已完成”；"
            f"本次报送将把状态改为“{parsed.label}”。"
            "如确需改回，请勾选“确认改变已完成状态”后再提交；如只是补充材料，请将状态选为“已完成”。"
        )
    report = ProgressReport(
        assignment_id=assignment.id,
        unit_id=_reporting_unit(assignment, actor),
        reported_on=reported_on,
        text=text.strip(),
        percent=percent,
        status=parsed.value,
        author=actor.username,
    )
    stored: list[str] = []
    try:
        for item in checked:
            name = files.store(item, upload_dir)
            stored.append(name)
            report.attachments.append(
                Attachment(
                    stored_name=name,
                    original_name=item.original_name,
                    size=len(item.data),
                    content_type=item.content_type,
                    sha256=item.sha256,
                )
            )
        session.add(report)
        session.flush()
    except BaseException:
        for name in stored:
            files.remove(name, upload_dir)
        raise
    return report


def get_attachment(
    session: Session, actor: Actor, attachment_id: int, upload_dir: Path | None = None
) -> tuple[Attachment, Path]:
    """An attachment and its file path, if the actor may see the assignment it belongs to (NotFound
    otherwise, whether or not it exists)."""
    attachment = session.scalar(
        select(Attachment)
        .join(ProgressReport, ProgressReport.id == Attachment.report_id)
        .join(TaskAssignment, TaskAssignment.id == ProgressReport.assignment_id)
        .where(Attachment.id == attachment_id, assignment_clause(actor))
    )
    if attachment is None:
        raise NotFound(f"附件 {attachment_id} 不存在")
    return attachment, files.path_of(attachment.stored_name, upload_dir)
