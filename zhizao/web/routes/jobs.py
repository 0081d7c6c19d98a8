"""Long work off the request: a job's page (progress polled by htmx, then the result) and the list of the
user's jobs. `start_job` is what other routes call to hand work to the runner."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import FileResponse, RedirectResponse, Response

from zhizao.auth.scope import Actor
from zhizao.db.base import utcnow
from zhizao.db.session import READ_ONLY
from zhizao.jobs import store
from zhizao.jobs.models import Job
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import attachment_headers
from zhizao.web.params import Id
from zhizao.web.templating import is_htmx, render

router = APIRouter(prefix="/jobs", tags=["pages"], include_in_schema=False)
POLL_INTERVAL = "1s"


def start_job(
    request: Request,
    session: Session,
    actor: Actor,
    kind: str,
    label: str,
    params: dict[str, Any],
    *,
    wait: float = 0.5,
) -> Job:
    """Record a job, commit it, hand it to the app's runner and wait up to `wait` seconds for it (a small
    file is then shown at once, as before); the job as it stands then."""
    job = store.create_job(session, actor, kind, label, params)
    session.commit()  # the worker must see the record; on SQLite this also ends the request's write lock
    sessions: sessionmaker[Session] = request.app.state.session_factory
    request.app.state.jobs.submit(sessions, job)
    deadline = time.monotonic() + wait
    while True:
        current = _snapshot(sessions, job.id)
        if current.finished or time.monotonic() >= deadline:
            return current
        time.sleep(0.1)


def _snapshot(sessions: sessionmaker[Session], job_id: int) -> Job:
    with sessions() as reader:
        reader.connection(execution_options={READ_ONLY: True})
        job = reader.get(Job, job_id, populate_existing=True)
        assert job is not None
        reader.expunge(job)
        reader.rollback()
    return job


def job_redirect(job: Job) -> RedirectResponse:
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def result_folder(request: Request) -> Path:
    """Where jobs keep the files they make for download (under the upload folder)."""
    return Path(request.app.state.settings.upload_dir)


def result_download(path: Path, media_type: str, name: str) -> FileResponse:
    return FileResponse(path, media_type=media_type, headers=attachment_headers("result" + path.suffix, name))


@router.get("")
def job_list(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    jobs = store.recent_jobs(session, actor)
    return render(request, "jobs/list.html", {"jobs": jobs, "labels": store.KIND_LABELS})


@router.get("/{job_id}/file")
def job_file(request: Request, session: SessionDep, actor: CurrentActor, job_id: Id) -> Response:
    """The file a finished job made (a bulletin), for its owner (and administrators) only."""
    path, media_type, name = store.result_file(session, actor, job_id, result_folder(request))
    return result_download(path, media_type, name)


@router.get("/{job_id}")
def job_page(request: Request, session: SessionDep, actor: CurrentActor, job_id: Id) -> Response:
    """While running: the page (or, polled by htmx, its status fragment). Once done: the result."""
    job = store.visible_job(session, actor, job_id)
    if job.status == "done" and job.result_url:
        if is_htmx(request):
            return Response(status_code=200, headers={"HX-Redirect": job.result_url})
        return RedirectResponse(job.result_url, status_code=303)
    context = {"job": job, "labels": store.KIND_LABELS, "interval": POLL_INTERVAL, "now": utcnow()}
    if is_htmx(request):
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/show.html", context)
