"""Step 9, explain: one readable ``reasons`` string per enterprise (why T, which data were missing, which
bonus, penalty or veto applied, why it is outside every pool)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.steps.common import Context, col, has_tag
from zhizao.reference.data_files import indicator_labels

MISSING_RULE_WORDS = {"zero": "按零计分", "pool_mean": "按组内平均得分", "penalty": "扣分"}


def numerator_label(numerator: str) -> str:
    """The catalogue label of an indicator's numerator (税收实际贡献 for tax), the id when unknown."""
    return indicator_labels().get(numerator, numerator)


def _reason_parts(t: ir.Table, ctx: Context) -> list[tuple[ir.BooleanValue, str]]:
    method = ctx.method
    rules = method.t_class
    parts: list[tuple[ir.BooleanValue, str]] = [(~t.in_scope, "不在任何评价范围(池)内")]
    if rules.industry_divisions:
        parts.append((t["t__industry"], f"T: 行业大类 {'/'.join(rules.industry_divisions)}"))
    if rules.max_age_years is not None:
        parts.append((t["t__age"], f"T: 成立不足{rules.max_age_years}年"))
    parts += [(t[f"t__tag{i}"], f"T: 标签「{tag}」") for i, tag in enumerate(rules.tags)]
    for ind in method.indicators:
        rule = method.missing_of(ind).rule
        parts.append((t[col(ind.id, "missing")], f"缺数据: {ind.label}（{MISSING_RULE_WORDS[rule]}）"))
        negative = t[col(ind.id, "negative")] & t.graded
        parts.append((negative, f"{numerator_label(ind.numerator)}为负: {ind.label} 计 0 分"))
    for adj in method.adjustments:
        name = adj.label or adj.tag
        if adj.points is not None:
            text = f"{'加' if adj.points >= 0 else '减'}分 {abs(adj.points):g}: {name}"
        elif adj.downgrade is not None:
            text = f"降 {adj.downgrade} 档: {name}"
        else:
            text = f"否决: {name} → {adj.force_class}"
        parts.append((t.graded & has_tag(t, adj.tag), text))
    return parts


def explain(t: ir.Table, ctx: Context) -> ir.Table:
    """Most enterprises have no reason at all: the string is only built where some condition holds."""
    text: ir.StringValue = ibis.literal("")
    any_reason: ir.BooleanValue = ibis.literal(False)
    for condition, reason in _reason_parts(t, ctx):
        text = text + ibis.ifelse(condition, f"{reason}; ", "")
        any_reason = any_reason | condition
    return t.mutate(reasons=ibis.ifelse(any_reason, text.re_replace(r"; $", ""), ""))
