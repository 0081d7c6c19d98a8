"""The home page: counts by district and by industry division, with two charts.

An enterprise account has one enterprise to look at, so its home is that enterprise's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from zhizao.auth.roles import Role
from zhizao.enterprises.dashboard import division_chart_options, home_summary, region_chart_options
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.i18n import gettext_for, request_language
from zhizao.web.templating import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    if actor.role is Role.ENTERPRISE and actor.enterprise_id:
        return RedirectResponse(f"/enterprises/{actor.enterprise_id}", status_code=303)
    summary = home_summary(session, actor)
    language = request_language(request)
    _ = gettext_for(language)
    charts = {
        "regions": region_chart_options(summary, _("各地区企业数"), lang=language),
        "divisions": division_chart_options(summary, _("各行业大类企业数"), other_label=_("其他")),
    }
    return render(request, "home/index.html", {"summary": summary, "charts": charts})
