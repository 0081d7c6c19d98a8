"""A database of its own for CLI tests: the commands read ZHIZAO_DATABASE_URL through the cached settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import migrate_for_region
from zhizao.config import get_settings
from zhizao.db.session import get_engine


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    migrate_for_region(url)
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()
