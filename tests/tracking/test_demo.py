from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.demo.plans import load_demo_plans
from zhizao.demo.regions import demo_region
from zhizao.tracking import demo
from zhizao.tracking.progress import Status
from zhizao.tracking.targets import plan_progress

QINGDAO = "370200"  # the demo region whose documents and figures the shipped data holds
NINE_ACTIONS = "qingdao-2024-nine-actions.txt"


def test_packaged_real_stats_are_the_shared_qingdao_rows(shared_dir: Path) -> None:
    with (shared_dir / "data" / "real-stats.csv").open(encoding="utf-8") as f:
        shared = [row for row in csv.DictReader(f) if row["region"] == "青岛市"]
    packaged = Path(demo.__file__).parent / "data" / "real-stats.csv"
    with packaged.open(encoding="utf-8") as f:
        assert list(csv.DictReader(f)) == shared


def test_parse_period_forms() -> None:
    assert demo.parse_period("2024") == ("year", 2024, 0)
    assert demo.parse_period("2024年1-6月") == ("ytd", 2024, 6)
    assert demo.parse_period("2020年12月") == ("month", 2020, 12)
    assert demo.parse_period("2025（截至11月）") == ("ytd", 2025, 11)
    assert demo.parse_period("2021-2025年均") is None


def test_series_name_merges_spellings_of_one_indicator() -> None:
    names = {demo.series_name(text, "%") for text in ("全市规上工业增加值增长", "规模以上工业增加值同比增长")}
    assert names == {"规模以上工业增加值增速"}


def test_qingdao_2024_figures_against_nine_actions_plan(session: Session, system: Actor) -> None:
    plans = {p.source_filename: p for p in load_demo_plans(session, system, demo_region(QINGDAO))}
    counts = demo.load_real_stats(session, system, QINGDAO)
    assert counts["observations"] >= 40
    assert counts["links"] >= 1
    assert demo.load_real_stats(session, system, QINGDAO)["links"] == 0  # links are made once
    plan = plans[NINE_ACTIONS]

    def statuses(as_of: date) -> dict[tuple[str, str], Status]:
        rows = plan_progress(session, system, plan.id, as_of)
        return {(r.indicator, r.spec.measure): r.progress.status for r in rows}

    growth = ("规模以上工业增加值", "growth")
    # 2024年1-6月 9.8% against 6.5%左右: on track at mid-year, not yet complete
    assert statuses(date(2024, 6, 30))[growth] is Status.ON_TRACK
    assert statuses(date(2024, 5, 31))[growth] is Status.NO_DATA
    # the whole year, 9.4%: completed
    year_end = statuses(date(2024, 12, 31))
    assert year_end[growth] is Status.COMPLETED
    # 高新技术企业: 7920 (2023) and 8683 (2025) but no 2024 figure, so no data for the 2024 target
    assert year_end[("高新技术企业", "level")] is Status.NO_DATA
    # the 园区 target (个百分点 above the province) is not linked to Qingdao's own growth rate
    rows = plan_progress(session, system, plan.id, date(2024, 12, 31))
    park = [r for r in rows if r.spec.unit == "个百分点"]
    assert all(r.series_id is None for r in park)
    linked = next(r for r in rows if (r.indicator, r.spec.measure) == growth)
    assert linked.series_name == "规模以上工业增加值增速"
    assert linked.progress.latest is not None and linked.progress.latest.value == 9.4
