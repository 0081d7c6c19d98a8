"""Fixtures for import tests: files written by the tests themselves, and a database file for CLI runs."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise, migrate_for_region
from zhizao.config import get_settings
from zhizao.db.base import Base
from zhizao.db.session import get_engine, make_engine


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def database_state(engine: Engine) -> dict[str, object]:
    """Row counts of every table and a checksum of the figures table."""
    with engine.connect() as conn:
        counts = {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }
        rows = conn.execute(
            text(
                "SELECT enterprise_id, indicator_id, year, month, value, source, updated_at "
                "FROM enterprise_figures "
                "ORDER BY enterprise_id, indicator_id, year, month"
            )
        ).all()
    counts["figures_sha256"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return counts


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """A SQLite file with three enterprises (with 2023 figures) that the CLI uses; yields (url, codes)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    migrate_for_region(url)
    engine = make_engine(url)
    with Session(engine) as session:
        codes = [
            add_enterprise(
                session, name=f"青岛测试{i}号有限公司", figures={2023: {"tax": 10.0 + i, "revenue": 500.0}}
            ).credit_code
            for i in range(3)
        ]
        session.commit()
    engine.dispose()
    yield url, codes


@pytest.fixture
def cli_env(
    cli_db: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Engine, list[str]]]:
    """The CLI pointed at `cli_db`; yields (engine, enterprise codes)."""
    url, codes = cli_db
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    engine = make_engine(url)
    yield engine, codes
    engine.dispose()
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
