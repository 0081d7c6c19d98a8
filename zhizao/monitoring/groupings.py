"""The groupings monitoring numbers are broken down by, as Ibis tables of (enterprise_id, group).

`firms` is the firm table the loader builds (`zhizao.monitoring.data`): enterprise_id, region_code,
industry_code, division, above_scale, revenue_last (last year's 营业收入, 万元), employees_last. Region and
section groupings take a small mapping table (region code → the region one level below the viewing region;
division → 门类), so the installation's levels and the industry table stay reference data.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

import ibis
import ibis.expr.types as ir

GroupBy = Literal["region", "section", "division", "group", "size", "scale", "park", "chain", "list"]
MEMBERSHIPS = ("park", "chain", "list")  # groupings read from a membership: a firm may be in several
GROUP_LABELS: dict[str, str] = {
    "region": "地区",
    "section": "行业门类",
    "division": "行业大类",
    "group": "行业中类",
    "size": "企业规模",
    "scale": "规上/规下",
    "park": "园区",
    "chain": "产业链",
    "list": "企业名单",
}
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
SCALE_LABELS = {"above": "规上", "below": "规下"}
# 统计上大中小微型企业划分办法（2017）, 工业: 从业人员 and 营业收入 (万元) must both reach a class's floor.
SIZE_FLOORS = (("large", 1000, 40000.0), ("medium", 300, 2000.0), ("small", 20, 300.0))


def is_group_by(name: str) -> TypeGuard[GroupBy]:
    return name in get_args(GroupBy)


def size_class(firms: ir.Table) -> ir.Value:
    """大/中/小/微 from last year's revenue and employees (revenue alone where employees are unknown)."""
    staff = firms.employees_last
    revenue = firms.revenue_last
    branches = [
        ((staff.isnull() | (staff >= people)) & (revenue >= money), label)
        for label, people, money in SIZE_FLOORS
    ]
    return ibis.cases(*branches, else_="micro")


def group_keys(firms: ir.Table, by: GroupBy, mapping: ir.Table | None = None) -> ir.Table:
    """(enterprise_id, group) for a grouping. `mapping`: for region (region_code, group), for section
    (division, group), for park, chain and list the membership (enterprise_id, group). A firm in several
    groups (two chains) is counted in each group; the total is summed without the grouping, never twice."""
    if by == "division":
        return firms.select("enterprise_id", group=firms.division)
    if by == "group":
        return firms.select("enterprise_id", group=firms.industry_code.substr(0, 3))
    if by == "size":
        return firms.select("enterprise_id", group=size_class(firms))
    if by == "scale":
        return firms.select("enterprise_id", group=ibis.ifelse(firms.above_scale, "above", "below"))
    if mapping is None:
        raise ValueError(f"grouping {by} needs a mapping table")
    if by in MEMBERSHIPS:
        return mapping.select("enterprise_id", group=mapping.group.cast("string"))
    key = "region_code" if by == "region" else "division"
    m = mapping.select(m_key=mapping[key], group=mapping.group)
    joined = firms.join(m, firms[key] == m.m_key)
    return joined.select("enterprise_id", "group")
