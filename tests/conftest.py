"""Shared fixtures. Database tests run on SQLite and on the PostgreSQL server at 127.0.0.1:5432 (each
session creates and drops a database of its own); set ZHIZAO_TEST_DATABASES=sqlite to run only SQLite
while developing. Each test runs inside a transaction that is rolled back."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_ADMIN_URL = os.environ.get(
    "ZHIZAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASES = [d for d in os.environ.get("ZHIZAO_TEST_DATABASES", "sqlite,postgresql").split(",") if d]


IN_CI = os.environ.get("CI") == "true"


def require_tool(available: bool, reason: str) -> None:
    """Skip a test whose external tool (Chromium, LibreOffice, built assets) is missing on a developer's
    machine; under CI=true the same absence fails, so a broken install cannot pass as green."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing tool fails the run instead of skipping)")
    pytest.skip(reason)


def require_shared(path: Path) -> Path:
    """../shared (the dev set, the scorer, the domain tables) is part of the checkout's setup: a test that
    needs it fails without it, on every machine."""
    if not path.exists():
        pytest.fail(f"{path} is missing: ../shared must be beside the checkout")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return require_shared(SHARED)


def _postgres_database() -> Iterator[str]:
    name = f"zhizao_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with reference data: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        migrate.upgrade(url)
        yield url
    else:
        for url in _postgres_database():
            migrate.upgrade(url)
            yield url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits inside become savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def system() -> Actor:
    return Actor.system()


_serial = iter(range(1, 10**9))


def new_credit_code(region_code: str = "370211") -> str:
    """A valid synthetic credit code, unique within the test run."""
    return credit_code.complete(f"91{region_code}" + f"MA{next(_serial):07d}"[:9])


def add_enterprise(
    session: Session,
    *,
    name: str = "测试制造有限公司",
    region_code: str = "370211",
    industry_code: str = "3360",
    above_scale: bool = True,
    established_on: date | None = date(2010, 1, 1),
    tags: list[str] | None = None,
    figures: dict[int, dict[str, float]] | None = None,
) -> Enterprise:
    """Add an enterprise, with optional figures {year: {indicator_id: value}}, and flush."""
    enterprise = Enterprise(
        credit_code=new_credit_code(region_code),
        name=name,
        region_code=region_code,
        industry_code=industry_code,
        above_scale=above_scale,
        established_on=established_on,
        tags=tags or [],
    )
    session.add(enterprise)
    session.flush()
    for year, values in (figures or {}).items():
        for indicator_id, value in values.items():
            session.add(
                EnterpriseFigure(
                    enterprise_id=enterprise.id, indicator_id=indicator_id, year=year, month=0, value=value
                )
            )
    session.flush()
    return enterprise
