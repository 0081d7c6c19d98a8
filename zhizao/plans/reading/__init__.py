"""Reading a policy document into quantified targets and numbered tasks (see docs/plans-parsing.md).

`parse_document(path)` reads a file (.txt in any common Chinese encoding, .docx, .html, .pdf with a text
layer); `parse_text(text)` reads pasted text. Both return an `Extraction` whose `to_json()` is the
FORMAT.md shape, each item with its span in the original text.
"""

from __future__ import annotations

import re
from pathlib import Path

from zhizao.errors import InvalidInput
from zhizao.plans.reading.meta import read_meta
from zhizao.plans.reading.model import Assignment, Extraction, Target, Task
from zhizao.plans.reading.normalize import Normalized, normalize
from zhizao.plans.reading.sources import read_source
from zhizao.plans.reading.structure import Block, build_tree, is_noise, split_lines
from zhizao.plans.reading.tables import join_cell_lines, read_cell_by_cell
from zhizao.plans.reading.targets import find_targets
from zhizao.plans.reading.tasks import collect_tasks

__all__ = ["NO_GOALS", "Assignment", "Extraction", "Target", "Task", "parse_document", "parse_text"]

# words that state a policy: what is to be done (推进, 实施…) or what is granted (补助, 奖励, 给予…)
_POLICY_WORDS = re.compile(
    r"推进|推动|加快|实施|加强|培育|建设|发展|提升|支持|落实|完善|强化|打造|促进|措施|鼓励|奖励|扶持|"
    r"补助|补贴|奖补|资助|贴息|给予"
)
NO_GOALS = "该文件未设定量化目标或编号任务(如只规定补助、奖励标准的政策条款)"
# a text with none of these words (a report of a year's results) states no goals
_GOAL_LANGUAGE = re.compile(
    r"目标|力争|争取|确保|到\s*20\d{2}\s*年|预期|计划|规划|方案|意见|措施|要点|任务|通知|办法|政策|要求"
)


def _body_blocks(lines: list[Block], title_line: int, title: str | None) -> list[Block]:
    """The lines after the title (and a repeated title or 发文字号 just below it). A title read from inside a
    paragraph (a news item naming 《…行动计划》) leaves the whole item in the body: its headline and
    dateline lines above that paragraph may state goals too."""
    start = title_line + 1 if title_line >= 0 else 0
    if title and title_line >= 0 and len(lines[title_line].text) > len(title) + 40:
        start = 0
    if title:
        for i, block in enumerate(lines[: start + 8]):
            if i >= start and (title in block.text and len(block.text) <= len(title) + 40):
                start = i + 1
    return lines[start:]


def _to_source(extraction: Extraction, norm: Normalized) -> None:
    for target in extraction.targets:
        target.span = norm.source_span(*target.span)
    for task in extraction.tasks:
        task.span = norm.source_span(*task.span)
        for assignment in task.assignments:
            assignment.span = norm.source_span(*assignment.span)


def _looks_like_policy(text: str, extraction: Extraction) -> bool:
    if extraction.tasks or extraction.targets:
        return True
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    return chinese >= 100 and len(_POLICY_WORDS.findall(text)) >= 5


def parse_text(text: str) -> Extraction:
    """Read pasted or extracted text. Raises InvalidInput when it is not a policy document."""
    if not text or not text.strip():
        raise InvalidInput("文本为空,没有可以读取的内容。")
    norm = normalize(text)
    all_lines = split_lines(norm.text)
    lines = [b for b in all_lines if not is_noise(b.text)]
    meta = read_meta(lines, all_lines[:10])
    body = _body_blocks(lines, meta.title_line, meta.title)
    body = join_cell_lines(body)
    tree = build_tree(body)
    extraction = Extraction(meta.title, meta.doc_number, meta.issuer, meta.year, reasons=dict(meta.reasons))
    extraction.tasks = collect_tasks(tree, meta.year)
    cells = read_cell_by_cell(body, tree)
    extraction.targets = find_targets(cells, meta.year, meta.start_year, meta.reasons.get("year", ""))
    if not _GOAL_LANGUAGE.search(norm.text):
        extraction.targets = []
    if not _looks_like_policy(norm.text, extraction):
        raise InvalidInput("这不像是一份政策文件:没有找到编号任务、量化目标或政策用语。")
    if not extraction.targets and not extraction.tasks:
        extraction.reasons["goals"] = NO_GOALS  # read as policy terms that set no goals, not refused
    _to_source(extraction, norm)
    return extraction


def parse_document(path: str | Path) -> Extraction:
    """Read a file (.txt, .docx, .html, .pdf with a text layer)."""
    return parse_text(read_source(Path(path)))
