"""Tracking pages (cockpit, target pages with observation entry and link confirmation, task reports with
attachments, reminders, bulletin and ledger downloads) and the tracking JSON API under /api/v1/tracking.

Routes parse input and render; the data comes from `zhizao.tracking` (`cockpit.py` gathers each page)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput
from zhizao.jobs import store as job_store
from zhizao.office.masthead import LABELS, MastheadOptions, parse_masthead
from zhizao.service import policy as service_policy
from zhizao.tracking import bulletin, cockpit, ledger, linking, tasklist, tasks, urges
from zhizao.tracking import observations as obs
from zhizao.tracking.alerts import AlertKind, alerts_as_of
from zhizao.tracking.board import target_board
from zhizao.tracking.ledger import REPORT_ROLES
from zhizao.tracking.observations import PERIOD_TYPES
from zhizao.tracking.progress import STATUS_LABELS
from zhizao.tracking.public import (
    AlertPublic,
    AssignmentPublic,
    PlanProgressPublic,
    PointPublic,
    ReportCreate,
    ReportPublic,
    TargetProgressPublic,
    TargetSeriesPublic,
)
from zhizao.tracking.targets import get_plan
from zhizao.tracking.tasks import REPORT_STATUS_LABELS
from zhizao.web.body_limit import TAKES_FILES
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import DOCX, XLSX, FormDep, download, read_upload, upload_limit
from zhizao.web.i18n import gettext_for, request_language
from zhizao.web.params import Id, OptionalQueryId, parse_id
from zhizao.web.routes.jobs import job_redirect, result_download, result_folder, start_job
from zhizao.web.templating import is_htmx, render

pages = APIRouter(prefix="/tracking", tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/tracking", tags=["api"])
router = APIRouter()  # both, included by create_app with one line

MAX_FILES = 10
STATUS_LABELS_BY_VALUE = {s.value: label for s, label in STATUS_LABELS.items()}


def _today() -> date:
    return date.today()


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _as_of(month: str | None, as_of: str | None) -> date | None:
    if month:
        return cockpit.parse_month(month)
    return _date(as_of)


def _editor(actor: Actor) -> bool:
    return actor.role in obs.EDITORS


def _safe_next(value: str, fallback: str) -> str:
    return value if value.startswith("/tracking") and "//" not in value else fallback


# ---- cockpit ---------------------------------------------------------------------------------------------


@pages.get("")
def tracking_index(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    context = {
        "plans": cockpit.plan_summaries(session, actor, _today()),
        "status_labels": {s.value: label for s, label in STATUS_LABELS.items()},
        "editor": _editor(actor),
    }
    return render(request, "tracking/index.html", context)


@pages.get("/plans/{plan_id}")
def plan_cockpit(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, month: str | None = None
) -> Response:
    as_of = cockpit.parse_month(month) if month else None
    data = cockpit.plan_cockpit(session, actor, plan_id, as_of, _today())
    gettext = gettext_for(request_language(request))
    context = {
        "c": data,
        "sparks": {t.target_id: cockpit.sparkline_options(t.points, t.colour) for t in data.tiles},
        "bar": cockpit.tasks_bar_options(data.units, gettext),
        "status_labels": {s.value: label for s, label in STATUS_LABELS.items()},
        "report_labels": {s.value: label for s, label in REPORT_STATUS_LABELS.items()},
        "downloads": actor.role in (Role.ADMIN, Role.ANALYST),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "cockpit":
        return render(request, "tracking/_cockpit.html", context)
    return render(request, "tracking/plan.html", context)


def _bulletin_form(
    request: Request, form: bulletin.BulletinForm, values: dict[str, str], error: InvalidInput | None = None
) -> Response:
    context = {"form": form, "values": values, "labels": LABELS, "error": error}
    return render(request, "tracking/bulletin.html", context, status_code=400 if error else 200)


@pages.get("/plans/{plan_id}/bulletin")
def bulletin_options(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, month: str | None = None
) -> Response:
    """The bulletin's download form: the month and the 版头/版记 options (as the CLI's)."""
    return _bulletin_form(request, bulletin.bulletin_form(session, actor, plan_id, _today(), month), {})


@pages.get("/plans/{plan_id}/bulletin.docx")
def plan_bulletin(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, month: str
) -> Response:
    """The bulletin is written by a job: sent at once when ready within the job's wait, else the job's
    page (progress, then the download). The 版头/版记 options are checked here, before any job."""
    end = cockpit.parse_month(month)
    require_role(actor, *REPORT_ROLES)
    get_plan(session, actor, plan_id)  # NotFound out of scope, before any job
    values = {key: request.query_params.get(key, "")[:2000] for key in LABELS}
    try:
        parse_masthead(MastheadOptions(**values))
    except InvalidInput as error:  # the form again, with what was typed and what is wrong with it
        form = bulletin.bulletin_form(session, actor, plan_id, _today(), month)
        return _bulletin_form(request, form, values, error)
    name = f"督查通报-{end.year}年{end.month}月.docx"
    out = job_store.result_path(result_folder(request), ".docx")
    params = {"plan_id": plan_id, "year": end.year, "month": end.month, "out": str(out)}
    params |= {"filename": name, "media_type": DOCX, "back": f"/tracking/plans/{plan_id}?month={month}"}
    params["masthead"] = values
    job = start_job(request, session, actor, "bulletin", name.removesuffix(".docx"), params, wait=2.0)
    if job.status == "done":
        return result_download(out, DOCX, name)
    return job_redirect(job)


@pages.get("/plans/{plan_id}/ledger.xlsx")
def plan_ledger(session: SessionDep, actor: CurrentActor, plan_id: Id, month: str) -> Response:
    end = cockpit.parse_month(month)
    content = ledger.build_ledger(session, actor, plan_id, end)
    return download(content, XLSX, f"ledger-{plan_id}-{month}.xlsx", f"台账-{end.year}年{end.month}月.xlsx")


# ---- targets: chart, observations, links -----------------------------------------------------------------


@pages.get("/targets/{target_id}")
def target_detail(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    target_id: Id,
    month: str | None = None,
    as_of: str | None = None,
) -> Response:
    page = cockpit.target_page(session, actor, target_id, _as_of(month, as_of), _today())
    gettext = gettext_for(request_language(request))
    context = {
        "p": page,
        "chart": cockpit.target_chart_options(page.progress, page.as_of, page.base_value, gettext),
        "period_types": PERIOD_TYPES,
        "editor": _editor(actor),
    }
    return render(request, "tracking/target.html", context)


@pages.post("/targets/{target_id}/observations")
def target_observation(
    session: SessionDep,
    actor: CurrentActor,
    target_id: Id,
    period_type: Annotated[str, Form(max_length=10)],
    year: Annotated[int, Form(ge=1900, le=2100)],
    value: Annotated[float, Form(allow_inf_nan=False)],
    period: Annotated[int, Form(ge=0, le=53)] = 0,
    source: Annotated[str, Form(max_length=500)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    require_role(actor, *obs.EDITORS)
    page = cockpit.target_page(session, actor, target_id, None, _today())  # NotFound when out of scope
    if page.link is None:
        raise InvalidInput("请先为此目标确认监测指标")
    item = obs.ObservationInput(
        page.link.series_id, page.region_code or "", period_type, year, period, value, source, note
    )
    obs.record_observation(session, actor, item)
    return RedirectResponse(f"/tracking/targets/{target_id}#observations", status_code=303)


@pages.post("/targets/{target_id}/link")
def target_link(
    session: SessionDep,
    actor: CurrentActor,
    target_id: Id,
    series_id: Annotated[str, Form(max_length=20)] = "",
    new_name: Annotated[str, Form(max_length=200)] = "",
    new_unit: Annotated[str, Form(max_length=30)] = "",
    base_value: Annotated[str, Form(max_length=30)] = "",
) -> Response:
    require_role(actor, *obs.EDITORS)
    if new_name.strip():
        chosen = obs.ensure_series(session, new_name.strip(), new_unit.strip()).id
    elif (picked := parse_id(series_id, "监测指标编号")) is not None:
        chosen = picked
    else:
        raise InvalidInput("请选择监测指标，或填写新指标名称")
    try:
        base = float(base_value) if base_value.strip() else None
    except ValueError:
        raise InvalidInput(f"基数不是数字：{base_value}") from None
    linking.confirm_link(session, actor, target_id, chosen, base_value=base)
    return RedirectResponse(f"/tracking/targets/{target_id}", status_code=303)


@pages.get("/observations/template.xlsx")
def observation_template(session: SessionDep, actor: CurrentActor) -> Response:
    require_role(actor, *obs.EDITORS)
    return download(obs.template_workbook(session), XLSX, "observations.xlsx", "监测数据导入模板.xlsx")


@pages.post("/observations/import")
def observation_import(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: UploadFile,
    next: Annotated[str, Form(max_length=300)] = "/tracking",
) -> Response:
    require_role(actor, *obs.EDITORS)
    content = read_upload(file, upload_limit(request))
    count = obs.import_workbook(session, actor, content)
    target = _safe_next(next, "/tracking")
    return RedirectResponse(f"{target}{'&' if '?' in target else '?'}imported={count}", status_code=303)


# ---- tasks, reports, attachments, reminders --------------------------------------------------------------


TaskQueryDep = Annotated[tasklist.TaskQuery, Query()]


def _task_qs(query: tasklist.TaskQuery, **changes: object) -> str:
    """The task list's URL query for `query` with some fields changed (defaults left out)."""
    values = query.model_dump(mode="json") | changes
    defaults = tasklist.TaskQuery().model_dump(mode="json")
    return urlencode({k: v for k, v in values.items() if v is not None and v != defaults.get(k)})


