"""Data imports: upload → preview (problems, highlighted report, diff) → confirm; the import list with
rollback; templates; and on the enterprise page a figure's history with the manual correction form.

The logic is in `zhizao.imports` (checks, scope, all-or-nothing writes) and `zhizao.enterprises.figures`;
these routes parse the form, call it and render.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, RedirectResponse, Response

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.registry import get_enterprise, indicator_choices
from zhizao.errors import InvalidInput
from zhizao.imports import apply as importing
from zhizao.imports import history, report, templates
from zhizao.imports.readers import open_table
from zhizao.imports.uploads import load_upload, save_upload
from zhizao.imports.validate import Options
from zhizao.jobs.kinds import load_preview
from zhizao.jobs.models import Job
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, attachment_headers, read_upload, upload_limit
from zhizao.web.params import MAX_ID, Id
from zhizao.web.routes.jobs import job_redirect, start_job
from zhizao.web.templating import is_htmx, render

router = APIRouter(tags=["pages"], include_in_schema=False)
KIND_LABELS = {"figures": "企业指标", "enterprises": "企业名录"}  # what this page imports
# and what the history lists from other areas
HISTORY_LABELS = {**KIND_LABELS, "projects": "重点项目调度", "service_requests": "企业诉求"}
IMPORTERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)


def _upload_dir(request: Request) -> Path:
    return Path(request.app.state.settings.upload_dir)


def _xlsx_download(path: Path, filename: str) -> FileResponse:
    headers = attachment_headers("download.xlsx", filename)
    return FileResponse(path, media_type=XLSX, headers=headers, background=BackgroundTask(path.unlink))


def _temp_xlsx() -> Path:
    descriptor, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(descriptor)
    return Path(name)


@router.get("/imports")
def import_list(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    done: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> Response:
    imports = history.list_imports(session, actor)
    context = {"imports": imports, "kinds": HISTORY_LABELS, "done": done, "admin": actor.role is Role.ADMIN}
    return render(request, "imports/list.html", context)


@router.get("/imports/new")
def import_new(request: Request, actor: CurrentActor) -> Response:
    require_role(actor, *IMPORTERS)
    return render(request, "imports/new.html", {"kinds": KIND_LABELS, "error": None})


@router.post("/imports")
def import_upload(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: UploadFile,
    kind: Annotated[str, Form(max_length=20)],
    year: Annotated[str, Form(max_length=4)] = "",
    accept_historical_codes: Annotated[bool, Form()] = False,
) -> Response:
    require_role(actor, *IMPORTERS)
    if kind not in KIND_LABELS:
        raise InvalidInput("请选择导入类型")
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        raise InvalidInput("年度应为四位年份（如2024）")
    options = Options(year=int(year) if year else None, accept_historical_codes=accept_historical_codes)
    data = read_upload(file, upload_limit(request))
    upload, _path = save_upload(_upload_dir(request), actor, kind, file.filename or "", data, options)
    job = _preview_job(request, session, actor, upload.token, upload.filename)
    if job.status == "failed":  # an unusable file: said at once, on the form, as before
        context: dict[str, Any] = {"kinds": KIND_LABELS, "error": job.message, "filename": upload.filename}
        return render(request, "imports/new.html", context, status_code=400)
    if job.status == "done":
        return _preview_page(request, session, actor, upload.token)
    return job_redirect(job)


def _preview_job(request: Request, session: Session, actor: Actor, token: str, filename: str) -> Job:
    """Check the upload in a job off the request (a large workbook takes a while); a small one is done
    before this returns."""
    params = {"upload_dir": str(_upload_dir(request)), "token": token, "back": "/imports/new"}
    return start_job(request, session, actor, "import_preview", f"导入预览 {filename}", params)


def _preview_page(request: Request, session: Session, actor: Actor, token: str) -> Response:
    upload, path = load_upload(_upload_dir(request), actor, token)
    checked = load_preview(path)
    if checked is None:  # checked before the server restarted, or never: check it again
        return job_redirect(_preview_job(request, session, actor, token, upload.filename))
    context = {"p": checked, "upload": upload, "kinds": KIND_LABELS, "where": report.problem_where}
    return render(request, "imports/preview.html", context, status_code=200)


@router.get("/imports/uploads/{token}/preview")
def import_preview(request: Request, session: SessionDep, actor: CurrentActor, token: str) -> Response:
    require_role(actor, *IMPORTERS)
    return _preview_page(request, session, actor, token)


@router.get("/imports/uploads/{token}/report.xlsx")
def import_report(request: Request, session: SessionDep, actor: CurrentActor, token: str) -> Response:
    upload, path = load_upload(_upload_dir(request), actor, token)
    checked = load_preview(path) or importing.preview(
        session, actor, path, upload.kind, upload.options, filename=upload.filename
    )
    out = report.write_report(open_table(path), checked.problems, _temp_xlsx())
    return _xlsx_download(out, f"{Path(upload.filename).stem}-错误报告.xlsx")


@router.post("/imports/uploads/{token}/confirm")
def import_confirm(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    token: str,
    fingerprint: Annotated[str, Form(max_length=64)],
) -> Response:
    """Import the previewed upload in a job off the request (a large file takes a while to write); a small
    one is done before this answers, and a refusal found quickly is said at once, on this request."""
    upload, _path = load_upload(_upload_dir(request), actor, token)
    params = {"upload_dir": str(_upload_dir(request)), "token": token, "fingerprint": fingerprint}
    job = start_job(request, session, actor, "import_confirm", f"导入 {upload.filename}", params)
    if job.status == "failed":
        raise InvalidInput(job.message)
    if job.status == "done" and job.result_url:
        return RedirectResponse(job.result_url, status_code=303)
    return job_redirect(job)


@router.post("/imports/{import_id}/rollback")
def import_rollback(session: SessionDep, actor: CurrentActor, import_id: Id) -> Response:
    # the person who made the import may undo it (in their scope: history.rollback checks); admins any
    require_role(actor, *IMPORTERS)
    with acting_as(actor.username):
        history.rollback(session, actor, import_id)
    return RedirectResponse("/imports", status_code=303)


@router.get("/imports/templates/{kind}.xlsx")
def import_template(session: SessionDep, actor: CurrentActor, kind: str) -> Response:
    require_role(actor, *IMPORTERS)
    if kind not in KIND_LABELS:
        raise InvalidInput("未知的模板类型")
    out = templates.write_template(session, kind, _temp_xlsx())
    return _xlsx_download(out, f"{KIND_LABELS[kind]}导入模板.xlsx")


# --- a figure's history and manual correction, shown on the enterprise page ------------------------------


def _history_context(session: SessionDep, actor: Actor, enterprise_id: int) -> dict[str, object]:
    entries = history.figure_history(session, actor, enterprise_id)
    editable = get_enterprise(session, actor, enterprise_id).editable
    return {
        "enterprise_id": enterprise_id,
        "entries": entries,
        "editable": editable,
        "indicators": indicator_choices(session) if editable else [],
    }


@router.get("/enterprises/{enterprise_id}/figure-history")
def figure_history(request: Request, session: SessionDep, actor: CurrentActor, enterprise_id: Id) -> Response:
    return render(request, "imports/_figure_history.html", _history_context(session, actor, enterprise_id))


@router.post("/enterprises/{enterprise_id}/figures/correct")
def figure_correct(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    enterprise_id: Id,
    indicator_id: Annotated[str, Form(max_length=40)],
    year: Annotated[int, Form(ge=1900, le=2100)],
    note: Annotated[str, Form(max_length=400)],
    value: Annotated[str, Form(max_length=40)] = "",
    month: Annotated[int, Form(ge=0, le=12)] = 0,
) -> Response:
    try:
        number = float(value.replace(",", "")) if value.strip() else None
    except ValueError as exc:
        raise InvalidInput("数值不正确（留空表示删除该数值）") from exc
    if number is not None and not math.isfinite(number):
        raise InvalidInput("数值不正确（留空表示删除该数值）")
    with acting_as(actor.username):
        correct_figure(session, actor, enterprise_id, indicator_id, year, number, note, month=month)
    if is_htmx(request):
        return render(
            request, "imports/_figure_history.html", _history_context(session, actor, enterprise_id)
        )
    return RedirectResponse(f"/enterprises/{enterprise_id}#figure-history", status_code=303)
