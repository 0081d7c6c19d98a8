"""Quantities in running text: a number (Arabic or Chinese, or a range), a unit and a qualifier.

Text inside brackets, quotes and book-title marks is masked first: numbers there are asides, names
(“345”推进思路) or titles, never goals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.numbers import CHINESE_NUMERAL_CHARS, to_number

_COUNT_UNITS = (
    "家|个(?!月|工作日|小时|季度|年度)|项|场次|场|条|种|名|人次|人(?!才)|户|台套|台|套|座|所|处|件|辆|款|部|支|张|颗|片|栋|间|根|批次|"
    "平方公里|平方米|公顷|亩|公里|千米|立方米|吨标准煤|吨|公斤|斤|千升|千伏安|千瓦时|千瓦|兆瓦时|兆瓦|吉瓦|"
    "GW|MW|kW|标准箱|标箱|床位"
)
_AMOUNT_UNITS = "元|美元|欧元|倍"
_MAGNITUDE = "(?:万亿|千万|百万|亿|万)?"
_PER = r"(?:/(?:万|千|百)?(?:人|户|亩|平方米|平方公里|公顷|吨|千瓦时|台|辆|床))?"  # 万元/人, 台/万人
_UNIT = rf"(?:个百分点|百分点|%|{_MAGNITUDE}(?:{_AMOUNT_UNITS}){_PER}|{_MAGNITUDE}(?:{_COUNT_UNITS}){_PER})"
_NUM = rf"(?:\d+(?:\.\d+)?|[{CHINESE_NUMERAL_CHARS}]{{2,}})"
QUANTITY = re.compile(
    rf"(?P<num>{_NUM})(?:\s*(?:至|到|—|―|-|－|~|～|–)\s*(?P<num2>{_NUM}))?\s*(?P<unit>{_UNIT})"
    r"(?P<qual>及以上|以上|左右|以内|以下|多|余)?"
)
# 五千亿规模, 突破2000亿: a money magnitude with no unit written, at the end of a clause or before 规模
BARE_AMOUNT = re.compile(
    rf"(?P<num>{_NUM})\s*(?P<unit>万亿|亿)(?P<qual>以上|左右|以内)?(?:规模|元)?(?=$|[,;。、和])"
)
# 新增就业目标1200万: a count in 万 with its unit left out, closing its clause
BARE_WAN = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*万(?P<qual>以上|左右|以内)?(?=$|[,;。、])")
_BEFORE = (
    ("about", re.compile(r"(?:约|近|接近|大约)$")),
    (
        "at_least",
        re.compile(
            r"(?:超过|突破|不低于|不少于|至少|高于|大于|多于|迈上|站上|(?<![赶追])超|(?<![通经超度不])过)$"
        ),
    ),
    ("at_most", re.compile(r"(?:不超过|不高于|低于|少于|控制在|小于)$")),
)
_AFTER = {"左右": "about", "以上": "at_least", "及以上": "at_least", "多": "at_least", "余": "at_least"}
_AFTER.update({"以内": "at_most", "以下": "at_most"})
_MASK_PAIRS = {"(": ")", "〔": "〕", "【": "】", "[": "]", "“": "”", "‘": "’", "《": "》", "「": "」"}
MASK = "\u25a1"
AMOUNT = re.compile(rf"^(?:{_MAGNITUDE}(?:{_AMOUNT_UNITS})|%|个百分点|百分点)$")


@dataclass
class Quantity:
    value: float
    unit: str
    qualifier: str
    start: int
    end: int
    is_range: bool
    doubling: bool = False  # 翻一番/倍增: a growth of 100% (翻两番: 300%)


def _quoted_statement(text: str, i: int) -> int:
    """The index of the closing quote when the quote opening at i holds a statement (a clause with
    punctuation: 提出了“到2025年,…翻一番”的目标), not a name; else -1."""
    close = text.find("”", i + 1)
    if close < 0 or close - i < 12 or not re.search(r"[,;。]", text[i + 1 : close]):
        return -1
    return close


def mask(text: str) -> str:
    """The text with bracketed, quoted and titled parts replaced by a mask character (same length).
    A quoted statement keeps its words, its quote marks read as clause breaks."""
    out = list(text)
    stack: list[str] = []
    for i, ch in enumerate(text):
        if not stack and ch == "“" and _quoted_statement(text, i) > 0:
            out[i] = out[_quoted_statement(text, i)] = ","  # the statement reads as clauses of its own
            continue
        if stack and ch == stack[-1]:
            stack.pop()
            out[i] = MASK
        elif ch in _MASK_PAIRS:
            stack.append(_MASK_PAIRS[ch])
            out[i] = MASK
        elif stack:
            out[i] = MASK
    return "".join(out)


def _qualifier(text_before: str, after: str | None, is_range: bool) -> str:
    if after:
        return _AFTER[after]
    if is_range:
        return "at_least"
    for name, pattern in _BEFORE:
        if pattern.search(text_before):
            return name
    return "exact"


def _unit(raw: str) -> str:
    return "个百分点" if raw == "百分点" else raw


# 营业收入较2021年翻一番: a doubling against a base year is a growth goal (倍增 alone names a campaign)
DOUBLING = re.compile(r"(?:实现|再)?(?P<word>翻一番|翻两番|翻番|倍增)(?=$|[,;。、和])")
_DOUBLING_BASE = re.compile(
    r"(?:(?:较|比)\s*(?:19|20)\d{2}\s*年(?:末|底)?|在\s*(?:19|20)\d{2}\s*年(?:末|底)?的?基础上)$"
)
# 占GDP比重实现翻番, 企业数量倍增: a measured thing doubling is a goal even without a base year
# (工业倍增 names a campaign)
_DOUBLED_MEASURE = re.compile(r"(?:比重|比例|占比|规模|产值|收入|增加值|总量|数量|投资|利润|税收)$")


def find_quantities(masked: str) -> list[Quantity]:
    """Every quantity in an already masked clause."""
    found: list[Quantity] = []
    for m in QUANTITY.finditer(masked):
        value = to_number(m.group("num"))
        if value is None or (m.group("num2") and to_number(m.group("num2")) is None):
            continue
        if m.start() > 0 and (masked[m.start() - 1].isdigit() or masked[m.start() - 1] in ".G"):
            continue
        if m.start() > 0 and (
            (masked[m.start() - 1].isascii() and masked[m.start() - 1].isalpha())
            or masked[m.start() - 1] == "_"
        ):
            continue  # 365bet_365名品汇: digits inside a name or code
        is_range = bool(m.group("num2"))
        qualifier = _qualifier(masked[: m.start()], m.group("qual"), is_range)
        found.append(Quantity(value, _unit(m.group("unit")), qualifier, m.start(), m.end(), is_range))
    for m in BARE_AMOUNT.finditer(masked):
        value = to_number(m.group("num"))
        taken = any(q.start <= m.start() < q.end for q in found)
        if value is None or taken or (m.start() > 0 and masked[m.start() - 1].isdigit()):
            continue
        qualifier = _qualifier(masked[: m.start()], m.group("qual"), False)
        found.append(Quantity(value, m.group("unit") + "元", qualifier, m.start(), m.end(), False))
    for m in BARE_WAN.finditer(masked):
        value = to_number(m.group("num"))
        taken = any(q.start <= m.start() < q.end for q in found)
        if value is None or taken or (m.start() > 0 and masked[m.start() - 1].isdigit()):
            continue
        qualifier = _qualifier(masked[: m.start()], m.group("qual"), False)
        found.append(Quantity(value, "万", qualifier, m.start(), m.end(), False))
    for m in DOUBLING.finditer(masked):
        before = masked[: m.start()]
        measured = _DOUBLED_MEASURE.search(before)
        if _DOUBLING_BASE.search(before) or measured:
            value = 300.0 if m.group("word") == "翻两番" else 100.0
            found.append(Quantity(value, "%", "exact", m.start("word"), m.end(), False, doubling=True))
    return sorted(found, key=lambda q: q.start)


def qualifier_word_before(text_before: str) -> str | None:
    """The comparison word just before a number (不低于, 超过 ...), if any."""
    m = re.search(r"(不低于|不少于|不超过|不高于|超过|突破|高于|低于|控制在|至少)$", text_before)
    return m.group(1) if m else None
