"""Names of goals: the measured thing, trimmed of the words around it in a goal statement.

A name loses its leading time and aim words (到2025年, 力争, 今年, 用3年时间), its closing
comparison verb (达到, 增加到, 提高到, 过), a verb before its object (新建, 培育) and a base year
(较2020年); a share keeps its ratio (工业增加值占GDP比重), since the ratio is what is measured. A name
that is nothing but such words is empty: the goal shares the name of the goal before it
(数字经济增加值增长55%、达到5.5万亿元).
"""

from __future__ import annotations

import re

BASE = re.compile(r"(?:较|比|相比|与|在)\s*((?:19|20)\d{2})\s*年(?:末|底)?(?:相比|的?基础上)?")
_SPAN = r"(?:\d{1,2}|[一二两三四五六七八九十])\s*年"
LEAD = re.compile(
    r"^(?:其中|力争|争取|确保|全年|当年|今年|明年|本年|年内|同时|并|而|要|将|在全省|在全市|全省|全市|全区|"
    r"到\s*20\d{2}\s*年(?:底|末)?|20\d{2}\s*年(?:底|末)?|\d{1,2}月(?:底|末)?前?|\d年内|[一二三四五六七八九十]年内|每年|"
    rf"(?:用|通过|经过){_SPAN}(?:左右)?(?:的)?(?:时间|努力)?|{_SPAN}左右(?:的)?时间)+"
)
_TAIL = re.compile(
    r"(?:力争|争取|确保|努力)?(?:要|将)?(?:继续|持续)?(?:同比|年均|分别)?(?:达到|达|突破|迈上|跨上|站上|超|超过|过|增长|提高到|提高至|提高|"
    r"提升到|提升至|提升|增加到|增加至|增至|扩大到|扩大至|降低|下降|减少|保持在|保持|实现|控制在|稳定在|维持在|不低于|不少于|"
    r"不超过|不高于|高于|低于|为)?(?:全国|全省|全市)?$"
)
_VERB_OBJECT = re.compile(
    r"^(?:新培育上线|新培育|新增|新建|新认定|新引进|新开工|新开通|新设立|新签约|新获批|培育|建设|建成|打造|推动实施|实施|开发|发布|带动|"
    r"入选|引进|转型改造|滚动推进|跟踪推进|推动|开展|创建|认定|争创|实现)"
    # a verb with a bound noun suffix is a noun (开发区, 建成区, 建设期, 实施率): not a verb before its object
    r"(?![区园者商局费权率量额期])"
)
# a listed clause with a predicate of its own (体制机制全面优化、): a degree adverb and a verb at its end
_STATED = re.compile(
    r"[^、]*(?:全面|明显|显著|进一步|基本|持续|大幅|有效|稳步|不断|日益|更加|逐步)[\u4e00-\u9fff]{2}、"
)
_GOAL_WORD = re.compile(r"(?<=[\u4e00-\u9fff])(?:的)?(?:预期|发展|主要)?目标(?:为|是)?$")
# X占Y比重: the ratio is the measured thing
_RATIO = re.compile(r"占[^,;。占]{1,24}?(?:的)?(?:比重|比例|份额)")
# a name that only repeats what it measures (总数达到30万个): it is the previous goal's 总数
BARE_MEASURES = ("总数", "总量", "总规模", "规模", "数量")


def clean_indicator(raw: str) -> str:
    """The goal's name in `raw` (the text from the clause start or the previous quantity up to the number,
    and the noun after it); "" when `raw` holds only time, aim or comparison words."""
    name = raw.strip(" 、,;和及与●■◆•▪·—")
    stated = list(_STATED.finditer(name))
    if stated:  # 体制机制全面优化、设施全面升级、营业收入…: the goal's name starts after the last such clause
        name = name[stated[-1].end() :]
    name = LEAD.sub("", name)
    base = BASE.search(name)
    if base and base.start() > 0:
        name = name[: base.start()]
    elif base:  # 在2021年基础上翻一番: what doubles is named before (the previous goal's name)
        name = name[base.end() :]
    share_at = name.find("占")
    if share_at > 0:
        ratio = _RATIO.match(name, share_at)
        name = name[: ratio.end()] if ratio else name[:share_at]
    name = _GOAL_WORD.sub("", _TAIL.sub("", name))  # 新增就业目标1200万: 目标 is not what is measured
    name = _head_noun(name)
    stripped = _VERB_OBJECT.sub("", name)
    return (stripped or name).strip(" 、,;")


_MODIFIER = re.compile(r"^(?P<modifier>[^占]{4,}?)的(?P<head>[^的]{2,})$")
_THRESHOLD = re.compile(r"\d|[十百千万亿]+元|超|过|以上|以下")
_LISTED = re.compile(r"^[^等]{2,}、[^等]*等(?P<head>[\u4e00-\u9fff]{2,})$")


def _head_noun(name: str) -> str:
    """The noun a long description qualifies: 能够突破关键技术的创新创业领军人才 → 创新创业领军人才,
    法院、检察院…等高层次法治人才 → 高层次法治人才. A threshold before 的 (产值超500亿元的开发区) and a
    ratio (占…的比重) stay in the name."""
    listed = _LISTED.match(name)
    if listed:
        return listed.group("head")
    described = _MODIFIER.match(name)
    if described and not _THRESHOLD.search(described.group("modifier")):
        return described.group("head")
    return name
