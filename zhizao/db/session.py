"""Engine and session factory.

SQLite is tuned for many clients on one file: WAL (readers never wait for the writer), `synchronous=NORMAL`,
foreign keys on, a 30 s busy timeout, and one writer at a time: every transaction starts with
`BEGIN IMMEDIATE`, so it takes the write lock up front (waiting its turn) instead of reading first and
failing with "database is locked" when it later tries to write after another writer committed. Long work
that only reads uses `read_only_session`, which holds no lock. PostgreSQL needs none of this; its pool
holds enough connections for a few dozen concurrent requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from zhizao.config import get_settings

SQLITE_BUSY_TIMEOUT = 30.0  # seconds a transaction waits for the write lock before "database is locked"
POSTGRES_POOL_SIZE = 10  # steady connections; with the overflow below, 30 requests can hold one at once
POSTGRES_MAX_OVERFLOW = 20


def _sqlite_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # The driver's own transaction handling (an implicit deferred BEGIN before DML only) is switched off:
    # SQLAlchemy's `begin` event below emits the BEGIN, so savepoints and DDL are transactional too.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "zhizao_read_only"  # execution option: a transaction that only reads (see `read_only_session`)


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")  # a read snapshot: takes no lock, never waits for writers
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the folder of a SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=POSTGRES_POOL_SIZE, max_overflow=POSTGRES_MAX_OVERFLOW
    )


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def read_only_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session for long work that only reads (a big preview, an analysis): on SQLite its transaction is
    a plain read snapshot instead of holding the write lock, so writers carry on meanwhile; on PostgreSQL
    it is a READ ONLY transaction. Writing through it is an error on PostgreSQL, and on SQLite it fails
    with "database is locked" as soon as another writer is busy: only read here."""
    bind = (engine or get_engine()).execution_options(**{READ_ONLY: True, "postgresql_readonly": True})
    session = Session(bind=bind, expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: nothing half-written."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
