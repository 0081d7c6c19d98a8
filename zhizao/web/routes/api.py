"""JSON API under /api/v1: the same library calls as the pages, the same scope rules. Auth: the session
cookie of a login (anonymous requests get 401 JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from zhizao.enterprises.dashboard import HomeSummary, home_summary
from zhizao.enterprises.registry import (
    EnterpriseDetail,
    EnterprisePublic,
    EnterpriseQuery,
    FigureTable,
    Page,
    figures_by_year,
    get_enterprise,
    search_enterprises,
)
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.params import Id

router = APIRouter(prefix="/api/v1", tags=["api"])


class MePublic(BaseModel):
    username: str
    role: str
    region_code: str | None
    enterprise_id: int | None


@router.get("/me", response_model=MePublic)
def me(actor: CurrentActor) -> MePublic:
    return MePublic(
        username=actor.username,
        role=actor.role.value,
        region_code=actor.region_code,
        enterprise_id=actor.enterprise_id,
    )


@router.get("/enterprises", response_model=Page[EnterprisePublic])
def list_enterprises(
    session: SessionDep, actor: CurrentActor, query: Annotated[EnterpriseQuery, Query()]
) -> Page[EnterprisePublic]:
    return search_enterprises(session, actor, query)


@router.get("/enterprises/{enterprise_id}", response_model=EnterpriseDetail)
def enterprise(session: SessionDep, actor: CurrentActor, enterprise_id: Id) -> EnterpriseDetail:
    return get_enterprise(session, actor, enterprise_id)


@router.get("/enterprises/{enterprise_id}/figures", response_model=FigureTable)
def enterprise_figures(session: SessionDep, actor: CurrentActor, enterprise_id: Id) -> FigureTable:
    return figures_by_year(session, actor, enterprise_id)


@router.get("/counts", response_model=HomeSummary)
def counts(session: SessionDep, actor: CurrentActor) -> HomeSummary:
    return home_summary(session, actor)
