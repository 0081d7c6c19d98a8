"""Jinja2 templates with the i18n extension, and `render()` that gives every page its common context."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from zhizao.audit.labels import actor_label
from zhizao.auth.roles import ROLE_LABELS
from zhizao.enterprises.dashboard import is_synthetic_dataset
from zhizao.reference import home
from zhizao.web.charts import chart_translator, localize_chart
from zhizao.web.i18n import LANGUAGES, gettext_for, localized, ngettext_for, request_language
from zhizao.web.nav import nav_for
from zhizao.web.security import CSRF_FIELD, CSRF_HEADER, csrf_token

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _tojson_attr(value: Any) -> Markup:
    """JSON for a <script type="application/json"> block (closing tags escaped)."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _place_names_en(request: Request) -> dict[str, str]:
    """Chinese → English names of the places within the installation's region, once per request."""
    cached: dict[str, str] | None = getattr(request.state, "place_names_en", None)
    if cached is None:
        db = getattr(request.state, "db", None)
        places = home.places_within(db, home.home_region_code()) if db is not None else []
        cached = {p.name: p.name_en for p in places if p.name_en}
        request.state.place_names_en = cached
    return cached


@jinja2.pass_context
def _chart_json(context: jinja2.runtime.Context, option: Any) -> Markup:
    """A chart's options as JSON for its <script> block, in the page's language (zhizao.web.charts)."""
    language = context.get("lang", "zh-CN")
    if language != "zh-CN":
        english = chart_translator(language, _place_names_en(context["request"]))
        option = localize_chart(option, english)
    return _tojson_attr(option)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
    )
    # the i18n extension adds this attribute at run time; jinja2's Environment type does not declare it
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["json_script"] = _tojson_attr
    env.filters["chart_json"] = _chart_json  # every chart's options: translated in English
    env.filters["who"] = actor_label  # 系统 for the system account, never "system"
    return Jinja2Templates(env=env, context_processors=[_common_context])


def _common_context(request: Request) -> dict[str, Any]:
    language = request_language(request)
    actor = getattr(request.state, "actor", None)
    gettext = gettext_for(language)
    return {
        "lang": language,
        "languages": LANGUAGES,
        "_": gettext,
        "gettext": gettext,
        "ngettext": ngettext_for(language),
        "loc": lambda obj, field: localized(obj, field, language),
        "actor": actor,
        "role_labels": {role.value: label for role, label in ROLE_LABELS.items()},
        "nav_items": nav_for(actor),
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "csrf_token": csrf_token(request),
        "synthetic": _synthetic(request),
        "current_path": request.url.path,
        "home_name": home.home_name(english=language == "en"),
    }


def _synthetic(request: Request) -> bool:
    """Whether the data set is the synthetic demo: with the request's session, or a short one of its own
    (error pages render after the request's session has closed)."""
    db = getattr(request.state, "db", None)
    if db is not None:
        return is_synthetic_dataset(db)
    with request.app.state.session_factory() as session:
        return is_synthetic_dataset(session)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"
