"""One enterprise's outcome of one programme, criterion by criterion, in words.

The engine gives states, values and points as columns (`s__id`, `v__id`, `p__id`); this module turns a row
into the list a reader sees: each criterion's state, value, threshold in force, the gap ("还差研发投入35万元，
或研发强度0.4个百分点"), the data's source and period, and the clause.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any

from zhizao.cultivation.evaluate import CRITERION_STATES, calendar_of, threshold_of
from zhizao.cultivation.programme import Criterion, Data, Node, Programme
from zhizao.reference.data_files import read_rows

STATE_LABELS = {
    "met": "满足",
    "not_met": "不满足",
    "unknown": "缺数据",
    "manual_review": "需人工审核",
    "eligible": "符合",
    "not_eligible": "不符合",
    "possible": "可能符合",
}
ATTRIBUTE_LABELS = {
    "industrial": "行业代码",
    "above_scale": "规上标志",
    "age_days": "成立日期",
    "age_years": "成立日期",
    "size_class": "从业人员和营业收入",
}


@lru_cache
def indicator_labels() -> dict[str, str]:
    return {row["id"]: row["label"] for row in read_rows("indicators.csv")}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float):
        return round(value, 4)
    return value


def source_of(data: Data) -> str:
    if data.indicator:
        return f"企业数据：{indicator_labels().get(data.indicator, data.indicator)}"
    if data.attribute:
        return f"企业登记信息：{ATTRIBUTE_LABELS.get(data.attribute, data.attribute)}"
    if data.title:
        return "认定名单"
    if data.declared:
        return "企业申报 (审核通过)"
    return "人工审核"


def period_of(data: Data, programme: Programme, as_of: date) -> str:
    if data.indicator or (data.attribute == "size_class"):
        return calendar_of(programme, as_of).label(data.period)
    if data.title:
        return f"{as_of.isoformat()}有效"
    return as_of.isoformat() if data.attribute else ""


def _number(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def gap_of(c: Criterion, value: Any, threshold: Any, state: str) -> str:
    """What stands between the value and the threshold, in words."""
    if state == "unknown":
        return f"缺少{c.label}"
    if state == "manual_review":
        return f"{c.label}需人工审核"
    if state != "not_met" or c.op is None:
        return ""
    unit = "个百分点" if c.unit == "%" else c.unit
    if c.op in (">=", ">") and isinstance(value, int | float):
        more = "以上" if c.op == ">" else ""
        return f"还差{c.label}{_number(float(threshold) - value)}{unit}{more}"
    if c.op in ("<=", "<") and isinstance(value, int | float):
        return f"{c.label}超出{_number(value - float(threshold))}{unit}"
    if c.op == "between" and isinstance(value, int | float):
        low, high = threshold
        if value < low:
            return f"还差{c.label}{_number(low - value)}{unit}"
        return f"{c.label}已达到{_number(high)}{c.unit}上限"
    if c.op == "in":
        return f"{c.label}为{value}，须为{'、'.join(threshold)}"
    return f"不满足：{c.label}"


def _state(row: dict[str, Any], key: str) -> str:
    code = row.get(f"s__{key}")
    return CRITERION_STATES[int(code)] if code is not None else "unknown"


def criterion_entry(c: Criterion, row: dict[str, Any], programme: Programme, as_of: date) -> dict[str, Any]:
    state = _state(row, c.id)
    value = _clean(row.get(f"v__{c.id}"))
    threshold = threshold_of(c, programme, as_of)
    gaps = [gap_of(c, value, threshold, state)]
    for alt in c.readings()[1:]:
        alt_value = _clean(row.get(f"v__{alt.id}"))
        alt_state = "unknown" if alt_value is None else state
        gaps.append(gap_of(alt, alt_value, threshold_of(alt, programme, as_of), alt_state))
    entry: dict[str, Any] = {
        "id": c.id,
        "label": c.label,
        "status": state,
        "value": value,
        "threshold": threshold,
        "unit": c.unit,
        "gap": "，或".join(g.removeprefix("还差") if i else g for i, g in enumerate(gaps) if g),
        "source": source_of(c.data),
        "period": period_of(c.data, programme, as_of),
        "clause": c.clause,
    }
    if f"p__{c.id}" in row:
        entry["points"] = _clean(row[f"p__{c.id}"])
    return entry


def criteria_of(row: dict[str, Any], programme: Programme, as_of: date) -> list[dict[str, Any]]:
    """Every criterion (and every scored group total) of one evaluated row, in the file's order."""
    out: list[dict[str, Any]] = []
    _walk(programme.criteria, row, programme, as_of, out)
    return out


def _walk(node: Node, row: dict[str, Any], p: Programme, as_of: date, out: list[dict[str, Any]]) -> None:
    if node.criterion is not None:
        out.append(criterion_entry(node.criterion, row, p, as_of))
        return
    if node.scored is not None:
        s = node.scored
        for g in s.groups:
            for item in g.items:
                out.append(criterion_entry(item, row, p, as_of))
        state = _state(row, s.id)
        total = _clean(row.get(f"p__{s.id}"))
        floors = "，".join(f"{g.label}≥{_number(g.min)}" for g in s.groups if g.min is not None)
        out.append(
            {
                "id": s.id,
                "label": s.label,
                "status": state,
                "value": total,
                "threshold": s.min_total,
                "unit": "分",
                "gap": "" if state == "met" else _score_gap(s.min_total, total, floors, state),
                "source": "评分",
                "period": "",
                "clause": s.clause,
                "groups": {g.id: _clean(row.get(f"p__{s.id}__{g.id}")) for g in s.groups},
            }
        )
        return
    for child in [node.not_] if node.not_ is not None else (node.all or node.any or []):
        _walk(child, row, p, as_of, out)


def _score_gap(minimum: float, total: Any, floors: str, state: str) -> str:
    words = f"已确定得分{_number(total or 0)}分，须达到{_number(minimum)}分"
    if floors:
        words += f"（且{floors}）"
    return words if state == "not_met" else words + "；尚有缺数据或需人工评分的指标"
