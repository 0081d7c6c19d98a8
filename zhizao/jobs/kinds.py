"""What each kind of job does: a handler takes the job's context, calls the library as the job's owner,
keeps its result where the result page finds it, and returns that page's URL."""

from __future__ import annotations

import pickle
from pathlib import Path

from zhizao.db.session import READ_ONLY
from zhizao.imports import apply as importing
from zhizao.imports.outcome import Preview
from zhizao.imports.readers import UnusableFile
from zhizao.imports.uploads import load_upload, remove_upload
from zhizao.jobs import store
from zhizao.jobs.runner import JobContext


def preview_file(upload_path: Path) -> Path:
    """Where the checked preview of the upload at `upload_path` is kept (beside the upload itself)."""
    return upload_path.with_suffix(".preview.pickle")


def load_preview(upload_path: Path) -> Preview | None:
    """The preview a job kept for this upload, or None (not checked yet, or removed)."""
    path = preview_file(upload_path)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        preview: Preview = pickle.load(handle)  # written by `import_preview` below only
    return preview


def import_preview(context: JobContext) -> str:
    """Check an uploaded import file and compare it with the database, reading in one snapshot (no lock)."""
    upload_dir, token = Path(context.params["upload_dir"]), str(context.params["token"])
    upload, path = load_upload(upload_dir, context.actor, token)
    checked_rows = 0

    def progress(rows: int) -> None:
        nonlocal checked_rows
        checked_rows += rows
        context.progress(checked_rows)

    with context.sessions() as session:
        session.connection(execution_options={READ_ONLY: True})  # SQLite: a snapshot, no write lock
        try:
            checked = importing.preview(
                session,
                context.actor,
                path,
                upload.kind,
                upload.options,
                filename=upload.filename,
                progress=progress,
            )
        except UnusableFile:
            remove_upload(upload_dir, token)
            raise
        finally:
            session.rollback()
    staging = preview_file(path).with_suffix(".tmp")
    with staging.open("wb") as handle:
        pickle.dump(checked, handle, protocol=pickle.HIGHEST_PROTOCOL)
    staging.replace(preview_file(path))
    return f"/imports/uploads/{token}/preview"


def import_confirm(context: JobContext) -> str:
    """Import a previewed upload as confirmed (all or nothing, audited); the upload is removed once it is in.

    Refused, with nothing written, when the data changed since the preview (`fingerprint`)."""
    from zhizao.audit.log import acting_as

    upload_dir, token = Path(context.params["upload_dir"]), str(context.params["token"])
    upload, path = load_upload(upload_dir, context.actor, token)
    written_rows = 0

    def progress(rows: int) -> None:
        nonlocal written_rows
        written_rows += rows
        context.progress(written_rows)

    with context.sessions() as session, session.begin(), acting_as(context.actor.username):
        result = importing.apply(
            session,
            context.actor,
            path,
            upload.kind,
            upload.options,
            filename=upload.filename,
            confirmed=True,
            expected_fingerprint=str(context.params["fingerprint"]),
            progress=progress,
        )
    preview_file(path).unlink(missing_ok=True)
    remove_upload(upload_dir, token)
    return f"/imports?done={result.import_id or 0}"


def evaluation_run(context: JobContext) -> str:
    """Evaluate a year with the method text the route checked, and store the run (all or nothing)."""
    from zhizao.evaluation.runs import MethodSource, run_and_store  # the analytics stack, loaded on use

    params = context.params
    source = MethodSource.parse(str(params["text"]), toml=bool(params["toml"]), origin="method")
    with context.sessions() as session, session.begin():
        run = run_and_store(session, context.actor, source, int(params["year"]))
        run_id = run.id
    return f"/evaluation/runs/{run_id}"


def plan_parse(context: JobContext) -> str:
    """Read an uploaded (or pasted) plan document and store it as a plan in review, as its owner; the
    kept upload is removed either way."""
    from zhizao.audit.log import acting_as
    from zhizao.plans import intake

    params = context.params
    path, filename = Path(str(params["path"])), str(params["filename"])
    try:
        with acting_as(context.actor.username), context.sessions() as session, session.begin():
            if params.get("pasted"):
                plan = intake.import_text(session, context.actor, path.read_text(encoding="utf-8"), filename)
            else:
                plan = intake.import_upload(session, context.actor, filename, path.read_bytes())
            plan_id = plan.id
    finally:
        path.unlink(missing_ok=True)
    return f"/plans/{plan_id}"


def bulletin(context: JobContext) -> str:
    """Write a plan's monthly 督查通报 (.docx) to the job's result file, reading in one snapshot."""
    from zhizao.office.masthead import MastheadOptions, parse_masthead
    from zhizao.tracking.bulletin import build_bulletin

    params = context.params
    options = params.get("masthead") or {}
    masthead = parse_masthead(MastheadOptions(**{k: str(v) for k, v in dict(options).items()}))
    with context.sessions() as session:
        session.connection(execution_options={READ_ONLY: True})
        try:
            plan_id, year, month = int(params["plan_id"]), int(params["year"]), int(params["month"])
            result = build_bulletin(session, context.actor, plan_id, year, month, masthead=masthead)
        finally:
            session.rollback()
    store.write_result(Path(str(params["out"])), result.data)
    return store.result_url(context.job_id)
