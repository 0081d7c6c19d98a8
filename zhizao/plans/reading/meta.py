"""Title, 发文字号, issuer and plan year, read from the lines around the start of a document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.structure import Block, match_heading

_DOC_TYPES = (
    r"(?:行动计划|实施意见|指导意见|工作方案|实施方案|行动方案|工作要点|若干措施|若干政策|实施细则|"
    r"意见|方案|通知|办法|措施|规划|计划|决定|报告|细则)"
)
_PERIOD = r"(?:\(\d{4}[—\-–~至]+\d{4}年?\))?"
_QUOTED_TITLE = re.compile(rf"《([^《》]{{4,80}}?{_DOC_TYPES}{_PERIOD})》")
_ABOUT_TITLE = re.compile(rf"(关于[^。]{{2,80}}?的{_DOC_TYPES}{_PERIOD})$")
_TYPED_TITLE = re.compile(rf"^([^。,;]{{4,80}}?{_DOC_TYPES}{_PERIOD})$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]\s*\d{1,4}\s*号")
_ORG = r"(?:办公厅|办公室|人民政府|政府|委员会|党委|省委|市委|县委|局|厅|委|办|部|署|院|中心)"
_ISSUER_PREFIX = re.compile(
    rf"^((?:中共)?[\u4e00-\u9fff]{{2,20}}{_ORG}(?:\s+(?:中共)?[\u4e00-\u9fff]{{2,20}}{_ORG})*)\s*关于"
)
_ISSUER_VERB = re.compile(
    rf"(?:由|,|^)((?:中共)?[\u4e00-\u9fff]{{2,16}}?{_ORG}(?:、[\u4e00-\u9fff]{{1,16}}?{_ORG})*)"
    r"(?:联合)?(?:印发|发布|出台|制定)"
)
_SOURCE = re.compile(rf"来源[:]\s*((?:中共)?[\u4e00-\u9fff]{{2,30}}{_ORG})\s*$")
_FIVE_YEAR = {"十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_YEAR_RANGE = re.compile(r"(20\d{2})\s*[—\-–~至]+\s*(20\d{2})年")
_YEAR = re.compile(r"(20\d{2})年")


@dataclass
class Meta:
    title: str | None
    doc_number: str | None
    issuer: str | None
    year: int | None
    title_line: int  # index of the line holding the title, -1 when none
    start_year: int | None = None  # the first year of a multi-year plan (2022—2025 -> 2022)


def _find_title(lines: list[Block]) -> tuple[str | None, int]:
    head = lines[:40]
    for pattern in (_ABOUT_TITLE, _TYPED_TITLE):
        for i, block in enumerate(head):
            if match_heading(block.text):
                break
            m = pattern.search(block.text)
            if m and "。" not in block.text:
                return m.group(1).strip(), i
    for i, block in enumerate(head):
        m = _QUOTED_TITLE.search(block.text)
        if m:
            return m.group(1), i
    if lines and len(lines[0].text) <= 80 and not match_heading(lines[0].text):
        return lines[0].text, 0
    return None, -1


def _expand_party(issuer: str) -> str:
    """山东省委、省政府 -> 中共山东省委 山东省人民政府."""
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,6}?)(省|市|自治区)委、(?:省|市|自治区)?政府", issuer)
    if m:
        return f"中共{m.group(1)}{m.group(2)}委 {m.group(1)}{m.group(2)}人民政府"
    return issuer.replace("、", " ")


def _find_issuer(lines: list[Block], title_line: int) -> str | None:
    if title_line >= 0:
        m = _ISSUER_PREFIX.search(lines[title_line].text)
        if m:
            return m.group(1)
    for block in lines[:40]:
        m = _ISSUER_PREFIX.search(block.text)
        if m:
            return m.group(1)
    for block in lines[:40]:
        m = _SOURCE.search(block.text)
        if m:
            return m.group(1)
    for block in lines[:40]:
        m = _ISSUER_VERB.search(block.text)
        if m:
            return _expand_party(m.group(1))
    return None


def _find_year(
    title: str | None, doc_number: str | None, lines: list[Block], head: list[Block]
) -> int | None:
    if title:
        ranges = _YEAR_RANGE.findall(title)
        if ranges:
            return int(ranges[-1][1])
        years = _YEAR.findall(title)
        if years:
            return max(int(y) for y in years)
        for name, year in _FIVE_YEAR.items():
            if name in title:
                return year
    if doc_number:
        found = re.search(r"\d{4}", doc_number)
        assert found is not None  # DOC_NUMBER always holds a four-digit year
        return int(found.group())
    for block in [*lines[:10], *head]:  # a publication date, even on a line dropped as page furniture
        m = re.search(r"(20\d{2})[-/.年]\d{1,2}[-/.月]\d{1,2}", block.text)
        if m:
            return int(m.group(1))
    return None


def read_meta(lines: list[Block], head: list[Block] | None = None) -> Meta:
    """Title, 发文字号, issuer and year of the document whose non-noise lines are `lines`; `head` (the first
    lines before noise removal) may give the publication date when nothing else names the year."""
    title, title_line = _find_title(lines)
    doc_number = None
    for block in lines[:40]:
        m = DOC_NUMBER.search(block.text)
        if m:
            doc_number = re.sub(r"\s+", "", m.group())
            break
    issuer = _find_issuer(lines, title_line)
    year = _find_year(title, doc_number, lines, head or [])
    ranges = _YEAR_RANGE.findall(title or "")
    start_year = int(ranges[-1][0]) if ranges else year
    return Meta(title, doc_number, issuer, year, title_line, start_year)
