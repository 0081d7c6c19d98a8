"""Boundary tests: every criterion at its threshold, one unit below, and with its data missing."""

from datetime import date

import pytest

from tests.cultivation.helpers import criterion, evaluate, firm
from zhizao.cultivation.programme import parse_programme

AS_OF = date(2026, 6, 30)
Y = 2025  # 上年度 as of AS_OF


@pytest.mark.parametrize(
    ("revenue", "status"), [(2000.0, "eligible"), (1999.99, "not_eligible"), (None, "possible")]
)
def test_above_scale_revenue_boundary(revenue: float | None, status: str) -> None:
    figures = {} if revenue is None else {("revenue", Y): revenue}
    out = evaluate("above-scale", [firm(1, figures=figures)], AS_OF)[1]
    assert out.status == status
    assert criterion(out, "revenue")["status"] == {"eligible": "met", "not_eligible": "not_met"}.get(
        status, "unknown"
    )


def test_above_scale_unknown_is_not_not_met_and_gap_is_worded() -> None:
    out = evaluate("above-scale", [firm(1, figures={("revenue", Y): 1965.0})], AS_OF)[1]
    entry = criterion(out, "revenue")
    assert entry["gap"] == "还差上年度主营业务收入35万元"
    assert entry["period"] == "2025年" and entry["source"].startswith("企业数据")
    missing = evaluate("above-scale", [firm(1)], AS_OF)[1]
    assert criterion(missing, "revenue")["gap"] == "缺少上年度主营业务收入"


def test_above_scale_needs_an_industrial_division() -> None:
    out = evaluate("above-scale", [firm(1, industry="5100", figures={("revenue", Y): 5000.0})], AS_OF)[1]
    assert out.status == "not_eligible"


@pytest.mark.parametrize(
    ("revenue", "above", "status"),
    [
        (1000.0, False, "eligible"),
        (999.99, False, "not_eligible"),
        (1999.99, False, "eligible"),
        (2000.0, False, "not_eligible"),
        (1500.0, True, "not_eligible"),
        (None, False, "possible"),
    ],
)
def test_xiaoshenggui_band(revenue: float | None, above: bool, status: str) -> None:
    figures = {} if revenue is None else {("revenue", Y): revenue}
    assert evaluate("xiaoshenggui", [firm(1, figures=figures, above_scale=above)], AS_OF)[1].status == status


def test_xiaoshenggui_rank_score_is_documented_formula() -> None:
    firms = [
        firm(1, figures={("revenue", Y): 1500.0, ("revenue", Y - 1): 1200.0}),  # 70×0.75 + 30×(25/30)
        firm(2, figures={("revenue", Y): 1800.0, ("revenue", Y - 1): 2000.0}),  # growth −10 % counts 0
    ]
    out = evaluate("xiaoshenggui", firms, AS_OF)
    assert out[1].score == pytest.approx(77.5)
    assert out[2].score == pytest.approx(63.0)


@pytest.mark.parametrize(
    ("employees", "revenue", "level"),
    [
        (1000, 40000, None),  # 大型: not an SME
        (999, 40000, "中型"),
        (1000, 39999, "中型"),
        (300, 2000, "中型"),
        (299, 2000, "小型"),
        (300, 1999, "小型"),
        (20, 300, "小型"),
        (19, 300, "微型"),
        (20, 299, "微型"),
        (10, None, "微型"),
    ],
)
def test_sme_size_class_bands(employees: int, revenue: float | None, level: str | None) -> None:
    figures = {("employees", Y): float(employees)}
    if revenue is not None:
        figures[("revenue", Y)] = revenue
    out = evaluate("sme", [firm(1, figures=figures)], AS_OF)[1]
    assert out.level == level
    assert out.status == ("not_eligible" if level is None else "eligible")


def test_sme_missing_headcount_is_unknown() -> None:
    out = evaluate("sme", [firm(1, figures={("revenue", Y): 5000.0})], AS_OF)[1]
    assert out.status == "possible" and criterion(out, "size_class")["status"] == "unknown"


