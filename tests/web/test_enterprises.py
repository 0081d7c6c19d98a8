"""Enterprise pages and API, and the scope rules seen through every door (page, fragment, export, API)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.office.habits import assert_excel_habits, column, data_rows, headers, read_sheet
from tests.web.conftest import TestClient, csrf_from
from zhizao.audit.models import AppMeta, AuditEntry
from zhizao.enterprises import registry
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

AsUser = Callable[..., TestClient]
Firms = dict[str, Enterprise]


@pytest.fixture
def two_districts(session: Session) -> dict[str, Enterprise]:
    return {
        "huangdao": add_enterprise(
            session,
            name="黄岛精密机械有限公司",
            region_code="370211",
            figures={2023: {"revenue": 1200.0, "tax": 80.0}},
        ),
        "laoshan": add_enterprise(
            session,
            name="崂山电子科技有限公司",
            region_code="370212",
            industry_code="3971",
            above_scale=False,
        ),
    }


def test_list_enterprises_for_analyst(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    page = client.get("/enterprises").text
    assert "黄岛精密机械有限公司" in page and "崂山电子科技有限公司" in page


def test_search_enterprises_updates_table_fragment(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    response = client.get(
        "/enterprises?q=崂山", headers={"HX-Request": "true", "HX-Target": "enterprise-table"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "崂山电子科技有限公司" in response.text and "黄岛精密机械有限公司" not in response.text


def test_filter_enterprises_by_scale_and_region(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    data = client.get("/api/v1/enterprises?above_scale=false").json()
    assert [e["name"] for e in data["items"]] == ["崂山电子科技有限公司"]
    data = client.get("/api/v1/enterprises?region_code=370211&above_scale=").json()
    assert [e["name"] for e in data["items"]] == ["黄岛精密机械有限公司"]


def test_reject_bad_sort_key_with_400(as_user: AsUser) -> None:
    client = as_user("analyst")
    assert client.get("/enterprises?sort=nonsense").status_code == 400
    assert client.get("/api/v1/enterprises?sort=nonsense").status_code == 422


def test_district_sees_only_own_district(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("district", region_code="370211")
    other = two_districts["laoshan"].id
    assert "崂山电子科技有限公司" not in client.get("/enterprises").text
    assert "崂山电子科技有限公司" not in client.get("/enterprises?q=崂山&region_code=370212").text
    assert client.get(f"/enterprises/{other}").status_code == 404
    api = client.get("/api/v1/enterprises?q=崂山").json()
    assert api["total"] == 0 and api["items"] == []
    assert client.get("/api/v1/enterprises").json()["total"] == 1
    assert client.get(f"/api/v1/enterprises/{other}").status_code == 404
    assert client.get(f"/api/v1/enterprises/{other}/figures").status_code == 404
    counts = client.get("/api/v1/counts").json()
    assert counts["total"] == 1 and [r["code"] for r in counts["by_region"]] == ["370211"]
    workbook = load_workbook(io.BytesIO(client.get("/enterprises/export.xlsx?region_code=370212").content))
    assert workbook.active.max_row == 3  # title, note and header only
    assert "崂山" not in client.get("/").text


def test_district_cannot_edit_other_district(as_user: AsUser, two_districts: Firms, session: Session) -> None:
    client = as_user("district", region_code="370211")
    token = csrf_from(client, "/")
    other = two_districts["laoshan"].id
    data = {"indicator_id": "tax", "year": "2023", "value": "1", "note": "核对", "csrf_token": token}
    assert client.post(f"/enterprises/{other}/figures/correct", data=data).status_code == 404
    assert session.scalar(select(EnterpriseFigure.id).where(EnterpriseFigure.enterprise_id == other)) is None


def test_district_edits_own_figure_with_audit(
    as_user: AsUser, two_districts: Firms, session: Session
) -> None:
    client = as_user("district", "hd-officer", region_code="370211")
    token = csrf_from(client, "/")
    own = two_districts["huangdao"].id
    data = {"indicator_id": "tax", "year": "2023", "value": "95.5", "note": "核对", "csrf_token": token}
    response = client.post(f"/enterprises/{own}/figures/correct", data=data)
    assert response.status_code == 303
    value = session.scalar(
        select(EnterpriseFigure.value).where(
            EnterpriseFigure.enterprise_id == own, EnterpriseFigure.indicator_id == "tax"
        )
    )
    assert value == 95.5
    actors = session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "enterprise_figures"))
    assert "hd-officer" in list(actors)


def test_reject_negative_figure_with_problems(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("district", region_code="370211")
    token = csrf_from(client, "/")
    own = two_districts["huangdao"].id
    data = {"indicator_id": "revenue", "year": "2023", "value": "-5", "note": "核对", "csrf_token": token}
    response = client.post(f"/enterprises/{own}/figures/correct", data=data)
    assert response.status_code == 400
    assert "不能为负数" in response.text


def test_analyst_cannot_edit_figures(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    token = csrf_from(client, "/")
    own = two_districts["huangdao"].id
    data = {"indicator_id": "tax", "year": "2023", "value": "1", "note": "核对", "csrf_token": token}
    assert client.post(f"/enterprises/{own}/figures/correct", data=data).status_code == 403


def test_enterprise_account_sees_only_itself(as_user: AsUser, two_districts: Firms) -> None:
    own = two_districts["huangdao"]
    client = as_user("enterprise", enterprise_id=own.id)
    assert client.get("/api/v1/enterprises").json()["total"] == 1
    assert client.get(f"/enterprises/{own.id}").status_code == 200
    assert client.get(f"/enterprises/{two_districts['laoshan'].id}").status_code == 404
    assert client.get("/api/v1/counts").json()["total"] == 1
    home = client.get("/")  # its own firm's cockpit, nobody else's
    assert home.status_code == 200 and f'href="/enterprises/{own.id}"' in home.text
    assert two_districts["laoshan"].name not in home.text
    assert "用户管理" not in client.get(f"/enterprises/{own.id}").text
    assert client.get("/admin/users").status_code == 403


def test_show_enterprise_detail_with_figures(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    page = client.get(f"/enterprises/{two_districts['huangdao'].id}").text
    assert "营业收入(万元)" in page and "2023" in page and "1,200" in page
    assert 'id="chart-figures"' in page
    detail = client.get(f"/api/v1/enterprises/{two_districts['huangdao'].id}").json()
    assert detail["figures"]["years"] == [2023]
    assert {r["indicator_id"] for r in detail["figures"]["rows"]} == {"revenue", "tax"}


def test_return_404_for_missing_enterprise(as_user: AsUser) -> None:
    client = as_user("analyst")
    assert client.get("/enterprises/999999").status_code == 404
    assert client.get("/api/v1/enterprises/999999").json()["detail"].startswith("未找到")


def test_export_filtered_enterprises_to_excel(as_user: AsUser, two_districts: Firms) -> None:
    client = as_user("analyst")
    response = client.get("/enterprises/export.xlsx?region_code=370211")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = read_sheet(response.content)
    figures = ("2023年营业收入(万元)", "2023年税收实际贡献(万元)")
    assert_excel_habits(sheet, title="企业名录", numbers=("序号", *figures))
    assert "黄岛区" in sheet["A2"].value and "2023年数据" in sheet["A2"].value  # the filter, in words
    assert headers(sheet)[:4] == ["序号", "统一社会信用代码", "企业名称", "地区"]
    rows = data_rows(sheet)
    assert len(rows) == 1
    assert rows[0][2] == "黄岛精密机械有限公司" and rows[0][3] == "黄岛区" and rows[0][7] == "是"
    assert column(sheet, "2023年营业收入(万元)") == [1200.0]  # the figures of the selected year
    assert column(sheet, "2023年税收实际贡献(万元)") == [80.0]


def test_export_enterprises_of_a_year_without_figures(as_user: AsUser, two_districts: Firms) -> None:
    sheet = read_sheet(as_user("analyst").get("/enterprises/export.xlsx?year=2022").content)
    assert column(sheet, "2022年营业收入(万元)") == [None, None]
    assert "2022年数据" in sheet["A2"].value


def test_home_shows_counts_and_chart_options(
    as_user: AsUser, two_districts: Firms, home_region: Callable[[str | None], None]
) -> None:
    home_region("370200")
    client = as_user("analyst")
    page = client.get("/").text
    assert 'id="chart-regions"' in page and 'id="chart-divisions"' in page
    assert '"type": "bar"' in page and "黄岛区" in page
    assert "· 青岛市 智造 制造业政策落实平台</title>" in page and "青岛市 智造</a>" in page


def test_show_demo_banner_for_synthetic_data(as_user: AsUser, session: Session) -> None:
    client = as_user("analyst")
    assert "演示数据（虚构）" not in client.get("/").text
    session.add(AppMeta(key="dataset", value="synthetic-demo"))
    session.flush()
    for path in ("/", "/enterprises", "/enterprises/999999"):
        assert "演示数据（虚构）" in client.get(path).text, path
    client.cookies.clear()
    assert "演示数据（虚构）" in client.get("/login").text


def test_page_enterprises(as_user: AsUser, session: Session) -> None:
    for i in range(25):
        add_enterprise(session, name=f"分页测试企业{i:02d}")
    client = as_user("analyst")
    first = client.get("/api/v1/enterprises?per_page=10&sort=name").json()
    assert first["total"] == 25 and first["pages"] == 3 and len(first["items"]) == 10
    last = client.get("/api/v1/enterprises?per_page=10&page=3&sort=name&desc=true").json()
    assert [e["name"] for e in last["items"]][-1] == "分页测试企业00"
    assert "下一页" in client.get("/enterprises?per_page=10").text


def test_list_in_pinyin_order_with_serial_numbers_and_paging(session: Session, as_user: AsUser) -> None:
    for name in [
        "青岛示例机械有限公司",
        "重庆示例电子有限公司",
        "安徽示例化工有限公司",
        "北京示例材料有限公司",
    ]:
        add_enterprise(session, name=name)
    client = as_user("analyst")
    page = client.get("/enterprises?per_page=2&q=示例").text.split('id="enterprise-results"')[1]
    names = [n for n in ("安徽", "北京", "重庆", "青岛") if n in page]
    assert names == ["安徽", "北京"]  # pinyin order (an, bei, chong, qing), not code-point order
    assert "<td>1</td>" in page and "<td>2</td>" in page  # 序号
    assert 'name="per_page"' in page and 'class="input is-small pager-jump"' in page
    second = client.get("/enterprises?per_page=2&page=2&q=示例").text.split('id="enterprise-results"')[1]
    assert "重庆" in second and "青岛" in second and "<td>3</td>" in second
    backwards = client.get("/enterprises?per_page=2&q=示例&desc=true").text.split('id="enterprise-results"')[
        1
    ]
    assert "青岛" in backwards and "安徽" not in backwards


def test_export_only_the_selected_enterprises(session: Session, as_user: AsUser) -> None:
    firms = [add_enterprise(session, name=f"批量导出示例{i}有限公司") for i in range(3)]
    client = as_user("analyst")
    workbook = client.get(f"/enterprises/export.xlsx?ids={firms[0].id}&ids={firms[2].id}")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert "批量导出示例0" in text and "批量导出示例2" in text and "批量导出示例1" not in text


def test_page_a_large_list_by_key(as_user: AsUser, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "COUNT_CAP", 3)  # past the cap: "约 N 家", "下一页" by key
    for i in range(7):
        add_enterprise(session, name=f"键值翻页示例{i}有限公司")
    client = as_user("analyst")
    seen: list[str] = []
    link = "/enterprises?q=键值翻页示例&per_page=3&sort=region"
    for _ in range(5):
        page = client.get(link, headers={"HX-Request": "true", "HX-Target": "enterprise-table"}).text
        seen += re.findall(r"键值翻页示例\d有限公司", page)
        found = re.search(r'class="pagination-next" href="([^"]+)"', page)
        if found is None:
            break
        link = html.unescape(found.group(1))
        assert "after=" in link and "page=" in link
    assert sorted(seen) == [f"键值翻页示例{i}有限公司" for i in range(7)]
    previous = re.search(r'class="pagination-previous" href="([^"]+)"', page)
    assert previous is not None and "before=" in html.unescape(previous.group(1))
    export = page.split('id="enterprise-export"')[1].split("</form>")[0]
    assert 'name="q"' in export and 'name="after"' not in export  # the export has every page
    assert client.get("/enterprises?after=not-a-cursor").status_code == 400


def test_export_the_year_chosen_beside_the_button(as_user: AsUser, session: Session) -> None:
    firm = add_enterprise(
        session,
        name="年度导出示例有限公司",
        figures={2022: {"revenue": 900.0}, 2023: {"revenue": 1200.0}, 2024: {"revenue": 1500.0}},
    )
    other = add_enterprise(session, name="年度导出其他有限公司", figures={2023: {"revenue": 10.0}})
    client = as_user("analyst")
    page = client.get("/enterprises?q=年度导出").text
    form = page.split('id="enterprise-export"')[1].split("</form>")[0]
    years = re.findall(r'<option value="(\d{4})"( selected)?>', form)
    assert [y for y, _ in years] == ["2024", "2023", "2022"] and years[0][1] == " selected"  # latest first
    assert 'name="q" value="年度导出"' in form  # the page's filter goes with the export
    response = client.get(f"/enterprises/export.xlsx?q=年度导出&year=2023&rows=all&ids={firm.id}")
    assert "2023" in response.headers["content-disposition"]
    sheet = read_sheet(response.content)
    assert_excel_habits(sheet, title="企业名录", numbers=("序号", "2023年营业收入(万元)"))
    assert "名称或代码含“年度导出”" in sheet["A2"].value and "2023年数据" in sheet["A2"].value
    # rows=all: every enterprise of the filter, not only the ticked one
    assert column(sheet, "企业名称") == ["年度导出其他有限公司", "年度导出示例有限公司"]
    assert column(sheet, "2023年营业收入(万元)") == [10.0, 1200.0]
    chosen = client.get(f"/enterprises/export.xlsx?q=年度导出&rows=selected&ids={other.id}")
    selected = read_sheet(chosen.content)
    assert column(selected, "企业名称") == ["年度导出其他有限公司"]
    assert column(selected, "2024年营业收入(万元)") == [None]  # default: the latest year with figures
