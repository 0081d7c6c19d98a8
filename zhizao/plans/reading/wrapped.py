"""Hard-wrapped lines (text copied from a PDF or a fixed-width page: a sentence broken mid-word at the end of
each line) joined back into paragraphs, so a number and its unit, or 对…的 and its threshold, meet again."""

from __future__ import annotations

import re

from zhizao.plans.reading.structure import Block, match_heading, split_cells

Shift = tuple[int, int]  # (position in the joined block's coordinates, characters skipped from there on)

_ENDS_OPEN = re.compile(r"[\u4e00-\u9fff\d、,“《(]$")
_NOTE_START = ("(", "〔", "【")
_MIN_WRAPPED = 18  # a wrapped line is a full line of text; short lines are titles, names and dates


def _continues(line: Block, nxt: Block) -> bool:
    if len(line.text) < _MIN_WRAPPED or not _ENDS_OPEN.search(line.text):
        return False
    if match_heading(nxt.text) or nxt.text.startswith(_NOTE_START) or split_cells(nxt.text):
        return False
    return split_cells(line.text) is None


def unwrap(blocks: list[Block]) -> list[tuple[Block, list[Shift]]]:
    """Each paragraph as one block, with the gaps (line breaks, indentation) its joins skipped."""
    out: list[tuple[Block, list[Shift]]] = []
    for block in blocks:
        if out and not (out[-1][0].in_table or block.in_table or out[-1][0].cells or block.cells):
            joined, shifts = out[-1]
            last_line_end = joined.start + len(joined.text) + sum(extra for _, extra in shifts)
            if _continues(Block(_last_line(joined, shifts), 0), block):
                at = joined.start + len(joined.text)
                gap = block.start - last_line_end
                out[-1] = (Block(joined.text + block.text, joined.start), [*shifts, (at, gap)])
                continue
        out.append((block, []))
    return out


def _last_line(joined: Block, shifts: list[Shift]) -> str:
    """The text after the last join (the line a further join continues)."""
    if not shifts:
        return joined.text
    return joined.text[shifts[-1][0] - joined.start :]


def shifted(position: int, shifts: list[Shift]) -> int:
    """A position in a joined block's coordinates, back in the text's own coordinates."""
    return position + sum(extra for at, extra in shifts if position >= at)
