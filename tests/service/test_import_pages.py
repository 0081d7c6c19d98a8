"""The 诉求 import pages: upload, preview with problems (nothing written), confirm, and who may import."""

from __future__ import annotations

import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.service.conftest import World
from tests.web.conftest import csrf_from, login
from zhizao.service.models import ServiceRequest


def _as(client: TestClient, username: str) -> TestClient:
    client.cookies.clear()
    assert login(client, username).status_code == 303
    return client


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工单编号", "统一社会信用代码", "诉求类别", "诉求标题", "提交日期"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: TestClient, content: bytes) -> tuple[int, str]:
    token = csrf_from(client, "/service/import")
    files = {"file": ("12345.xlsx", content, "application/octet-stream")}
    response = client.post("/service/import", data={"csrf_token": token}, files=files)
    return response.status_code, response.text


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count(ServiceRequest.id))) or 0)


def test_import_preview_then_confirm_files_requests(
    client: TestClient, world: World, session: Session
) -> None:
    _as(client, "svc-officer")
    yesterday = date.fromordinal(date.today().toordinal() - 1)
    status, page = _upload(
        client, _workbook([["GD9", world.firm_a.credit_code, "03", "页面导入的诉求", yesterday]])
    )
    assert status == 200 and "确认导入" in page
    assert _count(session) == 0
    token = page.split("/service/import/")[1].split("/confirm")[0]
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(
        f"/service/import/{token}/confirm", data={"fingerprint": fingerprint, "csrf_token": csrf}
    )
    assert done.status_code == 303 and done.headers["location"] == "/service?imported=1"
    assert "页面导入的诉求" in client.get("/service").text
    assert _count(session) == 1


def test_import_preview_lists_problems_and_offers_no_confirmation(
    client: TestClient, world: World, session: Session
) -> None:
    _as(client, "svc-officer")
    status, page = _upload(client, _workbook([["GD9", world.firm_c.credit_code, "99", "越区", "2025-01-02"]]))
    assert status == 200
    assert "不在本账号的范围内" in page and "未知的诉求类别" in page and "确认导入" not in page
    assert _count(session) == 0


def test_import_unusable_file_answers_on_the_form(client: TestClient, world: World) -> None:
    _as(client, "svc-admin")
    status, page = _upload(client, b"not a workbook")
    assert status == 400 and "导入诉求" in page


def test_import_refused_to_enterprise_and_department(client: TestClient, world: World) -> None:
    for username in ("svc-firm-a", "svc-gxj"):
        _as(client, username)
        assert client.get("/service/import").status_code == 403
