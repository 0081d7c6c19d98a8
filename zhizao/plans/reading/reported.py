"""Results reported as achievements, not goals.

A news item or a work report tells what was done in a period that has (partly) passed: 今年以来, 上半年,
1—6月, 前三季度 open the clause, and the figures are measured against the year before (同比增长, 同比翻番),
against others (高于全省平均增速…个百分点, 增速全省第二) or summed up (累计…). A goal states what is to be
reached and keeps a marker that says so (力争, 确保, 目标, 预期, 到2025年); a sentence with such a marker is
never read as a report.
"""

from __future__ import annotations

import re

# a period up to now opening a clause: 今年以来, 上半年, 1—6月, 前三季度, 一季度, 截至6月底
_SO_FAR = re.compile(
    r"(?:^|[,;:])\s*(?:今年以来|年初以来|本年以来|(?:今年)?(?:上半年|前[一二三]季度|[一二三四]季度)|"
    r"(?:今年)?1\s*[—\-–~至]+\s*\d{1,2}月(?:份)?|截至\d{1,2}月(?:底|末)?)\s*[,:]"
)
# a figure compared with what was: 同比增长, 同比翻番, 比上年同期, 高于全省平均, 增速全省第二, 居全市第一
_COMPARED = re.compile(
    r"同比(?:增长|增加|提高|下降|减少|翻番|分别)|比上年同期|较上年同期|"
    r"(?:高于|低于|快于)全(?:国|省|市|区|县)(?:平均)?|"
    r"(?:居|位居|位列|排名|增速)全(?:国|省|市|区|县)第[一二三四五六七八九十\d]"
)
# what marks a goal: 力争, 争取, 确保, 目标, 预期, 到2025年, 计划, 力求
_GOAL_MARKER = re.compile(r"力争|争取|确保|力求|目标|预期|计划|到\s*20\d{2}\s*年")


def states_goals(text: str) -> bool:
    """Whether a heading or sentence marks what follows as goals (一、工作目标, 力争…, 到2025年…)."""
    return bool(_GOAL_MARKER.search(text))


def reports_results(sentence: str, among_goals: bool = False) -> bool:
    """Whether a sentence reports what was achieved (上半年,全市完成工业投资…亿元,同比增长…%) rather than
    setting a goal. `sentence`: the sentence with brackets and quotes masked; `among_goals`: it stands under
    a heading or in a paragraph that states goals (一、工作目标), where 同比增长6.5%左右 is a goal too and
    only a period up to now (上半年,…) marks a report."""
    if _GOAL_MARKER.search(sentence):
        return False
    return bool(_SO_FAR.search(sentence) or (not among_goals and _COMPARED.search(sentence)))
