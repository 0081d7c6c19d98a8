"""The unit list page: administrators see the units and import a unit list; nothing is written on error."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web.conftest import TestClient, csrf_from
from zhizao.reference.models import Unit

AsUser = Callable[..., TestClient]


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "简称", "上级单位", "层级/类别", "所属行政区划"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_file(client: TestClient, content: bytes) -> object:
    token = csrf_from(client, "/admin/units")
    files = {"file": ("单位清单.xlsx", content, "application/octet-stream")}
    return client.post("/admin/units/import", data={"csrf_token": token}, files=files)


def test_units_page_lists_units_for_admin(as_user: AsUser) -> None:
    page = as_user("admin", "root").get("/admin/units")
    assert page.status_code == 200
    assert "市工业和信息化局" in page.text and "市工信局" in page.text and "黄岛区政府" in page.text


def test_import_unit_list_through_page(as_user: AsUser, session: Session) -> None:
    client = as_user("admin", "root")
    response = post_file(client, xlsx([["青岛高新区管委会", "高新区", "", "开发区", "370200"]]))
    assert response.status_code == 200 and "新增 1 个" in response.text  # type: ignore[attr-defined]
    unit = session.scalars(select(Unit).where(Unit.name == "青岛高新区管委会")).one()
    assert (unit.kind, unit.aliases) == ("other", ["高新区"])


def test_import_bad_unit_list_shows_rows_and_writes_nothing(as_user: AsUser, session: Session) -> None:
    client = as_user("admin", "root")
    content = xlsx([["新单位", "", "", "部门", ""], ["另一单位", "", "不存在的上级", "部门", ""]])
    response = post_file(client, content)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "第3行" in response.text and "不存在的上级" in response.text  # type: ignore[attr-defined]
    assert session.scalar(select(Unit.id).where(Unit.name == "新单位")) is None


def test_unit_pages_forbidden_for_other_roles(as_user: AsUser) -> None:
    client = as_user("analyst")
    assert client.get("/admin/units").status_code == 403
    token = csrf_from(client, "/")
    files = {"file": ("u.xlsx", xlsx([["某单位", "", "", "部门", ""]]), "application/octet-stream")}
    assert client.post("/admin/units/import", data={"csrf_token": token}, files=files).status_code == 403
