"""The one deadline grammar: a deadline as written (全年, 2024年6月底前, 年底前, 一季度, 第三季度, 上半年,
2025-06-30) read as the last day of the period it names. The reader of documents and a person's edit on the
review page both call `read_deadline`, so the two always agree.

Open-ended phrases (长期坚持, 持续推进, 常态化) and recurring ones without a year of their own (每年, 每季度)
name no single day: None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_TOKEN = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年"
    r"|(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
    r"|(?P<half>上半年|下半年|年中|年底|年末|全年|年内|年度内|当年)"
    r"|第?(?P<q>[一二三四1-4])季度"
)
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
# a date typed as digits: 2025-06-30, 2025/6/30, 2025.6.30
_NUMERIC = re.compile(r"^\s*((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?\s*$")
_OPEN_ENDED = re.compile(r"长期|持续|常态化|逐年|不定期|随时")
_RECURRING = re.compile(r"每(?:年|季度?|半年|月|周)")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _token_date(m: re.Match[str], year: int) -> date | None:
    if m.group("m"):
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        if m.group("d"):
            try:
                return date(year, month, int(m.group("d")))
            except ValueError:
                return None
        return _month_end(year, month)
    if m.group("half"):
        return date(year, 6, 30) if m.group("half") in {"上半年", "年中"} else date(year, 12, 31)
    if m.group("q"):
        return _month_end(year, _QUARTER[m.group("q")])
    return date(year, 12, 31)


def _numeric(text: str) -> date | None:
    m = _NUMERIC.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if m.group(3) is None:
        return _month_end(year, month)
    try:
        return date(year, month, int(m.group(3)))
    except ValueError:
        return None


def is_open_ended(text: str | None) -> bool:
    """Whether a deadline phrase names no single day (长期坚持, 持续推进, 每年)."""
    if not text:
        return False
    return read_deadline(text, 2000) is None and bool(_OPEN_ENDED.search(text) or _RECURRING.search(text))


def read_deadline(text: str | None, default_year: int | None) -> date | None:
    """The last day of the period `text` names; `default_year` (the plan's year) completes a phrase without
    one (年底前, 一季度). None when it names no period, or an open-ended or recurring one."""
    if not text or not text.strip():
        return None
    numeric = _numeric(text)
    if numeric is not None:
        return numeric
    if _RECURRING.search(text) and not _YEAR.search(text):
        return None  # 每年年底前: every year, not one day
    year = default_year
    result: date | None = None
    for m in _TOKEN.finditer(text):
        if m.group("y"):
            year = int(m.group("y"))
        if year is None:
            continue
        found = _token_date(m, year)
        if found is not None:
            result = found
    return result


def parse_deadline(text: str | None, default_year: int | None) -> str | None:
    """`read_deadline` as YYYY-MM-DD (the FORMAT.md form of an extraction's deadline)."""
    found = read_deadline(text, default_year)
    return found.isoformat() if found else None


_DATE = re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月")
_BRACKETED = re.compile(r"[(〔【]([^()〔〕【】]*)[)〕】]")
_START = re.compile(r"自[^,;。]{0,20}?起|从[^,;。]{0,20}?起")


def names_period(text: str | None) -> bool:
    """Whether a heading names a period of its own: a date in brackets (宣传发动阶段(2021年1月至6月)) or a
    stage named with its dates (第一阶段:2021年1月至6月). A date in a lead-in sentence (…自2019年1月1日起…)
    or a year qualifying a section (2021年主要预期目标) is not a period."""
    if not text:
        return False
    if any(_DATE.search(m.group(1)) for m in _BRACKETED.finditer(text)):
        return True
    return bool(re.search(r"阶段|时段", text)) and bool(_DATE.search(_START.sub("", text)))
