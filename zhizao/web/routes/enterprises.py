"""The enterprise list (with htmx partial updates and Excel export) and the enterprise detail page."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from zhizao.enterprises.dashboard import figure_chart_options
from zhizao.enterprises.export import figure_years
from zhizao.enterprises.registry import (
    EnterpriseQuery,
    division_choices,
    export_enterprises_to,
    get_enterprise,
    indicator_choices,
    region_choices,
    search_enterprises,
)
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import XLSX, download_file
from zhizao.web.i18n import request_language
from zhizao.web.params import Id
from zhizao.web.templating import is_htmx, render

router = APIRouter(prefix="/enterprises", tags=["pages"], include_in_schema=False)

QueryDep = Annotated[EnterpriseQuery, Query()]
PAGE_SIZES = (20, 50, 100, 200)


def query_string(query: EnterpriseQuery, **changes: object) -> str:
    """The list's URL query for `query` with some fields changed (defaults left out). A page's cursor
    (`after`/`before`) is kept only where it is given in `changes`: another sort, filter or an export
    starts from the beginning."""
    values = query.model_dump() | {"after": None, "before": None} | changes
    defaults = EnterpriseQuery().model_dump()
    kept = {k: v for k, v in values.items() if v is not None and v != defaults[k]}
    return urlencode({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in kept.items()}, doseq=True)


@router.get("")
def enterprise_list(request: Request, session: SessionDep, actor: CurrentActor, query: QueryDep) -> Response:
    page = search_enterprises(session, actor, query)
    context = {
        "page": page,
        "query": query,
        "qs": query_string,
        "page_sizes": PAGE_SIZES,
        "years": figure_years(session),  # the export's year choice, newest (the default) first
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "enterprise-table":
        return render(request, "enterprises/_table.html", context)
    context |= {"regions": region_choices(session, actor), "divisions": division_choices(session)}
    return render(request, "enterprises/list.html", context)


@router.get("/export.xlsx")
def enterprise_export(
    session: SessionDep,
    actor: CurrentActor,
    query: QueryDep,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="数据年度 (默认最新)")] = None,
    rows: Annotated[Literal["all", "selected"], Query(description="all: 筛选结果全部; selected: 所选")] = (
        "selected"
    ),
) -> Response:
    """The list's selection (all pages; only the ticked rows with `rows=selected` and `ids`) with the
    figures of `year`, written to a temporary file and sent from it."""
    if rows == "all":
        query = query.model_copy(update={"ids": []})
    handle, name = tempfile.mkstemp(prefix="zhizao-export-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        export_enterprises_to(session, actor, query, path, year)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return download_file(path, XLSX, "enterprises.xlsx", f"企业名录{f'_{year}年' if year else ''}.xlsx")


@router.get("/{enterprise_id}")
def enterprise_detail(
    request: Request, session: SessionDep, actor: CurrentActor, enterprise_id: Id
) -> Response:
    detail = get_enterprise(session, actor, enterprise_id)
    context = {
        "e": detail,
        "chart": figure_chart_options(detail.figures, lang=request_language(request)),
        "indicators": indicator_choices(session) if detail.editable else [],
    }
    return render(request, "enterprises/detail.html", context)
