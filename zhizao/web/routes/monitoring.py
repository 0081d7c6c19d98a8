"""Industrial operations monitoring pages (工业运行监测): the month's analysis by a grouping with its charts
and warnings, the firms behind any number, and the same tables as a workbook and as the 工业运行分析 .docx.

Routes parse input and render; the data, the scope and every rule come from `zhizao.monitoring`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput
from zhizao.imports.uploads import load_upload, remove_upload, save_upload
from zhizao.imports.validate import Options
from zhizao.monitoring import data
from zhizao.monitoring.document import operations_report
from zhizao.monitoring.groupings import GROUP_LABELS, is_group_by
from zhizao.monitoring.page import monitoring_page, parse_month
from zhizao.monitoring.parks import KINDS, import_groups, list_groups
from zhizao.monitoring.queries import group_firms
from zhizao.monitoring.reconciliation import flags_by_district, reconciliation_flags
from zhizao.monitoring.tables import workbook
from zhizao.monitoring.warnings import Thresholds
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import DOCX, XLSX, download, read_upload, upload_limit
from zhizao.web.templating import render

router = APIRouter(prefix="/monitoring", tags=["pages"], include_in_schema=False)


def _share(value: str, default: float) -> float:
    try:
        number = float(value)
    except ValueError:
        return default
    return number / 100 if 0 < number < 100 else default


@router.get("")
def monitoring(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    indicator: str = "output_value",
    by: str = "region",
    output_drop: str = "20",
    electricity_drop: str = "20",
    weight: str = "3",
) -> Response:
    thresholds = Thresholds(_share(output_drop, 0.2), _share(electricity_drop, 0.2), _share(weight, 0.03))
    page = monitoring_page(session, actor, month, indicator, by, thresholds)
    return render(request, "monitoring/index.html", {"page": page, "thresholds": thresholds})


@router.get("/firms")
def firms(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str,
    indicator: str = "output_value",
    by: str = "",
    group: str = "",
) -> Response:
    require_role(actor, *data.READERS)
    year, number = parse_month(month)
    grouping = by if is_group_by(by) and group else None
    rows = group_firms(session, actor, year, number, indicator=indicator, by=grouping, group=group or None)
    context = {
        "rows": rows,
        "month": month,
        "indicator": indicator,
        "by_label": GROUP_LABELS.get(by, ""),
        "group": group,
    }
    return render(request, "monitoring/firms.html", context)


@router.get("/reconciliation")
def reconciliation(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    indicator: str = "output_value",
) -> Response:
    require_role(actor, *data.READERS)
    if not month:
        latest = data.latest_month(session, actor, indicator)
        month = f"{latest[0]:04d}-{latest[1]:02d}" if latest else ""
    flags = []
    if month:
        year, number = parse_month(month)
        flags = reconciliation_flags(session, actor, year, number, indicator=indicator)
    context = {
        "month": month,
        "indicator": indicator,
        "districts": flags_by_district(flags),
        "count": len(flags),
    }
    return render(request, "monitoring/reconciliation.html", context)


@router.get("/export.xlsx")
def export(
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    by: str = "region",
    indicator: str = "output_value",
) -> Response:
    page = monitoring_page(session, actor, month, indicator, by)
    if page.report is None:
        return Response("暂无月度数据", status_code=404)
    content = workbook(page.report, f"{page.month} 工业运行监测")
    return download(content, XLSX, f"monitoring-{page.month}.xlsx", f"工业运行监测-{page.month}.xlsx")


@router.get("/report.docx")
def report(session: SessionDep, actor: CurrentActor, month: str, indicator: str = "output_value") -> Response:
    require_role(actor, *data.READERS)
    year, number = parse_month(month)
    content = operations_report(session, actor, year, number, indicator)
    return download(content, DOCX, f"operations-{month}.docx", f"工业运行分析-{month}.docx")


PARK_IMPORTERS = (Role.ADMIN, Role.ANALYST)


def _upload_dir(request: Request) -> Path:
    return Path(request.app.state.settings.upload_dir)


def _parks_page(
    request: Request, session: SessionDep, extra: dict[str, Any], status_code: int = 200
) -> Response:
    context: dict[str, Any] = {
        "kinds": KINDS,
        "groups": {kind: list_groups(session, kind) for kind in KINDS},
        "preview": None,
        "error": None,
        "problems": [],
        "done": None,
    }
    return render(request, "monitoring/parks.html", context | extra, status_code=status_code)


@router.get("/parks")
def parks(request: Request, session: SessionDep, actor: CurrentActor, done: str = "") -> Response:
    """The parks and saved lists with their member counts, and the import form."""
    require_role(actor, *PARK_IMPORTERS)
    return _parks_page(request, session, {"done": done or None})


def _check(session: SessionDep, actor: Actor, path: Path, kind: str) -> tuple[Any, InvalidInput | None]:
    try:
        return import_groups(session, actor, path, kind, dry_run=True), None
    except InvalidInput as exc:
        return None, exc


@router.post("/parks")
def parks_upload(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: UploadFile,
    kind: Annotated[str, Form(max_length=10)] = "park",
) -> Response:
    """Check the file (nothing written) and show what would be imported, or every problem found."""
    require_role(actor, *PARK_IMPORTERS)
    if kind not in KINDS:
        raise InvalidInput(f"不支持的类型 {kind}（park 或 list）")
    data = read_upload(file, upload_limit(request))
    upload, path = save_upload(_upload_dir(request), actor, kind, file.filename or "", data, Options())
    preview, error = _check(session, actor, path, kind)
    if error is not None:
        remove_upload(_upload_dir(request), upload.token)
        extra = {"error": error.message, "problems": error.problems, "filename": upload.filename}
        return _parks_page(request, session, extra, status_code=400)
    return _parks_page(request, session, {"preview": preview, "upload": upload})


@router.post("/parks/{token}/confirm")
def parks_confirm(request: Request, session: SessionDep, actor: CurrentActor, token: str) -> Response:
    """Import the previewed file (audited per group by the library) and go back to the list."""
    require_role(actor, *PARK_IMPORTERS)
    upload, path = load_upload(_upload_dir(request), actor, token)
    if upload.kind not in KINDS:
        raise InvalidInput("上传的文件不是园区或企业名单")
    result = import_groups(session, actor, path, upload.kind)
    remove_upload(_upload_dir(request), token)
    return RedirectResponse(f"/monitoring/parks?done={result.groups}", status_code=303)
