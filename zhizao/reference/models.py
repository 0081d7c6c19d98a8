"""Tables of reference data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base


class Region(Base):
    """An administrative division by its GB/T 2260 code (province XX0000, prefecture XXYY00, county XXYYZZ).

    Codes abolished since 2010 stay in the table so old figures still import: `valid_to` is the first
    yearly edition (as of 31 December) that no longer lists the code, `successor_code` the current region
    that took over its area. Current rows have no `valid_to`. `valid_from` is the first edition listing it
    (1981 for codes already in the earliest table).
    """

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(80), default="")
    level: Mapped[str] = mapped_column(String(10))  # province | city | district
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    valid_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    successor_code: Mapped[str | None] = mapped_column(String(6), nullable=True)


class Industry(Base):
    """A GB/T 4754-2017 category: section letter, 2-digit division, 3-digit group or 4-digit class."""

    __tablename__ = "industries"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)  # 1 门类, 2 大类, 3 中类, 4 小类
    section: Mapped[str] = mapped_column(String(1))
    division: Mapped[str | None] = mapped_column(String(2), nullable=True)
    name: Mapped[str] = mapped_column(String(100))


class Unit(Base):
    """A government unit that policy documents name: a department, or the government of a region one
    level down (kind `district`), or another body (a 开发区管委会, a utility)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # department | district | other
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)  # 上级单位


class CalendarDay(Base):
    """An installation's override of the statutory working-day calendar (a local holiday, or a day of a
    year whose schedule the library does not hold yet)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
