from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.tracking.conftest import FGW, GXJ, KJJ, SWJ, SamplePlan, department
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput, NotFound
from zhizao.tracking import tasks
from zhizao.tracking.attachments import check_file, clean_name, path_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_list_assignments_department_sees_lead_and_responsible_only(
    session: Session, sample: SamplePlan
) -> None:
    mine = {a.id for a in tasks.list_assignments(session, department(session, GXJ), sample.plan.id)}
    assert mine == {sample.a_gxj.id}  # 商务局's task, where 工信局 only cooperates, is not listed
    responsible = {a.id for a in tasks.list_assignments(session, department(session, FGW), sample.plan.id)}
    assert responsible == {sample.a_gxj.id}


def test_list_assignments_admin_sees_all(session: Session, system: Actor, sample: SamplePlan) -> None:
    views = tasks.list_assignments(session, system, sample.plan.id)
    assert {v.id for v in views} == {sample.a_gxj.id, sample.a_kjj.id, sample.a_swj.id}
    owners = {v.id: v.owner[1] for v in views}
    assert owners[sample.a_swj.id] == SWJ


def test_get_assignment_of_another_unit_is_not_found(session: Session, sample: SamplePlan) -> None:
    with pytest.raises(NotFound):
        tasks.get_assignment(session, department(session, GXJ), sample.a_kjj.id)
    with pytest.raises(NotFound):
        tasks.report_history(session, department(session, GXJ), sample.a_swj.id)


def test_report_progress_on_another_units_assignment_is_not_found(
    session: Session, sample: SamplePlan, tmp_path: Path
) -> None:
    with pytest.raises(NotFound):
        tasks.report_progress(
            session, department(session, GXJ), sample.a_kjj.id, reported_on=date(2024, 6, 1), text="进展",
            status="推进中", upload_dir=tmp_path,
        )  # fmt: skip
    assert tasks.report_history(session, Actor.system(), sample.a_kjj.id) == []


def test_report_progress_by_analyst_is_forbidden(session: Session, sample: SamplePlan) -> None:
    analyst = Actor("analyst", Role.ANALYST)
    with pytest.raises(Forbidden):
        tasks.report_progress(
            session, analyst, sample.a_gxj.id, reported_on=date(2024, 6, 1), text="x", status="推进中"
        )


def test_report_progress_keeps_history_with_attachments(
    session: Session, sample: SamplePlan, tmp_path: Path
) -> None:
    clerk = department(session, GXJ)
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 5, 20), text="已启动", status="推进中",
        percent=30, upload_dir=tmp_path,
    )  # fmt: skip
    report = tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 6, 20), text="完成验收", status="已完成",
        uploads=[("../../etc/验收报告.pdf", PDF), ("C:\\temp\\照片.docx", _docx())], upload_dir=tmp_path,
    )  # fmt: skip
    assert report.percent == 100
    assert report.unit_id == clerk.unit_id
    history = tasks.report_history(session, clerk, sample.a_gxj.id)
    assert [r.status for r in history] == ["completed", "in_progress"]
    names = [a.original_name for a in history[0].attachments]
    assert names == ["验收报告.pdf", "照片.docx"]
    for attachment in history[0].attachments:
        stored = path_of(attachment.stored_name, tmp_path)
        assert stored.parent == (tmp_path / "reports").resolve()
        assert attachment.stored_name not in names
        assert stored.read_bytes()[:2] in (b"%P", b"PK")
    views = {v.id: v for v in tasks.list_assignments(session, clerk)}
    assert views[sample.a_gxj.id].status is tasks.ReportStatus.COMPLETED


