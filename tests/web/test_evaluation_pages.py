"""Evaluation pages and API: running from the web, filters, export, charts, explanations, who sees what."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tests.evaluation.city import add_city
from tests.office.habits import assert_excel_habits, data_rows, headers, read_sheet
from tests.web.conftest import TestClient, csrf_from
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.evaluation.runs import run_and_store

AsUser = Callable[..., TestClient]


@pytest.fixture
def city(session: Session) -> list[Enterprise]:
    return add_city(session, "评价企业")


@pytest.fixture
def run_id(session: Session, city: list[Enterprise]) -> int:
    return run_and_store(session, Actor.system(), "huaian-2024", 2024).id


def test_run_evaluation_from_the_web_as_analyst(as_user: AsUser, city: list[Enterprise]) -> None:
    client = as_user("analyst")
    assert "huaian-2024" in client.get("/evaluation/new").text
    token = csrf_from(client, "/evaluation/new")
    response = client.post(
        "/evaluation/runs", data={"preset": "huaian-2024", "year": "2024", "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "评价企业00" in page.text and 'data-chart="chart-classes"' in page.text
    runs = client.get("/api/v1/evaluation/runs").json()
    assert runs[0]["rows"] == 12 and runs[0]["actor"] == "analyst-user"


def test_run_evaluation_with_uploaded_method_file(as_user: AsUser, city: list[Enterprise]) -> None:
    client = as_user("analyst")
    token = csrf_from(client, "/evaluation/new")
    method = (
        "id: mine\ntitle: 自定义\npools: [{id: all, label: 全部}]\n"
        "indicators: [{id: tax_per_mu, label: 亩均税收, numerator: tax, denominator: land_mu, weight: 100}]\n"
        "classes: {items: [{id: A, label: 好, share: 0.5}, {id: B, label: 差, share: 0.5}]}\n"
    )
    files = {"method_file": ("mine.yaml", method.encode(), "application/x-yaml")}
    response = client.post("/evaluation/runs", data={"year": "2024", "csrf_token": token}, files=files)
    assert response.status_code == 303, response.text
    run = client.get("/api/v1/evaluation/runs").json()[0]
    assert run["method_id"] == "mine" and run["counts"] == {"A": 6, "B": 6}


def test_run_evaluation_bad_method_file_is_a_message(as_user: AsUser, city: list[Enterprise]) -> None:
    client = as_user("analyst")
    token = csrf_from(client, "/evaluation/new")
    files = {"method_file": ("bad.yaml", b"id: x\n", "application/x-yaml")}
    response = client.post("/evaluation/runs", data={"year": "2024", "csrf_token": token}, files=files)
    assert response.status_code == 400
    assert "方法文件有误" in response.text


def test_run_evaluation_forbidden_for_district(as_user: AsUser, city: list[Enterprise]) -> None:
    client = as_user("district", region_code="370211")
    token = csrf_from(client, "/evaluation")
    response = client.post(
        "/evaluation/runs", data={"preset": "huaian-2024", "year": "2024", "csrf_token": token}
    )
    assert response.status_code == 403


def test_run_evaluation_needs_csrf(as_user: AsUser, city: list[Enterprise]) -> None:
    client = as_user("analyst")
    response = client.post("/evaluation/runs", data={"preset": "huaian-2024", "year": "2024"})
    assert response.status_code == 403


def test_filter_results_by_district_pool_and_class(as_user: AsUser, run_id: int) -> None:
    client = as_user("analyst")
    api = f"/api/v1/evaluation/runs/{run_id}/results"
    assert client.get(api).json()["total"] == 12
    assert client.get(api, params={"region_code": "370212"}).json()["total"] == 6
    assert client.get(api, params={"class_id": "A"}).json()["total"] == 2
    assert client.get(api, params={"pool": "below"}).json()["total"] == 0
    assert client.get(api, params={"division": "33"}).json()["total"] == 12
    fragment = client.get(
        f"/evaluation/runs/{run_id}?class_id=A", headers={"HX-Request": "true", "HX-Target": "result-table"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.count('class="tag class-A"') == 2


def test_page_results(as_user: AsUser, run_id: int) -> None:
    client = as_user("analyst")
    page = client.get(f"/evaluation/runs/{run_id}?per_page=5&page=3")
    assert page.status_code == 200 and "第 3 / 3 页" in page.text


def test_export_results_xlsx(as_user: AsUser, run_id: int) -> None:
    client = as_user("analyst")
    response = client.get(f"/evaluation/runs/{run_id}/export.xlsx?region_code=370211")
    assert response.status_code == 200
    sheet = read_sheet(response.content)
    names = headers(sheet)
    assert names[1] == "统一社会信用代码" and "亩均税收 基准值" in names
    assert_excel_habits(
        sheet, title=sheet["A1"].value, numbers=("总分", "排名", "组内企业数", "亩均税收 值", "亩均税收 得分")
    )
    assert sheet["A1"].value.endswith("年）") and "黄岛区" in sheet["A2"].value
    rows = data_rows(sheet)
    assert len(rows) == 6
    named = dict(zip(names, rows[0], strict=False))
    assert named["地区"] == "黄岛区" and named["评价池"] == "规上"
    total = sheet.cell(4, names.index("总分") + 1)
    assert isinstance(total.value, float) and total.number_format == "0.00"  # shown rounded, kept exact


def test_results_table_shows_names_not_only_codes(as_user: AsUser, run_id: int) -> None:
    client = as_user("analyst")
    item = client.get(f"/api/v1/evaluation/runs/{run_id}/results").json()["items"][0]
    assert item["region_name"] in {"黄岛区", "崂山区"} and item["industry_name"]
    page = client.get(f"/evaluation/runs/{run_id}").text
    assert "崂山区" in page and ">规上<" in page


def test_charts_json(as_user: AsUser, run_id: int, home_region: Callable[[str | None], None]) -> None:
    home_region("370200")
    client = as_user("analyst")
    charts = client.get(f"/api/v1/evaluation/runs/{run_id}/charts").json()
    bars = charts["class_counts"]
    assert bars["xAxis"]["data"] == ["黄岛区", "崂山区"] and {s["stack"] for s in bars["series"]} == {
        "classes"
    }
    assert sum(sum(s["data"]) for s in bars["series"]) == 12
    histogram = charts["scores"]
    assert [s["name"] for s in histogram["series"]] == ["规上"]
    assert sum(histogram["series"][0]["data"]) == 12


def test_explanation_for_own_enterprise_account(
    as_user: AsUser, session: Session, city: list[Enterprise], run_id: int
) -> None:
    client = as_user("enterprise", enterprise_id=city[0].id)
    page = client.get(f"/evaluation/runs/{run_id}/enterprises/{city[0].id}")
    assert page.status_code == 200
    assert "亩均税收" in page.text and "基准值" in page.text and "相对控制" in page.text
    api = client.get(f"/api/v1/evaluation/runs/{run_id}/enterprises/{city[0].id}").json()
    assert api["result"]["class_id"] == "C" and api["lines"][0]["group_rank"] == 6
    assert client.get(f"/evaluation/runs/{run_id}/enterprises/{city[1].id}").status_code == 404
    assert client.get(f"/api/v1/evaluation/runs/{run_id}/results").json()["total"] == 1
    link = client.get(f"/evaluation/enterprises/{city[0].id}")
    assert link.headers["location"] == f"/evaluation/runs/{run_id}/enterprises/{city[0].id}"


def test_district_sees_only_its_results(as_user: AsUser, city: list[Enterprise], run_id: int) -> None:
    client = as_user("district", region_code="370211")
    results = client.get(f"/api/v1/evaluation/runs/{run_id}/results").json()
    assert results["total"] == 6 and {r["region_code"] for r in results["items"]} == {"370211"}
    other = next(e for e in city if e.region_code == "370212")
    assert client.get(f"/evaluation/runs/{run_id}/enterprises/{other.id}").status_code == 404
    assert client.get(f"/api/v1/evaluation/runs/{run_id}/results?region_code=370212").json()["total"] == 0
    page = client.get(f"/evaluation/runs/{run_id}")
    assert page.status_code == 200 and "崂山区" not in page.text


def test_run_totals_in_the_api_are_over_the_accounts_scope(
    as_user: AsUser, client: TestClient, city: list[Enterprise], run_id: int
) -> None:
    """A district or enterprise account never sees the whole city's run totals or class counts."""
    as_user("district", region_code="370211")
    listed = client.get("/api/v1/evaluation/runs").json()
    assert [r["rows"] for r in listed] == [6] and sum(listed[0]["counts"].values()) == 6
    one = client.get(f"/api/v1/evaluation/runs/{run_id}").json()
    assert one["rows"] == 6 and one["counts"] == listed[0]["counts"]
    client.cookies.clear()
    as_user("enterprise", enterprise_id=city[0].id)
    assert [r["rows"] for r in client.get("/api/v1/evaluation/runs").json()] == [1]
    assert client.get(f"/api/v1/evaluation/runs/{run_id}").json()["rows"] == 1
    explained = client.get(f"/api/v1/evaluation/runs/{run_id}/enterprises/{city[0].id}").json()
    assert explained["run"]["rows"] == 1 and sum(explained["run"]["counts"].values()) == 1


