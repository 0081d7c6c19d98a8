"""No guessable key: without ZHIZAO_SECRET_KEY a random key is generated once, kept 0600, and reused."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import create_engine

from zhizao.auth.keys import KEY_FILE_NAME, secret_key, secret_key_path
from zhizao.config import Settings
from zhizao.web.app import create_app


def _settings(tmp_path: Path, key: str | None = None) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/db/zhizao.db", secret_key=key)


def test_two_app_starts_share_generated_key(tmp_path: Path) -> None:
    engine = create_engine("sqlite://")
    first = create_app(_settings(tmp_path), engine=engine).state.secret_key
    second = create_app(_settings(tmp_path), engine=engine).state.secret_key
    assert first == second and len(first) >= 43
    assert (tmp_path / "db" / KEY_FILE_NAME).read_text().strip() == first


def test_generated_key_file_is_owner_only(tmp_path: Path) -> None:
    secret_key(_settings(tmp_path))
    mode = stat.S_IMODE((tmp_path / "db" / KEY_FILE_NAME).stat().st_mode)
    assert mode == 0o600


def test_loosened_key_file_is_tightened(tmp_path: Path) -> None:
    key = secret_key(_settings(tmp_path))
    path = tmp_path / "db" / KEY_FILE_NAME
    path.chmod(0o644)
    assert secret_key(_settings(tmp_path)) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_different_installations_get_different_keys(tmp_path: Path) -> None:
    assert secret_key(_settings(tmp_path / "a")) != secret_key(_settings(tmp_path / "b"))


def test_key_file_of_postgresql_lives_in_data_dir(tmp_path: Path) -> None:
    url = "postgresql+psycopg://app@db.internal:5432/zhizao"
    settings = Settings(database_url=url, secret_key=None, data_dir=tmp_path / "data")
    assert secret_key_path(settings) == tmp_path / "data" / KEY_FILE_NAME
    defaulted = Settings(database_url=url, secret_key=None, upload_dir=tmp_path / "var" / "uploads")
    assert secret_key_path(defaulted) == (tmp_path / "var" / KEY_FILE_NAME).resolve()


def test_configured_key_wins_and_writes_no_file(tmp_path: Path) -> None:
    assert secret_key(_settings(tmp_path, "from-the-environment")) == "from-the-environment"
    assert not (tmp_path / "db" / KEY_FILE_NAME).exists()
