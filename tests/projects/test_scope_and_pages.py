"""Scope in the library and through the pages: a district officer sees its region's projects, a department
its unit's, an enterprise its own; the list, the project page with its chart, the summary, the exports and
the form upload."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.projects.conftest import HEADER, World, add_project, row, write_rows
from tests.web.conftest import app, client, csrf_from, login  # noqa: F401  (the web app and its client)
from zhizao.errors import NotFound
from zhizao.projects import listing, store


@pytest.fixture
def projects(session: Session, world: World) -> dict[str, int]:
    gxj, fgw = world.units["测试工信局"].id, world.units["测试发改委"].id
    mine = add_project(
        session,
        "黄岛技改项目",
        unit_id=gxj,
        enterprise_id=world.firm_a.id,
        plans={2026: 1000},
        months={(2026, 10): (900.0, 1500.0)},
        start_actual=date(2026, 2, 1),
        total_investment=3000,
    )
    other = add_project(
        session,
        "崂山重点项目",
        region_code="370212",
        unit_id=fgw,
        enterprise_id=world.firm_c.id,
        plans={2026: 2000},
        months={(2026, 10): (100.0, 100.0)},
    )
    return {"mine": mine.id, "other": other.id}


@pytest.mark.parametrize(
    ("user", "sees"),
    [("admin", {"mine", "other"}), ("officer", {"mine"}), ("gxj", {"mine"}), ("firm_a", {"mine"})],
)
def test_scope_in_the_library(
    session: Session, world: World, projects: dict[str, int], user: str, sees: set[str]
) -> None:
    actor = world.actor(user)
    found = {p.id for p in session.scalars(store.visible(actor))}
    assert found == {projects[k] for k in sees}
    items = listing.items(session, actor, date(2026, 10, 31))
    assert {i.project.id for i in items} == found
    if "other" not in sees:
        with pytest.raises(NotFound):
            store.get(session, actor, projects["other"])


def _as(web: TestClient, username: str) -> TestClient:
    web.cookies.clear()
    assert login(web, username).status_code == 303
    return web


def test_pages_for_a_district_officer(client: TestClient, world: World, projects: dict[str, int]) -> None:  # noqa: F811
    _as(client, "pj-officer")
    page = client.get("/projects?as_of=2026-10-31").text
    assert "黄岛技改项目" in page and "崂山重点项目" not in page and "超前" in page
    assert client.get(f"/projects/{projects['other']}").status_code == 404
    detail = client.get(f"/projects/{projects['mine']}?as_of=2026-10-31")
    assert (
        detail.status_code == 200
        and "超过时间进度6.7个百分点" in detail.text
        and "chart-investment" in detail.text
    )
    summary = client.get("/projects/summary?as_of=2026-10-31&group_by=region").text
    assert "黄岛区" in summary and "崂山区" not in summary and "90%" in summary
    book = load_workbook(io.BytesIO(client.get("/projects/export.xlsx?as_of=2026-10-31").content))
    cells = {str(c) for r in book.active.iter_rows(values_only=True) for c in r if c}  # type: ignore[union-attr]
    assert "黄岛技改项目" in cells and "崂山重点项目" not in cells


def test_filters_and_summary_export(client: TestClient, world: World, projects: dict[str, int]) -> None:  # noqa: F811
    _as(client, "pj-admin")
    filtered = client.get("/projects?as_of=2026-10-31&status=severe").text
    assert "崂山重点项目" in filtered and "黄岛技改项目" not in filtered
    exported = load_workbook(
        io.BytesIO(client.get("/projects/export.xlsx?as_of=2026-10-31&status=severe").content)
    )
    cells = {str(c) for r in exported.active.iter_rows(values_only=True) for c in r if c}  # type: ignore[union-attr]
    assert "崂山重点项目" in cells and "黄岛技改项目" not in cells  # the export applies the page's filters
    response = client.get("/projects/summary.xlsx?as_of=2026-10-31&group_by=unit")
    book = load_workbook(io.BytesIO(response.content))
    assert book.active["A1"].value == "重点项目调度汇总"  # type: ignore[index]
    assert client.get("/projects?status=bogus").status_code == 400


def test_enterprise_downloads_its_own_form_and_uploads_it(
    client: TestClient,  # noqa: F811
    world: World,
    projects: dict[str, int],
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    _as(client, "pj-firm-a")
    book = load_workbook(io.BytesIO(client.get("/projects/form.xlsx?month=2026-11").content))
    names = [r[1] for r in book.active.iter_rows(min_row=4, values_only=True)]  # type: ignore[union-attr]
    assert names == ["黄岛技改项目"]
    path = write_rows(
        tmp_path / "f.xlsx",
        ["项目名称", "年度", "月份", "本年完成投资(万元)", "自开始建设累计完成投资(万元)"],
        [["黄岛技改项目", 2026, 11, 950, 1550]],
    )
    token = csrf_from(client, "/projects")
    done = client.post(
        "/projects/import", data={"csrf_token": token}, files={"file": ("f.xlsx", path.read_bytes())}
    )
    assert done.status_code == 303 and "imported=" in done.headers["location"]
    other = write_rows(
        tmp_path / "o.xlsx", HEADER, [row(name="崂山重点项目", code="", region="370212", month=11)]
    )
    refused = client.post(
        "/projects/import", data={"csrf_token": token}, files={"file": ("o.xlsx", other.read_bytes())}
    )
    assert refused.status_code == 400 and "未导入任何数据" in refused.text
