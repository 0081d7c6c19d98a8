"""Plan pages: the list, import (upload or pasted text), the review page with htmx inline edits and
accept/reject per item, unit mapping, confirmation, and the confirmed plan with filters and Excel export."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput
from zhizao.jobs import store as job_store
from zhizao.plans import export, intake, queries, revise, store, units
from zhizao.plans.fields import MEASURES, QUALIFIERS
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, FormDep, download, read_upload, upload_limit
from zhizao.web.params import Id, parse_id
from zhizao.web.routes.jobs import job_redirect, result_folder, start_job
from zhizao.web.templating import render

router = APIRouter(prefix="/plans", tags=["pages"], include_in_schema=False)
ROLES = ("lead", "responsible", "cooperating")


def _editor(actor: Actor) -> bool:
    return actor.role in (Role.ADMIN, Role.ANALYST)


def _choices() -> dict[str, object]:
    return {
        "measures": [(m, queries.MEASURE_LABELS[m]) for m in MEASURES],
        "qualifiers": [(q, queries.QUALIFIER_LABELS[q] or "恰好") for q in QUALIFIERS],
        "review_labels": queries.REVIEW_LABELS,
    }


def _date_param(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD: {value}", []) from exc


_ASSIGNMENT_KEY = re.compile(r"[0-9]{1,10}")


def _int_param(value: str | None) -> int | None:
    return parse_id(value, "单位编号")


@router.get("")
def plan_list(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    plans = queries.list_plans(session, actor)
    return render(request, "plans/list.html", {"plans": plans, "editor": _editor(actor)})


@router.get("/new")
def plan_new(request: Request, actor: CurrentActor) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    return render(request, "plans/new.html", {})


@router.post("")
def plan_create(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    file: UploadFile | None = None,
    text: Annotated[str, Form(max_length=2_000_000)] = "",
    filename: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Reading the document runs as a job (a long file holds up nobody); a short one is read within the
    job's wait and shown at once, as before."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    if file is not None and file.filename:
        data = read_upload(file, upload_limit(request))
        suffix = intake.check_upload(file.filename, data)
        params: dict[str, Any] = {"filename": file.filename, "pasted": False}
    elif text.strip():
        data, suffix = text.encode("utf-8"), ".txt"
        params = {"filename": filename.strip() or "粘贴文本.txt", "pasted": True}
    else:
        raise InvalidInput("请选择文件或粘贴文件全文")
    kept = job_store.result_path(result_folder(request), suffix)  # the worker reads it, then removes it
    kept.write_bytes(data)
    params |= {"path": str(kept), "back": "/plans/new"}
    job = start_job(request, session, actor, "plan_parse", f"计划文件 {params['filename']}", params)
    if job.status == "done" and job.result_url:
        return RedirectResponse(job.result_url, status_code=303)
    return job_redirect(job)


@router.get("/{plan_id}")
def plan_detail(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    unit_id: str | None = None,
    due_from: str | None = None,
    due_to: str | None = None,
    order: str = "document",
) -> Response:
    plan = queries.get_plan(session, actor, plan_id)
    if plan.status == "review":
        return _review(request, session, actor, plan, order=order)
    unit = _int_param(unit_id)
    start, end = _date_param(due_from, "due_from"), _date_param(due_to, "due_to")
    filters = {"unit_id": unit, "due_from": due_from or "", "due_to": due_to or ""}
    context = {
        "plan": plan,
        "tasks": queries.task_rows(session, actor, plan_id, unit_id=unit, due_from=start, due_to=end),
        "targets": queries.target_rows(session, actor, plan_id),
        "units": queries.plan_units(session, actor, plan_id),
        "filters": filters,
        "query": str(request.url.query),
        "editor": _editor(actor),
    }
    return render(request, "plans/detail.html", context)


def _review(
    request: Request,
    session: Session,
    actor: Actor,
    plan: Any,
    confirm_error: str | None = None,
    status_code: int = 200,
    order: str = "document",
) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    page = queries.review_page(session, actor, plan.id, order)
    context = {
        "page": page,
        "plan": plan,
        "readiness": revise.readiness(plan),
        "confirm_error": confirm_error,
        **_choices(),
    }
    return render(request, "plans/review.html", context, status_code=status_code)


@router.get("/{plan_id}/export.xlsx")
def plan_export(
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    unit_id: str | None = None,
    due_from: str | None = None,
    due_to: str | None = None,
) -> Response:
    filename, content = export.export_plan(
        session,
        actor,
        plan_id,
        unit_id=_int_param(unit_id),
        due_from=_date_param(due_from, "due_from"),
        due_to=_date_param(due_to, "due_to"),
    )
    return download(content, XLSX, f"plan-{plan_id}.xlsx", filename)


# ---- review: one target or task ---------------------------------------------------------------------------

# The URL segment of each kind of item, and its name in the store and the templates.
Items = Literal["targets", "tasks"]
_KIND: dict[str, str] = {"targets": "target", "tasks": "task"}
# kind -> (its rows on the review page, the name its templates give it, the message when it is not the plan's)
_ITEMS: dict[str, tuple[Callable[[Session, Actor, int], Sequence[Any]], str, str]] = {
    "target": (queries.target_rows, "t", "目标不属于此计划"),
    "task": (queries.task_rows, "k", "任务不属于此计划"),
}


def _fragment(
    request: Request, session: Session, actor: Actor, kind: str, plan_id: int, item_id: int, edit: bool
) -> Response:
    """One target or task of the review page, as shown (`plans/_<kind>.html`) or being edited
    (`plans/_<kind>_form.html`)."""
    rows_of, name, not_in_plan = _ITEMS[kind]
    rows = [row for row in rows_of(session, actor, plan_id) if row.id == item_id]
    if not rows:
        raise InvalidInput(not_in_plan)
    template = f"plans/_{kind}_form.html" if edit else f"plans/_{kind}.html"
    return render(request, template, {name: rows[0], "plan_id": plan_id, **_choices()})


@router.get("/{plan_id}/{items}/{item_id}")
def item_view(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, items: Items, item_id: Id
) -> Response:
    return _fragment(request, session, actor, _KIND[items], plan_id, item_id, edit=False)


@router.get("/{plan_id}/{items}/{item_id}/edit")
def item_edit(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, items: Items, item_id: Id
) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)
    return _fragment(request, session, actor, _KIND[items], plan_id, item_id, edit=True)


@router.post("/{plan_id}/{items}/{item_id}/review")
def item_review(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    items: Items,
    item_id: Id,
    status: Annotated[str, Form(max_length=20)],
) -> Response:
    revise.require_item_in_plan(session, actor, _KIND[items], plan_id, item_id)
    store.set_review_status(session, actor, _KIND[items], item_id, status)
    return _fragment(request, session, actor, _KIND[items], plan_id, item_id, edit=False)


@router.post("/{plan_id}/targets/{target_id}")
def target_update(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, target_id: Id, form: FormDep
) -> Response:
    revise.require_item_in_plan(session, actor, "target", plan_id, target_id)
    fields = ("indicator", "measure", "value", "unit", "qualifier", "target_year", "base_year")
    store.update_target(session, actor, target_id, {k: form.get(k) for k in fields if k in form})
    return _fragment(request, session, actor, "target", plan_id, target_id, edit=False)


@router.post("/{plan_id}/tasks/{task_id}")
def task_update(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, task_id: Id, form: FormDep
) -> Response:
    revise.require_item_in_plan(session, actor, "task", plan_id, task_id)
    store.update_task(session, actor, task_id, {k: form.get(k) for k in ("number", "title") if k in form})
    ids = {int(key[2:]) for key in form if key.startswith("a_") and _ASSIGNMENT_KEY.fullmatch(key[2:])}
    for assignment_id in sorted(ids):
        changes = {f"{role}_units": str(form.get(f"{role}_{assignment_id}", "")) for role in ROLES}
        changes["deadline"] = str(form.get(f"deadline_{assignment_id}", ""))
        changes["deadline_text"] = str(form.get(f"deadline_text_{assignment_id}", ""))
        store.update_assignment(session, actor, assignment_id, changes)
    return _fragment(request, session, actor, "task", plan_id, task_id, edit=False)


@router.post("/{plan_id}/tasks/{task_id}/assignments")
def task_add_assignment(
    request: Request, session: SessionDep, actor: CurrentActor, plan_id: Id, task_id: Id
) -> Response:
    revise.require_item_in_plan(session, actor, "task", plan_id, task_id)
    store.add_assignment(session, actor, task_id)
    return _fragment(request, session, actor, "task", plan_id, task_id, edit=True)


# ---- review: the whole plan ------------------------------------------------------------------------------


@router.post("/{plan_id}/units")
def plan_map_unit(
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    text: Annotated[str, Form(max_length=200)],
    unit_id: Annotated[str, Form(max_length=20)] = "",
    new_kind: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    require_role(actor, Role.ADMIN, Role.ANALYST)  # before the form is judged: the role decides first
    if new_kind:
        units.add_unit(session, actor, text, new_kind)
    elif (chosen := parse_id(unit_id, "单位编号")) is not None:
        units.remember_mapping(session, actor, text, chosen)
    else:
        raise InvalidInput("请选择要对应的单位")
    return RedirectResponse(f"/plans/{plan_id}#units", status_code=303)


@router.post("/{plan_id}/accept-all")
def plan_accept_all(session: SessionDep, actor: CurrentActor, plan_id: Id) -> Response:
    store.set_all_review_status(session, actor, plan_id, "accepted")
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.post("/{plan_id}/confirm")
def plan_confirm(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    accept_pending: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        store.confirm_plan(session, actor, plan_id, accept_pending=accept_pending == "1")
    except InvalidInput as exc:
        plan = queries.get_plan(session, actor, plan_id)
        if plan.status != "review":
            raise
        # Say what is pending where the reviewer is, on the review page itself (not a bare error page).
        return _review(request, session, actor, plan, confirm_error=exc.message, status_code=400)
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.post("/{plan_id}/heading")
def plan_heading(session: SessionDep, actor: CurrentActor, plan_id: Id, form: FormDep) -> Response:
    revise.update_heading(
        session, actor, plan_id, {k: form.get(k) for k in revise.HEADING_FIELDS if k in form}
    )
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.post("/{plan_id}/targets")
def plan_add_target(session: SessionDep, actor: CurrentActor, plan_id: Id, form: FormDep) -> Response:
    fields = ("indicator", "measure", "value", "unit", "qualifier", "target_year", "text")
    target = revise.add_target(session, actor, plan_id, {k: form.get(k) for k in fields if k in form})
    return RedirectResponse(f"/plans/{plan_id}#item-t{target.id}", status_code=303)


@router.post("/{plan_id}/tasks")
def plan_add_task(session: SessionDep, actor: CurrentActor, plan_id: Id, form: FormDep) -> Response:
    task = revise.add_task(session, actor, plan_id, {k: form.get(k) for k in ("number", "title", "text")})
    return RedirectResponse(f"/plans/{plan_id}#item-k{task.id}", status_code=303)


@router.post("/{plan_id}/reopen")
def plan_reopen(
    session: SessionDep,
    actor: CurrentActor,
    plan_id: Id,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    revise.reopen_plan(session, actor, plan_id, reason)
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)


@router.post("/{plan_id}/delete")
def plan_delete(session: SessionDep, actor: CurrentActor, plan_id: Id) -> Response:
    store.delete_plan(session, actor, plan_id)
    return RedirectResponse("/plans", status_code=303)