ALT = """
id: rd-either
name: 研发测试
issuer: 测试
document: 测〔2026〕1号
effective_from: 2020-01-01
sources: [{title: 测试}]
criteria:
  all:
    - id: rd_amount
      label: 研发投入
      data: {indicator: rd_expense}
      op: ">="
      threshold: 100
      unit: 万元
      alt:
        id: rd_ratio
        label: 研发强度
        data: {indicator: rd_expense, per: revenue, percent: true}
        op: ">="
        threshold: 3
        unit: "%"
"""


def test_alternative_readings_word_both_gaps() -> None:
    p = parse_programme(ALT)
    out = evaluate(p, [firm(1, figures={("rd_expense", Y): 65.0, ("revenue", Y): 2500.0})], AS_OF)[1]
    assert out.status == "not_eligible"
    assert criterion(out, "rd_amount")["gap"] == "还差研发投入35万元，或研发强度0.4个百分点"
    met = evaluate(p, [firm(1, figures={("rd_expense", Y): 60.0, ("revenue", Y): 2000.0})], AS_OF)[1]
    assert met.status == "eligible"  # 3 % exactly


CX_BASE = {"ip_level": 0.0, "debt_ratio": 55.0, "strategic_field": 1.0, "main_revenue_share": 70.0}
CX_NO_DIRECT = {
    "award_3y": 0.0,
    "honour_valid": 0.0,
    "rd_institution_provincial": 0.0,
    "equity_3y": 0.0,
}


def _cx(rd: float, declared: dict[str, float], growth_old: float = 1000.0) -> dict:
    figures = {
        ("employees", Y): 50.0,
        ("revenue", Y): 1150.0,
        ("revenue", Y - 1): growth_old,
        ("rd_expense", Y): rd,
    }
    return firm(1, figures=figures, declared=declared)


@pytest.mark.parametrize(
    ("rd", "points"),
    [(57.5, 20), (57.49, 15), (34.5, 15), (34.49, 10), (23.0, 10), (22.99, 5), (11.5, 5), (11.49, 0)],
)
def test_chuangxinxing_rd_ratio_bands(rd: float, points: int) -> None:
    out = evaluate("chuangxinxing-2022", [_cx(rd, CX_BASE | CX_NO_DIRECT)], AS_OF)[1]
    assert criterion(out, "rd_ratio")["points"] == points


def test_chuangxinxing_points_and_sub_floors() -> None:
    # 创新能力 20 (R&D 5 %), 成长性 20 + 10 (growth 15 %, debt 55 %), 专业化 10 + 20: 80 points
    ok = evaluate("chuangxinxing-2022", [_cx(57.5, CX_BASE | CX_NO_DIRECT)], AS_OF)[1]
    assert ok.status == "eligible"
    assert criterion(ok, "score")["value"] == 80
    # 75 points, but 创新能力 15 < 20 and no 直通 condition: not eligible
    low = evaluate("chuangxinxing-2022", [_cx(57.0, CX_BASE | CX_NO_DIRECT)], AS_OF)[1]
    assert low.status == "not_eligible"
    assert criterion(low, "score")["groups"]["innovation"] == 15


def test_chuangxinxing_unknown_item_keeps_it_possible_or_not() -> None:
    without_share = {k: v for k, v in (CX_BASE | CX_NO_DIRECT).items() if k != "main_revenue_share"}
    out = evaluate("chuangxinxing-2022", [_cx(57.5, without_share)], AS_OF)[1]
    assert out.status == "possible"  # 专业化 is 10 for sure, up to 30: the floor of 15 is open
    without_debt = {k: v for k, v in (CX_BASE | CX_NO_DIRECT).items() if k != "debt_ratio"}
    sure = evaluate("chuangxinxing-2022", [_cx(57.5, without_debt)], AS_OF)[1]
    assert sure.status == "eligible"  # 70 points and every floor already reached without it


def test_chuangxinxing_direct_condition_by_title() -> None:
    titles = {"gaoqi": (date(2024, 1, 1), date(2026, 12, 31))}
    f = firm(1, figures={("employees", Y): 50.0, ("revenue", Y): 800.0}, titles=titles)
    assert evaluate("chuangxinxing-2022", [f], AS_OF)[1].status == "eligible"
    expired = firm(
        1, figures={("employees", Y): 50.0}, titles={"gaoqi": (date(2020, 1, 1), date(2022, 12, 31))}
    )
    out = evaluate("chuangxinxing-2022", [expired], AS_OF)[1]
    assert criterion(out, "gaoqi_held")["status"] == "not_met"


