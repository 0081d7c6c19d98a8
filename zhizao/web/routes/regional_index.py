"""The 高质量发展指数 page: the regions' ranking, dimensions, radar, trend and each region's "why".
Routes parse input and render; the index and its scope come from `zhizao.composite.views`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from zhizao.composite.views import regional_page
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.templating import render

router = APIRouter(prefix="/regional-index", tags=["pages"], include_in_schema=False)


@router.get("")
def regional_index(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
) -> Response:
    page = regional_page(session, actor, year, region)
    return render(request, "composite/regional.html", {"page": page})
