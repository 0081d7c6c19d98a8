"""Files in and out of the pages: an upload read up to its size limit, and a download named twice in its
Content-Disposition (an ASCII name for old clients, the UTF-8 Chinese name that browsers show)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import UploadFile
from starlette.responses import Response

from zhizao.errors import InvalidInput

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_headers(ascii_name: str, name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(name)}"}


def download(content: bytes, media_type: str, ascii_name: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers=attachment_headers(ascii_name, name))


async def read_upload(file: UploadFile, limit: int, too_large: str) -> bytes:
    """The uploaded bytes; `too_large` (an InvalidInput) when there are more than `limit`."""
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(too_large)
    return content