def test_report_progress_rejects_bad_attachment_and_writes_nothing(
    session: Session, sample: SamplePlan, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="不符"):
        tasks.report_progress(
            session, Actor.system(), sample.a_gxj.id, reported_on=date(2024, 6, 1), text="进展",
            status="推进中", uploads=[("ok.pdf", PDF), ("fake.png", PDF)], upload_dir=tmp_path,
        )  # fmt: skip
    assert tasks.report_history(session, Actor.system(), sample.a_gxj.id) == []
    assert not any((tmp_path / "reports").glob("*")) if (tmp_path / "reports").exists() else True


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "类型不允许"),
        ("a.pdf", b"", "空文件"),
        ("a.pdf", PDF * 100, "大小上限"),
        ("a.docx", b"PK\x03\x04garbage", "不符"),
        ("a.xlsx", _docx(), "不符"),
        ("a.jpg", b"\x89PNG\r\n\x1a\n", "不符"),
    ],
)
def test_check_file_refuses(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_file(name, data, max_bytes=1000)


def test_check_file_accepts_by_extension_and_magic() -> None:
    assert check_file("报告.PDF", PDF, 1000).content_type == "application/pdf"
    assert check_file("x.png", b"\x89PNG\r\n\x1a\n0000", 1000).content_type == "image/png"


def test_clean_name_strips_folders() -> None:
    assert clean_name("../../secret/a.pdf") == "a.pdf"
    assert clean_name("..\\..\\a.pdf") == "a.pdf"
    assert clean_name("") == "附件"


def test_path_of_refuses_traversal(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        path_of("../../etc/passwd", tmp_path)


def test_report_progress_validates_fields(session: Session, sample: SamplePlan) -> None:
    admin = Actor.system()
    with pytest.raises(InvalidInput, match="状态"):
        tasks.report_progress(
            session, admin, sample.a_gxj.id, reported_on=date(2024, 6, 1), text="x", status="?"
        )
    with pytest.raises(InvalidInput, match="百分比"):
        tasks.report_progress(
            session,
            admin,
            sample.a_gxj.id,
            reported_on=date(2024, 6, 1),
            text="x",
            status="推进中",
            percent=120,
        )
    with pytest.raises(InvalidInput, match="进展情况"):
        tasks.report_progress(
            session, admin, sample.a_gxj.id, reported_on=date(2024, 6, 1), text=" ", status="推进中"
        )


def test_department_without_unit_sees_nothing(session: Session, sample: SamplePlan) -> None:
    assert tasks.list_assignments(session, Actor("x", Role.DEPARTMENT), sample.plan.id) == []
    assert KJJ  # the sample plan has a 科技局 assignment that stays invisible


def test_report_progress_after_completion_needs_confirmation_to_reopen(
    session: Session, sample: SamplePlan, tmp_path: Path
) -> None:
    clerk = department(session, GXJ)
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 6, 20), text="完成验收", status="已完成",
        upload_dir=tmp_path,
    )  # fmt: skip
    with pytest.raises(tasks.ReopenNeeded, match=r"2024-06-20.*推进中"):
        tasks.report_progress(
            session, clerk, sample.a_gxj.id, reported_on=date(2024, 7, 5), text="补报", status="推进中",
            upload_dir=tmp_path,
        )  # fmt: skip
    assert tasks.get_assignment_view(session, clerk, sample.a_gxj.id).status is tasks.ReportStatus.COMPLETED
    # A report dated before the completion is history and leaves the status alone; so does a further
    # 已完成 report (more material); only a confirmed reopening changes it.
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 6, 1), text="六月初进展", status="推进中",
        upload_dir=tmp_path,
    )  # fmt: skip
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 7, 5), text="补充验收材料", status="已完成",
        upload_dir=tmp_path,
    )  # fmt: skip
    assert tasks.get_assignment_view(session, clerk, sample.a_gxj.id).status is tasks.ReportStatus.COMPLETED
    tasks.report_progress(
        session, clerk, sample.a_gxj.id, reported_on=date(2024, 7, 6), text="验收不通过，重新整改",
        status="推进中", upload_dir=tmp_path, reopen=True,
    )  # fmt: skip
    assert tasks.get_assignment_view(session, clerk, sample.a_gxj.id).status is tasks.ReportStatus.IN_PROGRESS