@pages.get("/tasks")
def task_list(request: Request, session: SessionDep, actor: CurrentActor, query: TaskQueryDep) -> Response:
    page = tasklist.search_tasks(session, actor, query, _today())
    context = {
        "page": page,
        "query": query,
        "qs": _task_qs,
        "plan_id": query.plan_id,
        "report_labels": {s.value: label for s, label in REPORT_STATUS_LABELS.items()},
        "alert_labels": {k.value: k.label for k in AlertKind},
        "page_sizes": tasklist.PAGE_SIZES,
        "may_urge": actor.role in urges.URGING_ROLES,
    }
    return render(request, "tracking/tasks.html", context)


@pages.post("/tasks/{assignment_id}/urge")
def assignment_urge(
    request: Request, session: SessionDep, actor: CurrentActor, assignment_id: Id, form: FormDep
) -> Response:
    urges.urge(session, actor, assignment_id, str(form.get("note") or ""))
    back = _safe_next(str(form.get("next") or ""), f"/tracking/tasks/{assignment_id}")
    return RedirectResponse(back, status_code=303)


@pages.get("/targets")
def target_list(
    request: Request, session: SessionDep, actor: CurrentActor, status: str | None = None
) -> Response:
    if status and status not in STATUS_LABELS_BY_VALUE:
        raise InvalidInput(f"未知的目标状态：{status}")
    board = target_board(session, actor, _today(), status=status or None)
    context = {"board": board, "status": status, "status_labels": STATUS_LABELS_BY_VALUE}
    return render(request, "tracking/targets.html", context)


