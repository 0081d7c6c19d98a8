from __future__ import annotations

from datetime import date

import numpy as np

from tests.demo.conftest import QINGDAO, Population, collect
from zhizao.demo.names import FICTIONAL_MARK
from zhizao.demo.population import INDICATORS, MONTHLY_INDICATORS, DemoSpec
from zhizao.enterprises import credit_code
from zhizao.reference.data_files import district_codes, industry_names


def _log_corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b) & (a > 0) & (b > 0)
    return float(np.corrcoef(np.log(a[ok]), np.log(b[ok]))[0, 1])


def test_generate_population_same_seed_identical() -> None:
    spec = DemoSpec(size=400, region_code=QINGDAO, seed=5, current_year=2026, through_month=4, chunk_size=150)
    first, second = collect(spec), collect(spec)
    assert first.enterprises == second.enterprises
    assert np.array_equal(first.figure_value, second.figure_value)
    assert np.array_equal(first.figure_enterprise, second.figure_enterprise)


def test_generate_population_different_seed_differs() -> None:
    one = collect(DemoSpec(size=200, region_code=QINGDAO, seed=1, current_year=2026, through_month=2))
    two = collect(DemoSpec(size=200, region_code=QINGDAO, seed=2, current_year=2026, through_month=2))
    assert [e["credit_code"] for e in one.enterprises] != [e["credit_code"] for e in two.enterprises]
    assert [e["name"] for e in one.enterprises] != [e["name"] for e in two.enterprises]


def test_generate_population_pools_about_five_to_one(population: Population) -> None:
    above = np.array([e["above_scale"] for e in population.enterprises])
    assert len(above) == 3000
    assert 0.79 < above.mean() < 0.88
    land = population.annual("land_mu", 2025)
    revenue = population.annual("revenue", 2025)
    below_land = land[~above & np.isfinite(land)]
    assert len(below_land) > 300
    assert (below_land >= 3).all()
    assert (revenue[above & np.isfinite(revenue)] >= 2000).all()
    assert (revenue[~above & np.isfinite(revenue)] < 2000).all()


def test_generate_population_credit_codes_valid_and_unique(population: Population) -> None:
    codes = [e["credit_code"] for e in population.enterprises]
    assert len(set(codes)) == len(codes)
    assert all(credit_code.is_valid(c) for c in codes)
    assert all(c[2:8] == e["region_code"] for c, e in zip(codes, population.enterprises, strict=True))


def test_generate_population_codes_exist_in_reference(population: Population) -> None:
    districts = set(district_codes("370200"))
    industries = industry_names()
    regions = {e["region_code"] for e in population.enterprises}
    assert regions == districts  # all ten districts appear
    for enterprise in population.enterprises:
        assert enterprise["industry_code"] in industries
        assert len(enterprise["industry_code"]) == 4
        assert 13 <= int(enterprise["industry_code"][:2]) <= 46


def test_generate_population_mix_looks_like_qingdao(population: Population) -> None:
    regions = [e["region_code"] for e in population.enterprises]
    assert regions.count("370211") > 5 * regions.count("370202")  # 黄岛 heavy, 市南 light
    divisions = [e["industry_code"][:2] for e in population.enterprises]
    assert divisions.count("38") > divisions.count("31")
    assert any(e["industry_code"].startswith("385") for e in population.enterprises)  # 家电
    assert any(e["industry_code"].startswith(("44", "45", "46")) for e in population.enterprises)


def test_generate_population_figures_correlated(population: Population) -> None:
    revenue = population.annual("revenue", 2025)
    output = population.annual("output_value", 2025)
    value_added = population.annual("value_added", 2025)
    assert _log_corr(revenue, output) > 0.95
    assert _log_corr(revenue, population.annual("tax", 2025)) > 0.8
    assert _log_corr(revenue, population.annual("employees", 2025)) > 0.6
    assert _log_corr(output, population.annual("land_mu", 2025)) > 0.4
    assert _log_corr(population.annual("energy_tce", 2025), population.annual("electricity", 2025)) > 0.5
    share = value_added / output
    assert 0.22 < np.nanmedian(share) < 0.36
    growth = np.nanmedian(revenue / population.annual("revenue", 2023))
    assert 1.0 < growth < 1.25


def test_generate_population_zero_rd_missing_values_and_outliers(population: Population) -> None:
    rd = population.annual("rd_expense", 2025)
    assert 0.2 < np.mean(rd[np.isfinite(rd)] == 0) < 0.6
    assert np.isnan(population.annual("emission_eq", 2025)).sum() > 30  # absent figure rows
    taxes = np.concatenate([population.annual("tax", year) for year in (2023, 2024, 2025)])
    assert (taxes < 0).any()  # a net refund
    land = population.annual("land_mu", 2025)
    assert np.nanmax(land) > 20 * np.nanmedian(land)


def test_generate_population_young_enterprises_lack_early_years(population: Population) -> None:
    founded = np.array([e["established_on"] for e in population.enterprises])
    young = founded >= date(2024, 1, 1)
    assert 20 < young.sum() < 200
    revenue_2023 = population.annual("revenue", 2023)
    assert np.isnan(revenue_2023[young]).all()


def test_generate_population_monthly_figures_for_above_scale(population: Population) -> None:
    monthly = (population.figure_month > 0) & (population.figure_year == 2026)
    assert set(population.figure_year[population.figure_month > 0].tolist()) == {2025, 2026}
    assert set(population.figure_month[monthly].tolist()) == set(range(1, 13))
    monthly_indicators = {INDICATORS[k] for k in set(population.figure_indicator[monthly].tolist())}
    assert monthly_indicators == set(MONTHLY_INDICATORS)
    above = np.array([e["above_scale"] for e in population.enterprises])
    assert above[population.figure_enterprise[monthly]].all()
    revenue = INDICATORS.index("revenue")
    sums = np.zeros(len(above))
    mask = monthly & (population.figure_indicator == revenue)
    np.add.at(sums, population.figure_enterprise[mask], population.figure_value[mask])
    ratio = sums / population.annual("revenue", 2025)
    assert 0.95 < np.nanmedian(ratio[above]) < 1.2


def test_generate_population_names_obviously_fictional(population: Population) -> None:
    names = [e["name"] for e in population.enterprises]
    assert all(n.endswith(FICTIONAL_MARK) and "示例" in n for n in names)
    assert len(set(names)) > 0.9 * len(names)


def test_spec_months_follow_current_year() -> None:
    assert list(DemoSpec(region_code=QINGDAO, current_year=2020).months) == list(range(1, 13))
    assert DemoSpec(region_code=QINGDAO, current_year=2026).years == (2023, 2024, 2025)
    assert len(DemoSpec.sized(1_000_000).monthly_indicators) < len(MONTHLY_INDICATORS)
