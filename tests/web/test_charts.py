"""Chart options in English: every text ECharts shows goes through the catalogue, every chart through the
`chart_json` filter."""

from __future__ import annotations

import re
from typing import Any

from zhizao.web.charts import chart_translator, localize_chart
from zhizao.web.templating import TEMPLATES_DIR

CHINESE = re.compile(r"[\u3400-\u9fff（）]")


def shown_chinese(option: Any, key: str = "") -> list[str]:
    """The Chinese texts left where ECharts shows text (names, titles, data labels, formatters)."""
    if isinstance(option, dict):
        return [text for k, v in option.items() for text in shown_chinese(v, k)]
    if isinstance(option, list):
        return [text for v in option for text in shown_chinese(v, key)]
    shown = key in {"name", "text", "subtext", "data", "formatter"}
    return [option] if shown and isinstance(option, str) and CHINESE.search(option) else []


def test_localize_chart_translates_names_titles_data_and_formatters() -> None:
    option = {
        "title": {"text": "总分分布"},
        "xAxis": {"type": "category", "data": ["10月", "1—10月", "黄岛区", "市工业和信息化局"]},
        "yAxis": [{"type": "value", "name": "亿元", "axisLabel": {"formatter": "{value}亿元"}}],
        "series": [
            {
                "name": "实际值（亿元）",
                "type": "line",
                "data": [1.5, None],
                "label": {"formatter": "{c}个百分点"},
            },
            {"name": "目标值（%）", "type": "bar", "data": [{"name": "规上", "value": 3}]},
        ],
    }
    english = localize_chart(option, chart_translator("en", {"黄岛区": "Huangdao District"}))
    assert english["title"]["text"] == "Distribution of total scores"
    assert english["xAxis"]["data"] == [
        "M10",
        "M1–10",
        "Huangdao District",
        "市工业和信息化局",
    ]  # no entry: as is
    assert english["yAxis"][0]["name"] == "100 million yuan"
    assert english["yAxis"][0]["axisLabel"]["formatter"] == "{value} 100 million yuan"
    assert english["series"][0]["name"] == "Actual (100 million yuan)"
    assert english["series"][0]["label"]["formatter"] == "{c} pp"
    assert english["series"][0]["data"] == [1.5, None] and english["series"][0]["type"] == "line"
    assert english["series"][1]["name"] == "Target value (%)"
    assert english["series"][1]["data"] == [{"name": "Above scale", "value": 3}]
    assert option["title"]["text"] == "总分分布"  # the library's option is left as it was


def test_every_chart_in_the_templates_goes_through_chart_json() -> None:
    blocks = []
    for path in TEMPLATES_DIR.rglob("*.html"):
        blocks += re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', path.read_text("utf-8"))
    assert len(blocks) > 10
    assert [b for b in blocks if "|chart_json" not in b] == []


def test_translate_month_labels_and_bracketed_labels() -> None:
    from zhizao.web.i18n import translate

    assert translate("2024年6月", "en") == "2024-6"
    assert translate("2024年1-6月", "en") == "2024, months 1-6"
    assert translate("实际值（亿元）", "en") == "Actual (100 million yuan)"
    name = "市工业和信息化局（市国资委）"
    assert translate(name, "en") == name  # no entry: as it is
    assert translate("10月", "en") == "10月"  # a month axis is the chart translator's (M10), not a pattern
