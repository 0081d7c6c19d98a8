"""What the home page shows, and ECharts options for it and for an enterprise's figures.

Chart options are plain dicts built here (not in templates), so the page, the API and tests share them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AppMeta
from zhizao.auth.scope import Actor
from zhizao.enterprises.registry import CountRow, FigureTable, counts_by_division, counts_by_region

SYNTHETIC_DATASET = "synthetic-demo"
DEFAULT_FIGURE_SERIES = ("revenue", "tax")


class HomeSummary(BaseModel):
    total: int
    above_scale_share: float | None = None
    by_region: list[CountRow]
    by_division: list[CountRow]


def is_synthetic_dataset(session: Session) -> bool:
    """True when the loaded data set is the synthetic demo (pages then show a banner)."""
    value = session.scalar(select(AppMeta.value).where(AppMeta.key == "dataset"))
    return value == SYNTHETIC_DATASET


def home_summary(session: Session, actor: Actor) -> HomeSummary:
    """Counts of the enterprises the actor may see, by district and by industry division."""
    by_region = counts_by_region(session, actor)
    by_division = counts_by_division(session, actor)
    return HomeSummary(total=sum(r.count for r in by_region), by_region=by_region, by_division=by_division)


def _names(rows: list[CountRow], lang: str) -> list[str]:
    return [(r.name_en if lang == "en" and r.name_en else r.name) for r in rows]


def region_chart_options(
    summary: HomeSummary, title: str = "各地区企业数", lang: str = "zh"
) -> dict[str, Any]:
    """A bar chart of enterprise counts by district."""
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": _names(summary.by_region, lang),
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": [r.count for r in summary.by_region]}],
    }


def division_chart_options(
    summary: HomeSummary, title: str = "各行业大类企业数", top: int = 10, other_label: str = "其他"
) -> dict[str, Any]:
    """A pie chart of enterprise counts by industry division; the smallest are grouped as "other"."""
    rows = summary.by_division
    data = [{"name": f"{r.code} {r.name}".strip(), "value": r.count} for r in rows[:top]]
    rest = sum(r.count for r in rows[top:])
    if rest:
        data.append({"name": other_label, "value": rest})
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "top": 30, "data": data}],
    }


def figure_chart_options(table: FigureTable, lang: str = "zh") -> dict[str, Any]:
    """A line chart of an enterprise's yearly figures: one series per indicator, a few shown at first."""
    names = [(r.label_en if lang == "en" and r.label_en else r.label) for r in table.rows]
    shown = {r.indicator_id for r in table.rows if r.indicator_id in DEFAULT_FIGURE_SERIES}
    if not shown and table.rows:
        shown = {table.rows[0].indicator_id}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {
            "type": "scroll",
            "top": 0,
            "data": names,
            "selected": {name: r.indicator_id in shown for name, r in zip(names, table.rows, strict=True)},
        },
        "grid": {"left": 40, "right": 20, "top": 40, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y) for y in table.years]},
        "yAxis": {"type": "value"},
        "series": [
            {"name": name, "type": "line", "data": [r.values.get(y) for y in table.years]}
            for name, r in zip(names, table.rows, strict=True)
        ],
    }
