"""Industry chain pages: the chain list, one chain (its 七个一, map, nodes with totals and gaps, target,
配套率, 招商 candidates, yearly diff), a node's firms (the map's click), a person's decision on a firm on a
node, the cluster ladder, and the chain as JSON.

Routes parse input and render; the data, the scope and every rule come from `zhizao.chains`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from zhizao.chains import clusters, gaps, members, overview, store, supply
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.params import Id
from zhizao.web.templating import is_htmx, render

router = APIRouter(prefix="/chains", tags=["pages"], include_in_schema=False)
api = APIRouter(prefix="/api/v1/chains", tags=["chains"])


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@router.get("")
def chain_index(request: Request, session: SessionDep, actor: CurrentActor, year: str = "") -> Response:
    rows = overview.chain_rows(session, actor, _year(year))
    return render(request, "chains/list.html", {"rows": rows, "note": overview.scope_note(actor)})


@router.get("/clusters")
def cluster_ladder(request: Request, session: SessionDep, actor: CurrentActor, year: str = "") -> Response:
    chosen = _year(year) or _latest_figure_year(session)
    rows = clusters.cluster_rows(session, actor, chosen)
    context = {
        "rows": rows,
        "year": chosen,
        "levels": clusters.LEVELS,
        "chart": clusters.ladder_options(rows),
        "note": overview.scope_note(actor),
    }
    return render(request, "chains/clusters.html", context)


def _latest_figure_year(session: SessionDep) -> int:
    from datetime import date

    from sqlalchemy import func, select

    from zhizao.enterprises.models import EnterpriseFigure

    found = session.scalar(select(func.max(EnterpriseFigure.year)).where(EnterpriseFigure.month == 0))
    return int(found or date.today().year - 1)


@router.get("/{chain_id}")
def chain_page(
    request: Request, session: SessionDep, actor: CurrentActor, chain_id: Id, year: str = ""
) -> Response:
    view = overview.chain_view(session, actor, chain_id, _year(year))
    context: dict[str, Any] = {
        "v": view,
        "map": overview.map_options(view),
        "supply": supply.supply_rate(session, actor, chain_id, view.year),
        "gap_rows": gaps.gap_list(session, actor, chain_id, view.year, view.nodes) if view.shows_gaps else [],
        "diff": gaps.year_diff(session, actor, chain_id, view.year, view.nodes) if view.shows_gaps else None,
        "roles": members.ROLES,
        "can_decide": actor.role.value in ("admin", "district"),
        "statuses": gaps.CANDIDATE_STATUSES,
    }
    return render(request, "chains/chain.html", context)


@router.get("/{chain_id}/nodes/{node_code}")
def node_firms(
    request: Request, session: SessionDep, actor: CurrentActor, chain_id: Id, node_code: str, year: str = ""
) -> Response:
    store.get_chain(session, chain_id)
    chosen = _year(year) or store.graph_year(session, chain_id, None)
    node = overview.node_or_404(session, chain_id, chosen, node_code[:40])
    context = {
        "chain_id": chain_id,
        "node": node,
        "year": chosen,
        "rows": members.member_rows(session, actor, chain_id, chosen, node.code),
        "nodes": store.nodes(session, chain_id, store.graph_year(session, chain_id, chosen)),
        "can_decide": actor.role.value in ("admin", "district"),
    }
    template = "chains/_node.html" if is_htmx(request) else "chains/node.html"
    return render(request, template, context)


@router.post("/members/{member_id}")
def decide_member(
    session: SessionDep,
    actor: CurrentActor,
    member_id: Id,
    action: Annotated[str, Form(max_length=10)],
    node_code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    member = members.decide(session, actor, member_id, action, node_code or None)
    return RedirectResponse(
        f"/chains/{member.chain_id}/nodes/{member.node_code}?year={member.year}", status_code=303
    )


@api.get("/{chain_id}")
def chain_json(
    session: SessionDep,
    actor: CurrentActor,
    chain_id: Id,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年份")] = None,
) -> dict[str, Any]:
    """A chain's nodes with totals (万元) and gaps for the caller's scope, and its map's ECharts options."""
    view = overview.chain_view(session, actor, chain_id, year)
    return {
        "code": view.chain.code,
        "name": view.chain.name,
        "year": view.year,
        "graph_year": view.graph_year,
        "scope": view.scope_note,
        "totals": view.totals.__dict__,
        "nodes": [
            {
                "code": n.code,
                "name": n.name,
                "stage": n.stage,
                "industry_codes": n.industry_codes,
                "firms": n.firms,
                "above_scale_firms": n.above_scale_firms,
                "output_value": n.output_value,
                "tax": n.tax,
                "gap": n.gap if view.shows_gaps else None,
            }
            for n in view.nodes
        ],
        "edges": [{"source": s, "target": t, "relation": r} for s, t, r in view.edges],
        "map": overview.map_options(view),
    }
