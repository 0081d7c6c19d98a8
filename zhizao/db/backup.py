"""Backups of a running installation and restores into an empty one.

A backup is one `.tar.gz` holding a consistent copy of the database (SQLite's online backup, or
`pg_dump` in custom format), every file under the upload folder, the generated secret key file if there
is one, and `manifest.json`: versions, the Alembic revision, the row count and checksum of every table
(computed on the very snapshot that was copied) and the size and checksum of every file.

A restore refuses a target that holds data (only the reference tables that `zhizao db upgrade` fills may
have rows), checks every file of the archive against the manifest before writing anything, loads the
database, and then checks each table's row count and checksum against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import Connection, func, inspect, select, table
from sqlalchemy.engine import make_url

import zhizao
from zhizao.config import Settings
from zhizao.db import dumps
from zhizao.db.base import is_derived_table
from zhizao.db.digests import TableDigest, table_digests
from zhizao.db.session import make_engine
from zhizao.errors import InvalidInput, ZhizaoError

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
KEY_MEMBER = "key/zhizao-secret.key"
KEY_FILE_NAME = "zhizao-secret.key"  # the file the server writes its generated key to
# What `zhizao db upgrade` writes into a new database: a target holding only these is still empty.
REFERENCE_TABLES = frozenset({"alembic_version", "regions", "industries", "units", "indicators"})


class RestoreRefused(ZhizaoError):
    """The target installation is not empty, or the archive does not fit it."""


@dataclass(frozen=True)
class Installation:
    """Where an installation keeps its data: the database, the uploaded files, the generated key file."""

    database_url: str
    upload_dir: Path
    key_file: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> Installation:
        return cls(settings.database_url, settings.upload_dir, key_file_path(settings))


def key_file_path(settings: Settings) -> Path:
    """Where the server keeps the key it generated when `ZHIZAO_SECRET_KEY` is not set: beside the SQLite
    file, else in `ZHIZAO_DATA_DIR` (default: the upload folder's parent)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / KEY_FILE_NAME
    data_dir: Path | None = getattr(settings, "data_dir", None)
    return (data_dir or settings.upload_dir.resolve().parent) / KEY_FILE_NAME


# --- backup ----------------------------------------------------------------------------------------------


def backup(installation: Installation, out: Path) -> dict[str, Any]:
    """Write a backup archive to `out` (atomically: a partial file never has the final name). Returns the
    manifest."""
    dialect, url = dumps.backend(installation.database_url)
    if dialect not in DATABASE_MEMBER:
        raise ZhizaoError(f"不支持备份 {dialect} 数据库")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "zhizao_version": zhizao.__version__,
        "python_version": platform.python_version(),
        "dialect": dialect,
    }
    with tempfile.TemporaryDirectory(prefix="zhizao-backup-") as work:
        copy = Path(work) / DATABASE_MEMBER[dialect]
        if dialect == "sqlite":
            state = dumps.copy_sqlite(url, copy, _database_state)
            manifest["sqlite_version"] = sqlite3.sqlite_version
        else:
            state, server_major, dump_major = dumps.dump_postgres(url, copy, _database_state)
            manifest["postgresql_server_major"] = server_major
            manifest["pg_dump_major"] = dump_major
        manifest["alembic_revision"], manifest["tables"] = state
        files: dict[str, dict[str, Any]] = {}
        try:
            with tarfile.open(partial, "w:gz") as archive:
                files[copy.name] = _add(archive, copy, copy.name)
                for path in _files_under(installation.upload_dir):
                    name = f"{UPLOADS}/{path.relative_to(installation.upload_dir).as_posix()}"
                    files[name] = _add(archive, path, name)
                if installation.key_file.is_file():
                    files[KEY_MEMBER] = _add(archive, installation.key_file, KEY_MEMBER)
                manifest["files"] = files
                body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, io.BytesIO(body))
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _database_state(connection: Connection) -> tuple[list[str], dict[str, dict[str, Any]]]:
    digests = table_digests(connection)
    revision = _revision(connection) if "alembic_version" in digests else []
    return revision, {name: asdict(digest) for name, digest in digests.items()}


