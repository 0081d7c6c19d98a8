"""Tasks: the numbered items that carry work, each with its responsibility notes as assignments.

Items are the leaves of the heading tree below the top level; a top-level section without sub-items is
a task only when it carries notes. Sections naming goals or principles (指导思想, 工作目标 ...) hold no
tasks unless they carry notes. A note saying 下同 applies to later items that have none of their own.
"""

from __future__ import annotations

import copy
import re

from zhizao.plans.reading.deadlines import names_period, parse_deadline
from zhizao.plans.reading.leads import (
    CARRIED_FACTOR,
    CONFIDENCE,
    REASON_TABLE,
    SHARED_FACTOR,
    convention_start,
)
from zhizao.plans.reading.model import Assignment, Task
from zhizao.plans.reading.notes import FoundNote, find_notes, label_role, label_roles, parse_note
from zhizao.plans.reading.structure import Block, Node, walk
from zhizao.plans.reading.tables import aligned

_NOT_WORK = re.compile(
    r"^(?:指导思想|总体要求|基本原则|工作原则|总体思路|(?:总体|主要|工作|发展|预期|行动)目标|目标要求|"
    r"适用范围|编制依据|发展基础|发展现状|形势分析|现状与形势)"
)
# the closing article of a 若干措施/办法 (本措施自…起施行, 由…负责解释) carries no work
_IN_FORCE = re.compile(
    r"^本(?:措施|办法|意见|方案|规定|细则|政策|通知)[^。]{0,30}?(?:施行|实施|执行|有效期|负责解释|解释)"
)
_NUMBER_HEADERS = re.compile(r"序号|编号|^号$")
_TITLE_HEADERS = re.compile(r"任务|内容|事项|措施|工作")


def _own_blocks(node: Node) -> list[Block]:
    blocks = [b for b in node.body if b.cells is None]
    if not node.inline and node.heading_text:
        return [Block(node.heading_text, node.start), *blocks]
    return blocks


def _merge_label_lines(block: Block, notes: list[FoundNote], previous_was_label: bool) -> bool:
    """Join a line such as 责任单位:… to the note of the 牵头单位:… line just before it."""
    if label_role(block.text) is None or not (previous_was_label and notes):
        return False
    if label_roles(block.text) & label_roles(notes[-1].assignment.text):
        return False  # a label repeats: a new note begins
    merged = parse_note(f"{notes[-1].assignment.text};{block.text}")
    if merged is None:
        return False
    notes[-1] = FoundNote(merged, notes[-1].start, block.start + len(block.text))
    return True


def node_notes(node: Node, convention: int | None = None) -> list[FoundNote]:
    """The notes in a node's own text (not its children's), consecutive label lines joined. `convention`:
    where the document said the first unit named leads."""
    notes: list[FoundNote] = []
    previous_was_label = False
    for block in _own_blocks(node):
        if _merge_label_lines(block, notes, previous_was_label):
            continue
        notes.extend(find_notes(block.text, block.start, convention))
        previous_was_label = label_role(block.text) is not None
    return notes


def _period_year(chain: list[Node], year: int | None) -> tuple[str | None, int | None]:
    """The nearest heading period (宣传发动阶段(2021年1月至6月)) and the year it names."""
    for node in reversed(chain):
        if names_period(node.title):
            deadline = parse_deadline(node.title, year)
            if deadline:
                return deadline, int(deadline[:4])
    return None, year


def _finish(assignment: Assignment, chain: list[Node], year: int | None) -> Assignment:
    period, period_year = _period_year(chain, year)
    if assignment.deadline_text:
        assignment.deadline = parse_deadline(assignment.deadline_text, period_year)
    else:
        assignment.deadline = period
        if period:
            assignment.reasons["deadline"] = "完成时限取自所在阶段标题"
    return assignment


def _scaled(assignment: Assignment, factor: float, reason: str) -> Assignment:
    """A note applied beyond the item it stands after: a little less sure, and saying so."""
    assignment.confidence = round(assignment.confidence * factor, 2)
    lead = assignment.reasons.get("lead_units")
    assignment.reasons["lead_units"] = f"{lead};{reason}" if lead else reason
    return assignment


