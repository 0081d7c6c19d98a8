"""Uploaded import files kept between the preview and the confirmation (web).

A file is stored under `upload_dir/imports/` with a random name; the client's file name is only kept as a
label in a small JSON beside it, with the import kind, options and the uploader. Only the uploader may use
(confirm, download the report of) a stored upload.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput, NotFound
from zhizao.imports.validate import Options

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Upload:
    token: str
    kind: str
    filename: str  # as the client named it: a label, never a path
    actor: str
    year: int | None = None
    accept_historical_codes: bool = False

    @property
    def options(self) -> Options:
        return Options(year=self.year, accept_historical_codes=self.accept_historical_codes)


def _folder(upload_dir: Path) -> Path:
    folder = upload_dir / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(
    upload_dir: Path, actor: Actor, kind: str, filename: str, data: bytes, options: Options
) -> tuple[Upload, Path]:
    """Store an uploaded file (its size already checked by the web layer) under a random name; returns its
    record and path."""
    if not data:
        raise InvalidInput("请选择要导入的文件（文件为空）")
    label = Path(filename.replace("\\", "/")).name[:200] or "上传文件"
    upload = Upload(
        secrets.token_hex(16), kind, label, actor.username, options.year, options.accept_historical_codes
    )
    folder = _folder(upload_dir)
    (folder / f"{upload.token}.bin").write_bytes(data)
    (folder / f"{upload.token}.json").write_text(json.dumps(asdict(upload), ensure_ascii=False), "utf-8")
    return upload, folder / f"{upload.token}.bin"


def load_upload(upload_dir: Path, actor: Actor, token: str) -> tuple[Upload, Path]:
    """The stored upload `token` of `actor` (NotFound for another user's, an expired or a malformed one)."""
    if not _TOKEN.match(token):
        raise NotFound("上传的文件不存在或已过期，请重新上传")
    folder = _folder(upload_dir)
    try:
        upload = Upload(**json.loads((folder / f"{token}.json").read_text("utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise NotFound("上传的文件不存在或已过期，请重新上传") from exc
    path = folder / f"{token}.bin"
    if upload.actor != actor.username or not path.is_file():
        raise NotFound("上传的文件不存在或已过期，请重新上传")
    return upload, path


def remove_upload(upload_dir: Path, token: str) -> None:
    if _TOKEN.match(token):
        for suffix in (".bin", ".json"):
            (_folder(upload_dir) / f"{token}{suffix}").unlink(missing_ok=True)
