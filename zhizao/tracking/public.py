"""Public shapes of tracking data for the JSON API (`/api/v1/tracking`): the same objects the pages render,
as pydantic models."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from zhizao.tracking.alerts import Alert
from zhizao.tracking.models import ProgressReport
from zhizao.tracking.targets import TargetProgress
from zhizao.tracking.tasks import AssignmentView, ReportStatus


class TargetProgressPublic(BaseModel):
    target_id: int
    indicator: str
    target: str
    measure: str
    status: str
    status_label: str
    series_id: int | None
    series_name: str | None
    latest_value: float | None
    latest_period: str | None
    completion: float | None
    gap: float | None
    schedule: float | None
    projection: float | None
    projection_method: str | None
    note: str

    @classmethod
    def of(cls, tp: TargetProgress) -> TargetProgressPublic:
        p = tp.progress
        return cls(
            target_id=tp.target_id,
            indicator=tp.indicator,
            target=tp.target_label,
            measure=tp.spec.measure,
            status=p.status.value,
            status_label=p.status.label,
            series_id=tp.series_id,
            series_name=tp.series_name,
            latest_value=p.latest.value if p.latest else None,
            latest_period=p.latest.label if p.latest else None,
            completion=p.completion,
            gap=p.gap,
            schedule=p.schedule,
            projection=p.projection.value if p.projection else None,
            projection_method=p.projection.method if p.projection else None,
            note=p.note,
        )


class PlanProgressPublic(BaseModel):
    plan_id: int
    title: str
    as_of: date
    schedule: float
    targets: list[TargetProgressPublic]


class PointPublic(BaseModel):
    year: int
    month: int
    label: str
    value: float


class TargetSeriesPublic(BaseModel):
    target: TargetProgressPublic
    as_of: date
    points: list[PointPublic]


class AssignmentPublic(BaseModel):
    id: int
    plan_id: int
    task: str
    deadline: date | None
    unit: str
    lead_units: list[str]
    responsible_units: list[str]
    status: str
    status_label: str
    reported_on: date | None
    percent: int | None

    @classmethod
    def of(cls, v: AssignmentView) -> AssignmentPublic:
        return cls(
            id=v.id,
            plan_id=v.plan_id,
            task=v.task_label,
            deadline=v.deadline,
            unit=v.owner[1],
            lead_units=[name for _, name in v.lead_units],
            responsible_units=[name for _, name in v.responsible_units],
            status=v.status.value,
            status_label=v.status.label,
            reported_on=v.latest.reported_on if v.latest else None,
            percent=v.latest.percent if v.latest else None,
        )


class AlertPublic(BaseModel):
    kind: str
    label: str
    assignment_id: int
    plan_id: int
    task: str
    unit: str
    deadline: date | None
    message: str

    @classmethod
    def of(cls, a: Alert) -> AlertPublic:
        return cls(
            kind=a.kind.value,
            label=a.label,
            assignment_id=a.assignment_id,
            plan_id=a.plan_id,
            task=a.task_label,
            unit=a.unit_name,
            deadline=a.deadline,
            message=a.message,
        )


class ReportCreate(BaseModel):
    reported_on: date
    text: str = Field(max_length=4000)
    status: str = Field(max_length=20)
    percent: int | None = Field(default=None, ge=0, le=100)
    reopen: bool = False  # confirm turning a completed assignment back to another status


class ReportPublic(BaseModel):
    id: int
    assignment_id: int
    reported_on: date
    text: str
    percent: int | None
    status: str
    status_label: str
    author: str
    attachments: list[str]

    @classmethod
    def of(cls, r: ProgressReport) -> ReportPublic:
        status = ReportStatus(r.status)
        return cls(
            id=r.id,
            assignment_id=r.assignment_id,
            reported_on=r.reported_on,
            text=r.text,
            percent=r.percent,
            status=status.value,
            status_label=status.label,
            author=r.author,
            attachments=[a.original_name for a in r.attachments],
        )
