"""Width and script normalisation with a map back to the original offsets.

Full-width ASCII forms (digits, letters, brackets, punctuation) become half-width, ideographic and
no-break spaces become plain spaces, zero-width marks are dropped, pinyin written after a character
(制造(zào)业, 统筹（chóu）: a mirror page's reading aid) is dropped, and traditional characters become
simplified. Every character of the result remembers the offset of the character it came from, so an
item found in the normalised text can point at its exact span in the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}
_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\t"}
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# a bracketed syllable or two after a Chinese character, with at least one tone mark: pinyin, not a name
_PINYIN = re.compile(
    rf"(?<=[\u4e00-\u9fff])[(（]\s*(?=[a-zü{_TONED} ]*[{_TONED}])[a-zü{_TONED}]{{1,7}}"
    rf"(?:\s[a-zü{_TONED}]{{1,7}}){{0,3}}\s*[)）]"
)
_EXTRA = {"\uff5f": "(", "\uff60": ")", "\u2014\u2014": "——"}


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def _width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in _SPACES:
        return " " if ch != "\t" else "\t"
    return _EXTRA.get(ch, ch)


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the offset in the original text."""

    text: str
    offsets: tuple[int, ...]
    original: str

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) that the normalised [start, end) came from."""
        if not self.offsets:
            return (0, 0)
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        begin = self.offsets[start] if start < len(self.offsets) else len(self.original)
        last = self.offsets[end - 1] + 1 if end > start else begin
        return (begin, last)


def _to_simplified(chars: list[str]) -> list[str]:
    """Convert line by line; a line whose length changes is converted character by character."""
    convert = _t2s().convert
    out: list[str] = []
    line: list[str] = []
    for ch in [*chars, None]:
        if ch is not None and ch != "\n":
            line.append(ch)
            continue
        joined = "".join(line)
        converted = convert(joined) if joined else ""
        out.extend(converted if len(converted) == len(line) else [convert(c)[:1] or c for c in line])
        if ch is not None:
            out.append(ch)
        line = []
    return out


def normalize(original: str) -> Normalized:
    """Normalise `original`, keeping the offset map."""
    chars: list[str] = []
    offsets: list[int] = []
    text = original
    pinyin = {i for m in _PINYIN.finditer(text) for i in range(m.start(), m.end())}
    i = 0
    while i < len(text):
        if i in pinyin:
            i += 1
            continue
        ch = text[i]
        if ch == "\r":
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
                continue
            ch = "\n"
        if ch not in _DROP:
            chars.append(_width(ch))
            offsets.append(i)
        i += 1
    simplified = _to_simplified(chars)
    return Normalized("".join(simplified), tuple(offsets), original)
