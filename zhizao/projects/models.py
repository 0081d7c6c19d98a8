"""Tables of the key-project area (重点项目, 技改项目, 招商项目).

- `project_settings`: one row, the installation's project kinds (a list it can extend), the status bands in
  percentage points, how published rates are rounded, and the 调度 deadline (working day of the next month).
- `projects`: the project, its owner, region, chain and node (string codes shared with the chains area, no
  foreign key), responsible unit and 包联 leader, the current plan (计划总投资, planned and actual dates of
  each stage) and its 停缓建 state.
- `project_plans`: the current 年度计划投资 of a project per year.
- `project_baselines`: the plan frozen at the start of a year (version 0) and at each approved re-plan.
- `project_months`: the monthly 调度 report: 本年完成投资 (cumulative in the year) and
  自开始建设累计完成投资.
- `project_changes`: the history of every imported or edited value (old → new, who, from which import).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import zhizao.enterprises.models
import zhizao.imports.models
import zhizao.reference.models  # noqa: F401  (with the two above: the tables our foreign keys name)
from zhizao.db.base import Base, Timestamped, utcnow

# The lifecycle: 谋划 → 储备 → 开工 → 在建 → 竣工 → 达效; 停缓建 is a side state (`suspended_on`).
STAGES = ("conceive", "reserve", "start", "build", "complete", "effect")
STAGE_LABELS = {
    "conceive": "谋划",
    "reserve": "储备",
    "start": "开工",
    "build": "在建",
    "complete": "竣工",
    "effect": "达效",
}
SUSPENDED_LABEL = "停缓建"


class ProjectSettings(Base):
    """The installation's project settings (a single row, id 1)."""

    __tablename__ = "project_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    ahead_pp: Mapped[float] = mapped_column(Float, default=5.0)  # gap above +ahead_pp → 超前
    lagging_pp: Mapped[float] = mapped_column(Float, default=5.0)  # gap below −lagging_pp → 滞后
    severe_pp: Mapped[float] = mapped_column(Float, default=15.0)  # gap below −severe_pp → 严重滞后
    rounding: Mapped[str] = mapped_column(String(10), default="round")  # round | truncate
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    report_workday: Mapped[int] = mapped_column(Integer, default=5)  # 调度 due: Nth working day of next month


class Project(Timestamped, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)  # 投资项目统一代码
    kind: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str] = mapped_column(String(4))  # 省级 | 市级 | 区级
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"), nullable=True, index=True
    )
    owner_name: Mapped[str] = mapped_column(String(200), default="")  # 业主单位 as written
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    chain_code: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    node_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    leader: Mapped[str] = mapped_column(String(60), default="")  # 包联领导
    total_investment: Mapped[float | None] = mapped_column(Float, nullable=True)  # 计划总投资, 万元
    stage: Mapped[str] = mapped_column(String(10), default="reserve")  # as last reported
    suspended_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 停缓建 since
    suspend_reason: Mapped[str] = mapped_column(String(400), default="")
    conceive_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    conceive_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    reserve_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    reserve_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    start_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    start_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    build_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    build_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    complete_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    complete_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    effect_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    effect_actual: Mapped[date | None] = mapped_column(Date, nullable=True)
    # 达效: the year whose output is compared, and the new output when entered by hand (else from figures)
    effect_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    new_output: Mapped[float | None] = mapped_column(Float, nullable=True)  # 万元
    synthetic: Mapped[bool] = mapped_column(default=False)  # demo data (虚构)


class ProjectPlan(Base):
    """The current 年度计划投资 of a project for one year."""

    __tablename__ = "project_plans"
    __table_args__ = (UniqueConstraint("project_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    annual_plan: Mapped[float] = mapped_column(Float)  # 万元


class ProjectBaseline(Base):
    """A frozen plan: version 0 at the start of the year, then one per approved re-plan."""

    __tablename__ = "project_baselines"
    __table_args__ = (UniqueConstraint("project_id", "year", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    frozen_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(400), default="")
    approved_by: Mapped[str] = mapped_column(String(60), default="")
    annual_plan: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_investment: Mapped[float | None] = mapped_column(Float, nullable=True)
    start_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    complete_planned: Mapped[date | None] = mapped_column(Date, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProjectMonth(Base):
    """One month's 调度 report of a project (amounts in 万元)."""

    __tablename__ = "project_months"
    __table_args__ = (UniqueConstraint("project_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    year_actual: Mapped[float | None] = mapped_column(Float, nullable=True)  # 本年完成投资 (1 月至本月)
    cumulative: Mapped[float | None] = mapped_column(Float, nullable=True)  # 自开始建设累计完成投资
    stage: Mapped[str] = mapped_column(String(10), default="")
    issues: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProjectChange(Base):
    """One change of one value of a project (a field, or a month's figure): old → new."""

    __tablename__ = "project_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    month: Mapped[int] = mapped_column(Integer, default=0)
    old_value: Mapped[str | None] = mapped_column(String(400), nullable=True)
    new_value: Mapped[str | None] = mapped_column(String(400), nullable=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True, index=True)
    actor: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(20))  # import | replan | manual
