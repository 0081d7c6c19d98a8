"""Inserts that do not collide: INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_new(session: Session, table: Table, values: dict[str, Any]) -> Any | None:
    """Insert one row unless a row with the same unique key exists (or is being inserted by another
    transaction: PostgreSQL waits for it to finish). Returns the new row's primary key, or None when
    nothing was inserted; never raises IntegrityError for the unique key."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        statement = sqlite.insert(table)
    else:  # pragma: no cover - zhizao runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"insert_new: no upsert for {dialect}")
    primary_key = next(iter(table.primary_key.columns))
    statement = statement.values(**values).on_conflict_do_nothing().returning(primary_key)
    return session.execute(statement).scalar()
