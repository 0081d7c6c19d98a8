"""Enterprises, the indicator catalogue and enterprise figures.

Figures are stored long: one row per (enterprise, indicator, year, month). A new indicator is a row in
`indicators`, not a column or a migration; missing values are simply absent rows; each figure row can carry
its own history (imports keep it). Analytics pivot the long table with Ibis where they need it wide.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhizao.db.base import Base, Timestamped, utcnow


class Indicator(Base):
    """A catalogue entry: a figure that enterprises report (`tax` 税收实际贡献(万元), ...)."""

    __tablename__ = "indicators"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(60))  # Chinese label as used in the UI and in Excel
    label_en: Mapped[str] = mapped_column(String(80), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    value_type: Mapped[str] = mapped_column(String(10), default="number")  # number | integer
    non_negative: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(400), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class Enterprise(Timestamped, Base):
    __tablename__ = "enterprises"
    __table_args__ = (  # the list's sorts walk an index (PostgreSQL's search indexes: migration 0018)
        Index("ix_enterprises_name_id", "name", "id"),
        Index("ix_enterprises_region_code_id", "region_code", "id"),
        Index("ix_enterprises_industry_code_id", "industry_code", "id"),
        Index("ix_enterprises_established_on_id", "established_on", "id"),
        Index("ix_enterprises_region_code_name_id", "region_code", "name", "id"),  # a region's firms by name
        Index("ix_enterprises_region_code_credit_code", "region_code", "credit_code"),  # …and by code
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industries.code"), index=True)
    established_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    above_scale: Mapped[bool] = mapped_column(Boolean, default=False, index=True)  # 规上 / 规下
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    figures: Mapped[list[EnterpriseFigure]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", lazy="raise"
    )


class EnterpriseFigure(Base):
    """One value of one indicator for one enterprise and period; month 0 is the whole year."""

    __tablename__ = "enterprise_figures"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "indicator_id", "year", "month"),
        Index("ix_enterprise_figures_year_indicator", "year", "indicator_id"),
        # the years with annual figures (the export's year choice): an index of the annual rows only
        Index(
            "ix_enterprise_figures_annual_year",
            "year",
            postgresql_where=text("month = 0"),
            sqlite_where=text("month = 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicators.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="figures")
