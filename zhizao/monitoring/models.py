"""Monitoring tables: parks and saved firm lists (one registry: a group of firms of a kind), their members.

A park (园区, 开发区) has a region and a kind `park`; a saved list (重点企业, 倍增企业) has the kind `list`.
Both are groupings of the monitoring analysis; members are enterprises of the registry.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhizao.db.base import Base, Timestamped


class FirmGroup(Timestamped, Base):
    __tablename__ = "firm_groups"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # park | list
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)
    level: Mapped[str] = mapped_column(String(40), default="")  # 国家级 / 省级 / … for parks
    note: Mapped[str] = mapped_column(String(400), default="")


class FirmGroupMember(Base):
    __tablename__ = "firm_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("firm_groups.id", ondelete="CASCADE"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), primary_key=True, index=True
    )
