"""The server's secret key: `ZHIZAO_SECRET_KEY`, or a random key generated once and kept in a file.

There is no built-in key. Without the setting, the first start writes `zhizao-secret.key` (owner-only,
mode 0600) beside the SQLite database file, or into `ZHIZAO_DATA_DIR` (default: the upload folder's parent)
for any other database, and every later start, in any process, reads the same file. Several workers starting
at once agree on one key: the file appears atomically (a hard link that fails if it already exists).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from zhizao.config import Settings

KEY_FILE_NAME = "zhizao-secret.key"


def secret_key_path(settings: Settings) -> Path:
    """Where the generated key lives for these settings (whether or not it exists yet)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / KEY_FILE_NAME
    folder = settings.data_dir or settings.upload_dir.resolve().parent
    return folder / KEY_FILE_NAME


def secret_key(settings: Settings) -> str:
    """The configured key, or the generated one (created on first use)."""
    if settings.secret_key:
        return settings.secret_key
    return load_or_create_key(secret_key_path(settings))


def load_or_create_key(path: Path) -> str:
    """The key in `path`; a new random key written there (mode 0600) when there is none."""
    if not path.exists():
        _create_key(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # a copy restored with looser permissions is tightened again
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"密钥文件 {path} 内容无效 (太短)，请删除后重启以重新生成")
    return key


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        with contextlib.suppress(FileExistsError):  # another process wrote its key first: use that
            os.link(draft, path)  # atomic, and never replaces an existing key
    finally:
        draft.unlink(missing_ok=True)
