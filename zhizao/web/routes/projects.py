"""Key-project pages: the list (filters, Excel export), one project (stages, investment chart against plan
and baseline, monthly reports, baselines, history), the 调度 summary per group with the units that have not
reported, the monthly form download and the form's upload.

Routes parse input and render; the data, the scope and every rule come from `zhizao.projects`."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.errors import InvalidInput
from zhizao.office.tables import exported_note
from zhizao.projects import effect, export, form, importing, listing, progress, reminders
from zhizao.projects import settings as project_settings
from zhizao.projects.facts import BASIS_LABELS, period_of
from zhizao.projects.models import STAGE_LABELS
from zhizao.projects.progress import GROUP_LABELS, STATUS_CSS, STATUS_LABELS
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, download, read_upload, upload_limit
from zhizao.web.params import Id
from zhizao.web.templating import render

router = APIRouter(prefix="/projects", tags=["pages"], include_in_schema=False)
IMPORTERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT, Role.DEPARTMENT, Role.ENTERPRISE)


def _as_of(value: str | None) -> date:
    """A date from the query, or the last month end before today."""
    if not value:
        return period_of(date.today()).end
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _filters(
    kind: str = "", level: str = "", region: str = "", status: str = "", chain: str = "", q: str = ""
) -> listing.Filters:
    """The list's filters from the query string (one parser for the page and its export)."""
    return listing.Filters(kind, level, region[:12], status, chain[:40], q[:100])


FiltersDep = Annotated[listing.Filters, Depends(_filters)]


def _check_basis(basis: str) -> None:
    if basis not in BASIS_LABELS:
        raise InvalidInput("计划口径应为 plan 或 baseline")


@router.get("")
def project_list(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    filters: FiltersDep,
    as_of: str = "",
    imported: str = "",
) -> Response:
    day = _as_of(as_of)
    items = listing.items(session, actor, day, filters)
    context = {
        "items": items,
        "f": filters,
        "as_of": period_of(day).end,
        "kinds": project_settings.load(session).kinds,
        "levels": project_settings.LEVELS,
        "status_labels": STATUS_LABELS,
        "status_css": STATUS_CSS,
        "query": request.url.query,
        "imported": int(imported) if imported.isdigit() and len(imported) <= 10 else None,
        "can_import": actor.role in IMPORTERS,
    }
    return render(request, "projects/list.html", context)


@router.get("/export.xlsx")
def project_export(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    filters: FiltersDep,
    as_of: str = "",
) -> Response:
    day = _as_of(as_of)
    rows = [export.list_row(i, i.progress) for i in listing.items(session, actor, day, filters)]
    note = exported_note(f"截至{period_of(day).end.isoformat()} {filters.describe()}".strip())
    return download(export.list_workbook(rows, note), XLSX, "projects.xlsx", "重点项目清单.xlsx")


@router.get("/summary")
def summary(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    as_of: str = "",
    group_by: str = "kind",
    basis: str = "plan",
) -> Response:
    day = _as_of(as_of)
    _check_basis(basis)
    result = progress.progress(session, actor, day, group_by, basis)  # type: ignore[arg-type]
    total = progress.progress(session, actor, day, "all", basis).groups  # type: ignore[arg-type]
    period = period_of(day)
    context = {
        "p": result,
        "total": total[0] if total else None,
        "group_labels": GROUP_LABELS,
        "basis_labels": BASIS_LABELS,
        "status_css": STATUS_CSS,
        "missing": reminders.missing_reports(session, actor, period.year, period.month, date.today()),
        "waiting": effect.not_yet_effective(session, actor, period.end),
        "definition": effect.DEFINITION,
    }
    return render(request, "projects/summary.html", context)


@router.get("/summary.xlsx")
def summary_export(
    session: SessionDep, actor: CurrentActor, as_of: str = "", group_by: str = "kind", basis: str = "plan"
) -> Response:
    _check_basis(basis)
    result = progress.progress(session, actor, _as_of(as_of), group_by, basis)  # type: ignore[arg-type]
    name = f"重点项目调度汇总-{result.period.end.isoformat()}.xlsx"
    return download(export.progress_workbook(result), XLSX, "project-summary.xlsx", name)


@router.get("/form.xlsx")
def form_download(session: SessionDep, actor: CurrentActor, month: str = "") -> Response:
    """The 调度 form of the actor's projects (a unit's, an owner's: their scope) for a month (YYYY-MM)."""
    if month:
        try:
            year, number = (int(x) for x in month.split("-"))
        except ValueError:
            raise InvalidInput("月份应为 YYYY-MM") from None
    else:
        today = date.today()
        year, number = today.year, today.month
    content = form.write_form(session, actor, year, number)
    return download(content, XLSX, "project-form.xlsx", f"重点项目月度调度表-{year}年{number}月.xlsx")


@router.post("/import")
def form_upload(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: UploadFile,
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Import a filled 调度 form: all rows or nothing (errors and unconfirmed warnings answer 400)."""
    if actor.role not in IMPORTERS:
        raise InvalidInput("当前账号不能导入调度表")
    content = read_upload(file, upload_limit(request))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(content)
        result = importing.apply(
            session, actor, path, filename=(file.filename or "upload.xlsx")[:200], confirmed=confirm == "1"
        )
    return RedirectResponse(f"/projects?imported={result.import_id or 0}", status_code=303)


@router.get("/{project_id}")
def project_page(
    request: Request, session: SessionDep, actor: CurrentActor, project_id: Id, as_of: str = ""
) -> Response:
    p = listing.page(session, actor, project_id, _as_of(as_of))
    context = {
        "p": p,
        "status_css": STATUS_CSS,
        "stage_labels": STAGE_LABELS,
        "definition": effect.DEFINITION,
    }
    return render(request, "projects/project.html", context)