@pytest.mark.parametrize(
    ("q1_now", "status"), [(40001.0, "eligible"), (40000.0, "not_eligible"), (None, "possible")]
)
def test_kaimenhong_q1_new_output_is_strictly_above(q1_now: float | None, status: str) -> None:
    figures = {("output_value", 2025, m): 10000.0 / 3 for m in (1, 2, 3)}
    if q1_now is not None:
        figures |= {("output_value", 2026, m): q1_now / 3 for m in (1, 2, 3)}
    out = evaluate("kaimenhong", [firm(1, figures=figures)], AS_OF)[1]
    assert out.status == status


@pytest.mark.parametrize(("q1_now", "met"), [(230000.0, True), (229999.0, False)])
def test_kaimenhong_growth_at_least_15_percent(q1_now: float, met: bool) -> None:
    figures = {("output_value", 2025, m): 200000.0 / 3 for m in (1, 2, 3)}
    figures |= {("output_value", 2026, m): q1_now / 3 for m in (1, 2, 3)}
    out = evaluate("kaimenhong", [firm(1, figures=figures)], AS_OF)[1]
    assert criterion(out, "q1_growth")["status"] == ("met" if met else "not_met")


def test_kaimenhong_needs_all_three_months() -> None:
    figures = {("output_value", 2025, m): 1.0 for m in (1, 2, 3)} | {("output_value", 2026, 1): 90000.0}
    out = evaluate("kaimenhong", [firm(1, figures=figures)], AS_OF)[1]
    assert criterion(out, "q1_new_output")["status"] == "unknown"


@pytest.mark.parametrize(
    ("expected", "level"),
    [
        (150000.0, "市级"),
        (149999.0, "区(市)级"),
        (110000.0, "区(市)级"),
        (109999.0, "镇(街道)级"),
        (None, None),
    ],
)
def test_baobao_levels(expected: float | None, level: str | None) -> None:
    figures = {("output_value", Y): 100000.0}
    if expected is not None:
        figures[("output_value_expected", 2026)] = expected
    out = evaluate("baobao", [firm(1, figures=figures)], AS_OF)[1]
    assert out.level == level
    assert out.status == ("possible" if expected is None else "eligible")


@pytest.mark.parametrize(("output", "status"), [(14000.0, "eligible"), (13999.0, "not_eligible")])
def test_beizeng_progress_against_schedule(output: float, status: str) -> None:
    # base 2023, ×2 in 5 years: by the end of 2025, 2 of 5 years elapsed → 1.4 ×
    member = {"beizeng": (date(2024, 1, 1), date(2028, 12, 31))}
    f = firm(1, figures={("output_value", 2023): 10000.0, ("output_value", Y): output}, titles=member)
    out = evaluate("beizeng", [f], AS_OF)[1]
    assert out.status == status
    assert criterion(out, "output_multiple")["threshold"] == 1.4


def test_beizeng_non_member_is_not_in_the_group() -> None:
    f = firm(1, figures={("output_value", 2023): 10000.0, ("output_value", Y): 30000.0})
    assert evaluate("beizeng", [f], AS_OF)[1].status == "not_eligible"


@pytest.mark.parametrize(
    ("sales", "rd_share", "band", "met"),
    [
        (5000.0, 5.0, 1, True),
        (5000.0, 4.99, 1, False),
        (5000.01, 4.0, 2, True),
        (5000.01, 3.99, 2, False),
        (20000.0, 4.0, 2, True),
        (20000.01, 3.0, 3, True),
        (20000.01, 2.99, 3, False),
    ],
)
def test_gaoqi_rd_ratio_bands(sales: float, rd_share: float, band: int, met: bool) -> None:
    figures = {("revenue", y): sales for y in (Y, Y - 1, Y - 2)}
    figures |= {("rd_expense", y): sales * rd_share / 100 for y in (Y, Y - 1, Y - 2)}
    out = evaluate("gaoqi-2016", [firm(1, figures=figures)], AS_OF)[1]
    assert criterion(out, f"sales_band_{band}")["status"] == "met"
    others = [criterion(out, f"sales_band_{n}")["status"] for n in (1, 2, 3) if n not in (band, 2)]
    assert "met" not in others
    assert criterion(out, f"rd_ratio_3y_band_{band}")["status"] == ("met" if met else "not_met")


