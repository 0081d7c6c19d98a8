"""Chart options (ECharts, built by the library in Chinese) in the page's language.

Every chart a page draws goes through the `chart_json` template filter: in English, each text an ECharts
option shows — series and axis names, titles, category and legend data, label formatters — is translated
with the message catalogue (its entries and patterns, `zhizao.web.i18n.translate`), and a place name of the
installation's region by its English name. A formatter keeps its placeholders ("{c}亿元" → "{c} 100
million yuan"). What has no entry (a unit's name, an enterprise's) stays as it is."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from zhizao.web.i18n import translate

TEXT_KEYS = frozenset({"name", "text", "subtext", "data", "formatter"})
_CHINESE = re.compile(r"[\u3400-\u9fff（）]")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_MONTH = re.compile(r"(?:(?P<first>1[0-2]|[1-9])[—–-])?(?P<last>1[0-2]|[1-9])月")


def chart_translator(language: str, places: Mapping[str, str]) -> Callable[[str], str]:
    """A text's English: a place name by the region's English name, else the catalogue's translation."""

    longest_first = sorted(places, key=len, reverse=True)

    def english(text: str) -> str:
        if text in places:
            return places[text]
        month = _MONTH.fullmatch(text)  # an axis of months: 10月 → M10, 1—10月 → M1–10
        if month:
            return f"M{month['first']}–{month['last']}" if month["first"] else f"M{month['last']}"
        translated = translate(text, language)
        if _CHINESE.search(translated):  # a place named inside a label: 黄岛区各维度得分
            for name in longest_first:
                if name in translated:
                    translated = translated.replace(name, places[name])
        return translated

    return english


def _formatter(text: str, english: Callable[[str], str]) -> str:
    """A label formatter translated piece by piece around its placeholders, a space before a word."""
    out = ""
    for piece in _PLACEHOLDER.split(text):
        if not piece:
            continue
        if not _PLACEHOLDER.fullmatch(piece) and _CHINESE.search(piece):
            stripped = piece.strip()
            piece = english(stripped)
            if piece != stripped and out and out[-1] not in " (" and piece[:1].isalnum():
                piece = " " + piece
        out += piece
    return out


def localize_chart(option: Any, english: Callable[[str], str]) -> Any:
    """A copy of `option` with every shown Chinese text passed through `english`."""

    def walk(value: Any, key: str) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_KEYS and _CHINESE.search(value):
            return _formatter(value, english) if key == "formatter" else english(value)
        return value

    return walk(option, "")
