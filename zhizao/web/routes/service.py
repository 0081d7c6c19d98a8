"""Enterprise service pages: the 诉求 list (filters: status, category, department, overdue) with the working
days left, one 诉求 with its history and the steps the user may take, filing a 诉求 (an enterprise in its
portal, an officer for a firm of their region), the enterprise's portal, and 走访 coverage.

Routes parse input and render; the data and every rule come from `zhizao.service`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput, NotFound
from zhizao.reference.models import Unit
from zhizao.service import (
    actions,
    analytics,
    assignments,
    config,
    listing,
    notices,
    policy,
    portal,
    requests,
    visits,
)
from zhizao.service.models import ServiceCategory
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import DOCX, XLSX, download
from zhizao.web.params import Id
from zhizao.web.templating import is_htmx, render

router = APIRouter(prefix="/service", tags=["pages"], include_in_schema=False)


def portal_context(session: Session, actor: Actor, today: date) -> dict[str, object]:
    """The enterprise's portal (`/portal`, and `/service` for an enterprise account)."""
    return {
        "p": portal.build(session, actor, today),
        "status_labels": requests.STATUS_LABELS,
        "kind_labels": {"task": "规划任务", "target": "规划目标", "programme": "培育项目"},
    }


def _today() -> date:
    return date.today()


