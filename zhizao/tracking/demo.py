"""Real published figures for the demo: the rows of `data/real-stats.csv` (copied from the shared
collection, with their sources) for the demo region itself (the CSV names the region; the region table gives
its code) become series and observations, linked to the targets of the region's own demo plans where the
indicator and unit match exactly. A region the CSV has no rows for gets none: a province does not take the
figures of a city inside it as its own."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from importlib import resources

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans.models import PlanTarget
from zhizao.reference.data_files import region_names
from zhizao.tracking import linking
from zhizao.tracking.demo_activity import demo_plans, replaceable_link
from zhizao.tracking.models import TrackedSeries
from zhizao.tracking.observations import ObservationInput, ensure_series, record_observation

_YTD = re.compile(r"^(\d{4})年1-(\d{1,2})月$")
_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月$")
_AT = re.compile(r"^(\d{4})（截至(\d{1,2})月）$")
_RATE_WORDS = ("增长", "增速")


@dataclass(frozen=True)
class StatRow:
    region_code: str
    indicator: str
    period_type: str
    year: int
    period: int
    value: float
    unit: str
    source: str


def parse_period(text: str) -> tuple[str, int, int] | None:
    """(period_type, year, period) of a period as the CSV writes it; None for averages over years."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return "year", int(text), 0
    for pattern, kind in ((_YTD, "ytd"), (_MONTH, "month"), (_AT, "ytd")):
        found = pattern.match(text)
        if found:
            return kind, int(found[1]), int(found[2])
    return None


def read_rows(region_code: str) -> list[StatRow]:
    """The CSV's rows of `region_code`."""
    text = resources.files("zhizao.tracking.data").joinpath("real-stats.csv").read_text(encoding="utf-8")
    name = region_names().get(region_code)
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        region = region_code if raw["region"] == name else None
        period = parse_period(raw["period"])
        if region is None or period is None or "当月" in raw["indicator"]:
            continue
        source = f"{raw['source_title']} {raw['source_url']}".strip()
        rows.append(StatRow(region, raw["indicator"], *period, float(raw["value"]), raw["unit"], source))
    return rows


def series_name(indicator: str, unit: str) -> str:
    """One series per measured thing: 全市规上工业增加值增长 and 规模以上工业增加值同比增长 are both
    规模以上工业增加值增速."""
    base = linking.normalise(indicator)
    if unit == "%" and any(word in indicator for word in _RATE_WORDS) and "比重" not in indicator:
        return base + "增速"
    return base


def _is_rate_series(series: TrackedSeries) -> bool:
    return series.unit == "%" and series.name.endswith("增速")


def _matches(target: PlanTarget, series: TrackedSeries) -> bool:
    if target.unit != series.unit or linking.similarity(target.indicator, series.name) < 1.0:
        return False
    return (target.measure == "growth") == _is_rate_series(series)


def load_real_stats(session: Session, actor: Actor, region_code: str) -> dict[str, int]:
    """Create the series and observations of the region's figures, and link matching targets of the
    region's own confirmed plans.

    Returns counts: series, observations, links."""
    series_by_name: dict[str, TrackedSeries] = {}
    observations = 0
    for row in read_rows(region_code):
        name = series_name(row.indicator, row.unit)
        series = series_by_name.get(name) or ensure_series(session, name, row.unit)
        series_by_name[name] = series
        if row.indicator not in (series.aliases or []):
            series.aliases = [*(series.aliases or []), row.indicator]
        item = ObservationInput(series.id, row.region_code, row.period_type, row.year, row.period, row.value)
        record_observation(session, actor, ObservationInput(**{**item.__dict__, "source": row.source[:500]}))
        observations += 1
    links = 0
    for plan in demo_plans(session, region_code):
        for target in plan.targets:  # a link to a synthetic demo series gives way to real figures
            if target.review_status == "rejected" or not replaceable_link(session, target):
                continue
            match = next((s for s in series_by_name.values() if _matches(target, s)), None)
            if match is not None:
                linking.confirm_link(session, actor, target.id, match.id, region_code)
                links += 1
    session.flush()
    return {"series": len(series_by_name), "observations": observations, "links": links}
