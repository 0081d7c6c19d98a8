"""Tables of the chains area.

- `chains`: one industry chain (链长制): its 链长, lead department, 专班, parks, platforms and the plan target
  its total is tracked against; `chain_checklist_items` its "七个一", each linked to units, plan tasks and
  project codes.
- `chain_nodes` + `chain_edges`: the chain's graph of one year (nodes keyed by a stable string code).
- `chain_members`: an enterprise on a node in a year, suggested by the industry-code rule and confirmed,
  rejected or moved by a person (every change is in the audit log); `chain_roles`: a firm's role in a chain.
- `chain_candidates`: 招商 candidate firms (from elsewhere) per gap node, with their status.
- `chain_surveys`: the 配套 survey (local and total purchases of a chain's leading firms).
- `clusters` + `cluster_members`: the cluster registry and its member firms.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base, Timestamped


class Chain(Timestamped, Base):
    __tablename__ = "chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    leader: Mapped[str] = mapped_column(String(100), default="")  # 链长
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    lead_department: Mapped[str] = mapped_column(String(100), default="")  # as written in the file
    team: Mapped[str] = mapped_column(String(200), default="")  # 专班
    parks: Mapped[list[str]] = mapped_column(JSON, default=list)
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_targets.id", ondelete="SET NULL"), nullable=True
    )
    definition_text: Mapped[str] = mapped_column(Text, default="")  # the last file loaded, as given


class ChainChecklistItem(Base):
    """One of the "七个一"; `unit_ids`, `task_ids` (plan tasks) and `project_codes` link it to zhizao."""

    __tablename__ = "chain_checklist_items"
    __table_args__ = (UniqueConstraint("chain_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(400), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    task_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    project_codes: Mapped[list[str]] = mapped_column(JSON, default=list)


class ChainNode(Base):
    __tablename__ = "chain_nodes"
    __table_args__ = (UniqueConstraint("chain_id", "year", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(12))  # upstream | midstream | downstream
    industry_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # GB/T 4754 (2-4 digits)
    product_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # 统计用产品分类
    position: Mapped[int] = mapped_column(Integer, default=0)


class ChainEdge(Base):
    __tablename__ = "chain_edges"
    __table_args__ = (UniqueConstraint("chain_id", "year", "source", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(40))  # node code upstream
    target: Mapped[str] = mapped_column(String(40))  # node code downstream
    relation: Mapped[str] = mapped_column(String(20), default="供给")


class ChainMember(Timestamped, Base):
    __tablename__ = "chain_members"
    __table_args__ = (UniqueConstraint("chain_id", "year", "node_code", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    node_code: Mapped[str] = mapped_column(String(40))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="suggested")  # suggested | confirmed | rejected
    source: Mapped[str] = mapped_column(String(12), default="rule")  # rule | manual
    decided_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class ChainRole(Base):
    """A firm's role in one chain (链主, 龙头, ...); a firm may hold different roles in different chains."""

    __tablename__ = "chain_roles"
    __table_args__ = (UniqueConstraint("chain_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class ChainCandidate(Timestamped, Base):
    """A 招商 candidate for a node: a firm from elsewhere (not in the registry), with its status."""

    __tablename__ = "chain_candidates"
    __table_args__ = (UniqueConstraint("chain_id", "node_code", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    node_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    origin: Mapped[str] = mapped_column(String(100), default="")  # where the firm is, as given
    products: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    note: Mapped[str] = mapped_column(String(400), default="")
    source: Mapped[str] = mapped_column(String(200), default="")


class ChainSurvey(Base):
    """One leading firm's answers to the 配套 survey of a year (purchases in 万元)."""

    __tablename__ = "chain_surveys"
    __table_args__ = (UniqueConstraint("chain_id", "year", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    total_purchases: Mapped[float] = mapped_column(Float)
    local_purchases: Mapped[float] = mapped_column(Float)
    suppliers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    local_suppliers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")


class Cluster(Timestamped, Base):
    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(30))  # see zhizao.chains.clusters.LEVELS
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    chain_code: Mapped[str] = mapped_column(String(40), default="")
    industry_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_level: Mapped[str] = mapped_column(String(30), default="")
    target_scale: Mapped[float | None] = mapped_column(Float, nullable=True)  # 亿元
    target_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(String(400), default="")


class ClusterMember(Base):
    __tablename__ = "cluster_members"
    __table_args__ = (UniqueConstraint("cluster_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
