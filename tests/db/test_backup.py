"""Backups taken while the app writes, restored into an empty installation and checked against the
manifest (SQLite, and PostgreSQL through pg_dump/pg_restore: missing client programs fail the test)."""

from __future__ import annotations

import io
import stat
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from tests.conftest import _postgres_database, add_enterprise
from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.backup import KEY_FILE_NAME, Installation, RestoreRefused, backup, read_manifest, restore
from zhizao.db.digests import table_digests
from zhizao.db.session import make_engine, session_scope
from zhizao.enterprises.figures import correct_figure
from zhizao.errors import InvalidInput
from zhizao.imports.models import FigureChange


def _installation(url: str, folder: Path) -> Installation:
    return Installation(url, folder / "uploads", folder / KEY_FILE_NAME)


@pytest.fixture(params=["new", "upgraded"])
def empty_url(request: pytest.FixtureRequest, fresh_db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as `fresh_db_url`: brand new, or after `zhizao db upgrade`
    (only reference data)."""
    if fresh_db_url.startswith("sqlite"):
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'restored' / 'zhizao.db'}"])
    else:
        urls = _postgres_database()
    for url in urls:
        if request.param == "upgraded":
            migrate.upgrade(url)
        yield url


def _source_with_files(url: str, folder: Path) -> Installation:
    source = _installation(url, folder)
    (source.upload_dir / "imports" / "2024").mkdir(parents=True)
    (source.upload_dir / "imports" / "2024" / "税收.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (source.upload_dir / "plan.docx").write_bytes(bytes(range(256)) * 40)
    source.key_file.write_text("k" * 64 + "\n", encoding="ascii")
    source.key_file.chmod(0o600)
    return source


def test_backup_during_writes_restores_with_the_manifests_counts_and_checksums(
    fresh_db_url: str, empty_url: str, tmp_path: Path
) -> None:
    source = _source_with_files(fresh_db_url, tmp_path / "source")
    system = Actor.system()
    engine = make_engine(fresh_db_url)
    with session_scope(engine) as session:
        firm = add_enterprise(session, region_code="370211", figures={2024: {"revenue": 1.0}}).id
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            with session_scope(engine) as session:
                correct_figure(session, system, firm, "tax", 2024, float(n), "备份期间写入")
            n += 1
        written.append(n)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while writer.is_alive() and _history_rows(engine) < 10:
            stop.wait(0.05)
        manifest = backup(source, tmp_path / "backup.tar.gz")
        copied = manifest["tables"]["figure_changes"]["rows"]
        while writer.is_alive() and _history_rows(engine) <= copied:  # writes go on after the snapshot
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join()
        engine.dispose()

    assert 10 <= copied < written[0]  # a snapshot from the middle of the writes
    target = _installation(empty_url, tmp_path / "target")
    assert restore(target, tmp_path / "backup.tar.gz") == manifest

    restored = make_engine(empty_url)
    try:
        with restored.connect() as connection:
            for name, expected in manifest["tables"].items():
                count = connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                assert count == expected["rows"], name
            digests = table_digests(connection)
            # Each correction writes its history row and its audit entry in one transaction: a consistent
            # copy has as many of one as of the other.
            corrections = connection.scalar(select(func.count()).where(AuditEntry.action == "correct"))
            history = connection.scalar(select(func.count()).select_from(FigureChange))
    finally:
        restored.dispose()
    assert {name: d.sha256 for name, d in digests.items()} == {
        name: t["sha256"] for name, t in manifest["tables"].items()
    }
    assert corrections == history == copied
    assert manifest["alembic_revision"] and manifest["tables"]["enterprises"]["rows"] == 1
    assert (target.upload_dir / "imports" / "2024" / "税收.xlsx").read_bytes().startswith(b"PK")
    assert (target.upload_dir / "plan.docx").read_bytes() == bytes(range(256)) * 40
    assert target.key_file.read_text(encoding="ascii") == "k" * 64 + "\n"
    assert stat.S_IMODE(target.key_file.stat().st_mode) == 0o600

    with pytest.raises(RestoreRefused, match="已有数据"):
        restore(_installation(empty_url, tmp_path / "again"), tmp_path / "backup.tar.gz")


def _history_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(FigureChange)) or 0


def test_restore_refuses_a_damaged_archive_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'source' / 'zhizao.db'}"
    migrate.upgrade(url)
    source = _source_with_files(url, tmp_path / "source")
    backup(source, tmp_path / "good.tar.gz")
    with tarfile.open(tmp_path / "good.tar.gz") as good, tarfile.open(tmp_path / "bad.tar.gz", "w:gz") as bad:
        for member in good:
            data = good.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "uploads/plan.docx":
                data = data[:-1] + b"!"  # one byte changed, same size
            bad.addfile(member, io.BytesIO(data))
    target = _installation(f"sqlite:///{tmp_path / 'target' / 'zhizao.db'}", tmp_path / "target")
    with pytest.raises(InvalidInput, match=r"plan\.docx"):
        restore(target, tmp_path / "bad.tar.gz")
    assert not target.upload_dir.exists() and not target.key_file.exists()
    engine = make_engine(target.database_url)
    try:
        with engine.connect() as connection:
            assert table_digests(connection) == {}
    finally:
        engine.dispose()
    assert read_manifest(tmp_path / "bad.tar.gz") == read_manifest(tmp_path / "good.tar.gz")


def test_restore_refuses_a_target_with_uploaded_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'source' / 'zhizao.db'}"
    migrate.upgrade(url)
    backup(_installation(url, tmp_path / "source"), tmp_path / "b.tar.gz")
    target = _installation(f"sqlite:///{tmp_path / 'target' / 'zhizao.db'}", tmp_path / "target")
    target.upload_dir.mkdir(parents=True)
    (target.upload_dir / "old.xlsx").write_bytes(b"x")
    with pytest.raises(RestoreRefused, match="上传文件目录"):
        restore(target, tmp_path / "b.tar.gz")
