"""Evaluation in words a bureau officer reads: the run titled with the installation's own region, method
names in Chinese, the scoring rule of each indicator and the class rules spelled out (not "A · 0.2" or
"比值法 x/B"), and values rounded for display. One place, so pages, exports and the API say the same."""

from __future__ import annotations

from zhizao.evaluation.method import Classes, Method, Scoring, preset_names
from zhizao.evaluation.runs import as_source
from zhizao.reference import home

SCORING_WORDS = {
    "ratio": "比值法：得分 = 本企业值 ÷ 基准值 × 权重（高于基准值得分高于权重）",
    "inverse": "反向比值法（越低越好）：得分 = (2 − 本企业值 ÷ 基准值) ÷ 2 × 权重",
    "minmax": "极差法：按本企业值在组内最小值与最大值之间的位置计分",
}


def run_title(year: int, english: bool = False) -> str:
    """The run's title with the installation's own region: 某市 2024 年度工业企业亩产效益评价."""
    name = home.home_name(english=english)
    if english:
        return f"{name} {year} per-mu efficiency evaluation".strip()
    return f"{name}{year}年度工业企业亩产效益评价"


def method_label(title: str) -> str:
    """A method named by what it is: the stored title without the id or the source's year in brackets."""
    return f"评价方法：{title}" if title else "评价方法：自定义"


def preset_choices() -> list[tuple[str, str]]:
    """(id, Chinese title) of every shipped preset, for the method choice."""
    return [(name, as_source(name).method.title or name) for name in preset_names()]


def scoring_rule(scoring: Scoring) -> str:
    words = SCORING_WORDS[scoring.method]
    if scoring.cap is not None:
        words += f"，最高不超过权重的 {scoring.cap:g} 倍"
    return words


def class_rules(classes: Classes) -> list[tuple[str, str, str]]:
    """(class id, label, the rule in words) of every class, in order."""
    rules = []
    if classes.mode == "quota":
        done = 0.0
        for c in classes.items:
            share = c.share or 0.0
            rule = f"按总分排名，第 {done:.0%}–{done + share:.0%} 的企业（约占 {share:.0%}）"
            rules.append((c.id, c.label, rule))
            done += share
        return rules
    for c in classes.items:
        rule = f"总分不低于 {c.min_score:g} 分" if c.min_score is not None else "其余企业"
        rules.append((c.id, c.label, rule))
    return rules


def method_rules(method: Method) -> list[tuple[str, str]]:
    """(indicator label, scoring rule in words) of every indicator of the method."""
    return [(ind.label, scoring_rule(method.scoring_of(ind))) for ind in method.indicators]


def rounded(value: float | None, digits: int = 2) -> float | None:
    """A value as pages and exports show it (None stays None)."""
    return None if value is None else round(value, digits)
