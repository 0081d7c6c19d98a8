"""The registry library: search, paging, counts, figures, export and edits, all within the actor's scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.office.habits import assert_excel_habits, data_rows, headers, read_sheet
from zhizao.audit.models import AuditEntry
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.dashboard import figure_chart_options, home_summary, region_chart_options
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.models import Enterprise
from zhizao.enterprises.registry import (
    EnterpriseQuery,
    counts_by_division,
    counts_by_region,
    enterprise_id_for_code,
    export_enterprises_xlsx,
    figures_by_year,
    get_enterprise,
    search_enterprises,
)
from zhizao.errors import Forbidden, InvalidInput, NotFound

HUANGDAO = Actor("hd", Role.DISTRICT, region_code="370211")
ANALYST = Actor("ana", Role.ANALYST)
Firms = dict[str, Enterprise]


@pytest.fixture
def firms(session: Session) -> dict[str, Enterprise]:
    return {
        "a": add_enterprise(session, name="甲机械有限公司", figures={2022: {"tax": 10}, 2023: {"tax": 12}}),
        "b": add_enterprise(session, name="乙模具有限公司", industry_code="3525", above_scale=False),
        "c": add_enterprise(session, name="丙电子有限公司", region_code="370212", industry_code="3971"),
    }


def test_search_enterprises_by_name_within_scope(session: Session, firms: Firms) -> None:
    assert search_enterprises(session, ANALYST, EnterpriseQuery(q="有限公司")).total == 3
    page = search_enterprises(session, HUANGDAO, EnterpriseQuery(q="有限公司"))
    assert page.total == 2 and {e.name for e in page.items} == {"甲机械有限公司", "乙模具有限公司"}
    assert search_enterprises(session, HUANGDAO, EnterpriseQuery(q="丙电子")).total == 0
    assert search_enterprises(session, HUANGDAO, EnterpriseQuery(region_code="370212")).total == 0


def test_search_enterprises_by_credit_code(session: Session, firms: Firms) -> None:
    code = firms["c"].credit_code
    page = search_enterprises(session, ANALYST, EnterpriseQuery(q=code))
    assert [e.id for e in page.items] == [firms["c"].id]


def test_search_treats_wildcards_literally(session: Session, firms: Firms) -> None:
    assert search_enterprises(session, ANALYST, EnterpriseQuery(q="%")).total == 0
    assert search_enterprises(session, ANALYST, EnterpriseQuery(q="_")).total == 0


def test_filter_enterprises_by_division_and_scale(session: Session, firms: Firms) -> None:
    page = search_enterprises(session, ANALYST, EnterpriseQuery(division="35"))
    assert [e.name for e in page.items] == ["乙模具有限公司"]
    assert page.items[0].division_name == "专用设备制造业"
    assert search_enterprises(session, ANALYST, EnterpriseQuery(above_scale=False)).total == 1


def test_sort_and_page_enterprises(session: Session, firms: Firms) -> None:
    query = EnterpriseQuery(sort="region", desc=True, per_page=1, page=1)
    page = search_enterprises(session, ANALYST, query)
    assert page.total == 3 and page.pages == 3 and page.items[0].region_code == "370212"


def test_enterprise_account_sees_only_itself(session: Session, firms: Firms) -> None:
    actor = Actor("firm", Role.ENTERPRISE, enterprise_id=firms["b"].id)
    assert [e.id for e in search_enterprises(session, actor, EnterpriseQuery()).items] == [firms["b"].id]
    with pytest.raises(NotFound):
        get_enterprise(session, actor, firms["a"].id)
    assert sum(r.count for r in counts_by_region(session, actor)) == 1


def test_department_sees_no_enterprises(session: Session, firms: Firms) -> None:
    actor = Actor("dept", Role.DEPARTMENT, unit_id=1)
    assert search_enterprises(session, actor, EnterpriseQuery()).total == 0


def test_get_enterprise_out_of_scope_is_not_found(session: Session, firms: Firms) -> None:
    assert get_enterprise(session, HUANGDAO, firms["a"].id).editable
    with pytest.raises(NotFound):
        get_enterprise(session, HUANGDAO, firms["c"].id)
    with pytest.raises(NotFound):
        figures_by_year(session, HUANGDAO, firms["c"].id)


def test_figures_by_year_uses_catalogue_labels(session: Session, firms: Firms) -> None:
    table = figures_by_year(session, ANALYST, firms["a"].id)
    assert table.years == [2022, 2023]
    assert [(r.label, r.values) for r in table.rows] == [("税收实际贡献(万元)", {2022: 10.0, 2023: 12.0})]


def test_count_enterprises_by_region_and_division(
    session: Session, firms: Firms, home_region: Callable[[str | None], None]
) -> None:
    assert [(r.code, r.count) for r in counts_by_region(session, ANALYST)] == [("370000", 3)]  # by province
    home_region("370200")
    regions = {r.code: r.count for r in counts_by_region(session, ANALYST)}
    assert regions["370211"] == 2 and regions["370212"] == 1
    assert {r.code: r.count for r in counts_by_region(session, HUANGDAO)} == {"370211": 2}
    divisions = {r.code: r.count for r in counts_by_division(session, HUANGDAO)}
    assert divisions == {"33": 1, "35": 1}


def test_export_enterprises_xlsx_within_scope(session: Session, firms: Firms) -> None:
    content = export_enterprises_xlsx(session, HUANGDAO, EnterpriseQuery(per_page=1))
    sheet = read_sheet(content)
    assert_excel_habits(sheet, title="企业名录")
    assert headers(sheet)[1] == "统一社会信用代码"
    assert sorted(r[2] for r in data_rows(sheet)) == sorted(["甲机械有限公司", "乙模具有限公司"])  # all pages


def test_correct_figure_own_district_is_audited(session: Session, firms: Firms) -> None:
    correct_figure(session, HUANGDAO, firms["a"].id, "tax", 2023, 15.0, "核对税务数据")
    correct_figure(session, HUANGDAO, firms["a"].id, "revenue", 2023, 300.0, "核对统计数据")
    table = figures_by_year(session, HUANGDAO, firms["a"].id)
    assert {r.indicator_id: r.values[2023] for r in table.rows} == {"tax": 15.0, "revenue": 300.0}
    actions = session.execute(
        select(AuditEntry.action, AuditEntry.actor).where(AuditEntry.entity == "enterprise_figures")
    ).all()
    assert actions.count(("correct", "hd")) == 2


def test_correct_figure_refuses_other_district_and_readers(session: Session, firms: Firms) -> None:
    with pytest.raises(NotFound):
        correct_figure(session, HUANGDAO, firms["c"].id, "tax", 2023, 1.0, "越权修改")
    with pytest.raises(Forbidden):
        correct_figure(session, ANALYST, firms["a"].id, "tax", 2023, 1.0, "只读账号")


def test_correct_figure_rejects_bad_input(session: Session, firms: Firms) -> None:
    with pytest.raises(InvalidInput) as error:
        correct_figure(session, HUANGDAO, firms["a"].id, "revenue", 1800, -1.0, "")
    assert {p.column for p in error.value.problems} == {"value", "year", "note"}
    with pytest.raises(InvalidInput):
        correct_figure(session, HUANGDAO, firms["a"].id, "no_such_indicator", 2023, 1.0, "新指标")


def test_build_chart_options(session: Session, firms: Firms) -> None:
    summary = home_summary(session, HUANGDAO)
    options = region_chart_options(summary)
    assert options["xAxis"]["data"] == ["黄岛区"] and options["series"][0]["data"] == [2]
    assert region_chart_options(summary, lang="en")["xAxis"]["data"] == ["Huangdao District"]
    chart = figure_chart_options(figures_by_year(session, ANALYST, firms["a"].id))
    assert chart["xAxis"]["data"] == ["2022", "2023"]
    assert chart["series"][0]["data"] == [10.0, 12.0]
    assert chart["legend"]["selected"] == {"税收实际贡献(万元)": True}


def test_find_enterprise_id_by_credit_code_within_scope(session: Session, firms: Firms) -> None:
    code = firms["a"].credit_code
    assert enterprise_id_for_code(session, HUANGDAO, f" {code.lower()} ") == firms["a"].id
    with pytest.raises(NotFound):
        enterprise_id_for_code(session, HUANGDAO, firms["c"].credit_code)
