"""Responsibility notes: who leads, who is responsible, who cooperates, and by when.

Forms read: (牵头单位:…,责任单位:…;完成时限:…) and 〔责任单位:…〕 with nested brackets; separate
牵头单位:/责任单位:/完成时限: lines; (X牵头,Y按职责分工负责) and (X负责); (A,B牵头,C配合) with a comma
between units; a last part that is no unit (持续推进, 2024年底前完成); 下同 (the note carries forward); a
bare list of units where the document said the first unit leads (see `leads.py`). Each assignment says why
its lead units were read as they were, and how sure that reading is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhizao.plans.reading.leads import (
    CONFIDENCE,
    REASON_LABEL,
    REASON_POSITION,
    REASON_POSITION_CARRIED,
    REASON_RESPONSIBLE,
    REASON_SOLE,
    REASON_VERB,
    states_first_leads,
    without_statement,
)
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
_DEADLINE_PART = re.compile(r"(?:19|20)\d{2}年|\d{1,2}月|年底|年内|全年|季度|长期|持续|上半年|下半年|常态")
_ORG_HINT = re.compile(
    r"局|委|厅|办|部|政府|中心|院|会|行|公司|区|市|县|专班|单位|组|所|室|署|站|处|团|校|镇|乡|街道|村|社区|园|"
    r"企业|机构|高校|主体|平台"
)
# how a unit's name ends: an organisation (…局, …委员会, 各区(市), 各有关企业), not a phrase of work
_ORG_END = re.compile(
    r"(?:[局委厅办部门府心院会行司区市县班组所室署站处团校镇乡道村园队社馆]|企业|单位|机构|集团|高校|主体|平台)"
    r"(?:\([^()]*\))?$"
)
_NOT_A_NAME = re.compile(r"简称|包括|含|以下|如|即|其中|等于|按照|根据|依据|通过")


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


def looks_like_unit(name: str) -> bool:
    """Whether a part of a note is a unit's name (市示例局, 各区(市)) rather than a remark or a time."""
    name = name.strip(" 。")
    return 2 <= len(name) <= 40 and bool(_ORG_END.search(name)) and not _NOT_A_NAME.search(name)


def _time_phrase(part: str) -> str:
    """A time part without an unlisted label before it (时间:2024年底前 -> 2024年底前)."""
    return re.sub(r"^[^:\d]{1,6}:\s*", "", part)


def _join(fields: dict[str, str], role: str, value: str) -> None:
    fields[role] = f"{fields[role]}、{value}" if role in fields else value


def _unit_and_rest(value: str, fields: dict[str, str]) -> str:
    """A labelled value's units; a last part that is no unit (2024年底前完成, 持续推进) is the deadline when
    it names a time and is dropped otherwise."""
    parts = split_top_level(value, ",;")
    while len(parts) > 1 and not _ORG_HINT.search(parts[-1]):
        tail = parts.pop().strip(" 。")
        if _DEADLINE_PART.search(tail) and "deadline" not in fields:
            fields["deadline"] = _time_phrase(tail)
    return ",".join(parts)


def _units_sentence(value: str) -> str:
    """A labelled list of units ends with its sentence: an explanation after it (…按职责分工负责。
    具体任务均涉及各区,不再做分工) names no unit; a later sentence that is only a time
    (。2024年底前完成) is kept."""
    first, *later = split_top_level(value, "。")
    times = [s for s in later if _DEADLINE_PART.search(s) and len(s.strip()) <= 16]
    return ",".join([first, *times])


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
                _join(fields, key, part)
            continue
        if role != "deadline":
            value = _unit_and_rest(_units_sentence(value), fields)
        _join(fields, role, value)
    return fields


def _verb_form(content: str) -> dict[str, str] | None:
    """(A牵头,B、C配合), (A,B牵头,C配合: units listed with a comma before the verb share it), (A负责,持续推进:
    a last part that names no unit is a time or a remark)."""
    fields: dict[str, str] = {}
    waiting: list[str] = []  # units listed before the verb they share
    for part in (p.strip(" 。") for p in split_top_level(content, ",;。")):
        if not part:
            continue
        for role, pattern in _VERB_PARTS:
            m = pattern.match(part)
            if m and _ORG_HINT.search(m.group(1)):
                _join(fields, role, "、".join([*waiting, m.group(1)]))
                waiting = []
                break
        else:
            if not fields and looks_like_unit(part) and not _DEADLINE_PART.search(part):
                waiting.append(part)
            elif _DEADLINE_PART.search(part) and "deadline" not in fields and not waiting:
                fields["deadline"] = _time_phrase(part)
            elif not fields or waiting or looks_like_unit(part):
                return None
    return fields if ("lead" in fields or "responsible" in fields) and not waiting else None


def _bare_units(content: str) -> dict[str, str] | None:
    """(市甲局、市乙局): a list of units with no label or verb, read as a note only where a document says the
    first unit leads."""
    units = split_units(content)
    if units and all(looks_like_unit(u) for u in units):
        return {"responsible": content}
    return None


def _lead_reason(fields: dict[str, str], via_label: bool, position: str | None, units: list[str]) -> str:
    """Why the lead units are what they are; `units`: the responsible units, when no lead is named."""
    if fields.get("lead"):
        return REASON_LABEL if via_label else REASON_VERB
    if position and len(units) > 1:
        return position
    return REASON_SOLE if len(units) == 1 else REASON_RESPONSIBLE


def parse_note(content: str, first_leads: bool = False) -> Assignment | None:
    """The assignment a note's content states, or None when the content is not a responsibility note.
    `first_leads`: the document said earlier that the first unit named leads (列第一位者为牵头单位, 下同)."""
    carries = bool(re.search(r"[,;]?\s*下同\s*$", content))
    content = re.sub(r"[,;]?\s*下同\s*$", "", content).strip()
    stated = states_first_leads(content)
    content = without_statement(content)
    labelled = _labelled(content)
    fields = labelled or _verb_form(content)
    if not fields and first_leads:
        fields = _bare_units(content)
    if not fields:
        return None
    lead = split_units(fields.get("lead", ""))
    responsible = split_units(fields.get("responsible", ""))
    if not lead and not responsible and "deadline" not in fields:
        return None
    position = REASON_POSITION if stated else REASON_POSITION_CARRIED if first_leads else None
    reason = _lead_reason(fields, labelled is not None, position, responsible)
    if not lead:
        lead, responsible = (responsible[:1], responsible[1:]) if position else (responsible, [])
    return Assignment(
        lead_units=lead,
        responsible_units=responsible,
        cooperating_units=split_units(fields.get("cooperating", "")),
        deadline_text=fields.get("deadline") or None,
        text=content,
        carries_forward=carries,
        confidence=CONFIDENCE[reason],
        reasons={"lead_units": reason},
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


def find_notes(text: str, offset: int = 0, convention: int | None = None) -> list[FoundNote]:
    """Every responsibility note in one paragraph, in order. `convention`: where the document said that the
    first unit named leads (notes after it read a bare list of units with its first unit leading)."""
    groups = bracket_groups(text)
    found: list[FoundNote] = []
    for start, end in groups:
        first_leads = convention is not None and offset + start > convention
        assignment = parse_note(text[start + 1 : end - 1], first_leads)
        if assignment:
            found.append(FoundNote(assignment, offset + start, offset + end))
    for start, end in _label_runs(text, groups):
        assignment = parse_note(text[start:end], convention is not None and offset + start > convention)
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
