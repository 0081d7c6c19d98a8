"""Importing 诉求 from a 12345-style export: preview with row and column problems, nothing written on any
error, a number imported once, scope, and the import recorded and audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.service.conftest import World
from zhizao.audit.models import AuditEntry
from zhizao.errors import Forbidden
from zhizao.imports.models import Import
from zhizao.imports.outcome import NeedsConfirmation, ValidationFailed
from zhizao.imports.readers import UnusableFile
from zhizao.service import importing, requests
from zhizao.service.models import ServiceRequest

TODAY = date(2025, 3, 10)
HEADER = ["工单编号", "来电单位", "统一社会信用代码", "问题分类", "工单标题", "来电内容", "来电日期"]


def _export(tmp_path: Path, rows: list[list[object]], name: str = "12345.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["12345政企通工单导出"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(ServiceRequest.id))) or 0)


def test_import_requests_files_each_row_with_its_clock(
    session: Session, world: World, tmp_path: Path
) -> None:
    path = _export(
        tmp_path,
        [
            ["GD001", "", world.firm_a.credit_code, "0101", "用地指标", "厂房扩建缺用地指标", "2025-01-24"],
            ["GD002", world.firm_b.name, "", "政策咨询", "补贴咨询", "", date(2025, 3, 3)],
        ],
    )
    officer = world.actor("officer")
    checked = importing.preview(session, officer, path, today=TODAY)
    assert (checked.rows_total, checked.created, checked.errors) == (2, 2, 0)
    assert _count(session) == 0
    result = importing.apply(session, officer, path, today=TODAY, expected_fingerprint=checked.fingerprint)
    filed = session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).all()
    assert [(r.external_ref, r.channel, r.enterprise_id) for r in filed] == [
        ("GD001", "import", world.firm_a.id),
        ("GD002", "import", world.firm_b.id),
    ]
    assert filed[0].department_id == world.units["测试资规局"].id
    assert filed[1].complete_due == date(2025, 3, 6)  # 3 working days from Mon 03-03
    stored = session.get(Import, result.import_id)
    assert stored is not None and stored.kind == "service_requests" and stored.rows_created == 2
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "imports",
            AuditEntry.entity_key == str(stored.id),
            AuditEntry.action == "import",
        )
    ).all()
    assert [a.actor for a in audited] == ["svc-officer"]


def test_import_with_errors_writes_nothing_and_names_row_and_column(
    session: Session, world: World, tmp_path: Path
) -> None:
    path = _export(
        tmp_path,
        [
            ["GD001", "", world.firm_a.credit_code, "03", "咨询", "", "2025-03-03"],
            ["GD002", "", world.firm_c.credit_code, "03", "另一区的企业", "", "2025-03-03"],
            ["GD003", "", world.firm_a.credit_code, "99", "未知类别", "", "2025-03-03"],
            ["GD001", "", world.firm_a.credit_code, "03", "编号重复", "", "2025-03-03"],
            ["GD005", "不存在的公司", "", "03", "", "", "下周"],
            ["GD006", "", world.firm_a.credit_code, "03", "未来日期", "", "2025-03-11"],
        ],
    )
    checked = importing.preview(session, world.actor("officer"), path, today=TODAY)
    where = {(p.row, p.column) for p in checked.problems}
    assert (4, "C") in where  # firm_c is outside the officer's district
    assert (5, "D") in where  # category 99
    assert (6, "A") in where  # GD001 again
    assert {(7, "B"), (7, "E"), (7, "G")} <= where  # unknown firm, no title, not a date
    assert (8, "G") in where
    with pytest.raises(ValidationFailed):
        importing.apply(session, world.actor("officer"), path, today=TODAY)
    assert _count(session) == 0


def test_reimport_skips_numbers_already_imported_after_confirmation(
    session: Session, world: World, tmp_path: Path
) -> None:
    row = ["GD001", "", world.firm_a.credit_code, "03", "咨询", "", "2025-03-03"]
    admin = world.actor("admin")
    importing.apply(session, admin, _export(tmp_path, [row]), today=TODAY)
    again = _export(tmp_path, [row, ["GD002", *row[1:]]], "again.xlsx")
    checked = importing.preview(session, admin, again, today=TODAY)
    assert (checked.created, checked.unchanged, checked.warnings) == (1, 1, 1)
    with pytest.raises(NeedsConfirmation):
        importing.apply(session, admin, again, today=TODAY)
    importing.apply(session, admin, again, today=TODAY, confirmed=True)
    assert _count(session) == 2


def test_import_refused_for_enterprise_and_department(session: Session, world: World, tmp_path: Path) -> None:
    path = _export(tmp_path, [["GD1", "", world.firm_a.credit_code, "03", "咨询", "", "2025-03-03"]])
    for who in ("firm_a", "gxj"):
        with pytest.raises(Forbidden):
            importing.preview(session, world.actor(who), path, today=TODAY)


def test_import_without_firm_column_is_unusable(session: Session, world: World, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("诉求类别,诉求标题,提交日期\n03,咨询,2025-03-03\n", encoding="utf-8")
    with pytest.raises(UnusableFile, match="企业名称"):
        importing.preview(session, world.actor("admin"), path, today=TODAY)


def test_imported_request_is_handled_like_any_other(session: Session, world: World, tmp_path: Path) -> None:
    path = _export(tmp_path, [["GD1", "", world.firm_a.credit_code, "03", "咨询", "", "2025-03-03"]])
    importing.apply(session, world.actor("admin"), path, today=TODAY)
    filed = session.scalars(select(ServiceRequest)).one()
    requests.accept(session, world.actor("gxj"), filed.id, date(2025, 3, 4))
    assert filed.status == requests.HANDLING
    assert [r.id for r in session.scalars(requests.visible(world.actor("firm_b")))] == []
