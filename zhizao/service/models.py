"""Tables of the enterprise service area.

- `service_assignments`: who serves which firm at which 帮包 level, one row per period (valid_from/valid_to).
- `service_visits`: 走访 records; problems raised become 诉求 (`service_requests.visit_id`).
- `service_config_versions` + `service_categories`: the installation's 诉求 category tree (大类/小类) with
  its responsible and co-departments and time limits, and the escalation ladder; each load is a new version,
  and a 诉求 keeps the category row (and so the limits) of the version it was filed under.
- `service_requests` + `service_request_events`: the 诉求 and everything that happened to it.
- `service_policy_links`: a 诉求 category (by code, so across configuration versions) raised again and again,
  linked to the plan task that answers it as a policy issue.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base, Timestamped, utcnow


class ServiceAssignment(Base):
    """A firm's 服务专员 and 帮包 level for a period; the current row has no `valid_to`."""

    __tablename__ = "service_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))  # city | district | town (市级 / 区级 / 镇街级)
    basis: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(100), default="", server_default="")  # phone / service line
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)  # first day no longer valid


class ServiceVisit(Timestamped, Base):
    __tablename__ = "service_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    form: Mapped[str] = mapped_column(String(20))  # onsite | phone | meeting | online
    findings: Mapped[str] = mapped_column(Text, default="")


class ServiceConfigVersion(Base):
    """One loaded version of the installation's service configuration (categories and escalation)."""

    __tablename__ = "service_config_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # the ladder: {"cuiban_after": 1, "tongbao_after": 5} working days (after expiry, after the 催办)
    escalation: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class ServiceCategory(Base):
    """A 大类 (no parent) or 小类 of one configuration version, with its department and time limits."""

    __tablename__ = "service_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    config_id: Mapped[int] = mapped_column(ForeignKey("service_config_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("service_categories.id"), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    co_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    contact_days: Mapped[int] = mapped_column(Integer, default=1)
    reply_days: Mapped[int] = mapped_column(Integer, default=3)
    complete_days: Mapped[int] = mapped_column(Integer, default=13)


class ServiceRequest(Timestamped, Base):
    """A 诉求. The clock: `clock_start` is day 0 at the current department; each limit runs for its working
    days plus the paused working days plus approved extensions. `*_due` cache the results (recomputed on
    every change through `zhizao.service.requests`)."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("service_visits.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(10))  # portal | visit | import | officer
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    lawful: Mapped[bool] = mapped_column(Boolean, default=True)  # 合法合规 (the solution-rate denominator)
    status: Mapped[str] = mapped_column(String(12), index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    clock_start: Mapped[date] = mapped_column(Date)
    paused_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    paused_workdays: Mapped[int] = mapped_column(Integer, default=0)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_requested: Mapped[int] = mapped_column(Integer, default=0)  # days awaiting approval
    contacted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    replied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact_due: Mapped[date] = mapped_column(Date)
    reply_due: Mapped[date] = mapped_column(Date)
    complete_due: Mapped[date] = mapped_column(Date, index=True)
    original_due: Mapped[date] = mapped_column(Date)
    workdays_taken: Mapped[int | None] = mapped_column(Integer, nullable=True)  # clock start → 办结, unpaused
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # 办结 within the completion limit
    resolved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    satisfied: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    return_reason: Mapped[str] = mapped_column(String(400), default="")
    # the 工单编号 of an imported 诉求 (a 12345 export), so the same file imports once
    external_ref: Mapped[str | None] = mapped_column(String(60), nullable=True, index=True)


class ServiceRequestEvent(Base):
    """One step in a 诉求's history: filed, accept, reply, complete, return, transfer, pause, resume,
    extension_request, extension_approve, callback, reopen, cuiban, tongbao."""

    __tablename__ = "service_request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class ServicePolicyLink(Base):
    """A category of repeated 诉求 linked to a plan task (a policy issue the task is to answer)."""

    __tablename__ = "service_policy_links"
    __table_args__ = (UniqueConstraint("category_code", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_code: Mapped[str] = mapped_column(String(20))
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(400), default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
