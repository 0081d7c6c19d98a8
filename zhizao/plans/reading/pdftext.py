"""The text layer of a PDF as paragraphs: what a reader sees once the page layout is taken away.

- Page furniture is dropped: page numbers (`— 3 —`, `-3-`, `第3页 共10页`, `3/10`) and a running header or
  footer (the same first or last line on most pages).
- Lines hard-wrapped at the right margin are joined: a line as wide as the page's text (within three
  characters) that does not end a sentence continues on the next line unless that line opens a heading
  (一、 (一) 1. 第X条). Width counts a Chinese character as two, a digit or letter as one.
- The space a text layer puts between a number and the character after it (`2025 年6 月`) is removed.
"""

from __future__ import annotations

import re
from collections import Counter

from zhizao.plans.reading.structure import match_heading

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:/|共)\s*\d{1,4}\s*页?)?[\s\-—–_·•]*$"
)
_SENTENCE_END = re.compile(r"[。!?;:！？；：…”’)）】〕]$")
_NUMBER_GAP = re.compile(r"(?<=[\d.%])[ \t]+(?=[\u4e00-\u9fff〕)])|(?<=[\u4e00-\u9fff〔(])[ \t]+(?=\d)")
_SLACK = 6  # three Chinese characters (digits and Latin letters are narrower than they count)


def _width(line: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines standing first or last on at least half of the pages (two or more): a running header/footer."""
    if len(pages) < 2:
        return set()
    ends = Counter(re.sub(r"\d+", "#", line) for lines in pages if lines for line in {lines[0], lines[-1]})
    return {line for line, n in ends.items() if n >= max(2, len(pages) // 2)}


def _lines(pages: list[str]) -> list[str]:
    split = [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in pages]
    furniture = _furniture(split)
    out: list[str] = []
    for lines in split:
        for line in lines:
            if _PAGE_NUMBER.match(line) or re.sub(r"\d+", "#", line) in furniture:
                continue
            out.append(_NUMBER_GAP.sub("", line))
    return out


def paragraphs(pages: list[str]) -> str:
    """The pages' text layers as one text, one paragraph a line."""
    lines = _lines(pages)
    widths = sorted(_width(line) for line in lines)
    full = widths[int(len(widths) * 0.9)] - _SLACK if widths else 0
    out: list[str] = []
    previous = ""  # the last line as printed (out[-1] may already be several joined)
    for line in lines:
        if out and _wrapped(previous, line, full):
            out[-1] += line
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


def _wrapped(previous: str, line: str, full: int) -> bool:
    if _width(previous) < full or _SENTENCE_END.search(previous):
        return False
    return match_heading(line) is None