def test_compare_runs_page(as_user: AsUser, session: Session, run_id: int) -> None:
    second = run_and_store(session, Actor.system(), "shandong", 2024).id
    client = as_user("analyst")
    page = client.get(f"/evaluation/compare?a={run_id}&b={second}")
    assert page.status_code == 200 and "方法不同" in page.text


def test_enterprise_detail_links_to_explanation(as_user: AsUser, city: list[Enterprise], run_id: int) -> None:
    client = as_user("analyst")
    assert f'href="/evaluation/enterprises/{city[0].id}"' in client.get(f"/enterprises/{city[0].id}").text


def test_anonymous_redirected_or_401(client: TestClient, run_id: int) -> None:
    assert client.get(f"/evaluation/runs/{run_id}").status_code in (302, 303, 307)
    assert client.get("/api/v1/evaluation/runs").status_code == 401


def test_run_page_speaks_the_users_words(session: Session, as_user: AsUser, run_id: int) -> None:
    import re

    from zhizao.evaluation.results import class_counts_by_region
    from zhizao.reference.home import home_name

    client = as_user("analyst")
    page = client.get(f"/evaluation/runs/{run_id}").text
    title = re.search(r'<h1 class="title" id="run-title">(.*?)</h1>', page)
    assert title and title.group(1) == f"{home_name()}2024年度工业企业亩产效益评价"
    assert "比值法：得分 = 本企业值 ÷ 基准值 × 权重" in page and "x/B" not in page
    assert re.search(r"按总分排名，第 0%–\d+% 的企业", page)  # not "A · 0.2"
    # the district × class table holds the library's counts, row by row
    table = page.split('id="region-classes"')[1].split("</table>")[0]
    for region, row in class_counts_by_region(session, Actor.system(), run_id).items():
        assert f"<td>{region}</td>" in table
        assert f'<td class="has-text-right">{sum(row.values())}</td></tr>' in table
    options = client.get("/evaluation/new").text
    assert ">淮安市工业企业资源集约利用综合评价 (2024)</option>" in options  # a title, not only the id


def test_explanation_spells_out_the_class_rules(as_user: AsUser, run_id: int, city: list[Enterprise]) -> None:
    client = as_user("analyst")
    page = client.get(f"/evaluation/runs/{run_id}/enterprises/{city[0].id}").text
    rules = page.split('id="class-rules"')[1].split("</ul>")[0]
    assert "按总分排名" in rules and " · 0." not in rules
