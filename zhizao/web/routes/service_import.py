"""诉求 import pages: the upload form (with the columns it reads), the preview with every problem by row and
column, and the confirmation. The file is kept between preview and confirmation by `imports.uploads`; the
checks and the writing are `zhizao.service.importing`'s."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from zhizao.auth.scope import require_role
from zhizao.errors import NotFound
from zhizao.imports.readers import UnusableFile
from zhizao.imports.uploads import load_upload, remove_upload, save_upload
from zhizao.imports.validate import Options
from zhizao.service import importing
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import read_upload, upload_limit
from zhizao.web.templating import render

router = APIRouter(prefix="/service/import", tags=["pages"], include_in_schema=False)


def _folder(request: Request) -> Path:
    return Path(request.app.state.settings.upload_dir)


def _form(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    fields = list(importing.FIELD_MAP.fields.values())
    return render(request, "service/import.html", {"fields": fields, "error": error}, status_code=status_code)


@router.get("")
def import_form(request: Request, actor: CurrentActor) -> Response:
    require_role(actor, *importing.IMPORTERS)
    return _form(request)


@router.post("")
def import_upload(request: Request, session: SessionDep, actor: CurrentActor, file: UploadFile) -> Response:
    """Check the file and show what it would file (nothing is written yet)."""
    require_role(actor, *importing.IMPORTERS)
    data = read_upload(file, upload_limit(request))
    upload, path = save_upload(_folder(request), actor, importing.KIND, file.filename or "", data, Options())
    try:
        checked = importing.preview(session, actor, path, filename=upload.filename)
    except UnusableFile as error:
        remove_upload(_folder(request), upload.token)
        return _form(request, error.message, status_code=400)
    return render(request, "service/import_preview.html", {"p": checked, "upload": upload})


@router.post("/{token}/confirm")
def import_confirm(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    token: str,
    fingerprint: Annotated[str, Form(max_length=64)],
) -> Response:
    """File the checked rows, provided the file still checks the same (else 400, nothing written)."""
    upload, path = load_upload(_folder(request), actor, token)
    if upload.kind != importing.KIND:
        raise NotFound("上传的文件不存在或已过期，请重新上传")
    result = importing.apply(
        session, actor, path, filename=upload.filename, confirmed=True, expected_fingerprint=fingerprint
    )
    remove_upload(_folder(request), token)
    return RedirectResponse(f"/service?imported={result.preview.created}", status_code=303)
