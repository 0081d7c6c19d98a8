"""Stored evaluation runs and their per-enterprise results.

A run keeps the method text exactly as it was run (so it can be re-run), the method hash, the fingerprint
of the input rows, who ran it and when; its results keep each enterprise's class, score, rank and the
indicator-level figures an explanation page needs. Results carry their own region and enterprise id, so
the scope clauses of `zhizao.auth.scope` apply to them directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base, utcnow


class EvaluationRun(Base):
    __tablename__ = "evaluation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    method_id: Mapped[str] = mapped_column(String(80))
    method_title: Mapped[str] = mapped_column(String(200), default="")
    method_hash: Mapped[str] = mapped_column(String(64), index=True)
    method_text: Mapped[str] = mapped_column(Text)  # the YAML/TOML as run
    method_format: Mapped[str] = mapped_column(String(10), default="yaml")  # yaml | toml
    year: Mapped[int] = mapped_column(Integer, index=True)
    backend: Mapped[str] = mapped_column(String(20), default="duckdb")
    input_source: Mapped[str] = mapped_column(String(200), default="database")  # "database" or a file name
    input_fingerprint: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {class or "": n}
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class EvaluationResult(Base):
    """One enterprise's outcome in one run. `indicators` maps indicator id → value, benchmark, score,
    weight, normalised score, missing/negative flags, group mean and rank in group."""

    __tablename__ = "evaluation_results"
    __table_args__ = (
        Index("ix_evaluation_results_run_region", "run_id", "region_code"),
        Index("ix_evaluation_results_run_credit_code", "run_id", "credit_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id", ondelete="SET NULL"), nullable=True, index=True
    )
    credit_code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str] = mapped_column(String(12), default="")
    industry_code: Mapped[str] = mapped_column(String(10), default="")
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False)
    pool: Mapped[str | None] = mapped_column(String(40), nullable=True)
    class_id: Mapped[str | None] = mapped_column(String(20), nullable=True)
    class_label: Mapped[str | None] = mapped_column(String(40), nullable=True)
    quota_class: Mapped[str | None] = mapped_column(String(20), nullable=True)
    total: Mapped[float | None] = mapped_column(Float, nullable=True)
    adjust_points: Mapped[float | None] = mapped_column(Float, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    group_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
