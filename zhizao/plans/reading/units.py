"""Splitting a list of units (市工业和信息化局、各区(市), 功能区) into names, kept as written."""

from __future__ import annotations

import re

_OPEN = "(〔[【"
_CLOSE = ")〕]】"
_SEPARATORS = "、,;"
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
# a bracketed remark on how the units work, not part of a name: 市财政局(按职责分工负责)
_DUTY_REMARK = re.compile(
    r"\((?:按职责|分别|各自|共同|负责|牵头|配合|协助|协同)[^()]*\)$|\([^()]*(?:负责|落实|配合)\)$"
)
_TRAILING = ("按职责分工负责", "按职责负责", "分别负责", "负责落实", "负责", "等单位", "等部门")


def split_top_level(text: str, separators: str = _SEPARATORS) -> list[str]:
    """Split on separators that are not inside brackets."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def clean_unit(name: str) -> str:
    """Brackets to ASCII, spaces and edge punctuation removed."""
    name = name.translate(_BRACKETS).strip(" 。.:;,、")
    name = "".join(name.split())
    name = _DUTY_REMARK.sub("", name)
    for tail in _TRAILING:
        if name.endswith(tail) and len(name) > len(tail):
            name = name[: -len(tail)]
            break
    return name


def split_units(text: str) -> list[str]:
    """'市发展改革委、市科技局' -> ['市发展改革委', '市科技局']; empty names and 无 dropped."""
    units = [clean_unit(part) for part in split_top_level(text)]
    return [u for u in units if u and u not in {"无", "/", "-", "—"}]