def _date(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@router.get("")
def service_index(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    status: str = "",
    category_id: str = "",
    department_id: str = "",
    overdue: str = "",
    imported: str = "",
) -> Response:
    today = _today()
    if actor.role is Role.ENTERPRISE:
        return render(request, "service/portal.html", portal_context(session, actor, today))
    filters = listing.Filters(status, _int(category_id), _int(department_id), overdue == "1")
    categories = _categories(session)
    context = {
        "rows": listing.rows(session, actor, today, filters),
        "f": filters,
        "categories": categories,
        "departments": session.scalars(
            select(Unit).where(Unit.kind == "department").order_by(Unit.name)
        ).all(),
        "status_labels": requests.STATUS_LABELS,
        "can_file": actor.role in (Role.ADMIN, Role.DISTRICT),
        "imported": int(imported) if imported.isdigit() and len(imported) <= 9 else None,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "service-rows":
        return render(request, "service/_rows.html", context)
    return render(request, "service/list.html", context)


@router.get("/requests/new")
def new_request(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    if actor.role not in (Role.ADMIN, Role.DISTRICT, Role.ENTERPRISE):
        raise NotFound("找不到该页面")
    firms = listing.firms(session, actor) if actor.role is not Role.ENTERPRISE else ()
    context = {"categories": config.categories(session), "firms": firms}
    return render(request, "service/new.html", context)


@router.post("/requests")
def file_request(
    session: SessionDep,
    actor: CurrentActor,
    category_id: Annotated[int, Form()],
    title: Annotated[str, Form(max_length=200)],
    body: Annotated[str, Form(max_length=5000)] = "",
    enterprise_id: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if actor.role is Role.ENTERPRISE:
        firm, channel = actor.enterprise_id, "portal"
    else:
        firm, channel = _int(enterprise_id), "officer"
    if firm is None:
        raise InvalidInput("请选择企业")
    filed = requests.file(
        session,
        actor,
        enterprise_id=firm,
        category_id=category_id,
        title=title,
        body=body,
        on=_today(),
        channel=channel,
    )
    return RedirectResponse(f"/service/requests/{filed.id}", status_code=303)


@router.get("/requests/{request_id}")
def request_detail(request: Request, session: SessionDep, actor: CurrentActor, request_id: Id) -> Response:
    page = listing.request_page(session, actor, request_id, _today())
    context = {
        "p": page,
        "status_labels": requests.STATUS_LABELS,
        "channel_labels": requests.CHANNEL_LABELS,
        "action_labels": requests.EVENT_LABELS,
        "notices": actor.role is Role.ADMIN and page.row.clock.overdue,
    }
    return render(request, "service/request.html", context)


@router.get("/requests/{request_id}/notice.docx")
def request_notice(
    session: SessionDep, actor: CurrentActor, request_id: Id, kind: str = "cuiban"
) -> Response:
    """The 催办通知 (kind=cuiban) or the 通报 (kind=tongbao) of an overdue 诉求, as of today."""
    result = notices.notice(session, actor, request_id, _today(), kind)
    return download(result.data, DOCX, f"notice-{kind}-{request_id}.docx", result.filename)


@router.post("/requests/{request_id}/{action}")
def request_action(
    session: SessionDep,
    actor: CurrentActor,
    request_id: Id,
    action: str,
    note: Annotated[str, Form(max_length=1000)] = "",
    days: Annotated[str, Form(max_length=4)] = "",
    department_id: Annotated[str, Form(max_length=20)] = "",
    resolved: Annotated[str, Form(max_length=3)] = "",
    satisfied: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    step = actions.Step(
        note=note,
        days=_int(days),
        department_id=_int(department_id),
        resolved=resolved == "yes",
        satisfied=satisfied == "yes",
    )
    actions.act(session, actor, request_id, action, _today(), step)
    return RedirectResponse(f"/service/requests/{request_id}", status_code=303)


NOT_VISITED_SHOWN = 200


@router.get("/firms")
def firm_options(request: Request, session: SessionDep, actor: CurrentActor, q: str = "") -> Response:
    """The <option>s of the firms the user may visit or file for, matching `q` (for the forms' search box)."""
    if actor.role not in (Role.ADMIN, Role.DISTRICT):
        raise NotFound("找不到该页面")
    return render(request, "service/_firm_options.html", {"firms": listing.firms(session, actor, q)})


@router.get("/coverage/not-visited.xlsx")
def not_visited_export(
    session: SessionDep, actor: CurrentActor, since: str = "", as_of: str = ""
) -> Response:
    if actor.role not in (Role.ADMIN, Role.ANALYST, Role.DISTRICT):
        raise NotFound("找不到该页面")
    end = _date(as_of, _today())
    start = _date(since, date(end.year, 1, 1))
    content = visits.not_visited_workbook(session, actor, start, end)
    return download(content, XLSX, "not-visited.xlsx", f"尚未走访的规上企业_{start}_{end}.xlsx")


@router.get("/coverage")
def coverage_page(
    request: Request, session: SessionDep, actor: CurrentActor, since: str = "", as_of: str = ""
) -> Response:
    if actor.role not in (Role.ADMIN, Role.ANALYST, Role.DISTRICT):
        raise NotFound("找不到该页面")
    today = _today()
    end = _date(as_of, today)
    start = _date(since, date(end.year, 1, 1))
    editor = actor.role in (Role.ADMIN, Role.DISTRICT)
    context = {
        "c": visits.coverage(session, actor, start, end, NOT_VISITED_SHOWN),
        "load": assignments.workload(session, actor, end, start),
        "editor": editor,
        "firms": listing.firms(session, actor) if editor else [],
        "officers": assignments.officers(session, actor) if editor else [],
        "forms": visits.FORM_LABELS,
        "levels": assignments.LEVEL_LABELS,
        "categories": _categories(session) if editor else [],
        "today": today,
    }
    return render(request, "service/coverage.html", context)


@router.post("/visits")
def record_visit(
    session: SessionDep,
    actor: CurrentActor,
    enterprise_id: Annotated[int, Form()],
    visited_on: Annotated[str, Form(max_length=10)],
    form: Annotated[str, Form(max_length=20)],
    officer_id: Annotated[str, Form(max_length=20)] = "",
    findings: Annotated[str, Form(max_length=5000)] = "",
    problem_category_id: Annotated[str, Form(max_length=20)] = "",
    problem_title: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    problems = []
    if problem_title.strip():
        category = _int(problem_category_id)
        if category is None:
            raise InvalidInput("请选择问题的诉求类别")
        problems.append(visits.Problem(category, problem_title))
    visits.record(
        session,
        actor,
        enterprise_id=enterprise_id,
        visited_on=_date(visited_on, _today()),
        form=form,
        findings=findings,
        officer_id=_int(officer_id),
        problems=problems,
    )
    return RedirectResponse("/service/coverage", status_code=303)


@router.post("/assignments")
def set_assignment(
    session: SessionDep,
    actor: CurrentActor,
    enterprise_id: Annotated[int, Form()],
    officer_id: Annotated[int, Form()],
    level: Annotated[str, Form(max_length=10)],
    valid_from: Annotated[str, Form(max_length=10)],
    basis: Annotated[str, Form(max_length=200)] = "",
    contact: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if officer_id not in {u.id for u in assignments.officers(session, actor)}:
        raise NotFound("找不到该工作人员")
    assignments.assign(
        session,
        actor,
        enterprise_id=enterprise_id,
        officer_id=officer_id,
        level=level,
        valid_from=_date(valid_from, _today()),
        basis=basis,
        contact=contact,
    )
    return RedirectResponse("/service/coverage", status_code=303)


def _categories(session: Session) -> list[ServiceCategory]:
    try:
        return config.categories(session)
    except NotFound:
        return []


@router.get("/analytics")
def analytics_page(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    by: str = "category",
    since: str = "",
    until: str = "",
) -> Response:
    if actor.role is Role.ENTERPRISE:
        raise NotFound("找不到该页面")
    if by not in analytics.BREAKDOWN_LABELS:
        raise InvalidInput(f"未知的分组: {by}")
    end = _date(until, _today())
    start = _date(since, date(end.year, 1, 1))
    repeated = analytics.repeated(session, actor, start, end)
    may_link = actor.role in policy.LINKERS
    context = {
        "rows": analytics.summary(session, actor, start, end, by),  # type: ignore[arg-type]
        "repeated": repeated,
        "linked": policy.tasks_by_category(session, [r.code for r in repeated]),
        "may_link": may_link,
        "tasks": policy.task_options(session) if may_link and repeated else [],
        "by": by,
        "breakdowns": analytics.BREAKDOWN_LABELS,
        "since": start,
        "until": end,
    }
    return render(request, "service/analytics.html", context)


@router.post("/policy-links")
def add_policy_link(
    session: SessionDep,
    actor: CurrentActor,
    category_code: Annotated[str, Form(max_length=20)],
    task_id: Annotated[int, Form()],
    note: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Link a repeated 诉求 category to a plan task (a policy issue); the bureau only."""
    policy.link(session, actor, category_code, task_id, note)
    return RedirectResponse("/service/analytics", status_code=303)


@router.post("/policy-links/{link_id}/delete")
def remove_policy_link(session: SessionDep, actor: CurrentActor, link_id: Id) -> Response:
    policy.unlink(session, actor, link_id)
    return RedirectResponse("/service/analytics", status_code=303)
