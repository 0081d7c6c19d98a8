"""Running jobs outside the request: a pool of worker processes, so CPU-heavy work (reading a million-row
workbook, an evaluation) holds neither the web server's event loop nor its interpreter lock, and on SQLite
no request's write lock.

A route creates the job record (committed), hands its id to `JobRunner.submit` and answers at once; the
worker opens its own database connection, rebuilds the owner as an `Actor` (so every scope check of the
library applies as it would in the request), runs the handler of the job's kind, reports progress now and
then, and records the outcome: the URL of the result, or the error in Chinese. Where the request's data is
visible only on the request's own connection (the tests' rolled-back transaction, an in-memory SQLite
database) the job runs inline, through the same code.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from threading import Lock
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.errors import ZhizaoError
from zhizao.jobs import store
from zhizao.jobs.models import Job

log = logging.getLogger(__name__)

# kind -> "module:function"; imported in the worker when a job of that kind runs
HANDLERS = {
    "import_preview": "zhizao.jobs.kinds:import_preview",
    "import_confirm": "zhizao.jobs.kinds:import_confirm",
    "evaluation_run": "zhizao.jobs.kinds:evaluation_run",
    "plan_parse": "zhizao.jobs.kinds:plan_parse",
    "bulletin": "zhizao.jobs.kinds:bulletin",
}
INTERNAL_ERROR = "任务因内部错误未能完成（已记入日志）；已上传的文件和已有数据均未改动，请重试或联系管理员"
INTERRUPTED = "任务因服务停止或工作进程异常而中断；已上传的文件和已有数据均未改动，请重新提交"
PROGRESS_EVERY = 0.5  # seconds between two progress writes


@dataclass
class JobContext:
    """What a handler gets: the job's id and parameters, its owner, sessions, and a progress callback."""

    job_id: int
    params: dict[str, Any]
    actor: Actor
    sessions: sessionmaker[Session]
    report: bool = True  # False inline: progress is not written where nobody can poll it
    _last: float = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        """Record `done` of `total` units (at most every PROGRESS_EVERY seconds; never fails the job)."""
        now = time.monotonic()
        if not self.report or now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        try:
            with self.sessions() as session, session.begin():
                store.advance(session, self.job_id, done, total)
        except OperationalError:  # SQLite busy with a long writer: skip this update, the next one may pass
            log.debug("progress of job %s not recorded", self.job_id)


Handler = Callable[[JobContext], str]


def _handler(kind: str) -> Handler:
    module, _, name = HANDLERS[kind].partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def run_job(job_id: int, sessions: sessionmaker[Session], *, report: bool = True) -> None:
    """Run one queued job to its end and record the outcome; never raises for the job's own errors."""
    with sessions() as session, session.begin():
        job = store.mark_running(session, job_id)
        kind, params, owner_id = job.kind, dict(job.params), job.owner_id
        user = session.get(User, owner_id) if owner_id is not None else None
        actor = Actor.from_user(user) if user is not None else Actor.system()
    context = JobContext(job_id, params, actor, sessions, report)
    try:
        result_url = _handler(kind)(context)
    except ZhizaoError as exc:
        _record(sessions, job_id, failed=exc.message)
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        _record(sessions, job_id, failed=INTERNAL_ERROR)
    else:
        _record(sessions, job_id, result_url=result_url)


def _record(sessions: sessionmaker[Session], job_id: int, *, result_url: str = "", failed: str = "") -> None:
    with sessions() as session, session.begin():
        if failed:
            store.fail(session, job_id, failed)
        else:
            store.finish(session, job_id, result_url)


# --- the worker processes ---------------------------------------------------------------------------------

_worker_sessions: dict[str, sessionmaker[Session]] = {}


def _in_worker(job_id: int, database_url: str) -> None:
    """Entry point in a worker process: one engine per database, kept for the next jobs."""
    if database_url not in _worker_sessions:
        from zhizao.db.session import make_engine

        _worker_sessions[database_url] = sessionmaker(make_engine(database_url), expire_on_commit=False)
    run_job(job_id, _worker_sessions[database_url])


def _shared_url(sessions: sessionmaker[Session]) -> str | None:
    """The database URL another process can open to see what `sessions` committed, or None."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        return None  # bound to one connection: its data is visible on that connection only
    url = bind.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


class JobRunner:
    """Hands jobs to `workers` worker processes (started on first use; 0: every job runs inline)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")  # no copy of the server's threads or sockets
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
            return self._pool

    def submit(self, sessions: sessionmaker[Session], job: Job) -> None:
        """Run the committed, queued `job` in a worker process, or inline where no other process can
        see its data (then it has finished when this returns)."""
        url = _shared_url(sessions)
        if url is None or self.workers < 1:
            run_job(job.id, sessions, report=False)
            return
        try:
            future = self._executor().submit(_in_worker, job.id, url)
        except BrokenProcessPool:  # a worker died earlier (killed, out of memory): start a new pool
            with self._lock:
                self._pool = None
            future = self._executor().submit(_in_worker, job.id, url)
        future.add_done_callback(lambda f: self._lost(f, sessions, job.id))

    def _lost(self, future: Future[None], sessions: sessionmaker[Session], job_id: int) -> None:
        """A worker that died (killed, out of memory, stopped) leaves its job failed, not running forever."""
        if future.cancelled() or future.exception() is not None:
            reason = "cancelled" if future.cancelled() else future.exception()
            log.error("job %s did not run to its end: %s", job_id, reason)
            try:
                _record(sessions, job_id, failed=INTERRUPTED)
            except Exception:  # the database is gone too (shutting down): the record stays as it was
                log.exception("could not record the end of job %s", job_id)

    def shutdown(self) -> None:
        """Stop the workers (the server is stopping): queued jobs are cancelled and running ones ended, and
        both are recorded as failed by `_lost`, so none stays 'running' for ever and the user can retry."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # the executor has no public way to end a busy worker; its process table is the documented-in-code one
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
