"""What the 高质量发展指数 page shows: the ranking of the regions one level below home for a year, each
dimension's score, the change from the year before, a radar of one region against the average, the index
over the years and the region's "why" (indicator by indicator), with where every number comes from.

Scope: admins and analysts see every region; a regional officer sees the row of its own region (with its
rank among all) and the average, never another region's scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.composite.definition import load_definition
from zhizao.composite.regional import NAME, REGION, YEAR, contributions, run_regional
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.evaluation.demo import FORECAST

DEFINITION = "regional-hqd"
YEARS_SHOWN = 3


@dataclass
class RegionalPage:
    title: str
    years: list[int]
    year: int | None
    pillars: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of the index's dimensions
    rows: list[dict[str, Any]] = field(
        default_factory=list
    )  # rank, region_code, 地区, index, change, pillars
    region: str | None = None  # the region whose radar and why are shown
    region_name: str = ""
    why: list[dict[str, Any]] = field(default_factory=list)
    targets: list[tuple[str, float, str]] = field(default_factory=list)  # indicator, target, origin
    origins: list[tuple[str, str]] = field(default_factory=list)  # indicator, where its values come from
    dropped: list[str] = field(default_factory=list)  # regions left out for lack of data
    regions_total: int = 0
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None
    own_only: bool = False


def figure_years(session: Session) -> list[int]:
    """The latest years with yearly figures reported in the registry (a forecast of the current year does
    not count), oldest first."""
    stmt = (
        select(EnterpriseFigure.year)
        .where(EnterpriseFigure.month == 0, EnterpriseFigure.indicator_id != FORECAST)
        .distinct()
        .order_by(EnterpriseFigure.year.desc())
        .limit(YEARS_SHOWN)
    )
    return sorted(session.scalars(stmt))


def _round(value: Any, digits: int = 1) -> float | None:
    return (
        None
        if value is None or (isinstance(value, float) and np.isnan(value))
        else round(float(value), digits)
    )


def _mean(values: np.ndarray) -> float | None:
    return _round(float(np.nanmean(values))) if np.isfinite(values).any() else None


def regional_page(
    session: Session, actor: Actor, year: int | None = None, region: str | None = None
) -> RegionalPage:
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.DISTRICT)
    defn = load_definition(DEFINITION)
    years = figure_years(session)
    page = RegionalPage(
        title=defn.name, years=years, year=year if year in years else (years[-1] if years else None)
    )
    if page.year is None:
        page.error = "企业库中还没有年度数据，无法计算地区指数。"
        return page
    try:
        index = run_regional(session, defn, years)
    except InvalidInput as exc:
        page.error = str(exc)
        return page
    used = index.definition
    names = {i.code: i.name or i.code for i in used.indicators}
    page.pillars = [(a.code, a.name or a.code) for a in used.aggregates if a.parent == used.index_code]
    page.targets = [(names[c], t.value, t.origin) for c, t in index.data.targets.items()]
    page.origins = [(names.get(c, c), text) for c, text in index.data.origins.items()]
    scores = index.result.scores
    ranked_years = sorted({int(y) for y in scores.loc[scores["rank"].notna(), YEAR]})
    if ranked_years and page.year not in ranked_years and year is None:
        page.year = ranked_years[-1]  # the latest year in which any region could be ranked
    this = scores[scores[YEAR] == page.year].sort_values("rank", na_position="last")
    before = scores[scores[YEAR] == page.year - 1].set_index(REGION)[used.index_code].to_dict()
    page.regions_total = int(this["rank"].notna().sum())
    names_by_code = dict(zip(index.data.frame[REGION], index.data.frame[NAME], strict=True))
    page.dropped = [names_by_code.get(c, c) for c in dict.fromkeys(index.result.dropped_units)]
    own = None if actor.reads_everything else (actor.region_code or "")
    page.own_only = own is not None
    visible = this if own is None else this[this[REGION] == own]
    for record in visible.to_dict("records"):
        value = record[used.index_code]
        previous = before.get(record[REGION])
        page.rows.append(
            {
                "rank": None if np.isnan(record["rank"]) else int(record["rank"]),
                REGION: record[REGION],
                NAME: record[NAME],
                "index": _round(value),
                "change": _round(value - previous)
                if previous is not None and not np.isnan(previous)
                else None,
                "pillars": [_round(record[code]) for code, _ in page.pillars],
            }
        )
    ranked = [r for r in page.rows if r["rank"] is not None]
    codes = [r[REGION] for r in ranked]
    page.region = region if region in codes else (codes[0] if codes else None)
    if page.region is not None:
        page.region_name = names_by_code.get(page.region, page.region)
        page.why = contributions(index, page.region, page.year).to_dict("records")
    page.charts = _charts(page, this, scores, used.index_code, codes)
    return page


def _charts(page: RegionalPage, this: Any, scores: Any, index_code: str, codes: list[str]) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    shown = [r for r in page.rows if r["rank"] is not None]
    charts["ranking"] = {
        "title": {"text": f"{page.year}年 {page.title}", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 90, "right": 30, "top": 40, "bottom": 30},
        "xAxis": {"type": "value", "name": "得分"},
        "yAxis": {"type": "category", "inverse": True, "data": [r[NAME] for r in shown]},
        "series": [
            {"type": "bar", "data": [r["index"] for r in shown], "label": {"show": True, "position": "right"}}
        ],
    }
    if page.region is not None:
        mine = this[this[REGION] == page.region].iloc[0]
        average = [_mean(this[code].to_numpy(dtype=float)) for code, _ in page.pillars]
        charts["radar"] = {
            "title": {
                "text": f"{page.region_name}各维度得分",
                "left": "center",
                "textStyle": {"fontSize": 14},
            },
            "tooltip": {},
            "legend": {"bottom": 0, "data": [page.region_name, "各地区平均"]},
            "radar": {"indicator": [{"name": name, "max": 100} for _, name in page.pillars]},
            "series": [
                {
                    "type": "radar",
                    "data": [
                        {"name": page.region_name, "value": [_round(mine[c]) for c, _ in page.pillars]},
                        {"name": "各地区平均", "value": average},
                    ],
                }
            ],
        }
    charts["trend"] = {
        "title": {"text": "指数历年变化", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "xAxis": {"type": "category", "data": [str(y) for y in page.years]},
        "yAxis": {"type": "value", "name": "得分"},
        "series": [
            {
                "type": "line",
                "name": name,
                "data": [
                    _round(v)
                    for v in scores[scores[REGION] == code].set_index(YEAR)[index_code].reindex(page.years)
                ],
            }
            for code, name in ((r[REGION], r[NAME]) for r in shown)
            if code in codes
        ],
    }
    return charts