def _assignment_context(session: SessionDep, actor: Actor, assignment_id: int) -> dict[str, object]:
    view = tasks.get_assignment_view(session, actor, assignment_id)
    return {
        "a": view,
        "service_links": service_policy.counts_for_task(session, actor, view.task_id),
        "history": tasks.report_history(session, actor, assignment_id),
        "statuses": list(REPORT_STATUS_LABELS.values()),
        "may_report": actor.role in (Role.ADMIN, Role.DEPARTMENT),
        "report_status_label": lambda value: tasks.ReportStatus(value).label,
        "today": _today(),
        "urges": urges.urges_of(session, actor, assignment_id),
        "urged": urges.open_urges(session, actor, [assignment_id]).get(assignment_id),
        "may_urge": actor.role in urges.URGING_ROLES,
    }


@pages.get("/tasks/{assignment_id}")
def assignment_detail(
    request: Request, session: SessionDep, actor: CurrentActor, assignment_id: Id
) -> Response:
    return render(request, "tracking/assignment.html", _assignment_context(session, actor, assignment_id))


@pages.post("/tasks/{assignment_id}/reports", dependencies=[TAKES_FILES])
def assignment_report(
    request: Request, session: SessionDep, actor: CurrentActor, assignment_id: Id, form: FormDep
) -> Response:
    uploads = []
    for item in form.getlist("files")[:MAX_FILES]:
        if isinstance(item, str) or not item.filename:
            continue
        uploads.append((item.filename, item.file.read(upload_limit(request) + 1)))
    percent_text = str(form.get("percent") or "").strip()
    if percent_text and not (percent_text.isascii() and percent_text.isdigit() and len(percent_text) <= 3):
        raise InvalidInput("完成百分比应为 0–100 的整数")
    tasks.report_progress(
        session,
        actor,
        assignment_id,
        reported_on=_date(str(form.get("reported_on") or "")) or _today(),
        text=str(form.get("text") or ""),
        status=str(form.get("status") or ""),
        percent=int(percent_text) if percent_text else None,
        uploads=uploads,
        upload_dir=request.app.state.settings.upload_dir,
        reopen=form.get("reopen") == "1",
    )
    if is_htmx(request):
        context = _assignment_context(session, actor, assignment_id)
        return render(request, "tracking/_history.html", context)
    return RedirectResponse(f"/tracking/tasks/{assignment_id}#history", status_code=303)


