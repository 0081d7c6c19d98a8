"""ECharts options of the monitoring page: growth by group (electricity beside it), the contribution
waterfall and 增长面 over the months. Every bar carries the link to the firms behind it (`data[].link`),
which `static/monitoring.js` follows on a click."""

from __future__ import annotations

from typing import Any

from zhizao.monitoring.results import Analysis, GroupResult

UP, DOWN, TOTAL_COLOUR = "#c23531", "#2f9e44", "#3273dc"


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def growth_options(a: Analysis, links: dict[str, str], beside_label: str = "用电量同比") -> dict[str, Any]:
    groups = a.groups
    return {
        "title": {"text": "分组累计同比增速(%)", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": [g.name for g in groups], "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "name": "%"},
        "series": [
            {
                "name": "累计同比",
                "type": "bar",
                "data": [{"value": _r(g.growth), "link": links.get(g.group, "")} for g in groups],
            },
            {"name": beside_label, "type": "bar", "data": [_r(g.beside_growth) for g in groups]},
        ],
    }


def _waterfall_steps(groups: list[GroupResult], total: float) -> list[tuple[str, float, float, str]]:
    """(name, start, end, kind) for each group's 拉动 and the total bar from zero."""
    steps, level = [], 0.0
    for g in groups:
        pp = g.contribution_pp or 0.0
        steps.append((g.name, level, level + pp, "up" if pp >= 0 else "down"))
        level += pp
    steps.append(("合计", 0.0, total, "total"))
    return steps


def waterfall_options(a: Analysis, links: dict[str, str]) -> dict[str, Any]:
    """A waterfall of contributions in pp: stacked bars over a transparent base, split at zero (ECharts
    stacks positive and negative values apart)."""
    steps = _waterfall_steps(a.groups, a.total.growth or 0.0)
    names = [s[0] for s in steps]
    base: list[float] = []
    parts: dict[str, list[Any]] = {f"{k}_{sign}": [] for k in ("up", "down", "total") for sign in "+-"}
    for name, start, end, kind in steps:
        low, high = min(start, end), max(start, end)
        base.append(round(low if low >= 0 else (high if high <= 0 else 0.0), 4))
        positive = high - max(low, 0.0) if high > 0 else 0.0
        negative = min(high, 0.0) - low if low < 0 else 0.0
        link = links.get(next((g.group for g in a.groups if g.name == name), ""), "")
        for key in parts:
            k, sign = key.split("_")
            value = positive if sign == "+" else -negative
            parts[key].append({"value": round(value, 4), "link": link} if k == kind and value else "-")
    colours = {"up": UP, "down": DOWN, "total": TOTAL_COLOUR}
    labels = {"up": "拉动", "down": "拉低", "total": "合计"}
    series: list[dict[str, Any]] = [
        {
            "name": "base",
            "type": "bar",
            "stack": "w",
            "itemStyle": {"color": "transparent"},
            "emphasis": {"disabled": True},
            "tooltip": {"show": False},
            "data": base,
        }
    ]
    for key, data in parts.items():
        kind = key.split("_")[0]
        series.append(
            {
                "name": labels[kind],
                "type": "bar",
                "stack": "w",
                "itemStyle": {"color": colours[kind]},
                "data": data,
            }
        )
    return {
        "title": {"text": "对总量增速的拉动(百分点)", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item"},
        "grid": {"left": 50, "right": 20, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "name": "百分点"},
        "series": series,
    }


def breadth_options(a: Analysis) -> dict[str, Any]:
    months = [f"1—{p.month}月" if p.month > 1 else "1月" for p in a.months]
    return {
        "title": {"text": "增长面与累计增速走势", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 50, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [{"type": "value", "name": "增长面%", "max": 100}, {"type": "value", "name": "同比%"}],
        "series": [
            {"name": "企业增长面", "type": "line", "data": [_r(p.growth_breadth) for p in a.months]},
            {"name": "行业增长面", "type": "line", "data": [_r(p.industry_breadth) for p in a.months]},
            {"name": "累计同比", "type": "bar", "yAxisIndex": 1, "data": [_r(p.growth) for p in a.months]},
        ],
    }
