"""Jobs: scoped to their owner (administrators see all), outcomes recorded in Chinese, and run in a
worker process that sees only what was committed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import add_user
from zhizao.auth.scope import Actor
from zhizao.db import migrate
from zhizao.db.session import make_engine
from zhizao.errors import NotFound
from zhizao.jobs import runner, store
from zhizao.jobs.models import Job


def _sessions(session: Session) -> sessionmaker[Session]:
    return sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )


def test_see_only_own_jobs_unless_admin(session: Session) -> None:
    owner = Actor.from_user(add_user(session, "job-owner", "analyst"))
    other = Actor.from_user(add_user(session, "job-other", "district", region_code="370211"))
    admin = Actor.from_user(add_user(session, "job-admin", "admin"))
    job = store.create_job(session, owner, "import_preview", "导入预览 a.xlsx", {})
    assert store.visible_job(session, owner, job.id).id == job.id
    assert store.visible_job(session, admin, job.id).id == job.id
    with pytest.raises(NotFound):
        store.visible_job(session, other, job.id)
    assert [j.id for j in store.recent_jobs(session, owner)] == [job.id]
    assert store.recent_jobs(session, other) == []
    assert job.id in [j.id for j in store.recent_jobs(session, admin)]


def test_record_domain_error_of_a_job_in_chinese(session: Session, tmp_path: Path) -> None:
    owner = Actor.from_user(add_user(session, "job-owner", "analyst"))
    params = {"upload_dir": str(tmp_path), "token": "0" * 32}
    job = store.create_job(session, owner, "import_preview", "导入预览 gone.xlsx", params)
    runner.run_job(job.id, _sessions(session), report=False)
    session.expire_all()
    failed = session.get(Job, job.id)
    assert failed is not None and failed.status == "failed" and failed.finished_at is not None
    assert "上传" in failed.message or "未找到" in failed.message, failed.message


def test_keep_internal_errors_out_of_the_message(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_context: runner.JobContext) -> str:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(runner, "_handler", lambda _kind: broken)
    owner = Actor.from_user(add_user(session, "job-owner", "analyst"))
    job = store.create_job(session, owner, "import_preview", "导入预览", {})
    runner.run_job(job.id, _sessions(session), report=False)
    session.expire_all()
    failed = session.get(Job, job.id)
    assert failed is not None and failed.status == "failed"
    assert failed.message == runner.INTERNAL_ERROR and "secret" not in failed.message


def test_run_a_committed_job_in_a_worker_process(fresh_db_url: str, tmp_path: Path) -> None:
    migrate.upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    with sessions() as session, session.begin():
        owner = Actor.from_user(add_user(session, "job-owner", "analyst"))
        params = {"upload_dir": str(tmp_path), "token": "0" * 32}
        job = store.create_job(session, owner, "import_preview", "导入预览 gone.xlsx", params)
    pool = runner.JobRunner(workers=1)
    try:
        pool.submit(sessions, job)
        deadline = time.monotonic() + 120
        while True:
            with sessions() as session:
                current = session.get(Job, job.id)
                assert current is not None
                if current.finished:
                    break
            assert time.monotonic() < deadline, "the worker process did not finish the job"
            time.sleep(0.2)
    finally:
        pool.shutdown()
        engine.dispose()
    assert current.status == "failed" and current.started_at is not None
    assert current.message and current.message != runner.INTERNAL_ERROR


def _figures_upload(session: Session, owner: Actor, upload_dir: Path, value: int) -> tuple[str, str, int]:
    """A figures workbook for a new firm, uploaded and previewed: (token, fingerprint, enterprise id)."""
    from tests.conftest import add_enterprise
    from tests.imports.conftest import write_xlsx
    from zhizao.imports import apply as importing
    from zhizao.imports.uploads import save_upload
    from zhizao.imports.validate import Options

    firm = add_enterprise(session)
    source = write_xlsx(
        upload_dir / "source.xlsx",
        [["统一社会信用代码", "年度", "税收(万元)"], [firm.credit_code, 2024, value]],
    )
    upload, path = save_upload(upload_dir, owner, "figures", "指标.xlsx", source.read_bytes(), Options())
    checked = importing.preview(session, owner, path, "figures")
    return upload.token, checked.fingerprint, firm.id


def test_confirm_job_commits_the_rows_and_audits(session: Session, tmp_path: Path) -> None:
    from sqlalchemy import select

    from zhizao.audit.models import AuditEntry
    from zhizao.enterprises.models import EnterpriseFigure
    from zhizao.imports.uploads import load_upload

    owner = Actor.from_user(add_user(session, "job-importer", "analyst"))
    token, fingerprint, firm_id = _figures_upload(session, owner, tmp_path, 42)
    params = {"upload_dir": str(tmp_path), "token": token, "fingerprint": fingerprint}
    job = store.create_job(session, owner, "import_confirm", "导入 指标.xlsx", params)
    runner.run_job(job.id, _sessions(session), report=False)
    session.expire_all()
    done = session.get(Job, job.id)
    assert done is not None and done.status == "done", done and done.message
    assert done.result_url.startswith("/imports?done=") and done.result_url != "/imports?done=0"
    stored = select(EnterpriseFigure.value).where(EnterpriseFigure.enterprise_id == firm_id)
    assert session.scalars(stored).all() == [42.0]
    import_id = done.result_url.removeprefix("/imports?done=")
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "import", AuditEntry.entity_key == import_id)
    ).one()
    assert audit.actor == "job-importer" and audit.changes["created"] == 1
    with pytest.raises(NotFound):  # the upload is gone once imported
        load_upload(tmp_path, owner, token)


def test_confirm_job_refuses_data_changed_since_the_preview(session: Session, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from zhizao.enterprises.models import EnterpriseFigure

    owner = Actor.from_user(add_user(session, "job-importer", "analyst"))
    token, _fingerprint, firm_id = _figures_upload(session, owner, tmp_path, 42)
    params = {"upload_dir": str(tmp_path), "token": token, "fingerprint": "0" * 64}
    job = store.create_job(session, owner, "import_confirm", "导入 指标.xlsx", params)
    runner.run_job(job.id, _sessions(session), report=False)
    session.expire_all()
    failed = session.get(Job, job.id)
    assert failed is not None and failed.status == "failed"
    assert "预览之后数据已发生变化" in failed.message
    count = (
        select(func.count()).select_from(EnterpriseFigure).where(EnterpriseFigure.enterprise_id == firm_id)
    )
    assert session.scalar(count) == 0
