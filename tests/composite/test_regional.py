"""The regional index from the database: registry aggregates and series observations per region and year,
targets taken from the plan, each region's "why"."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import yaml
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.composite.definition import load_definition, parse_definition
from zhizao.composite.regional import contributions, regional_data, run_regional
from zhizao.errors import InvalidInput
from zhizao.plans.models import Plan, PlanTarget
from zhizao.tracking.models import Observation, TargetLink, TrackedSeries

SHARE = "制造业增加值占GDP比重"
DEFINITION = {
    "name": "测试地区指数",
    "unit_column": "region_code",
    "year_column": "year",
    "indicators": [
        {"code": "rd_intensity", "name": "研发经费占营业收入比重", "parent": "innovation", "unit": "%"},
        {"code": "tax_per_mu", "name": "亩均税收", "parent": "efficiency", "unit": "万元/亩"},
        {"code": "firms", "name": "规上工业企业数", "parent": "efficiency", "unit": "家"},
        {
            "code": "manufacturing_share",
            "name": SHARE,
            "parent": "structure",
            "unit": "%",
            "normalisation": "dist_to_target",
            "target": 30,
        },
    ],
    "aggregates": [
        {"code": "innovation", "parent": "index"},
        {"code": "efficiency", "parent": "index"},
        {"code": "structure", "parent": "index"},
        {"code": "index", "name": "指数"},
    ],
    "steps": {"screen": 1.0, "treat": False},
    "sources": {
        "rd_intensity": {
            "registry": "ratio",
            "numerator": "rd_expense",
            "denominator": "revenue",
            "scale": 100,
            "above_scale": True,
        },
        "tax_per_mu": {"registry": "ratio", "numerator": "tax", "denominator": "land_mu"},
        "firms": {"registry": "count", "above_scale": True},
    },
}


@pytest.fixture
def world(session: Session, home_region: Callable[[str | None], None]) -> Session:
    """A city with firms in three districts (a 规下 firm too), and the share observed for those three."""
    home_region("370200")
    for region, rd, revenue, tax, land in [
        ("370211", 30.0, 1000.0, 200.0, 100.0),
        ("370211", 10.0, 1000.0, 100.0, 100.0),
        ("370212", 10.0, 2000.0, 50.0, 50.0),
        ("370213", 5.0, 1000.0, 20.0, 40.0),
    ]:
        figures = {"rd_expense": rd, "revenue": revenue, "tax": tax, "land_mu": land}
        add_enterprise(session, region_code=region, figures={2024: figures})
    small = {"rd_expense": 100.0, "revenue": 100.0, "tax": 100.0, "land_mu": 100.0}
    add_enterprise(session, region_code="370212", above_scale=False, figures={2024: small})
    series = TrackedSeries(name=SHARE, unit="%")
    session.add(series)
    session.flush()
    for region, value in [("370211", 40.0), ("370212", 28.0), ("370213", 21.0)]:
        session.add(
            Observation(series_id=series.id, region_code=region, period_type="year", year=2024, value=value)
        )
    session.flush()
    return session


def test_registry_ratios_counts_and_series_per_region(world: Session) -> None:
    defn = parse_definition(yaml.safe_dump(DEFINITION, allow_unicode=True))
    data = regional_data(world, defn, [2024])
    frame = data.frame.set_index("region_code")
    assert frame.loc["370211", "地区"] == "黄岛区"
    assert frame.loc["370211", "rd_intensity"] == pytest.approx(40 / 2000 * 100)
    # 规上 only for R&D; every firm for the tax per mu (the 规下 firm counts there)
    assert frame.loc["370212", "rd_intensity"] == pytest.approx(10 / 2000 * 100)
    assert frame.loc["370212", "tax_per_mu"] == pytest.approx(150 / 150)
    assert frame.loc["370212", "firms"] == 1
    assert frame.loc["370211", "manufacturing_share"] == 40.0
    assert np.isnan(frame.loc["370202", "rd_intensity"])  # a district without firms has no value
    assert data.origins["rd_intensity"] == "规上企业研发经费支出(万元)合计 / 营业收入(万元)合计 × 100"
    assert data.origins["manufacturing_share"] == f"监测指标「{SHARE}」的年度值"
    assert data.targets["manufacturing_share"].origin == "定义文件"


def test_the_plan_target_replaces_the_placeholder(world: Session) -> None:
    plan = Plan(title="制造业高质量发展行动计划", status="confirmed", region_code="370200")
    world.add(plan)
    world.flush()
    target = PlanTarget(
        plan_id=plan.id,
        indicator=SHARE,
        measure="share",
        value=35.0,
        target_year=2025,
        review_status="accepted",
    )
    world.add(target)
    world.flush()
    series = world.query(TrackedSeries).filter_by(name=SHARE).one()
    world.add(TargetLink(target_id=target.id, series_id=series.id))
    world.flush()
    defn = parse_definition(yaml.safe_dump(DEFINITION, allow_unicode=True))
    index = run_regional(world, defn, [2024])
    used = index.data.targets["manufacturing_share"]
    assert used.value == 35.0 and used.origin == "计划《制造业高质量发展行动计划》2025年目标"
    scores = index.result.scores.set_index("region_code")
    assert scores.loc["370211", "manufacturing_share"] == 100.0  # 40 reaches 35: capped
    # COINr's distance to target: (x − min) / (target − min), the lowest region at 0
    assert scores.loc["370212", "manufacturing_share"] == pytest.approx((28 - 21) / (35 - 21) * 100)
    # screen 1.0 keeps only the three districts with every value; ranks 1..3
    assert sorted(scores["rank"]) == [1, 2, 3]
    assert set(index.result.dropped_units) >= {"370202", "370214"}


def test_why_adds_up_to_the_index_for_the_arithmetic_mean(world: Session) -> None:
    defn = parse_definition(yaml.safe_dump(DEFINITION, allow_unicode=True))
    index = run_regional(world, defn, [2024])
    why = contributions(index, "370213", 2024)
    total = index.result.scores.set_index("region_code").loc["370213", "index"]
    assert why["贡献"].sum() == pytest.approx(total)
    assert list(why.columns[:3]) == ["code", "指标", "维度"]
    assert why["与平均的差距"].is_monotonic_increasing  # the biggest shortfall first
    with pytest.raises(InvalidInput, match="没有地区"):
        contributions(index, "370202", 2024)


def test_a_column_without_any_data_is_named(world: Session) -> None:
    broken = {**DEFINITION, "sources": {**DEFINITION["sources"]}}  # type: ignore[dict-item]
    broken["sources"]["firms"] = {"series": "没有这个监测指标"}
    defn = parse_definition(yaml.safe_dump(broken, allow_unicode=True))
    with pytest.raises(InvalidInput, match="firms（监测指标「没有这个监测指标」的年度值）"):
        run_regional(world, defn, [2024])


def test_sources_are_validated_with_the_key_named() -> None:
    bad = {**DEFINITION, "sources": {"rd_intensity": {"registry": "ratio", "numerator": "rd_expense"}}}
    with pytest.raises(InvalidInput, match=r"sources\.rd_intensity"):
        parse_definition(yaml.safe_dump(bad, allow_unicode=True))
    both = {**DEFINITION, "sources": {"firms": {"registry": "count", "series": "x"}}}
    with pytest.raises(InvalidInput, match="exactly one"):
        parse_definition(yaml.safe_dump(both, allow_unicode=True))


def test_the_shipped_definition_reads_what_the_registry_holds(world: Session) -> None:
    defn = load_definition("regional-hqd")
    data = regional_data(world, defn, [2024])
    frame = data.frame.set_index("region_code")
    assert frame.loc["370211", "rd_intensity"] == pytest.approx(2.0)
    assert frame.loc["370211", "tax_per_mu"] == pytest.approx(300 / 200)
    assert "rd_intensity" not in data.empty and "fdi_manufacturing" in data.empty


def test_every_region_at_the_target_scores_full_marks(world: Session) -> None:
    easy = {**DEFINITION, "indicators": [dict(i) for i in DEFINITION["indicators"]]}  # type: ignore[union-attr]
    easy["indicators"][3]["target"] = 20  # every district's share is above 20
    index = run_regional(world, parse_definition(yaml.safe_dump(easy, allow_unicode=True)), [2024])
    ranked = index.result.scores.dropna(subset=["rank"])
    assert (ranked["manufacturing_share"] == 100.0).all()


def test_titles_held_at_the_year_end_are_counted_per_region(world: Session) -> None:
    from datetime import date

    from zhizao.cultivation.models import EnterpriseTitle
    from zhizao.enterprises.models import Enterprise

    firms = {e.region_code: e for e in world.query(Enterprise).filter(Enterprise.above_scale.is_(True))}
    world.add_all(
        [
            EnterpriseTitle(
                enterprise_id=firms["370211"].id,
                title="gaoqi",
                year=2023,
                valid_from=date(2023, 11, 1),
                valid_to=date(2026, 10, 31),
            ),
            EnterpriseTitle(  # expired before the end of 2024: not counted
                enterprise_id=firms["370212"].id,
                title="gaoqi",
                year=2021,
                valid_from=date(2021, 11, 1),
                valid_to=date(2024, 10, 31),
            ),
        ]
    )
    world.flush()
    counted = {
        **DEFINITION,
        "sources": {**DEFINITION["sources"], "firms": {"registry": "titles", "title": "gaoqi"}},
    }  # type: ignore[dict-item]
    data = regional_data(world, parse_definition(yaml.safe_dump(counted, allow_unicode=True)), [2024])
    frame = data.frame.set_index("region_code")
    assert frame.loc["370211", "firms"] == 1
    assert frame.loc["370212", "firms"] == 0  # firms there, none holding it: 0, not a gap
    assert np.isnan(frame.loc["370202", "firms"])  # no firms at all
    assert data.origins["firms"] == "年末持有「高新技术企业」称号的企业数"
