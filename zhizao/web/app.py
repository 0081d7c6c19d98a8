"""The app factory: `uvicorn zhizao.web.app:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from zhizao.auth.keys import secret_key
from zhizao.config import Settings, get_settings
from zhizao.db.session import make_engine, session_factory
from zhizao.jobs.runner import JobRunner
from zhizao.web.body_limit import BodyLimit
from zhizao.web.errors import install_error_handlers
from zhizao.web.params import reject_bad_text
from zhizao.web.routes import (
    admin,
    api,
    api_docs,
    api_service,
    auth,
    enterprises,
    home,
    regional_index,
    service_import,
)
from zhizao.web.routes import chains as chain_pages
from zhizao.web.routes import cultivation as cultivation_pages
from zhizao.web.routes import cultivation_forms as cultivation_form_pages
from zhizao.web.routes import evaluation as evaluation_pages
from zhizao.web.routes import imports as import_pages
from zhizao.web.routes import jobs as job_pages
from zhizao.web.routes import monitoring as monitoring_pages
from zhizao.web.routes import plans as plan_pages
from zhizao.web.routes import portal as portal_page
from zhizao.web.routes import projects as project_pages
from zhizao.web.routes import service as service_pages
from zhizao.web.routes import tracking as tracking_pages
from zhizao.web.security import SecurityMiddleware, csrf_protect
from zhizao.web.templating import make_templates

STATIC_DIR = Path(__file__).parent / "static"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.jobs.shutdown()  # no worker process outlives the server


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the web app for `settings` (default: the environment) and `engine` (default: its database)."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    app = FastAPI(
        title="智造 zhizao",
        summary="制造业政策落实平台 JSON API",
        version="1",
        dependencies=[Depends(reject_bad_text), Depends(csrf_protect)],
        docs_url=None,  # /docs and /openapi.json: signed-in users only, Swagger UI from local files
        openapi_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.secret_key = secret_key(settings)  # the configured key, or the generated one in its file
    app.state.engine = engine
    app.state.session_factory = session_factory(engine)
    app.state.templates = make_templates()
    app.state.jobs = JobRunner(settings.job_workers)  # long work runs in worker processes, off the request
    app.add_middleware(SecurityMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.include_router(auth.router)
    app.include_router(api_docs.router)
    app.include_router(home.router)
    app.include_router(enterprises.router)
    app.include_router(admin.router)
    app.include_router(api.router)
    app.include_router(api_service.router)
    # ---- Areas include their routers here, one line each (and add a NavItem in web/nav.py). ----
    app.include_router(plan_pages.router)
    app.include_router(tracking_pages.router)
    app.include_router(evaluation_pages.router)
    app.include_router(import_pages.router)
    app.include_router(service_pages.router)
    app.include_router(service_import.router)
    app.include_router(portal_page.router)
    app.include_router(regional_index.router)
    app.include_router(chain_pages.router)
    app.include_router(chain_pages.api)
    app.include_router(project_pages.router)
    app.include_router(monitoring_pages.router)
    app.include_router(cultivation_pages.router)
    app.include_router(cultivation_form_pages.router)
    app.include_router(job_pages.router)

    app.add_middleware(BodyLimit)  # added last, so it runs first: no body is parsed past its limit
    return app
