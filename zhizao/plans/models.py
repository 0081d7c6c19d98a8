"""Stored plans: a policy document's targets and tasks, reviewed and then confirmed.

A plan is created in `review` state from an extraction (`zhizao.plans.reading`); a person accepts, edits or
rejects each item and confirms the plan. Tracking builds on confirmed plans' targets and assignments.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhizao.db.base import Base, Timestamped
from zhizao.reference.home import home_region_code


class Plan(Timestamped, Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    issuer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the region the plan is about: the home region unless given (None in a whole-country installation)
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code"), nullable=True, default=home_region_code
    )
    status: Mapped[str] = mapped_column(String(20), default="review")  # review | confirmed
    source_filename: Mapped[str] = mapped_column(String(300), default="")
    source_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60), default="system")
    confirmed_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # why the reader took the title and year as it did ({"year": "年份取自文件标题"}); None when not read
    reasons: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)

    targets: Mapped[list[PlanTarget]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanTarget.position"
    )
    tasks: Mapped[list[PlanTask]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanTask.position"
    )


class PlanTarget(Base):
    """A quantified goal (FORMAT.md TARGET) with its source span in `Plan.source_text`."""

    __tablename__ = "plan_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    indicator: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(20))  # level|growth|reduction|share|increase|rank
    value: Mapped[float] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float, nullable=True)  # upper end of a range
    unit: Mapped[str] = mapped_column(String(30), default="")
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")  # about|at_least|at_most|exact
    target_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    span_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    review_status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|accepted|rejected
    # how sure the reader was (0–1) and why, per field; None for an item a person wrote
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasons: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)

    plan: Mapped[Plan] = relationship(back_populates="targets")


class PlanTask(Base):
    """A numbered item of work (FORMAT.md TASK)."""

    __tablename__ = "plan_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(20), default="")
    path: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    span_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    review_status: Mapped[str] = mapped_column(String(20), default="pending")

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignments: Mapped[list[TaskAssignment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskAssignment.position"
    )


class TaskAssignment(Base):
    """One responsibility note of a task: its units and deadline."""

    __tablename__ = "task_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    deadline_text: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note_text: Mapped[str] = mapped_column(Text, default="")
    # how sure the reader was (0–1) and why ({"lead_units": "列第一位者为牵头单位"}); None: a person wrote it
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasons: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)

    task: Mapped[PlanTask] = relationship(back_populates="assignments")
    units: Mapped[list[AssignmentUnit]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="AssignmentUnit.position"
    )


class AssignmentUnit(Base):
    """A unit named in an assignment, as written, and the organisation unit it was matched to."""

    __tablename__ = "assignment_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(20))  # lead | responsible | cooperating
    unit_text: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)

    assignment: Mapped[TaskAssignment] = relationship(back_populates="units")


class UnitMapping(Timestamped, Base):
    """A unit name as documents write it, mapped once by a person to an organisation unit and remembered.

    Kept apart from `Unit.aliases` because those are shipped reference data, rewritten on every upgrade."""

    __tablename__ = "unit_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200), unique=True)  # normalised (see zhizao.plans.units)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str] = mapped_column(String(60), default="system")
