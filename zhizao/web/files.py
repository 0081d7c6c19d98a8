"""Files in and out of the pages: an upload read up to its size limit, and a download named twice in its
Content-Disposition (an ASCII name for old clients, the UTF-8 Chinese name that browsers show)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, UploadFile
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.responses import FileResponse, Response

from zhizao.errors import InvalidInput

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_headers(ascii_name: str, name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(name)}"}


def download(content: bytes, media_type: str, ascii_name: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers=attachment_headers(ascii_name, name))


def download_file(path: Path, media_type: str, ascii_name: str, name: str) -> FileResponse:
    """A temporary file sent in chunks and removed once sent (a large export never sits in memory)."""
    headers = attachment_headers(ascii_name, name)
    return FileResponse(path, media_type=media_type, headers=headers, background=BackgroundTask(path.unlink))


def upload_limit(request: Request) -> int:
    """The largest upload this app accepts (`ZHIZAO_UPLOAD_MAX_BYTES`)."""
    return int(request.app.state.settings.upload_max_bytes)


def too_large_message(limit: int) -> str:
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"
    return f"文件过大(上限 {size})"


def read_upload(file: UploadFile, limit: int, too_large: str | None = None) -> bytes:
    """The uploaded bytes; an InvalidInput (`too_large`, or one naming the limit) when there are more.

    Synchronous on purpose: the form is already parsed (spooled to a temporary file) when a route runs, and
    a route that reads an upload is a plain `def`, run in the thread pool, so its parsing never blocks the
    event loop, and with it every other user's request."""
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(too_large or too_large_message(limit))
    return content


async def form_data(request: Request) -> FormData:
    """The parsed form, as a dependency: lets a route that reads fields by name be a plain `def`."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]
