"""亩产效益 evaluation pages (runs, a new run, a run's results with filters, charts and Excel export, the
comparison of two runs, an enterprise's explanation) and the JSON API under /api/v1/evaluation.

Routes parse input and render; the data comes from `zhizao.evaluation` (`runs`, `results`, `views`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import require_role
from zhizao.enterprises.registry import Page
from zhizao.errors import InvalidInput, NotFound
from zhizao.evaluation.method import preset_names
from zhizao.evaluation.results import (
    Explanation,
    ResultPublic,
    ResultQuery,
    RunPublic,
    explain_result,
    export_results_xlsx,
    latest_result_for,
    search_results,
    visible_run,
    visible_runs,
)
from zhizao.evaluation.runs import MethodSource, compare_runs
from zhizao.evaluation.views import RunCharts, run_charts, run_page
from zhizao.evaluation.wording import preset_choices
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, download, read_upload
from zhizao.web.params import Id, QueryId
from zhizao.web.routes.jobs import job_redirect, start_job
from zhizao.web.templating import is_htmx, render

pages = APIRouter(prefix="/evaluation", tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/evaluation", tags=["api"])
router = APIRouter()  # both, included by create_app with one line

MAX_METHOD = 256 * 1024
QueryDep = Annotated[ResultQuery, Query()]


def query_string(query: ResultQuery, **changes: object) -> str:
    """The results' URL query for `query` with some fields changed (defaults left out)."""
    values = query.model_dump() | changes
    defaults = ResultQuery().model_dump()
    return urlencode({k: v for k, v in values.items() if v is not None and v != defaults[k]})


@pages.get("")
def runs_list(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    runs = visible_runs(session, actor)
    may_run = actor.role in (Role.ADMIN, Role.ANALYST)
    return render(request, "evaluation/runs.html", {"runs": runs, "may_run": may_run})


@pages.get("/new")
def run_form(request: Request, actor: CurrentActor) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    return render(request, "evaluation/new.html", {"presets": preset_choices()})


@pages.post("/runs")
def run_create(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    year: Annotated[int, Form(ge=1990, le=2100)],
    preset: Annotated[str, Form(max_length=80)] = "",
    method_file: UploadFile | None = None,
) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    if method_file is not None and method_file.filename:
        content = read_upload(method_file, MAX_METHOD, "方法文件过大 (上限 256 KB)")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("方法文件应为 UTF-8 编码的 YAML 或 TOML") from None
        toml = method_file.filename.lower().endswith(".toml")
        source = MethodSource.parse(text, toml=toml, origin=method_file.filename)
    elif preset:
        if preset not in preset_names():
            raise InvalidInput(f"没有这个预置方法: {preset}")
        source = MethodSource.load(preset)
    else:
        raise InvalidInput("请选择预置方法或上传方法文件")
    params = {"text": source.text, "toml": source.format == "toml", "year": year, "back": "/evaluation/new"}
    job = start_job(request, session, actor, "evaluation_run", f"亩产效益评价 {year}年", params)
    if job.status == "failed":
        raise InvalidInput(job.message)
    if job.status == "done":
        return RedirectResponse(job.result_url, status_code=303)
    return job_redirect(job)


@pages.get("/runs/{run_id}")
def run_detail(
    request: Request, session: SessionDep, actor: CurrentActor, run_id: Id, query: QueryDep
) -> Response:
    if is_htmx(request) and request.headers.get("HX-Target") == "result-table":
        page = search_results(session, actor, run_id, query)
        context: dict[str, Any] = {
            "run": visible_run(session, actor, run_id),
            "results": page,
            "query": query,
        }
        return render(request, "evaluation/_results.html", context | {"qs": query_string})
    data = run_page(session, actor, run_id, query)
    context = {"page": data, "run": data.run, "results": data.results, "query": query, "qs": query_string}
    return render(request, "evaluation/run.html", context)


@pages.get("/runs/{run_id}/export.xlsx")
def run_export(session: SessionDep, actor: CurrentActor, run_id: Id, query: QueryDep) -> Response:
    content = export_results_xlsx(session, actor, run_id, query)
    return download(content, XLSX, f"evaluation-{run_id}.xlsx", f"亩产效益评价结果-{run_id}.xlsx")


@pages.get("/compare")
def run_compare(
    request: Request, session: SessionDep, actor: CurrentActor, a: QueryId, b: QueryId
) -> Response:
    comparison = compare_runs(session, actor, a, b)
    return render(request, "evaluation/compare.html", {"c": comparison})


@pages.get("/runs/{run_id}/enterprises/{enterprise_id}")
def explanation(
    request: Request, session: SessionDep, actor: CurrentActor, run_id: Id, enterprise_id: Id
) -> Response:
    data = explain_result(session, actor, run_id, enterprise_id=enterprise_id)
    return render(request, "evaluation/explain.html", {"x": data})


@pages.get("/enterprises/{enterprise_id}")
def latest_explanation(session: SessionDep, actor: CurrentActor, enterprise_id: Id) -> Response:
    """From the enterprise page: the newest run that evaluated this enterprise."""
    found = latest_result_for(session, actor, enterprise_id)
    if found is None:
        raise NotFound("这家企业还没有参加过亩产效益评价")
    return RedirectResponse(f"/evaluation/runs/{found[0]}/enterprises/{enterprise_id}", status_code=303)


@api.get("/runs", response_model=list[RunPublic])
def api_runs(session: SessionDep, actor: CurrentActor) -> list[RunPublic]:
    return visible_runs(session, actor)


@api.get("/runs/{run_id}", response_model=RunPublic)
def api_run(session: SessionDep, actor: CurrentActor, run_id: Id) -> RunPublic:
    return visible_run(session, actor, run_id)


@api.get("/runs/{run_id}/results", response_model=Page[ResultPublic])
def api_results(session: SessionDep, actor: CurrentActor, run_id: Id, query: QueryDep) -> Page[ResultPublic]:
    return search_results(session, actor, run_id, query)


@api.get("/runs/{run_id}/charts", response_model=RunCharts)
def api_charts(session: SessionDep, actor: CurrentActor, run_id: Id) -> RunCharts:
    return run_charts(session, actor, run_id)


@api.get("/runs/{run_id}/enterprises/{enterprise_id}", response_model=Explanation)
def api_explanation(session: SessionDep, actor: CurrentActor, run_id: Id, enterprise_id: Id) -> Explanation:
    return explain_result(session, actor, run_id, enterprise_id=enterprise_id)


router.include_router(pages)
router.include_router(api)
