"""Tracking tables: the series that measure targets and their observations, links from plan targets to
series, per-plan thresholds, and task progress reports with their attachments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhizao.db.base import Base, Timestamped, utcnow


class TrackedSeries(Timestamped, Base):
    """An indicator that is observed over time (规上工业增加值增速, 高新技术企业数量, ...).

    `kind` is `manual` (values entered or imported) or `registry` (computed from the enterprise registry with
    `aggregate`, e.g. {"op": "count", "above_scale": true} for 规模以上工业企业数量)."""

    __tablename__ = "tracked_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    unit: Mapped[str] = mapped_column(String(30), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(20), default="manual")  # manual | registry
    aggregate: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    description: Mapped[str] = mapped_column(String(400), default="")

    observations: Mapped[list[Observation]] = relationship(
        back_populates="series", cascade="all, delete-orphan", lazy="raise"
    )


class Observation(Timestamped, Base):
    """An actual value of a series for a region and period.

    `period_type`: year (period 0), quarter (period 1-4), month (one month, period 1-12) or ytd (累计 1-N月,
    period N)."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("series_id", "region_code", "period_type", "year", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("tracked_series.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    period_type: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(60), default="system")

    series: Mapped[TrackedSeries] = relationship(back_populates="observations")


class TargetLink(Base):
    """Which series measures a plan target (suggested by name, confirmed once by a person)."""

    __tablename__ = "target_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("plan_targets.id", ondelete="CASCADE"), unique=True, index=True
    )
    series_id: Mapped[int] = mapped_column(ForeignKey("tracked_series.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    base_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    series: Mapped[TrackedSeries] = relationship()


class PlanTrackingSettings(Base):
    """Per-plan thresholds and tolerances (defaults in `zhizao.tracking.progress.Thresholds`)."""

    __tablename__ = "plan_tracking_settings"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    lag_yellow: Mapped[float] = mapped_column(Float, default=5.0)
    lag_red: Mapped[float] = mapped_column(Float, default=15.0)
    rate_yellow: Mapped[float] = mapped_column(Float, default=0.0)
    rate_red: Mapped[float] = mapped_column(Float, default=2.0)
    rank_red: Mapped[int] = mapped_column(Integer, default=2)
    about_rate: Mapped[float] = mapped_column(Float, default=0.5)
    about_level: Mapped[float] = mapped_column(Float, default=2.0)
    due_soon_days: Mapped[int] = mapped_column(Integer, default=15)


class ProgressReport(Base):
    """A unit's report on one assignment of a task: what was done, how far, and its status."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    reported_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20))  # not_started | in_progress | completed | blocked
    author: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class Attachment(Base):
    """A file attached to a report, stored under a random name in `settings.upload_dir`."""

    __tablename__ = "report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="attachments")