def _revision(connection: Connection) -> list[str]:
    return sorted(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


class _Hashing(io.RawIOBase):
    """A file read through once: the archive gets the bytes, the manifest their checksum."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    info = archive.gettarinfo(str(path), arcname=name)
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as file:
        reader = _Hashing(file)
        archive.addfile(info, reader)  # reads exactly info.size bytes
    return {"bytes": info.size, "sha256": reader.digest.hexdigest()}


# --- restore ---------------------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict[str, Any]:
    """The manifest of a backup archive, checked for the format this version writes."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read().decode("utf-8"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise InvalidInput(f"{archive_path} 不是 zhizao 备份文件（缺少或无法读取 {MANIFEST}）") from exc
    if manifest.get("format") != FORMAT or manifest.get("dialect") not in DATABASE_MEMBER:
        raise InvalidInput(f"备份格式 {manifest.get('format')} 无法识别（本版本读取格式 {FORMAT}）")
    return manifest


def restore(installation: Installation, archive_path: Path) -> dict[str, Any]:
    """Restore a backup into this installation, which must be empty. Returns the manifest."""
    manifest = read_manifest(archive_path)
    dialect, url = dumps.backend(installation.database_url)
    if dialect != manifest["dialect"]:
        raise RestoreRefused(f"备份来自 {manifest['dialect']} 数据库，不能恢复到 {dialect} 数据库")
    _refuse_unless_empty(installation, manifest)
    with tempfile.TemporaryDirectory(prefix="zhizao-restore-") as work:
        folder = Path(work)
        _extract_checked(archive_path, manifest, folder)
        copy = folder / DATABASE_MEMBER[dialect]
        if dialect == "sqlite":
            dumps.load_sqlite(copy, url)
        else:
            dumps.load_postgres(copy, url, int(manifest.get("pg_dump_major", 0)))
        _verify_tables(installation.database_url, manifest)
        _place_files(folder, installation)
    return manifest


def _refuse_unless_empty(installation: Installation, manifest: dict[str, Any]) -> None:
    engine = make_engine(installation.database_url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            revision = _revision(connection) if "alembic_version" in names else []
            if revision and revision != manifest["alembic_revision"]:
                raise RestoreRefused(
                    f"目标数据库结构版本 {revision} 与备份的 {manifest['alembic_revision']} 不同："
                    "请恢复到一个新建的空数据库"
                )
            kept = (n for n in sorted(names - REFERENCE_TABLES) if not is_derived_table(n))
            used = [n for n in kept if _has_rows(connection, n)]
    finally:
        engine.dispose()
    if used:
        raise RestoreRefused(
            "目标数据库已有数据（" + "、".join(used[:10]) + "），只能恢复到空的安装：请新建空数据库后再恢复"
        )
    if _files_under(installation.upload_dir):
        raise RestoreRefused(f"上传文件目录 {installation.upload_dir} 不为空，只能恢复到空的安装")


def _has_rows(connection: Connection, name: str) -> bool:
    return connection.scalar(select(func.count()).select_from(table(name))) != 0


def _extract_checked(archive_path: Path, manifest: dict[str, Any], folder: Path) -> None:
    """Extract the archive's files into `folder`, each checked against the manifest (name, size, SHA-256)."""
    expected: dict[str, dict[str, Any]] = manifest.get("files", {})
    if DATABASE_MEMBER[manifest["dialect"]] not in expected:
        raise InvalidInput("备份中没有数据库副本")
    seen: set[str] = set()
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            entry = expected.get(member.name)
            parts = PurePosixPath(member.name).parts
            if entry is None or not member.isfile() or ".." in parts or member.name.startswith("/"):
                raise InvalidInput(f"备份中有清单之外的条目 {member.name}")
            archive.extract(member, folder, filter="data")
            if _sha256(folder / member.name) != entry["sha256"]:
                raise InvalidInput(f"备份中的 {member.name} 与清单的校验和不符（文件已损坏）")
            seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise InvalidInput("备份不完整，缺少：" + "、".join(missing[:10]))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _verify_tables(database_url: str, manifest: dict[str, Any]) -> None:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            found = table_digests(connection)
    finally:
        engine.dispose()
    expected = {name: TableDigest(**value) for name, value in manifest["tables"].items()}
    wrong = [name for name in sorted(set(expected) | set(found)) if found.get(name) != expected.get(name)]
    if wrong:
        raise ZhizaoError("恢复后的数据与备份清单不一致：" + "、".join(wrong[:10]))


def _place_files(folder: Path, installation: Installation) -> None:
    uploads = folder / UPLOADS
    for path in _files_under(uploads):
        target = installation.upload_dir / path.relative_to(uploads)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    key = folder / KEY_MEMBER
    if key.is_file():  # the restored data's key replaces one a first start of the empty server made
        installation.key_file.parent.mkdir(parents=True, exist_ok=True)
        installation.key_file.unlink(missing_ok=True)
        descriptor = os.open(installation.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key.read_bytes())
