"""企业培育 pages: the programmes and their latest run, a programme's candidate pool (counts by district and
industry, Excel export), an enterprise's 培育 tab (titles ladder, outcomes and gaps) and the enterprise's own
view. Routes parse and render; the data and the scope come from `zhizao.cultivation`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.cultivation.benefits import benefits_for
from zhizao.cultivation.pools import candidate_pool, enterprise_names, latest_run_with, pool_xlsx
from zhizao.cultivation.programme import in_force, load_programme, shipped, shipped_ids
from zhizao.cultivation.runs import evaluate_database, list_runs, results_of, store_run
from zhizao.cultivation.targets import link_target, programme_targets, target_choices
from zhizao.cultivation.titles import ladder
from zhizao.errors import InvalidInput, NotFound
from zhizao.reference.data_files import industry_names, region_names
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, download
from zhizao.web.params import Id, parse_id
from zhizao.web.templating import render

router = APIRouter(prefix="/cultivation", tags=["pages"], include_in_schema=False)
OFFICERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)
TargetQuery = Annotated[int | None, Query(ge=1, le=1_000_000, description="年度目标 (家)")]


def _programme(programme_id: str) -> Any:
    if programme_id not in shipped_ids():
        raise NotFound("没有这个培育项目")
    return load_programme(programme_id)


@router.get("")
def overview(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    if actor.role is Role.ENTERPRISE:
        return RedirectResponse("/cultivation/mine", status_code=303)
    require_role(actor, *OFFICERS)
    runs = list_runs(session, limit=10)
    today = date.today()
    return render(
        request,
        "cultivation/overview.html",
        {
            "programmes": shipped(),
            "in_force": {p.id for p in in_force(shipped(), today)}
            | {p.id for p in in_force(shipped(), today, "renewal")},
            "runs": runs,
            "may_run": actor.role in (Role.ADMIN, Role.ANALYST),
            "may_review": actor.role in (Role.ADMIN, Role.DISTRICT),
        },
    )


@router.post("/runs")
def run_now(session: SessionDep, actor: CurrentActor) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    today = date.today()
    programmes = in_force(shipped(), today)
    store_run(
        session, actor, programmes, today, evaluate_database(session, Actor.system(), programmes, today)
    )
    session.commit()
    return RedirectResponse("/cultivation", status_code=303)


def _pool(session: SessionDep, actor: Actor, programme_id: str, target: int | None) -> tuple[Any, Any, Any]:
    require_role(actor, *OFFICERS)
    programme = _programme(programme_id)
    run = latest_run_with(session, programme_id)
    pool = candidate_pool(session, actor, run.id, programme_id, target) if run else None
    return programme, run, pool


@router.get("/programmes/{programme_id}")
def programme_page(
    request: Request, session: SessionDep, actor: CurrentActor, programme_id: str, target: TargetQuery = None
) -> Response:
    programme, run, pool = _pool(session, actor, programme_id, target)
    names = enterprise_names(session, actor, [r.enterprise_id for r in pool.candidates]) if pool else {}
    may_link = actor.role in (Role.ADMIN, Role.ANALYST) and programme.title is not None
    context = {
        "targets": programme_targets(session, actor, programme, date.today()),
        "choices": target_choices(session, actor) if may_link else [],
        "may_link": may_link,
        "programme": programme,
        "run": run,
        "pool": pool,
        "names": names,
        "target": target,
        "region_names": region_names(),
        "industry_names": industry_names(),
    }
    return render(request, "cultivation/programme.html", context)


@router.post("/programmes/{programme_id}/targets")
def programme_link_target(
    session: SessionDep,
    actor: CurrentActor,
    programme_id: str,
    target_id: Annotated[str, Form(max_length=12)],
) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    chosen = parse_id(target_id, "目标编号")
    if chosen is None:
        raise InvalidInput("请选择要关联的规划目标")
    link_target(session, actor, chosen, programme_id, date.today())
    return RedirectResponse(f"/cultivation/programmes/{programme_id}#targets", status_code=303)


@router.get("/programmes/{programme_id}/export.xlsx")
def programme_export(
    session: SessionDep, actor: CurrentActor, programme_id: str, target: TargetQuery = None
) -> Response:
    programme, run, pool = _pool(session, actor, programme_id, target)
    if pool is None:
        raise NotFound("该项目还没有运行结果")
    names = enterprise_names(session, actor, [r.enterprise_id for r in pool.candidates])
    content = pool_xlsx(pool, names, f"{programme.name} 候选名单 ({run.as_of})")
    return download(content, XLSX, f"{programme_id}.xlsx", f"{programme.name}候选名单.xlsx")


def _enterprise_view(request: Request, session: SessionDep, actor: Actor, enterprise_id: int) -> Response:
    rungs = ladder(session, actor, enterprise_id, date.today())  # NotFound outside the actor's scope
    runs = list_runs(session, limit=1)
    results = []
    if runs:
        results = [r for r in results_of(session, actor, runs[0].id) if r.enterprise_id == enterprise_id]
    names = enterprise_names(session, actor, [enterprise_id])
    context = {
        "own": actor.role is Role.ENTERPRISE,
        "benefits": [b for b in benefits_for(session, actor) if b.enterprise_id == enterprise_id],
        "rungs": rungs,
        "run": runs[0] if runs else None,
        "results": results,
        "name": names.get(enterprise_id, ""),
    }
    return render(request, "cultivation/enterprise.html", context)


@router.get("/enterprises/{enterprise_id}")
def enterprise_tab(request: Request, session: SessionDep, actor: CurrentActor, enterprise_id: Id) -> Response:
    return _enterprise_view(request, session, actor, enterprise_id)


@router.get("/mine")
def own_view(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    require_role(actor, Role.ENTERPRISE)
    if actor.enterprise_id is None:
        raise NotFound("账号未关联企业")
    return _enterprise_view(request, session, actor, actor.enterprise_id)
