"""Job records as the library hands them out: created for an actor, seen only by their owner (and
administrators), marked running, advanced, finished or failed."""

from __future__ import annotations

import contextlib
import secrets
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.db.base import utcnow
from zhizao.errors import NotFound
from zhizao.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

KIND_LABELS = {
    "import_preview": "导入预览",
    "import_confirm": "导入确认",
    "evaluation_run": "亩产效益评价",
    "plan_parse": "计划文件解析",
    "bulletin": "督查通报",
}


_unfinished = Job.status.in_((QUEUED, RUNNING))  # an outcome, once recorded, stays


def create_job(session: Session, actor: Actor, kind: str, label: str, params: dict[str, Any]) -> Job:
    """A queued job of `kind` owned by the actor (the system's jobs are seen by administrators only)."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, owner_id=actor.user_id, label=label[:200], params=params)
    session.add(job)
    session.flush()
    return job


def _visible(actor: Actor) -> Any:
    return True if actor.role is Role.ADMIN else Job.owner_id == actor.user_id


def visible_job(session: Session, actor: Actor, job_id: int) -> Job:
    """The job if the actor owns it (or is an administrator); NotFound otherwise, as if it did not exist."""
    job = session.scalar(select(Job).where(Job.id == job_id, _visible(actor)))
    if job is None or (actor.role is not Role.ADMIN and actor.user_id is None):
        raise NotFound(f"未找到任务 {job_id}")
    return job


def recent_jobs(session: Session, actor: Actor, limit: int = 50) -> list[Job]:
    """The actor's latest jobs (an administrator's: everyone's), newest first."""
    if actor.role is not Role.ADMIN and actor.user_id is None:
        return []
    stmt = select(Job).where(_visible(actor)).order_by(Job.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def mark_running(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"未找到任务 {job_id}")
    job.status, job.started_at = RUNNING, utcnow()
    session.flush()
    return job


def advance(session: Session, job_id: int, done: int, total: int | None) -> None:
    session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(done=done, total=total))


def finish(session: Session, job_id: int, result_url: str) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, _unfinished)
        .values(status=DONE, result_url=result_url, finished_at=utcnow())
    )


def fail(session: Session, job_id: int, message: str) -> None:
    session.execute(
        update(Job)
        .where(Job.id == job_id, _unfinished)
        .values(status=FAILED, message=message[:1000], finished_at=utcnow())
    )


# --- result files: what a job wrote for its owner to download (kept under upload_dir/jobs/) -------------


RESULT_DAYS = 7  # result files older than this are removed when a new one is made


def result_path(upload_dir: Path, suffix: str) -> Path:
    """A fresh, unguessable path for a job's file (its folder made; files past RESULT_DAYS removed)."""
    folder = upload_dir / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - RESULT_DAYS * 86400
    for old in folder.iterdir():
        with contextlib.suppress(OSError):  # another worker removed it first
            if old.stat().st_mtime < cutoff:
                old.unlink()
    return folder / f"{secrets.token_urlsafe(16)}{suffix}"


def write_result(path: Path, data: bytes) -> None:
    """Write a result file whole or not at all (a reader never sees half a file)."""
    staging = path.with_name(path.name + ".tmp")
    staging.write_bytes(data)
    staging.replace(path)


def result_url(job_id: int) -> str:
    return f"/jobs/{job_id}/file"


def result_file(session: Session, actor: Actor, job_id: int, upload_dir: Path) -> tuple[Path, str, str]:
    """(path, media type, download name) of the result file of a finished job the actor may see;
    NotFound for another user's job, an unfinished one, or a file no longer kept."""
    job = visible_job(session, actor, job_id)
    out = job.params.get("out")
    folder = (upload_dir / "jobs").resolve()
    path = Path(str(out)).resolve() if out else None
    if job.status != DONE or path is None or path.parent != folder or not path.is_file():
        raise NotFound(f"任务 {job_id} 没有可下载的结果文件")
    return path, str(job.params.get("media_type", "application/octet-stream")), str(job.params["filename"])
