"""Title, 发文字号, issuer and plan year, read from the lines around the start of a document."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from zhizao.plans.reading.numbers import to_number
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
    reasons: dict[str, str] = field(default_factory=dict)  # why the title and year were read so


def _find_title(lines: list[Block]) -> tuple[str | None, int, str]:
    """The title, the index of the line it ends on, and why it was read so."""
    head = lines[:40]
    for pattern in (_ABOUT_TITLE, _TYPED_TITLE):
        for i, block in enumerate(head):
            if match_heading(block.text):
                break
            m = pattern.search(block.text)
            if m and "。" not in block.text:
                return _complete(lines, i, m.group(1).strip())
    for i, block in enumerate(head):
        for m in _QUOTED_TITLE.finditer(block.text):
            if not _CITED.search(block.text[: m.start()]):
                return m.group(1), i, "取自正文中的书名号"
    page = _page_headline(head)
    if page:
        return page
    if lines and len(lines[0].text) <= 80 and not match_heading(lines[0].text):
        if _SALUTATION.search(lines[0].text):
            return None, -1, ""  # 各位代表: / 各区人民政府: addresses the readers; it names nothing
        return _headline(lines)
    return None, -1, ""


# a page's headline sits below its breadcrumbs (您所在的位置:首页 > 新闻) or just above its dateline
# (发布日期:… 来源:…); a site banner above both is not the document's title
_BREADCRUMB = re.compile(r"^(?:您所在的?位置|您的位置|当前位置|所在位置)\s*[::]")
_DATELINE = re.compile(r"^(?:发布日期|发布时间|发文日期|日期|时间|来源|信息来源)\s*[::]")
# a line ending in a colon addresses its readers (各位代表:, 各区人民政府、市各部门:)
_SALUTATION = re.compile(r"[::]\s*$")


def _page_headline(head: list[Block]) -> tuple[str, int, str] | None:
    for i, block in enumerate(head):
        if _BREADCRUMB.match(block.text.strip()) and i + 1 < len(head):
            candidate = head[i + 1].text.strip()
            if _is_headline(candidate):
                return _clean_title(candidate), i + 1, "取自页面位置导航下的标题行"
        if i > 0 and _DATELINE.match(block.text.strip()):
            candidate = head[i - 1].text.strip()
            if _is_headline(candidate) and not _BREADCRUMB.match(candidate):
                return _clean_title(candidate), i - 1, "取自发布日期上方的标题行"
            return None
    return None


def _is_headline(line: str) -> bool:
    return 4 <= len(line) <= 80 and not re.search(r"[。;::]", line) and not match_heading(line)


# a title quoted after 贯彻/根据/按照 names a document the text cites, not the text itself
_CITED = re.compile(r"(?:贯彻|落实|根据|按照|依据|对照|参照|依照|执行|学习|对标)[^,。;《》]{0,8}$")
# a cover notice's title names the document it issues: 关于印发《X》的通知 -> X
_COVER_NOTICE = re.compile(r"(?:关于)?(?:印发|转发|发布|下发)[^《》]{0,6}《([^《》]{4,80})》的通知")
# …and so does one whose name is not wrapped in 《》 as a whole
# (关于印发2023年区《政府工作报告》确定的…方案的通知)
_COVER_NOTICE_BARE = re.compile(r"(?:关于)?(?:印发|转发|下发)([^。]{4,80})的通知$")
_QUALIFIER_LINE = re.compile(
    r"^\((?:试行|暂行|征求意见稿|送审稿|修订|修订稿|修订版|\d{4}\s*[—\-–~至]+\s*\d{4}年?)\)$"
)
_TITLE_BREAK = re.compile(r"[。,;:!?]")


def _complete(lines: list[Block], i: int, title: str) -> tuple[str, int, str]:
    """A title found on line i, completed: a title split over two lines (关于推进…发展 / …的意见) takes the
    line before it; a bracketed qualifier on the next line ((试行), (2023—2025年)) belongs to it; a cover
    notice (关于印发《X》的通知) gives the title of the document it issues."""
    reason = "取自标题行"
    notice = _COVER_NOTICE.search(title)
    if notice:
        return notice.group(1), i, "取自印发通知中的《》书名"
    bare = _COVER_NOTICE_BARE.search(title)
    if bare:
        return bare.group(1), i, "取自印发通知所印发的文件名"
    if i > 0 and title == lines[i].text.strip() and "关于" not in title:
        previous = lines[i - 1].text.strip()
        about = _ABOUT_TITLE.search(previous + title)
        short = len(previous) <= 40 and not _TITLE_BREAK.search(previous) and not match_heading(previous)
        if short and about and "关于" in previous and _adjacent(lines[i - 1], lines[i]):
            title, reason = about.group(1), "标题跨两行,已合并"
    if i + 1 < len(lines) and _QUALIFIER_LINE.match(lines[i + 1].text.strip()):
        return title + lines[i + 1].text.strip(), i + 1, "标题跨两行,已合并"
    return title, i, reason


def _adjacent(first: Block, second: Block) -> bool:
    """The second line follows the first directly (no blank line between them in the text)."""
    return second.start <= first.start + len(first.text) + 1


def _headline(lines: list[Block]) -> tuple[str, int, str]:
    """A page's first line as its title; a headline wrapped onto a short second line (no punctuation,
    then a blank line) is joined."""
    first = lines[0]
    if len(lines) >= 2:
        second = lines[1]
        ends = len(lines) == 2 or not _adjacent(second, lines[2])
        if (
            len(second.text) <= 24
            and not _TITLE_BREAK.search(second.text)
            and not match_heading(second.text)
            and _adjacent(first, second)
            and ends
            and not re.search(r"\d{4}[-/.年]\d{1,2}", second.text)
        ):
            return _clean_title(first.text + second.text), 1, "取自首行(标题跨两行,已合并)"
    return _clean_title(first.text), 0, "取自首行"


def _clean_title(title: str) -> str:
    """Pictographs decorating a page's headline (📜, 🎯, ★, ■) are not part of it, nor a run of asterisks or
    other marks trailing or leading it (标题******)."""
    title = "".join(ch for ch in title if unicodedata.category(ch) != "So")
    return _DECORATION.sub("", title).strip()


_DECORATION = re.compile(r"^[\s*#=~_\-—·•]+|[\s*#=~_\-—·•]{2,}$|\s*\*+$")


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


_YEAR_BARE = re.compile(r"(20\d{2})(?=年|[\u4e00-\u9fff]|$)")  # 2024年, 镇原县2024工作报告
_DATE = re.compile(r"(20\d{2})[-/.年]\d{1,2}[-/.月]\d{1,2}")
_PERIOD_FROM = re.compile(r"(20\d{2})\s*年起\s*(\d{1,2}|[一二三四五六七八九十两])\s*年内")
_DOCUMENT_TITLE = re.compile(rf"{_DOC_TYPES}{_PERIOD}$")


def _find_year(
    title: str | None, doc_number: str | None, lines: list[Block], head: list[Block]
) -> tuple[int | None, str]:
    """The plan year and why: the title's range or year (a news headline's year is the year of a goal it
    reports, so a dated news item takes its date instead), 十四五, the 发文字号, a period the body states
    (2012年起5年内), the publication date."""
    dated = next((m for b in [*lines[:10], *head] if (m := _DATE.search(b.text))), None)
    headline = bool(title) and not _DOCUMENT_TITLE.search(title or "")
    if title and not (headline and dated):
        ranges = _YEAR_RANGE.findall(title)
        if ranges:
            return int(ranges[-1][1]), "取自文件标题中的起止年份"
        years = _YEAR_BARE.findall(title)
        if years:
            return max(int(y) for y in years), "取自文件标题"
        for name, year in _FIVE_YEAR.items():
            if name in title:
                return year, f"取自文件标题中的“{name}”"
    if doc_number:
        found = re.search(r"\d{4}", doc_number)
        assert found is not None  # DOC_NUMBER always holds a four-digit year
        return int(found.group()), "取自发文字号"
    period = _body_period(lines)
    if period:
        return period[1], f"取自正文“{period[2]}”"
    if dated:  # a publication date, even on a line dropped as page furniture
        return int(dated.group(1)), "取自发布日期" if headline else "取自成文日期"
    return None, ""


def _body_period(lines: list[Block]) -> tuple[int, int, str] | None:
    """(first year, last year, the words) of a period the body states: 2012年起5年内 -> 2012, 2017."""
    for block in lines:
        m = _PERIOD_FROM.search(block.text)
        if m:
            start = int(m.group(1))
            return start, start + int(to_number(m.group(2)) or 0), m.group()
    return None


def read_meta(lines: list[Block], head: list[Block] | None = None) -> Meta:
    """Title, 发文字号, issuer and year of the document whose non-noise lines are `lines`; `head` (the first
    lines before noise removal) may give the publication date when nothing else names the year."""
    title, title_line, title_reason = _find_title(lines)
    doc_number = None
    for block in lines[:40]:
        m = DOC_NUMBER.search(block.text)
        if m:
            doc_number = re.sub(r"\s+", "", m.group())
            break
    issuer = _find_issuer(lines, title_line)
    year, year_reason = _find_year(title, doc_number, lines, head or [])
    ranges = _YEAR_RANGE.findall(title or "")
    period = _body_period(lines) if not ranges else None
    start_year = int(ranges[-1][0]) if ranges else (period[0] if period and period[1] == year else year)
    reasons = {k: v for k, v in (("title", title_reason), ("year", year_reason)) if v}
    return Meta(title, doc_number, issuer, year, title_line, start_year, reasons)
