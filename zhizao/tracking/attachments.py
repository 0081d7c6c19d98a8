"""Attachments of progress reports, stored safely.

Files go under `settings.upload_dir/reports/` with a random name; the client's file name is kept only as a
label. A file is accepted when its size is within `settings.upload_max_bytes` and both its extension and
its first bytes say it is a PDF, Word (.docx), Excel (.xlsx), JPEG or PNG file."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from zhizao.config import get_settings
from zhizao.errors import InvalidInput

_ZIP = b"PK\x03\x04"
ALLOWED = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
_OFFICE_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    extension: str
    content_type: str
    data: bytes
    sha256: str


def clean_name(filename: str) -> str:
    """The bare file name, without any folder part (from either kind of path), at most 200 characters."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name.strip().replace("\x00", "")
    return name[-200:] or "附件"


def check_file(filename: str, data: bytes, max_bytes: int | None = None) -> CheckedFile:
    """Accept or refuse an upload (InvalidInput with the reason)."""
    limit = max_bytes if max_bytes is not None else get_settings().upload_max_bytes
    name = clean_name(filename)
    if not data:
        raise InvalidInput(f"附件“{name}”是空文件")
    if len(data) > limit:
        raise InvalidInput(f"附件“{name}”超过大小上限（{limit // (1024 * 1024) or 1} MB）")
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED:
        raise InvalidInput(f"附件“{name}”类型不允许，仅限 PDF、DOCX、XLSX、JPG、PNG")
    content_type, magic = ALLOWED[extension]
    if not data.startswith(magic) or not _office_ok(extension, data):
        raise InvalidInput(f"附件“{name}”的内容与扩展名 {extension} 不符")
    return CheckedFile(name, extension, content_type, data, hashlib.sha256(data).hexdigest())


def _office_ok(extension: str, data: bytes) -> bool:
    part = _OFFICE_PART.get(extension)
    if part is None:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return part in archive.namelist()
    except zipfile.BadZipFile:
        return False


def storage_dir(upload_dir: Path | None = None) -> Path:
    folder = (upload_dir or get_settings().upload_dir) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve()


def store(checked: CheckedFile, upload_dir: Path | None = None) -> str:
    """Write the file under a new random name and return that name."""
    folder = storage_dir(upload_dir)
    stored_name = secrets.token_hex(16) + checked.extension
    (folder / stored_name).write_bytes(checked.data)
    return stored_name


def path_of(stored_name: str, upload_dir: Path | None = None) -> Path:
    """The path of a stored file; refuses any name that would leave the storage folder."""
    folder = storage_dir(upload_dir)
    path = (folder / stored_name).resolve()
    if path.parent != folder:
        raise InvalidInput("附件路径无效")
    return path


def remove(stored_name: str, upload_dir: Path | None = None) -> None:
    path_of(stored_name, upload_dir).unlink(missing_ok=True)
