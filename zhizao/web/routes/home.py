"""The home page: a cockpit of tiles for the actor's role (see `zhizao.web.home_tiles`): targets by status,
task alerts and units not reported, the latest evaluation's classes and the enterprise counts for the
bureau and district offices; a department's own assignments; an enterprise account's own firm."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.home_tiles import HomeContext, tiles_for
from zhizao.web.i18n import gettext_for, request_language
from zhizao.web.templating import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    language = request_language(request)
    ctx = HomeContext(session, actor, date.today(), language, gettext_for(language))
    return render(request, "home/index.html", {"tiles": tiles_for(ctx), "today": ctx.today})
