from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.config import get_settings
from zhizao.db.session import get_engine


def _use(monkeypatch: pytest.MonkeyPatch, database_url: str, upload_dir: Path) -> None:
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", database_url)
    monkeypatch.setenv("ZHIZAO_UPLOAD_DIR", str(upload_dir))
    get_settings.cache_clear()
    get_engine.cache_clear()


def test_backup_then_restore_into_an_empty_installation(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, database, tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.xlsx").write_bytes(b"data")
    args = ["user", "add", "zhang", "--role", "admin", "--password", "secret-pass-1"]
    assert CliRunner().invoke(app, args).exit_code == 0
    result = CliRunner().invoke(app, ["backup", "--out", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0, result.output
    assert "已备份" in result.output

    refused = CliRunner().invoke(app, ["restore", str(tmp_path / "b.tar.gz")])
    assert refused.exit_code == 1
    assert "目标数据库已有数据（audit_log、users）" in refused.output

    _use(monkeypatch, f"sqlite:///{tmp_path / 'new' / 'zhizao.db'}", tmp_path / "new" / "uploads")
    restored = CliRunner().invoke(app, ["restore", str(tmp_path / "b.tar.gz")])
    assert restored.exit_code == 0, restored.output
    assert "行数与校验和均与备份清单一致" in restored.output
    assert (tmp_path / "new" / "uploads" / "a.xlsx").read_bytes() == b"data"
