"""Which year a goal is due, and why: the goal's own sentence, then its paragraph, then the document.

1. A year written before the goal in its sentence (到2025年, 2024年底前); a year before the plan's first year
   marks history (not a goal); 2012年起 is a start, not a due year.
2. 今年/本年/全年 before the goal: the document's year.
3. A span (5年内, 用3年时间, 三年左右时间, 经过5年努力) counted from the plan's first year, never past the end
   of a multi-year plan.
4. The 到2025年 that opened the goal's paragraph (in a document with headings: its section; `——` bullets
   and lines after a colon continue the paragraph).
5. The document's year (title, period, 发文字号, dateline), with the reason the title/year reader gave.

Each answer carries a short Chinese reason for the review page and a confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.indicators import BASE
from zhizao.plans.reading.numbers import to_number

YEAR_AT = re.compile(r"(?:到|至|截至)?\s*((?:19|20)\d{2})\s*年(?:底|末)?(?:前)?(?!起|以来|开始)")
DUE_YEAR = re.compile(r"(?:到|至)\s*((?:19|20)\d{2})\s*年")
_SPAN_NUMBER = r"(\d{1,2}|[一二两三四五六七八九十])"
WITHIN = re.compile(rf"(?:(?:用|通过|经过|力争)\s*)?{_SPAN_NUMBER}\s*年(?:内|(?:左右)?(?:的)?(?:时间|努力))")
_THIS_YEAR = re.compile(r"今年|本年|(?<![一二三四五六七八九十\d])(?:全年|当年)")
# a heading or short line that opens a review of past work (一、2018年工作回顾, 回顾2023年工作成果)
_REVIEW = re.compile(
    r"回顾|过去(?:一|五|的一)年|上年工作|去年工作|工作成果|工作总结|发展成就|成绩单|主要成绩"
)
# a heading or short line that opens what is to be done (二、今年主要预期目标, 展望2024年工作目标)
_AHEAD = re.compile(r"目标|展望|任务|建议|安排|打算|思路|要求|重点工作|今年|明年")


@dataclass
class Due:
    """The year a goal is due (None when the text gives none), why, and how sure the reader is."""

    year: int | None
    reason: str
    confidence: float


@dataclass
class DocumentYears:
    """The document's year and first year (a multi-year plan), and why the year was read so."""

    year: int | None
    start_year: int | None
    reason: str = ""


def due_year(before: str, doc: DocumentYears, section: tuple[int, str] | None) -> Due | None:
    """The due year of a goal whose sentence reads `before` up to the goal; None for a past year."""
    base_years = {int(y) for y in BASE.findall(before)}
    stated = [m for m in YEAR_AT.finditer(before) if int(m.group(1)) not in base_years]
    if stated:
        year = int(stated[-1].group(1))
        if doc.start_year and year < doc.start_year:
            return None
        return Due(year, f"年份取自目标所在句的“{stated[-1].group().strip()}”", 0.95)
    if _THIS_YEAR.search(before) and doc.year is not None:
        return Due(doc.year, "年份取自“今年”等字样,即文件年份", 0.9)
    within = WITHIN.search(before)
    if within and doc.start_year is not None:
        due = doc.start_year + int(to_number(within.group(1)) or 0)
        ranged = doc.year is not None and doc.year != doc.start_year
        if ranged and doc.year is not None:
            due = min(due, doc.year)
        return Due(due, f"年份由“{within.group()}”自{doc.start_year}年起算", 0.8)
    if section is not None:
        return Due(section[0], f"年份取自所在段落开头的“{section[1]}”", 0.85)
    if doc.year is not None:
        source = f"({doc.reason})" if doc.reason else ""
        return Due(doc.year, f"年份取自文件年份{source}", 0.7)
    return Due(None, "文中未写明年份", 0.5)


def opens_review(line: str) -> bool:
    """A short heading-like line opening a review of past work (一、2018年工作回顾, 回顾2023年工作成果)."""
    return _short(line) and bool(_REVIEW.search(line)) and not _AHEAD.search(line)


def opens_goals(line: str) -> bool:
    """A short heading-like line opening the goals or work ahead (展望2024年工作目标, 二、今年的主要任务)."""
    return _short(line) and bool(_AHEAD.search(line))


def _short(line: str) -> bool:
    return len(line) <= 40 and not re.search(r"[。;]", line)


def continues_paragraph(line: str, previous: str | None) -> bool:
    """A line that belongs to the paragraph before it: a —— bullet, or a line after one ending in a colon."""
    return line.startswith(("——", "—", "-", "•", "·")) or bool(previous and previous.rstrip().endswith(":"))
