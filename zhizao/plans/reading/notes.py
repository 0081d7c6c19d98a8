"""Responsibility notes: who leads, who is responsible, who cooperates, and by when.

Forms read: (牵头单位:…,责任单位:…;完成时限:…) and 〔责任单位:…〕 with nested brackets; separate
牵头单位:/责任单位:/完成时限: lines; (X牵头,Y按职责分工负责) and (X负责); 下同 (the note carries forward).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.model import Assignment
from zhizao.plans.reading.units import split_top_level, split_units

_OPEN = "(〔[【"
_CLOSE = ")〕]】"
_ROLES = {
    "lead": r"牵头单位|牵头部门|牵头责任单位|主责单位|主办单位|牵头",
    "responsible": r"责任单位|责任部门|负责单位|实施单位|承办单位|落实单位|责任主体",
    "cooperating": r"配合单位|配合部门|协助单位|协办单位|参与单位|协同单位|协作单位",
    "deadline": r"完成时限|完成时间|时间节点|时限要求|完成期限|进度安排|时限",
    "division": r"(?:部门|责任|任务|职责)分工|分工",  # 部门分工:X牵头,Y配合 (verb form after a label)
}
_LABEL = re.compile(
    "(" + "|".join(f"(?P<{role}>{pattern})" for role, pattern in _ROLES.items()) + r")\s*[:]\s*"
)
_VERB_PARTS = (
    ("lead", re.compile(r"^(.+?)(?:牵头负责|牵头|为牵头单位)$")),
    ("cooperating", re.compile(r"^(.+?)(?:积极配合|配合|参与|协助|协同)$")),
    ("responsible", re.compile(r"^(.+?)(?:按职责分工负责|按职责负责|分别负责|负责落实|具体负责|负责)$")),
)
# 责任单位:A、B,排在首位的为牵头单位: the first unit named leads, the others are responsible
_FIRST_LEADS = re.compile(
    r"[,;]?\s*(?:排在?首位|排名?第一|排在?第一位?|列第一位?|第一个|首位)的?(?:单位|部门)?为牵头(?:单位|部门)?"
)
_DEADLINE_PART = re.compile(r"(?:19|20)\d{2}年|\d{1,2}月|年底|年内|全年|季度|长期|持续|上半年|下半年")
_ORG_HINT = re.compile(
    r"局|委|厅|办|部|政府|中心|院|会|行|公司|区|市|县|专班|单位|组|所|室|署|站|处|团|校|镇|乡|街道|村|社区|园"
)


@dataclass
class FoundNote:
    """A note's parts as written, and where it is in the normalised text."""

    assignment: Assignment
    start: int
    end: int


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost bracket group, brackets included; nested brackets respected."""
    groups: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def _labelled(content: str) -> dict[str, str] | None:
    marks = list(_LABEL.finditer(content))
    if not marks or content[: marks[0].start()].strip(" ,;。"):
        return None
    fields: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(content)
        role = next(r for r in _ROLES if m.group(r))
        value = content[m.end() : end].strip(" ,;。")
        if role == "division":
            for key, part in (_verb_form(value) or {}).items():
                fields[key] = f"{fields[key]}、{part}" if key in fields else part
            continue
        fields[role] = f"{fields[role]}、{value}" if role in fields else value
    return fields


def _verb_form(content: str) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    for part in (p.strip(" 。") for p in split_top_level(content, ",;")):
        if not part:
            continue
        for role, pattern in _VERB_PARTS:
            m = pattern.match(part)
            if m and _ORG_HINT.search(m.group(1)):
                fields[role] = f"{fields[role]}、{m.group(1)}" if role in fields else m.group(1)
                break
        else:
            if not _DEADLINE_PART.search(part) or "deadline" in fields:
                return None
            fields["deadline"] = part
    return fields if ("lead" in fields or "responsible" in fields) else None


def parse_note(content: str) -> Assignment | None:
    """The assignment a note's content states, or None when the content is not a responsibility note."""
    carries = bool(re.search(r"[,;]?\s*下同\s*$", content))
    content = re.sub(r"[,;]?\s*下同\s*$", "", content).strip()
    first_leads = bool(_FIRST_LEADS.search(content))
    content = _FIRST_LEADS.sub("", content).strip(" ,;")
    content = re.sub(r"[(〔【\[]\s*[)〕】\]]", "", content).strip(" ,;")  # (排名第一的为牵头单位) once read
    fields = _labelled(content) or _verb_form(content)
    if not fields:
        return None
    lead = split_units(fields.get("lead", ""))
    responsible = split_units(fields.get("responsible", ""))
    if not lead and not responsible and "deadline" not in fields:
        return None
    if not lead:
        lead, responsible = (responsible[:1], responsible[1:]) if first_leads else (responsible, [])
    deadline_text = fields.get("deadline") or None
    return Assignment(
        lead_units=lead,
        responsible_units=responsible,
        cooperating_units=split_units(fields.get("cooperating", "")),
        deadline_text=deadline_text,
        text=content,
        carries_forward=carries,
    )


def _label_runs(text: str, groups: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Unbracketed label runs: from a label at the start of the text or after 。 to the end or next 。."""
    runs: list[tuple[int, int]] = []
    for m in _LABEL.finditer(text):
        if any(a <= m.start() < b for a, b in groups) or any(a <= m.start() < b for a, b in runs):
            continue
        before = text[: m.start()].rstrip()
        if before and not before.endswith(("。", ";")):
            continue
        stop = text.find("。", m.end())
        runs.append((m.start(), len(text) if stop < 0 else stop))
    return runs


def find_notes(text: str, offset: int = 0) -> list[FoundNote]:
    """Every responsibility note in one paragraph, in order."""
    groups = bracket_groups(text)
    found: list[FoundNote] = []
    for start, end in groups:
        assignment = parse_note(text[start + 1 : end - 1])
        if assignment:
            found.append(FoundNote(assignment, offset + start, offset + end))
    for start, end in _label_runs(text, groups):
        assignment = parse_note(text[start:end])
        if assignment:
            found.append(FoundNote(assignment, offset + start, offset + end))
    return sorted(found, key=lambda n: n.start)


def label_roles(text: str) -> set[str]:
    """The roles named by the labels in a text (牵头单位:… 责任单位:… -> {lead, responsible})."""
    return {next(r for r in _ROLES if m.group(r)) for m in _LABEL.finditer(text)}


def label_role(text: str) -> str | None:
    """The role of a line that starts with a label (牵头单位:…), else None."""
    m = _LABEL.match(text)
    return next((r for r in _ROLES if m.group(r)), None) if m else None
