"""Stored cultivation runs and results, titles held, and declared facts.

A run keeps the as-of date, each programme's id and content digest, who ran it and when; a result is one
enterprise × one programme with its status, level, rank score and the criteria list an explanation shows.
Results carry their own region and enterprise id, so the scope clauses of `zhizao.auth.scope` apply.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base, utcnow


class CultivationRun(Base):
    __tablename__ = "cultivation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    application: Mapped[str] = mapped_column(String(10), default="new")  # new | renewal
    programmes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # id -> digest
    backend: Mapped[str] = mapped_column(String(20), default="duckdb")
    actor: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # programme -> status -> n


class CultivationResult(Base):
    __tablename__ = "cultivation_results"
    __table_args__ = (
        Index("ix_cultivation_results_run_programme", "run_id", "programme"),
        Index("ix_cultivation_results_run_region", "run_id", "region_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("cultivation_runs.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    credit_code: Mapped[str] = mapped_column(String(18))
    region_code: Mapped[str] = mapped_column(String(12), default="")
    industry_code: Mapped[str] = mapped_column(String(10), default="")
    programme: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class EnterpriseTitle(Base):
    """A title held (高企, 专精特新 …) from a published list (认定名单): year recognised and validity."""

    __tablename__ = "enterprise_titles"
    __table_args__ = (UniqueConstraint("enterprise_id", "title", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    list_name: Mapped[str] = mapped_column(String(200), default="")
    matched_by: Mapped[str] = mapped_column(String(20), default="credit_code")  # credit_code | name
    actor: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Declaration(Base):
    """A fact an enterprise declares for a criterion whose data the bureau does not hold; a reviewer
    accepts or rejects it. Only accepted declarations are read by the engine."""

    __tablename__ = "cultivation_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | accepted | rejected
    evidence: Mapped[str] = mapped_column(String(200), default="")  # attachment store id
    declared_by: Mapped[str] = mapped_column(String(60))
    declared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewer: Mapped[str | None] = mapped_column(String(60), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    review_note: Mapped[str] = mapped_column(String(400), default="")


class BenefitEntry(Base):
    """One firm on a 免申即享 list: the benefit (programme + amount + clause), the evidence snapshot taken
    from the run, and the firm's 意愿确认 (listed → confirmed or declined)."""

    __tablename__ = "cultivation_benefits"
    __table_args__ = (UniqueConstraint("benefit", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit: Mapped[str] = mapped_column(String(120))
    programme: Mapped[str] = mapped_column(String(60))
    run_id: Mapped[int] = mapped_column(ForeignKey("cultivation_runs.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), default="")
    amount: Mapped[float] = mapped_column(Float, default=0.0)  # 万元
    clause: Mapped[str] = mapped_column(String(200), default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="listed")  # listed | confirmed | declined
    listed_by: Mapped[str] = mapped_column(String(60))
    listed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answered_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
