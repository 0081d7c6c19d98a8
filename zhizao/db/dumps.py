"""Consistent copies of the database while the app keeps writing, and loading them back.

SQLite: the online backup API copies the file page by page inside one read transaction (writers carry on
in WAL mode). PostgreSQL: `pg_dump --format=custom` inside an exported REPEATABLE READ snapshot, so the
dump and the row counts and checksums computed beside it see exactly the same data; `pg_restore` loads it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import URL, Connection, create_engine, text
from sqlalchemy.engine import make_url

from zhizao.db.session import SQLITE_BUSY_TIMEOUT, make_engine
from zhizao.errors import ZhizaoError

T = TypeVar("T")


def sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise ZhizaoError("内存数据库无法备份或恢复")
    return Path(url.database)


def copy_sqlite(url: URL, out: Path, inspect_copy: Callable[[Connection], T]) -> T:
    """Copy the database file with SQLite's online backup; `inspect_copy` then reads the copy."""
    path = sqlite_file(url)
    if not path.is_file():
        raise ZhizaoError(f"数据库文件 {path} 不存在")
    source = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT)
    try:
        target = sqlite3.connect(out)
        try:
            source.backup(target)  # all pages in one step: one consistent read transaction
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            target.close()
    finally:
        source.close()
    engine = create_engine(f"sqlite:///{out}")
    try:
        with engine.connect() as connection:
            return inspect_copy(connection)
    finally:
        engine.dispose()


def load_sqlite(copy: Path, url: URL) -> None:
    """Replace the contents of the SQLite database at `url` with `copy`."""
    path = sqlite_file(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    try:
        target = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()


def tool(name: str) -> tuple[str, int]:
    """The path and major version of a PostgreSQL client program (pg_dump, pg_restore)."""
    path = shutil.which(name)
    if path is None:
        raise ZhizaoError(f"未找到 {name}：请安装与数据库服务器同一大版本的 PostgreSQL 客户端")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\)\s*(\d+)", version)
    if found is None:
        raise ZhizaoError(f"无法识别 {name} 的版本: {version.strip()}")
    return path, int(found.group(1))


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the client programs, with the password in the environment
    (never on a command line that `ps` shows)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def dump_postgres(url: URL, out: Path, inspect_dump: Callable[[Connection], T]) -> tuple[T, int, int]:
    """`pg_dump` of the database; `inspect_dump` reads the same snapshot. Returns its result, the server's
    and pg_dump's major versions."""
    pg_dump, dump_major = tool("pg_dump")
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            snapshot_tx = connection.execution_options(isolation_level="REPEATABLE READ")
            snapshot = snapshot_tx.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            server_major = int(snapshot_tx.execute(text("SHOW server_version_num")).scalar_one()) // 10000
            if dump_major < server_major:
                raise ZhizaoError(
                    f"pg_dump 版本 {dump_major} 低于数据库服务器版本 {server_major}：请安装同一大版本的客户端"
                )
            target, env = _libpq(url)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={out}", target], env)
            result = inspect_dump(snapshot_tx)
            snapshot_tx.rollback()
    finally:
        engine.dispose()
    return result, server_major, dump_major


def load_postgres(dump: Path, url: URL, dump_major: int) -> None:
    """`pg_restore` the dump into the database at `url` (tables it has are replaced), in one transaction."""
    pg_restore, restore_major = tool("pg_restore")
    if restore_major < dump_major:
        raise ZhizaoError(f"pg_restore 版本 {restore_major} 低于制作备份的 pg_dump 版本 {dump_major}")
    target, env = _libpq(url)
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run([pg_restore, *options, "--exit-on-error", f"--dbname={target}", str(dump)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise ZhizaoError(f"{Path(command[0]).name} 失败: {done.stderr.strip()[-2000:]}")


def backend(url: str) -> tuple[str, URL]:
    parsed = make_url(url)
    return parsed.get_backend_name(), parsed
