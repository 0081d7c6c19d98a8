"""Alembic environment: the URL comes from the config (set by zhizao.db.migrate) or the settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from zhizao.db.base import is_derived_table
from zhizao.db.models import Base
from zhizao.db.session import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


# Made by hand in the migrations for one backend only (PostgreSQL trigram and pattern indexes, SQLite's
# FTS5 name index and its shadow tables): not models.
UNMANAGED = frozenset({"ix_enterprises_name_trgm", "ix_enterprises_credit_code_prefix"})


def _managed(name: str | None, type_: str, _parents: object) -> bool:
    return name not in UNMANAGED and not is_derived_table(name)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=_managed,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