@pages.get("/attachments/{attachment_id}")
def attachment_download(
    request: Request, session: SessionDep, actor: CurrentActor, attachment_id: Id
) -> Response:
    attachment, path = tasks.get_attachment(
        session, actor, attachment_id, request.app.state.settings.upload_dir
    )
    return FileResponse(
        path,
        media_type=attachment.content_type,
        filename=attachment.original_name,
        headers={"X-Content-Type-Options": "nosniff"},
    )


@pages.get("/reminders")
def reminder_list(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    as_of: str | None = None,
    plan_id: OptionalQueryId = None,
) -> Response:
    data = cockpit.reminders(session, actor, _date(as_of), plan_id=plan_id, today=_today())
    return render(request, "tracking/reminders.html", {"r": data, "plan_id": plan_id})


# ---- JSON API --------------------------------------------------------------------------------------------


@api.get("/plans/{plan_id}/progress", response_model=PlanProgressPublic)
def api_plan_progress(
    session: SessionDep, actor: CurrentActor, plan_id: Id, as_of: date | None = None
) -> PlanProgressPublic:
    data = cockpit.plan_cockpit(session, actor, plan_id, as_of, _today())
    return PlanProgressPublic(
        plan_id=data.plan_id,
        title=data.title,
        as_of=data.as_of,
        schedule=data.schedule,
        targets=[TargetProgressPublic.of(t) for t in data.progress],
    )


@api.get("/targets/{target_id}/series", response_model=TargetSeriesPublic)
def api_target_series(
    session: SessionDep, actor: CurrentActor, target_id: Id, as_of: date | None = None
) -> TargetSeriesPublic:
    page = cockpit.target_page(session, actor, target_id, as_of, _today())
    points = [
        PointPublic(year=p.year, month=p.month, label=p.label, value=p.value) for p in page.progress.points
    ]
    return TargetSeriesPublic(target=TargetProgressPublic.of(page.progress), as_of=page.as_of, points=points)


@api.get("/assignments", response_model=list[AssignmentPublic])
def api_assignments(
    session: SessionDep, actor: CurrentActor, plan_id: OptionalQueryId = None
) -> list[AssignmentPublic]:
    return [AssignmentPublic.of(v) for v in tasks.list_assignments(session, actor, plan_id=plan_id)]


@api.get("/assignments/{assignment_id}/reports", response_model=list[ReportPublic])
def api_reports(session: SessionDep, actor: CurrentActor, assignment_id: Id) -> list[ReportPublic]:
    return [ReportPublic.of(r) for r in tasks.report_history(session, actor, assignment_id)]


@api.post("/assignments/{assignment_id}/reports", response_model=ReportPublic, status_code=201)
def api_report(
    request: Request, session: SessionDep, actor: CurrentActor, assignment_id: Id, body: ReportCreate
) -> ReportPublic:
    report = tasks.report_progress(
        session,
        actor,
        assignment_id,
        reported_on=body.reported_on,
        text=body.text,
        status=body.status,
        percent=body.percent,
        upload_dir=request.app.state.settings.upload_dir,
        reopen=body.reopen,
    )
    return ReportPublic.of(report)


@api.get("/alerts", response_model=list[AlertPublic])
def api_alerts(
    session: SessionDep, actor: CurrentActor, as_of: date | None = None, plan_id: OptionalQueryId = None
) -> list[AlertPublic]:
    return [AlertPublic.of(a) for a in alerts_as_of(session, actor, as_of or _today(), plan_id=plan_id)]


router.include_router(pages)
router.include_router(api)
