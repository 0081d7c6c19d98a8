"""The enterprise's own portal (`/portal`): one mobile-friendly page for an enterprise account. The data is
`zhizao.service.portal.build`'s; any other role gets 404."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.routes.service import portal_context
from zhizao.web.templating import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/portal")
def portal_page(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    return render(request, "service/portal.html", portal_context(session, actor, date.today()))