@pytest.mark.parametrize(("established", "met"), [(date(2025, 6, 30), True), (date(2025, 7, 1), False)])
def test_gaoqi_registered_one_year(established: date, met: bool) -> None:
    out = evaluate("gaoqi-2016", [firm(1, established=established)], AS_OF)[1]
    assert criterion(out, "registered_days")["status"] == ("met" if met else "not_met")


def test_gaoqi_innovation_score_needs_experts() -> None:
    figures = {("revenue", Y): 1400.0, ("revenue", Y - 1): 1200.0, ("revenue", Y - 2): 1000.0}
    out = evaluate("gaoqi-2016", [firm(1, figures=figures, declared={"net_asset_growth": 20.0})], AS_OF)[1]
    assert criterion(out, "sales_growth")["points"] == 6  # ½(1.2 + 1.1667) − 1 = 18.3 %
    assert criterion(out, "innovation_score")["status"] == "manual_review"
    missing = evaluate("gaoqi-2016", [firm(1)], AS_OF)[1]
    assert criterion(missing, "innovation_score")["status"] == "unknown"


def test_xiaojuren_needs_zhuanjingtexin_title() -> None:
    held = {"zhuanjingtexin": (date(2024, 7, 1), date(2027, 6, 30))}
    yes = evaluate("xiaojuren-2026", [firm(1, titles=held)], AS_OF)[1]
    no = evaluate("xiaojuren-2026", [firm(1)], AS_OF)[1]
    assert criterion(yes, "zhuanjingtexin_held")["status"] == "met"
    assert no.status == "not_eligible"


def test_xiaojuren_2026_excludes_a_champion() -> None:
    titles = {
        "zhuanjingtexin": (date(2024, 7, 1), date(2027, 6, 30)),
        "danxiangguanjun": (date(2024, 1, 1), date(2026, 12, 31)),
    }
    out = evaluate("xiaojuren-2026", [firm(1, titles=titles)], AS_OF)[1]
    assert out.status == "not_eligible"


def test_market_share_missing_is_manual_review_not_unknown() -> None:
    out = evaluate("xiaojuren-2022", [firm(1)], AS_OF)[1]
    assert criterion(out, "market_share")["status"] == "manual_review"
    assert criterion(out, "debt_ratio")["status"] == "unknown"


@pytest.mark.parametrize(
    ("rd", "rd_before", "met"), [(100.0, 100.0, True), (100.0, 99.99, False), (None, 120.0, False)]
)
def test_zhuanjingtexin_2026_rd_each_of_two_years(rd: float | None, rd_before: float, met: bool) -> None:
    figures = {("rd_expense", Y - 1): rd_before, ("revenue", Y): 2000.0, ("revenue", Y - 1): 2000.0}
    if rd is not None:
        figures[("rd_expense", Y)] = rd
    out = evaluate("zhuanjingtexin-2026", [firm(1, figures=figures)], AS_OF)[1]
    state = criterion(out, "rd_amount_2y")["status"]
    assert state == ("met" if met else ("unknown" if rd is None else "not_met"))


def test_zhuanjingtexin_2022_rd_bar_and_revenue_or_equity() -> None:
    figures = {("employees", Y): 50.0, ("revenue", Y): 999.0, ("rd_expense", Y): 99.0}
    out = evaluate("zhuanjingtexin-2022", [firm(1, figures=figures, declared={"equity_2y": 2000.0})], AS_OF)[
        1
    ]
    assert criterion(out, "rd_amount")["gap"] == "还差上年度研发费用总额1万元"
    assert criterion(out, "equity_2y")["status"] == "met"
    assert out.status == "not_eligible"


def test_danxiangguanjun_three_year_average_revenue() -> None:
    figures = {("revenue", y): 40000.0 for y in (Y, Y - 1, Y - 2)}
    out = evaluate("danxiangguanjun-2023", [firm(1, figures=figures)], AS_OF)[1]
    assert criterion(out, "revenue_avg_3y")["status"] == "met"
    figures[("revenue", Y - 2)] = 39999.0
    out = evaluate("danxiangguanjun-2023", [firm(1, figures=figures)], AS_OF)[1]
    assert criterion(out, "revenue_avg_3y")["status"] == "not_met"
