"""Declarative base with a constraint naming convention (stable names for Alembic on every backend)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core `Table` of a mapped class, for bulk INSERT/UPDATE/DELETE (`model.__table__` is typed as any
    FromClause, since a class may also be mapped to a join or a select; ours are all mapped to tables)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


# Tables a migration makes for one backend only and the database keeps up to date by itself (SQLite's FTS5
# name index and its shadow tables): not models, not data of their own. An installation is empty, and a
# restore is checked, without them.
DERIVED_TABLE_PREFIXES = ("enterprises_fts",)


def is_derived_table(name: str | None) -> bool:
    return (name or "").startswith(DERIVED_TABLE_PREFIXES)
