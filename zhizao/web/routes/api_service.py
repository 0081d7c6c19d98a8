"""The service JSON API under /api/v1/service: the 诉求 the account may see, one with its history and the
steps it may take, filing one, and taking a step. The same library calls as the pages (`listing`,
`requests.file`, `actions.act`), so the same scope and rules: a firm sees only its own 诉求, a department
only those it is responsible for, and another scope's 诉求 is a 404."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from zhizao.auth.roles import Role
from zhizao.errors import InvalidInput
from zhizao.service import actions, listing, requests
from zhizao.service.public import RequestAction, RequestCreate, RequestDetail, RequestPublic
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.params import Id, OptionalQueryId

router = APIRouter(prefix="/api/v1/service", tags=["api"])

StatusQuery = Annotated[
    str, Query(max_length=12, description="待受理 pending、办理中 handling、已办结 done…")
]


@router.get("/requests", response_model=list[RequestPublic])
def list_requests(
    session: SessionDep,
    actor: CurrentActor,
    status: StatusQuery = "",
    category_id: OptionalQueryId = None,
    department_id: OptionalQueryId = None,
    overdue: bool = False,
) -> list[RequestPublic]:
    """The 诉求 the account may see, the most urgent first, with the working days left."""
    filters = listing.Filters(status, category_id, department_id, overdue)
    return [RequestPublic.of(row) for row in listing.rows(session, actor, date.today(), filters)]


@router.get("/requests/{request_id}", response_model=RequestDetail)
def get_request(session: SessionDep, actor: CurrentActor, request_id: Id) -> RequestDetail:
    """One 诉求 with its history and the steps the account may take (404 outside its scope)."""
    return RequestDetail.of_page(listing.request_page(session, actor, request_id, date.today()))


@router.post("/requests", response_model=RequestDetail, status_code=201)
def file_request(session: SessionDep, actor: CurrentActor, body: RequestCreate) -> RequestDetail:
    """File a 诉求: an enterprise account for itself, the bureau or a district officer for a firm of its
    scope."""
    if actor.role is Role.ENTERPRISE:
        firm, channel = actor.enterprise_id, "portal"
    else:
        firm, channel = body.enterprise_id, "officer"
    if firm is None:
        raise InvalidInput("请指定企业 (enterprise_id)")
    filed = requests.file(
        session,
        actor,
        enterprise_id=firm,
        category_id=body.category_id,
        title=body.title,
        body=body.body,
        on=date.today(),
        channel=channel,
    )
    return RequestDetail.of_page(listing.request_page(session, actor, filed.id, date.today()))


@router.post("/requests/{request_id}/actions", response_model=RequestDetail)
def act_on_request(
    session: SessionDep, actor: CurrentActor, request_id: Id, body: RequestAction
) -> RequestDetail:
    """Take one step: accept (受理), reply (答复), complete (办结), transfer (改派, the bureau),
    return (退回), pause / resume, extension_request / extension_approve, callback (回访)."""
    step = actions.Step(body.note, body.days, body.department_id, body.resolved, body.satisfied)
    actions.act(session, actor, request_id, body.action, date.today(), step)
    return RequestDetail.of_page(listing.request_page(session, actor, request_id, date.today()))
