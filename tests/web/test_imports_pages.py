"""Import pages: upload → check → confirm, the error report, the diff, rollback, district scope, templates,
and a figure's history and manual correction on the enterprise page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise, new_credit_code
from tests.web.conftest import TestClient, csrf_from
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.imports.models import FigureChange, Import

AsUser = Callable[..., TestClient]
HEADER = ["统一社会信用代码", "年度", "税收(万元)", "营业收入(万元)"]


@pytest.fixture(autouse=True)
def upload_dir(app: FastAPI, tmp_path: Path) -> Path:
    app.state.settings.upload_dir = tmp_path / "uploads"
    return app.state.settings.upload_dir


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client: TestClient, content: bytes, kind: str = "figures", name: str = "指标.xlsx"):  # type: ignore[no-untyped-def]
    token = csrf_from(client, "/imports/new")
    return client.post(
        "/imports", data={"kind": kind, "csrf_token": token}, files={"file": (name, content, "application/x")}
    )


def _confirm(client: TestClient, page: str):  # type: ignore[no-untyped-def]
    action = re.search(r'action="(/imports/uploads/[0-9a-f]+/confirm)"', page)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', page)
    assert action and fingerprint, "no confirm form"
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return client.post(
        action.group(1), data={"fingerprint": fingerprint.group(1), "csrf_token": token.group(1)}
    )


def _value(
    session: Session, enterprise: Enterprise, indicator: str = "tax", year: int = 2024
) -> float | None:
    return session.scalar(
        select(EnterpriseFigure.value).where(
            EnterpriseFigure.enterprise_id == enterprise.id,
            EnterpriseFigure.indicator_id == indicator,
            EnterpriseFigure.year == year,
        )
    )


def test_upload_good_figures_file_then_confirm_applies(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session)
    client = as_user("analyst")
    response = _upload(client, _xlsx([[firm.credit_code, 2024, 12.5, 300]]))
    assert response.status_code == 200
    assert "确认导入" in response.text and _value(session, firm) is None
    done = _confirm(client, response.text)
    assert done.status_code == 303 and done.headers["location"].startswith("/imports?done=")
    assert _value(session, firm) == 12.5
    listing = client.get("/imports").text
    assert "指标.xlsx" in listing and "已导入" in listing


def test_upload_bad_file_lists_problems_and_report_highlights_cells(
    as_user: AsUser, session: Session
) -> None:
    firm = add_enterprise(session)
    client = as_user("analyst")
    response = _upload(
        client, _xlsx([[firm.credit_code, 2024, "很多", 300], [new_credit_code(), 2024, 1, 2]])
    )
    page = response.text
    assert "未导入任何数据" in page and "应为数值" in page and "未登记" in page
    assert "确认导入" not in page
    link = re.search(r'href="(/imports/uploads/[0-9a-f]+/report\.xlsx)"', page)
    assert link
    report = client.get(link.group(1))
    assert report.status_code == 200 and report.headers["content-type"].startswith("application/vnd.openxml")
    workbook = load_workbook(io.BytesIO(report.content))
    sheet = workbook.worksheets[0]
    assert sheet["C2"].comment is not None and sheet["C2"].fill.fgColor.rgb.endswith("C7CE")
    assert "问题清单" in workbook.sheetnames
    assert _value(session, firm) is None


def test_upload_with_warnings_needs_confirmation(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session)
    client = as_user("analyst")
    response = _upload(client, _xlsx([[firm.credit_code, 2024, 500, 300]]))  # 税收 > 营业收入
    assert "税收大于营业收入" in response.text and "请核对上面的内容后确认导入" in response.text
    assert _value(session, firm) is None
    assert _confirm(client, response.text).status_code == 303
    assert _value(session, firm) == 500


def test_upload_changing_values_shows_diff(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session, figures={2024: {"tax": 10.0}})
    client = as_user("analyst")
    page = _upload(client, _xlsx([[firm.credit_code, 2024, 11, None]])).text
    diff = page[page.index("将修改的已有数据") :]
    assert firm.credit_code in diff and "税收" in diff and "10.0" in diff and "11.0" in diff
    _confirm(client, page)
    assert _value(session, firm) == 11


def test_confirm_after_data_changed_is_refused(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session, figures={2024: {"tax": 10.0}})
    client = as_user("analyst")
    page = _upload(client, _xlsx([[firm.credit_code, 2024, 11, None]])).text
    session.execute(EnterpriseFigure.__table__.update().values(value=9.0))
    response = _confirm(client, page)
    assert response.status_code == 400 and "预览之后数据已发生变化" in response.text


def test_rollback_import_restores_values(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session, figures={2024: {"tax": 10.0}})
    client = as_user("admin")
    _confirm(client, _upload(client, _xlsx([[firm.credit_code, 2024, 11, 300]])).text)
    import_id = session.scalar(select(Import.id).order_by(Import.id.desc()))
    token = csrf_from(client, "/imports")
    assert f'action="/imports/{import_id}/rollback"' in client.get("/imports").text
    response = client.post(f"/imports/{import_id}/rollback", data={"csrf_token": token})
    assert response.status_code == 303
    assert _value(session, firm) == 10.0 and _value(session, firm, "revenue") is None
    assert "已撤销" in client.get("/imports").text


def test_rollback_import_by_its_maker_only(as_user: AsUser, session: Session, client: TestClient) -> None:
    from tests.web.conftest import add_user, login

    firm = add_enterprise(session, figures={2024: {"tax": 10.0}})
    maker = as_user("analyst", "maker")
    page = _upload(maker, _xlsx([[firm.credit_code, 2024, 11, 300]])).text
    assert page.index('id="confirm-top"') < page.index("将修改的已有数据")  # confirm above the long diff
    assert "个数值" in page and "文件数据行" in page  # rows and values labelled apart
    _confirm(maker, page)
    import_id = session.scalar(select(Import.id).order_by(Import.id.desc()))
    add_user(session, "other-analyst", "analyst")
    client.cookies.clear()  # (as_user logged this same client in as the maker)
    login(client, "other-analyst")
    listing = client.get("/imports").text
    assert f'action="/imports/{import_id}/rollback"' not in listing
    token = csrf_from(client, "/imports")
    assert client.post(f"/imports/{import_id}/rollback", data={"csrf_token": token}).status_code == 403
    client.cookies.clear()
    login(client, "maker")
    assert f'action="/imports/{import_id}/rollback"' in client.get("/imports").text
    token = csrf_from(client, "/imports")
    assert client.post(f"/imports/{import_id}/rollback", data={"csrf_token": token}).status_code == 303
    assert _value(session, firm) == 10.0


def test_upload_by_district_officer_other_district_is_refused(as_user: AsUser, session: Session) -> None:
    own = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370212")
    client = as_user("district", region_code="370211")
    page = _upload(client, _xlsx([[own.credit_code, 2024, 1, 2], [other.credit_code, 2024, 1, 2]])).text
    assert "不在本账号所属地区内" in page and "确认导入" not in page
    page = _upload(client, _xlsx([[own.credit_code, 2024, 1, 2]])).text
    _confirm(client, page)
    assert _value(session, own) == 1 and _value(session, other) is None


def test_upload_unusable_file_says_why(as_user: AsUser) -> None:
    client = as_user("analyst")
    response = _upload(client, b"\x00\x01binary", name="x.xlsx")
    assert response.status_code == 400 and "无法导入" in response.text and "不是电子表格" in response.text


def test_imports_pages_need_login(client: TestClient) -> None:
    response = client.get("/imports")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/imports/templates/figures.xlsx").status_code == 303


def test_upload_without_csrf_token_is_refused(as_user: AsUser) -> None:
    client = as_user("analyst")
    response = client.post("/imports", data={"kind": "figures"}, files={"file": ("a.xlsx", _xlsx([]), "x")})
    assert response.status_code == 403


def test_imports_new_for_department_user_is_forbidden(as_user: AsUser) -> None:
    assert as_user("department", unit_name="市统计局").get("/imports/new").status_code == 403


def test_download_template_for_each_kind(as_user: AsUser) -> None:
    client = as_user("analyst")
    for kind in ("figures", "enterprises"):
        response = client.get(f"/imports/templates/{kind}.xlsx")
        assert response.status_code == 200
        header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
        assert any("统一社会信用代码" in str(v) for v in header)


def test_confirm_another_users_upload_is_not_found(
    as_user: AsUser, session: Session, client: TestClient
) -> None:
    """The admin posts the analyst's confirm form with the admin's own valid CSRF token, so only the
    ownership check of the upload stands between them and the analyst's file."""
    firm = add_enterprise(session)
    page = _upload(as_user("analyst"), _xlsx([[firm.credit_code, 2024, 1, 2]])).text
    analyst_token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert analyst_token
    client.cookies.clear()
    as_user("admin")
    admin_page = page.replace(analyst_token.group(1), csrf_from(client, "/imports"))
    response = _confirm(client, admin_page)
    assert response.status_code == 404, response.text
    assert _value(session, firm) is None


