"""The generated sentences of the monthly 工业运行分析: what the numbers say, in the words a bureau writes."""

from __future__ import annotations

from zhizao.monitoring.groupings import GROUP_LABELS
from zhizao.monitoring.queries import Report, by_district
from zhizao.monitoring.results import GroupResult


def period_name(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def change(value: float | None, unit: str = "%") -> str:
    """增长 3.2% / 下降 1.5% / 持平; — when unknown."""
    if value is None:
        return "增速无法计算（上年同期无数据）"
    if abs(value) < 0.05:
        return "与上年同期持平"
    return f"增长{value:.1f}{unit}" if value > 0 else f"下降{abs(value):.1f}{unit}"


def pull(g: GroupResult) -> str:
    pp = g.contribution_pp or 0.0
    return f"{g.name}拉动{pp:.2f}个百分点" if pp >= 0 else f"{g.name}拉低{abs(pp):.2f}个百分点"


def overview(report: Report, place: str, indicator_label: str) -> list[str]:
    a, t = report.analysis, report.analysis.total
    label = GROUP_LABELS.get(a.group_by, a.group_by)
    out = [
        f"{period_name(a.month)}，{place}{t.firms}家可比企业{indicator_label}"
        f"累计{(t.value_cum or 0):,.1f}万元，"
        f"同比{change(t.growth)}，增长面{(t.growth_breadth or 0):.1f}%（{t.growing_firms}家企业增长）。"
        f"{a.month}月当月同比{change(t.growth_month)}，环比{change(t.mom_growth)}。"
    ]
    if t.beside_growth is not None:
        out.append(f"同期可比企业用电量累计同比{change(t.beside_growth)}，可作为产值走势的先行参考。")
    if report.official is not None:
        name, value = report.official
        gap = (t.growth - value) if t.growth is not None else None
        side = (
            "" if gap is None else f"，企业口径增速{'高于' if gap >= 0 else '低于'}该数{abs(gap):.1f}个百分点"
        )
        out.append(f"统计部门公布的{name}为{value:.1f}%（可比价）{side}。")
    ups = [g for g in a.groups if (g.contribution_pp or 0) > 0]
    downs = [g for g in reversed(a.groups) if (g.contribution_pp or 0) < 0]
    if a.groups:
        parts = [f"分{label}看，{len(ups)}个{label}增长、{len(downs)}个下降"]
        if ups:
            parts.append("其中" + "、".join(pull(g) for g in ups[:3]))
        if downs:
            parts.append("、".join(pull(g) for g in downs[:3]))
        out.append("，".join(parts) + "。")
    if t.industries:
        out.append(
            f"{t.industries}个行业大类中{t.growing_industries}个增长，"
            f"行业增长面{(t.industry_breadth or 0):.1f}%。"
        )
    if t.new_firms or t.exit_firms:
        out.append(
            f"新增（增量）企业{t.new_firms}家，累计{(t.new_value or 0):,.1f}万元；退出企业{t.exit_firms}家，"
            f"上年同期{(t.exit_value or 0):,.1f}万元；二者均未计入可比增速。"
        )
    return out


def factors(report: Report) -> list[str]:
    a = report.analysis
    out = []
    if a.support:
        items = "、".join(f"{f.name}（拉动{(f.contribution_pp or 0):.2f}个百分点）" for f in a.support[:5])
        out.append(f"主要增长支撑：{items}。")
    if a.drag:
        items = "、".join(f"{f.name}（拉低{abs(f.contribution_pp or 0):.2f}个百分点）" for f in a.drag[:5])
        out.append(f"主要减量因素：{items}。")
    return out or ["本月无可比企业变动。"]


def warning_summary(report: Report) -> list[str]:
    if not report.warnings:
        return ["本月无预警企业。"]
    grouped = by_district(report.warnings)
    parts = "，".join(f"{name}{len(items)}条" for name, items in grouped.items())
    return [f"本月共有预警{len(report.warnings)}条：{parts}。请各地区逐户走访核实，及时协调解决企业困难。"]
