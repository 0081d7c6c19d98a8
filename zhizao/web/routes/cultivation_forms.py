"""企业培育 forms: declared data (the enterprise's form made from its unknown criteria, the reviewers' queue,
the evidence download) and 免申即享 (publishing a benefit, the firm's 意愿确认, the payment export).

Routes parse and render; the data, the checks and the scope come from `zhizao.cultivation.declarations` and
`zhizao.cultivation.benefits` (another enterprise's declaration or benefit entry is not found)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.cultivation import benefits, declarations
from zhizao.cultivation.pools import benefit_list, enterprise_names, latest_run_with
from zhizao.cultivation.programme import in_force, load_programme, shipped, shipped_ids
from zhizao.errors import InvalidInput, NotFound
from zhizao.tracking.attachments import check_file
from zhizao.web.body_limit import TAKES_FILES
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, FormDep, download, upload_limit
from zhizao.web.params import Id
from zhizao.web.templating import render

router = APIRouter(prefix="/cultivation", tags=["pages"], include_in_schema=False)
OFFICERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)
REVIEWERS = (Role.ADMIN, Role.DISTRICT)
VALUE, EVIDENCE = "value__", "evidence__"


def _own_enterprise(actor: Actor) -> int:
    require_role(actor, Role.ENTERPRISE)
    if actor.enterprise_id is None:
        raise NotFound("账号未关联企业")
    return actor.enterprise_id


def _form_fields(session: SessionDep, actor: Actor, enterprise_id: int) -> list[declarations.FormField]:
    today = date.today()
    return declarations.declaration_form(session, actor, enterprise_id, in_force(shipped(), today), today)


# ---- declared data --------------------------------------------------------------------------------------


@router.get("/mine/declare")
def declare_form(
    request: Request, session: SessionDep, actor: CurrentActor, sent: Annotated[int, Query(ge=0, le=1000)] = 0
) -> Response:
    enterprise_id = _own_enterprise(actor)
    context = {
        "fields": _form_fields(session, actor, enterprise_id),
        "history": declarations.declarations_of(session, actor, enterprise_id),
        "labels": declarations.declared_labels(shipped()),
        "programme_names": {p.id: p.name for p in shipped()},
        "year": date.today().year - 1,
        "sent": sent,
    }
    return render(request, "cultivation/declare.html", context)


@router.post("/mine/declare", dependencies=[TAKES_FILES])
def declare_submit(request: Request, session: SessionDep, actor: CurrentActor, form: FormDep) -> Response:
    enterprise_id = _own_enterprise(actor)
    answers: dict[str, str] = {}
    evidence = {}
    for name, item in form.multi_items():
        if name.startswith(VALUE) and isinstance(item, str):
            answers[name.removeprefix(VALUE)] = item
        elif name.startswith(EVIDENCE) and isinstance(item, UploadFile) and item.filename:
            data = item.file.read(upload_limit(request) + 1)
            evidence[name.removeprefix(EVIDENCE)] = check_file(item.filename, data, upload_limit(request))
    year = date.today().year - 1
    fields = _form_fields(session, actor, enterprise_id)
    upload_dir = request.app.state.settings.upload_dir
    made = declarations.submit_form(
        session, actor, enterprise_id, fields, answers, evidence, year, upload_dir
    )
    return RedirectResponse(f"/cultivation/mine/declare?sent={len(made)}", status_code=303)


@router.get("/declarations")
def review_queue(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    require_role(actor, *REVIEWERS)
    waiting = declarations.pending(session, actor)
    done = declarations.reviewed(session, actor)
    context = {
        "pending": waiting,
        "reviewed": done,
        "names": enterprise_names(session, actor, [d.enterprise_id for d in waiting + done]),
        "labels": declarations.declared_labels(shipped()),
    }
    return render(request, "cultivation/declarations.html", context)


@router.post("/declarations/{declaration_id}/review")
def review_submit(
    session: SessionDep,
    actor: CurrentActor,
    declaration_id: Id,
    decision: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    if decision not in ("accept", "reject"):
        raise InvalidInput("请选择通过或退回")
    declarations.review(session, actor, declaration_id, accept=decision == "accept", note=note)
    return RedirectResponse("/cultivation/declarations", status_code=303)


@router.get("/declarations/{declaration_id}/evidence")
def evidence_download(
    request: Request, session: SessionDep, actor: CurrentActor, declaration_id: Id
) -> Response:
    path = declarations.evidence_path(session, actor, declaration_id, request.app.state.settings.upload_dir)
    return FileResponse(
        path,
        filename=f"申报证明材料{declaration_id}{path.suffix}",
        headers={"X-Content-Type-Options": "nosniff"},
    )


# ---- 免申即享 ----------------------------------------------------------------------------------------------


BenefitQuery = Annotated[str | None, Query(max_length=120, description="政策名称")]
ProgrammeQuery = Annotated[str | None, Query(max_length=60, description="预览的培育项目")]


@router.get("/benefits")
def benefit_page(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    benefit: BenefitQuery = None,
    programme: ProgrammeQuery = None,
) -> Response:
    require_role(actor, *OFFICERS)
    if programme and programme not in shipped_ids():
        raise NotFound("没有这个培育项目")
    entries = benefits.benefits_for(session, actor, benefit) if benefit else []
    run = latest_run_with(session, programme) if programme else None
    preview = benefit_list(session, actor, run.id, programme) if run and programme else []
    ids = [e.enterprise_id for e in entries] + [int(p["enterprise_id"]) for p in preview]
    context: dict[str, Any] = {
        "summaries": benefits.benefit_summaries(session, actor),
        "programmes": shipped(),
        "may_publish": actor.role is Role.ADMIN,
        "benefit": benefit,
        "entries": entries,
        "programme": programme,
        "preview_run": run,
        "preview": preview,
        "names": enterprise_names(session, actor, ids),
    }
    return render(request, "cultivation/benefits.html", context)


@router.post("/benefits")
def benefit_publish(
    session: SessionDep,
    actor: CurrentActor,
    programme: Annotated[str, Form(max_length=60)],
    benefit: Annotated[str, Form(max_length=120)],
    amount: Annotated[float, Form(ge=0, le=1e9, allow_inf_nan=False)],
    clause: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    require_role(actor, Role.ADMIN)
    if programme not in shipped_ids():
        raise InvalidInput("没有这个培育项目")
    run = latest_run_with(session, programme)
    if run is None:
        raise InvalidInput(f"“{load_programme(programme).name}”还没有运行结果，请先运行")
    benefits.publish_benefit(session, actor, run.id, programme, benefit, amount, clause)
    return RedirectResponse("/cultivation/benefits", status_code=303)


@router.get("/benefits/export.xlsx")
def benefit_export(
    session: SessionDep, actor: CurrentActor, benefit: Annotated[str, Query(min_length=1, max_length=120)]
) -> Response:
    require_role(actor, *OFFICERS)
    content = benefits.payment_xlsx(session, actor, benefit)
    return download(content, XLSX, "payment.xlsx", f"{benefit}拨付名单.xlsx")


@router.post("/mine/benefits/{entry_id}")
def benefit_answer(
    session: SessionDep,
    actor: CurrentActor,
    entry_id: Id,
    decision: Annotated[str, Form(max_length=10)],
) -> Response:
    _own_enterprise(actor)
    if decision not in ("confirm", "decline"):
        raise InvalidInput("请选择确认或放弃")
    benefits.answer_benefit(session, actor, entry_id, confirm=decision == "confirm")
    return RedirectResponse("/cultivation/mine#benefits", status_code=303)