def test_correct_figure_on_enterprise_page_keeps_history(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(session, region_code="370211", figures={2023: {"tax": 10.0}})
    client = as_user("district", region_code="370211")
    assert f'hx-get="/enterprises/{firm.id}/figure-history"' in client.get(f"/enterprises/{firm.id}").text
    token = csrf_from(client, f"/enterprises/{firm.id}/figure-history")
    data = {"indicator_id": "tax", "year": "2023", "value": "12", "note": "税务局更正", "csrf_token": token}
    response = client.post(
        f"/enterprises/{firm.id}/figures/correct", data=data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "税务局更正" in response.text and "手工修正" in response.text
    assert _value(session, firm, year=2023) == 12
    change = session.scalars(select(FigureChange).where(FigureChange.enterprise_id == firm.id)).one()
    assert (change.old_value, change.new_value, change.reason) == (10.0, 12.0, "manual")


def test_correct_figure_other_district_or_without_reason_is_refused(
    as_user: AsUser, session: Session
) -> None:
    own = add_enterprise(session, region_code="370211")
    other = add_enterprise(session, region_code="370212")
    client = as_user("district", region_code="370211")
    token = csrf_from(client, f"/enterprises/{own.id}/figure-history")
    data = {"indicator_id": "tax", "year": "2023", "value": "1", "note": "x", "csrf_token": token}
    assert client.post(f"/enterprises/{other.id}/figures/correct", data=data).status_code in (403, 404)
    response = client.post(f"/enterprises/{own.id}/figures/correct", data=data | {"note": " "})
    assert response.status_code == 400 and "请填写修改原因" in response.text
    assert _value(session, own, year=2023) is None and _value(session, other, year=2023) is None
