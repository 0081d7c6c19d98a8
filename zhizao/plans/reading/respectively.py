"""Clauses of a sentence, and `A和B分别…X和Y`: N subjects paired in order with N values.

分别, 双双 and 均 (not 年均/人均) pair the subjects joined by 、/和/及/与 before them with the
values after them; the subjects may stand in an earlier clause of the sentence
(A和B在2022年的基础上实现倍增,分别超过90家和870家); one subject with N values gives N goals of it;
names coordinated before the word share the measured thing closing the last one
(A和B产业规模双双突破… → A产业规模, B产业规模).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.indicators import BASE, LEAD, clean_indicator
from zhizao.plans.reading.quantities import Quantity, find_quantities


@dataclass
class Clause:
    text: str  # original
    masked: str
    start: int  # offset in the normalised text


def split_clauses(text: str, masked: str, start: int, ends: str) -> list[Clause]:
    out: list[Clause] = []
    begin = 0
    for i, ch in enumerate(masked + ends[0]):
        if ch in ends:
            if i > begin:
                out.append(Clause(text[begin:i], masked[begin:i], start + begin))
            begin = i + 1
    return out


@dataclass
class Respectively:
    subjects: list[str]
    values: list[Quantity]
    context: str  # the clause the subjects were read from, when it is not the values' own clause


_RESPECTIVELY = re.compile(
    r"分别|双双|(?<![年人亩户平])均(?=增长|达到|达|突破|超过|超|保持|实现|提高|降低|下降)"
)
_JOIN = re.compile(r"^\s*(?:、|和|及|与|以及|,)\s*$")
_SUBJECT_END = re.compile(r"实现|达到|保持|同比|年均|力争|争取|确保|(?<![年人亩户平])均|都|双双")
_SUBJECT_SPLITS = (r"、|以及|和|及|与", r"、", r"以及|和|及|与")


def _subjects(raw: str, count: int) -> list[str]:
    """`A和B` / `A、B及C` before 分别 as count names (a split that gives count names wins)."""
    base = BASE.search(raw)
    if base:
        raw = raw[: base.start()]
    end = _SUBJECT_END.search(raw)
    if end and end.start() > 0:
        raw = raw[: end.start()]
    raw = LEAD.sub("", raw.strip(" ,;")) or raw
    for splitter in _SUBJECT_SPLITS:
        names = [clean_indicator(n) for n in re.split(splitter, raw)]
        names = [n for n in names if n]
        if len(names) == count or (count == 1 and len(names) > 1):
            return _share_head(names)
    names = [n for n in [clean_indicator(raw)] if n]
    return names * count if len(names) == 1 and count > 1 else []  # 城乡居民收入分别增长6%、9%


# what a goal measures, closing its name (产业规模, 营业收入, 企业数量)
_MEASURED = re.compile(
    r"(?:产业|行业|企业|工业|园区)?(?:规模|总产值|产值|主营业务收入|营业收入|收入|增加值|总量|数量|投资|产量|利润|"
    r"税收|销售额|出口额)$"
)


_GRADE = re.compile(r"[^级]{1,4}级")  # 国家级, 省级, 市级: a grade before a noun


def _share_head(names: list[str]) -> list[str]:
    """`A和B产业规模`: the measured thing closing the last name is shared by the names before it that name
    none of their own (新能源和储能产业规模双双突破… → 新能源产业规模, 储能产业规模); a bare grade before it
    shares the noun after the last name's grade (国家级和省级专精特新企业 → 国家级专精特新企业)."""
    if len(names) < 2:
        return names
    last = names[-1]
    graded = _GRADE.match(last)
    if graded and graded.end() < len(
        last
    ):  # 国家级和省级专精特新企业: a grade shares the noun after the last grade
        names = [n + last[graded.end() :] if _GRADE.fullmatch(n) else n for n in names[:-1]] + [last]
    head = _MEASURED.search(last)
    if not head or head.start() == 0:
        return names
    return [n if _MEASURED.search(n) else n + head.group() for n in names[:-1]] + names[-1:]


def pair_respectively(
    clause: Clause, quantities: list[Quantity], earlier: list[Clause]
) -> Respectively | None:
    """N subjects joined by 和/、/及 before 分别 and the N values after it (分别超过90家和870家), paired in
    order; the subjects may stand in an earlier clause of the sentence (A和B在2022年基础上实现倍增,分别…)."""
    word = _RESPECTIVELY.search(clause.masked)
    at = word.start() if word else -1
    if at < 0 or any(q.start < at for q in quantities):
        return None
    values = [quantities[0]]
    for q in quantities[1:]:
        if not _JOIN.match(clause.masked[values[-1].end : q.start]):
            break
        values.append(q)
    count = len(values) if len(values) > 1 else 1
    subjects, context = _subjects(clause.text[:at], count), ""
    for previous in reversed(earlier):
        if subjects or any(not q.doubling for q in find_quantities(previous.masked)):
            break
        subjects, context = _subjects(previous.text, count), previous.text + ","
    if len(subjects) > 1 and count == 1:
        values = values * len(subjects)
    if len(subjects) != len(values):
        return None
    return Respectively(subjects, values, context)
