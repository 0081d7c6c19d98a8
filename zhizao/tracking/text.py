"""Text of plans and reports as the bulletin and the ledger print it: on one line; a task's name in full."""

from __future__ import annotations

import re

_HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]")
_OWNERS = re.compile(r"[（(〔][^（(〔]*(?:牵头单位|责任单位|完成时限)[^）)〕]*[）)〕]")


def one_line(text: str) -> str:
    """`text` on one line: runs of whitespace (line breaks of a copied document) become nothing between
    Chinese characters and one space elsewhere."""
    joined = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", joined)


def task_title(title: str | None, text: str) -> str:
    """What a task is called: its title in full, or (when the reader found none) the first sentence of its
    text, without a section heading that came before it and without the 牵头单位/完成时限 note."""
    if title and title.strip():
        return one_line(title)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and _HEADING.match(lines[0]) and not re.search(r"[。；;]", lines[0]):
        lines = lines[1:]  # a heading such as 三、保障措施
    body = _OWNERS.sub("", one_line("".join(lines)))
    first = re.split(r"(?<=[。；;])", body, maxsplit=1)[0]
    return first.rstrip("。；;，, ") or body
