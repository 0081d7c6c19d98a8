"""Shared fixtures. Database tests run on SQLite and on the PostgreSQL server at 127.0.0.1:5432 (each
session creates and drops a database of its own); set ZHIZAO_TEST_DATABASES=sqlite to run only SQLite
while developing. Each test runs inside a transaction that is rolled back."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pytest
from ibis.backends import BaseBackend
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.config import get_settings
from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.demo.regions import demo_region
from zhizao.demo.units import load_demo_units
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_ADMIN_URL = os.environ.get(
    "ZHIZAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_HOME_REGION = "370200"  # the region whose units the shared test database holds
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


def migrate_for_region(url: str, region_code: str = TEST_HOME_REGION) -> None:
    """Migrate, and fill the organisation list with the region's units (templates and its own file)."""
    migrate.upgrade(url, home_region=region_code)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            load_demo_units(session, Actor.system(), demo_region(region_code))
            session.commit()
    finally:
        engine.dispose()


@contextmanager
def region_database(
    kind: str,
    tmp_path_factory: pytest.TempPathFactory,
    region_code: str,
    prepare: Callable[[str, str], object] = migrate_for_region,
) -> Iterator[str]:
    """A database (SQLite file or fresh PostgreSQL database), by default migrated with a region's units."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        prepare(url, region_code)
        yield url
    else:
        for url in _postgres_database():
            prepare(url, region_code)
            yield url


@pytest.fixture(scope="session", params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with reference data and the units of TEST_HOME_REGION."""
    with region_database(request.param, tmp_path_factory, TEST_HOME_REGION) as url:
        yield url


@pytest.fixture(params=DATABASES)
def fresh_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of this test's own (not the shared rolled-back one): for tests where several
    connections commit for real (concurrency, backup and restore)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
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
def home_region(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str | None], None]]:
    """Make the installation serve a region (a GB/T 2260 code; None: the whole country) for one test.

    Sets ZHIZAO_HOME_REGION through monkeypatch and clears the settings cache, before and after, so nothing
    leaks into the next test. Without this fixture the home region is whatever the environment says
    (normally unset)."""

    def set_home(code: str | None) -> None:
        if code is None:
            monkeypatch.delenv("ZHIZAO_HOME_REGION", raising=False)
        else:
            monkeypatch.setenv("ZHIZAO_HOME_REGION", code)
        get_settings.cache_clear()

    yield set_home
    get_settings.cache_clear()


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


# Analytics run on every Ibis backend through one fixture (one local Spark session for the whole run).
@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    from zhizao.evaluation.backends import spark_session as make_session

    session = make_session("local[1]", shuffle_partitions=1)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["duckdb", pytest.param("pyspark", marks=pytest.mark.pyspark)])
def backend(request: pytest.FixtureRequest) -> BaseBackend:
    if request.param == "duckdb":
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(request.getfixturevalue("spark_session"))
