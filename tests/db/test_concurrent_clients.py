"""Twenty clients at once on one database of the test's own: SQLite serves them with one writer at a time
and never answers "database is locked"; PostgreSQL's pool hands each of them a connection."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from tests.conftest import DATABASES, POSTGRES_ADMIN_URL, add_enterprise
from tests.enterprises.test_figures_concurrency import run_together
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.db import migrate
from zhizao.db.base import utcnow
from zhizao.db.session import make_engine, read_only_session, session_scope
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.models import EnterpriseFigure

CLIENTS = 20
SECONDS = 4.0


def test_twenty_sqlite_writers_never_see_database_is_locked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'load.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    system = Actor.system()
    with session_scope(engine) as session:
        firms = [add_enterprise(session, region_code="370211").id for _ in range(CLIENTS)]
        create_user(session, system, "officer", "correct horse battery", "admin")
    done: list[int] = []
    locked: list[OperationalError] = []

    def client(n: int) -> None:
        deadline = time.monotonic() + SECONDS
        step = 0
        try:
            while time.monotonic() < deadline:
                with session_scope(engine) as session:
                    if step % 4 == 0:  # everyone corrects the same figure
                        correct_figure(
                            session, system, firms[0], "tax", 2024, float(n * 10_000 + step), "并发"
                        )
                    elif step % 4 == 1:  # a first value: an insert
                        correct_figure(
                            session, system, firms[n], "revenue", 1990 + step % 100, 1.0 + step, "新增"
                        )
                    elif step % 4 == 2:  # what a login writes
                        session.execute(
                            update(User).where(User.username == "officer").values(last_login_at=utcnow())
                        )
                    else:  # a page that reads
                        session.scalar(select(func.count()).select_from(EnterpriseFigure))
                step += 1
        except OperationalError as exc:
            locked.append(exc)
        done.append(step)

    try:
        assert run_together([lambda n=n: client(n) for n in range(CLIENTS)]) == []
    finally:
        engine.dispose()
    assert locked == []
    assert len(done) == CLIENTS and min(done) > 0  # every client got its turn


@pytest.mark.skipif("postgresql" not in DATABASES, reason="PostgreSQL tests switched off")
def test_postgresql_pool_serves_twenty_clients_at_once() -> None:
    engine = make_engine(POSTGRES_ADMIN_URL)
    everyone_connected = threading.Barrier(CLIENTS, timeout=20)

    def client() -> None:
        with engine.connect() as connection:
            connection.scalar(select(1))
            everyone_connected.wait()  # breaks (and raises) if the pool cannot hand out a connection each

    try:
        assert run_together([client] * CLIENTS) == []
    finally:
        engine.dispose()


def test_a_read_only_session_holds_no_lock_and_refuses_writes(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    try:
        with read_only_session(engine) as reader:
            assert reader.scalar(select(func.count()).select_from(EnterpriseFigure)) == 0  # transaction open
            # Under BEGIN IMMEDIATE the reader would hold the write lock: this would wait 30 s, then fail.
            with session_scope(engine) as writer:
                add_enterprise(writer, region_code="370211", figures={2024: {"tax": 1.0}})
            if fresh_db_url.startswith("postgresql"):
                with pytest.raises(DBAPIError, match="read-only transaction"):
                    reader.execute(update(User).values(display_name="x"))
    finally:
        engine.dispose()