def _table_tasks(
    node: Node, path: tuple[str, ...], year: int | None, convention: int | None = None
) -> list[Task]:
    header = node.table_header or []
    number_col = next((i for i, h in enumerate(header) if _NUMBER_HEADERS.search(h)), None)
    title_col = next((i for i, h in enumerate(header) if _TITLE_HEADERS.search(h)), None)
    tasks: list[Task] = []
    for block in node.body:
        if block.cells is None:
            continue
        cells = aligned(block.cells, header)
        note = ";".join(f"{h}:{c}" for h, c in zip(header, cells, strict=False) if c and label_role(f"{h}:"))
        first_leads = convention is not None and block.start > convention
        assignment = parse_note(note, first_leads) if note else None
        if assignment and any(label_role(f"{h}:") == "lead" for h in header):
            assignment.reasons["lead_units"] = REASON_TABLE
            assignment.confidence = CONFIDENCE[REASON_TABLE]
        number = cells[number_col] if number_col is not None else str(len(tasks) + 1)
        if number_col is not None and not re.fullmatch(r"[\d一二三四五六七八九十]{1,4}[.、]?", number):
            continue  # not a task row: a signature or remark line after the table
        number = number.rstrip(".、")
        title = cells[title_col] if title_col is not None else None
        span = (block.start, block.start + len(block.text))
        if assignment:
            assignment.span = span
        assignments = [_finish(assignment, [node], year)] if assignment else []
        tasks.append(Task(number, [*path, number], title, assignments, span))
    return tasks


def _shared_notes(node: Node, convention: int | None) -> list[FoundNote]:
    """A bracketed note on a line of its own after the last of a run of sub-items, none of which has a note
    of its own, names who does the whole group's work: (1)…(2)…(3)…\n(责任单位:…) applies to each item."""
    items = node.children
    if len(items) < 2 or any(item.children for item in items):
        return []
    lines = [b for b in items[-1].body if b.cells is None]
    if not lines or not lines[-1].text.startswith(("(", "〔", "【")):
        return []
    tail = lines[-1]
    notes = find_notes(tail.text, tail.start, convention)
    whole_line = len(notes) == 1 and (notes[0].start, notes[0].end) == (
        tail.start,
        tail.start + len(tail.text),
    )
    if not whole_line or len(node_notes(items[-1], convention)) != 1:
        return []
    if any(node_notes(item, convention) for item in items[:-1]):
        return []
    shared = "分项之后的共同分工"
    return [FoundNote(_scaled(n.assignment, SHARED_FACTOR, shared), n.start, n.end) for n in notes]


class _TaskCollector:
    def __init__(self, root: Node, year: int | None) -> None:
        self.root = root
        self.year = year
        nodes = walk(root)
        self.top_rank = min((n.rank for n, _ in nodes), default=0)
        self.single_rank = len({n.rank for n, _ in nodes}) == 1
        self.carry: list[Assignment] = []
        blocks = [*root.body, *(b for n, _ in nodes for b in _own_blocks(n))]
        self.convention = convention_start(sorted(blocks, key=lambda b: b.start))
        self.tasks: list[Task] = []

    def run(self) -> list[Task]:
        self.tasks.extend(_table_tasks(self.root, (), self.year, self.convention))  # before any heading
        self._visit(self.root, (), [], excluded=False)
        return self.tasks

    def _visit(self, node: Node, path: tuple[str, ...], chain: list[Node], excluded: bool) -> None:
        shared = _shared_notes(node, self.convention)
        for child in node.children:
            child_path = (*path, child.number)
            child_chain = [*chain, child]
            child_excluded = excluded or bool(
                child.title and (_NOT_WORK.match(child.title) or _IN_FORCE.match(child.title))
            )
            self._consider(child, child_path, child_chain, child_excluded, shared)
            self._visit(child, child_path, child_chain, child_excluded)
            self.tasks.extend(_table_tasks(child, child_path, self.year, self.convention))

    def _consider(
        self, node: Node, path: tuple[str, ...], chain: list[Node], excluded: bool, shared: list[FoundNote]
    ) -> None:
        if any(b.cells is not None for b in node.body):
            return  # a heading over table rows (a group row): its rows are the tasks
        notes = copy.deepcopy(shared) if shared else node_notes(node, self.convention)
        leaf = not node.children
        top = node.rank == self.top_rank
        if not notes and (excluded or not leaf or (top and not (self.single_rank and node.inline))):
            return
        numbered = leaf and (not top or node.inline)
        number, title = (node.number, node.title) if numbered else ("", None)
        assignments = [self._assignment(n, chain) for n in notes]
        if not assignments and self.carry:
            carried = "沿用上文注明“下同”的分工"
            assignments = [
                _scaled(_finish(copy.deepcopy(a), chain, self.year), CARRIED_FACTOR, carried)
                for a in self.carry
            ]
        self.tasks.append(Task(number, list(path), title, assignments, (node.start, node.end)))

    def _assignment(self, note: FoundNote, chain: list[Node]) -> Assignment:
        assignment = _finish(note.assignment, chain, self.year)
        assignment.span = (note.start, note.end)
        if assignment.carries_forward:
            self.carry = [copy.deepcopy(assignment)]
        return assignment


def collect_tasks(root: Node, year: int | None) -> list[Task]:
    """The tasks of a document's heading tree, in document order."""
    return _TaskCollector(root, year).run()
