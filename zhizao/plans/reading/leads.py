"""Who leads: how documents say which of the units named in a note leads, and how sure the reading is.

A note may mark the lead by position (列首位者为牵头单位, 排在第一位的为牵头单位, 第一个单位为牵头单位,
排名第一的为牵头部门 …): the statement is read by its structure — a position (第一, 首位, 最前) with an
optional verb of ranking before it (排, 列, 位列, 排名) and an optional 者/的/单位 after it, then 为/是
牵头(单位/部门) — not from a list of sentences. Stated once on its own (`(列第一位者为牵头单位,下同)`,
`注:…第一个单位为牵头单位`) or with 下同, it holds for every later note that names no lead of its own.
"""

from __future__ import annotations

import re

from zhizao.plans.reading.structure import Block

_RANK_VERB = r"(?:排名|排序|排列|位列|名列|列于|列在|排在|位于|居于|排|列|居|位)?"
_FIRST = r"(?:第\s*[一1]\s*(?:位|个|名|顺位)?|首\s*(?:位|个|列)?|最前(?:面|列)?|前面|最先)"
_HOLDER = r"(?:者|的)?\s*(?:(?:责任)?(?:单位|部门))?"
POSITION_LEADS = re.compile(
    rf"(?:[,;]\s*)?(?:其中\s*)?{_RANK_VERB}\s*{_FIRST}\s*{_HOLDER}\s*(?:为|是|系|作为)\s*(?:主要\s*)?"
    r"牵头(?:责任)?(?:单位|部门)?"
)
_CARRIED = re.compile(r"下同|以下同|后同|全文同|以下均同")

# how each reading of the lead is explained on the review page, and how sure it is
REASON_LABEL = "注明“牵头单位”"
REASON_VERB = "注明“牵头”"
REASON_POSITION = "列第一位者为牵头单位"
REASON_POSITION_CARRIED = "列第一位者为牵头单位(上文约定)"
REASON_RESPONSIBLE = "未注明牵头单位,责任单位视为牵头"
REASON_SOLE = "仅列一个单位,即牵头单位"
REASON_TABLE = "取自表格“牵头单位”列"
CONFIDENCE = {
    REASON_LABEL: 0.95,
    REASON_VERB: 0.95,
    REASON_TABLE: 0.95,
    REASON_POSITION: 0.9,
    REASON_POSITION_CARRIED: 0.8,
    REASON_RESPONSIBLE: 0.7,
    REASON_SOLE: 0.9,
}
CARRIED_FACTOR = 0.9  # a note applied to a later item by 下同
SHARED_FACTOR = 0.85  # a note after a run of sub-items applied to each of them


def states_first_leads(text: str) -> bool:
    """Whether `text` says that the first unit named leads."""
    return bool(POSITION_LEADS.search(text))


def without_statement(text: str) -> str:
    """`text` with the position statement (and the empty brackets it leaves) removed."""
    text = POSITION_LEADS.sub("", text)
    return re.sub(r"[(〔【\[]\s*[,;]?\s*[)〕】\]]", "", text).strip(" ,;")


def convention_start(blocks: list[Block]) -> int | None:
    """Where a position statement that holds for later notes is made: one standing on its own (a bracket or
    line that names no unit besides it, such as `(列首位者为牵头单位)` or `注:第一个单位为牵头单位`) or one
    carried by 下同. None when the document makes no such statement."""
    for block in blocks:
        for m in POSITION_LEADS.finditer(block.text):
            around = _enclosing(block.text, m.start(), m.end())
            rest = without_statement(_CARRIED.sub("", around)).strip(" ,;。:")
            rest = re.sub(r"^(?:注|说明|备注)\s*", "", rest).strip(" ,;。:")
            if _CARRIED.search(around) or not rest or _is_preamble(rest):
                return block.start + m.start()
    return None


def _is_preamble(rest: str) -> bool:
    """A lead-in such as 以下各项任务中, 本方案所列任务 or 表中责任单位, which names no unit."""
    return bool(re.fullmatch(r"[^、:]{0,20}(?:任务|事项|工作|措施|分工|单位|部门)[^、:]{0,6}", rest))


def _enclosing(text: str, start: int, end: int) -> str:
    """The bracket group around [start, end), else the sentence."""
    opens = [text.rfind(ch, 0, start) for ch in "(〔【["]
    left = max(opens)
    if left >= 0:
        close = min((i for i in (text.find(ch, end) for ch in ")〕】]") if i >= 0), default=-1)
        if close >= 0 and not any(text.find(ch, left + 1, start) >= 0 for ch in ")〕】]"):
            return text[left + 1 : close]
    left = max(text.rfind("。", 0, start), -1) + 1
    stop = text.find("。", end)
    return text[left : len(text) if stop < 0 else stop]
