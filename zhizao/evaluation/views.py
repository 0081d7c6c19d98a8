"""What the evaluation pages show: one function gathers a run page's data; the page, the htmx table, the
JSON API and the ECharts options are renderings of it."""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.registry import Page
from zhizao.evaluation import wording
from zhizao.evaluation.results import (
    OUT_OF_SCOPE,
    ResultPublic,
    ResultQuery,
    RunPublic,
    class_counts_by_region,
    filter_choices,
    run_public,
    search_results,
    totals_by_pool,
)
from zhizao.evaluation.runs import get_run, method_of

CLASS_COLOURS = {"A": "#48c78e", "B": "#3e8ed0", "C": "#ffb70f", "D": "#f14668", "T": "#b5b5b5"}


class RunCharts(BaseModel):
    class_counts: dict[str, Any]  # ECharts options: stacked bar of class counts by district
    scores: dict[str, Any]  # ECharts options: histogram of total scores by pool


class RunPage(BaseModel):
    run: RunPublic
    notes: list[str]
    counts: dict[str, int]  # class → n over the visible rows
    results: Page[ResultPublic]
    choices: dict[str, list[tuple[str, str]]]
    charts: RunCharts
    by_region: dict[str, dict[str, int]] = {}  # region → class → n (the district × class table)
    title: str = ""  # the run titled with the installation's own region
    class_rules: list[tuple[str, str, str]] = []  # (class, label, the rule in words)
    scoring_rules: list[tuple[str, str]] = []  # (indicator, how it is scored, in words)

    @property
    def class_ids(self) -> list[str]:
        """Classes in the method's order, then any other value found (范围外)."""
        order = [cid for cid, _, _ in self.class_rules]
        extra = sorted({c for row in self.by_region.values() for c in row} - set(order))
        return order + extra


def class_counts_chart(
    counts: dict[str, dict[str, int]], class_ids: list[str], title: str = "各地区分类企业数"
) -> dict[str, Any]:
    """A stacked bar per region: how many enterprises in each class."""
    regions = list(counts)
    present = [c for c in class_ids if any(c in row for row in counts.values())]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 24},
        "grid": {"left": 40, "right": 20, "top": 60, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": regions, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": cid,
                "type": "bar",
                "stack": "classes",
                "itemStyle": {"color": CLASS_COLOURS[cid]} if cid in CLASS_COLOURS else {},
                "data": [counts[r].get(cid, 0) for r in regions],
            }
            for cid in present
        ],
    }


def score_histogram_chart(
    totals: dict[str, list[float]], pool_labels: dict[str, str], bins: int = 20, title: str = "总分分布"
) -> dict[str, Any]:
    """A histogram of total scores per pool (shared bins, one bar series per pool)."""
    values = np.array([v for vs in totals.values() for v in vs], dtype=float)
    if values.size == 0:
        edges = np.linspace(0.0, 100.0, bins + 1)
    else:
        low, high = float(values.min()), float(values.max())
        edges = np.linspace(low, high if high > low else low + 1.0, bins + 1)
    labels = [f"{edges[i]:.0f}–{edges[i + 1]:.0f}" for i in range(bins)]
    series = [
        {
            "name": pool_labels.get(pool, pool),
            "type": "bar",
            "barGap": "0%",
            "data": np.histogram(np.array(vs, dtype=float), bins=edges)[0].tolist(),
        }
        for pool, vs in totals.items()
    ]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"left": 40, "right": 20, "top": 60, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "name": "总分"},
        "yAxis": {"type": "value", "minInterval": 1, "name": "企业数"},
        "series": series,
    }


def run_charts(session: Session, actor: Actor, run_id: int) -> RunCharts:
    method = method_of(get_run(session, actor, run_id))
    class_ids = [c.id for c in method.classes.items] + ["T", OUT_OF_SCOPE]
    pools = {p.id: p.label for p in method.pools}
    return RunCharts(
        class_counts=class_counts_chart(class_counts_by_region(session, actor, run_id), class_ids),
        scores=score_histogram_chart(totals_by_pool(session, actor, run_id), pools),
    )


def run_page(session: Session, actor: Actor, run_id: int, query: ResultQuery) -> RunPage:
    run = get_run(session, actor, run_id)
    counts: dict[str, int] = {}
    by_region = class_counts_by_region(session, actor, run_id)
    for row in by_region.values():
        for cid, n in row.items():
            counts[cid] = counts.get(cid, 0) + n
    method = method_of(run)
    return RunPage(
        run=run_public(session, actor, run),
        by_region=by_region,
        title=wording.run_title(run.year),
        class_rules=wording.class_rules(method.classes),
        scoring_rules=wording.method_rules(method),
        notes=list(method.notes),
        counts=counts,
        results=search_results(session, actor, run_id, query),
        choices=filter_choices(session, actor, run_id),
        charts=run_charts(session, actor, run_id),
    )
