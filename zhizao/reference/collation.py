"""Pinyin order for Chinese names, as WPS and Excel sort them (拼音排序): by the pinyin of each character,
tone by tone, letters and digits by their own order, so 安 < 北 < 重 (chóng) < 青. One function,
used by the lists and available to the exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

from pypinyin import Style, lazy_pinyin

T = TypeVar("T")


@lru_cache(maxsize=200_000)
def pinyin_key(text: str) -> tuple[tuple[str, str], ...]:
    """A sort key: per character its pinyin with the tone number (chong2), then the character itself (so
    homophones keep a stable order); anything not Chinese sorts by its own lower-cased text, before
    Chinese as in Excel."""
    text = text or ""
    syllables: list[str] = lazy_pinyin(
        text,
        style=Style.TONE3,
        neutral_tone_with_five=True,
        errors=list,  # type: ignore[arg-type]  # documented: a callable returning a list of strings
    )
    if len(syllables) != len(text):  # one syllable per character, else the key is the syllables alone
        return tuple((s.lower(), "") for s in syllables)
    return tuple((s.lower(), ch) for s, ch in zip(syllables, text, strict=True))


def sort_pinyin(items: Iterable[T], key: Callable[[T], str] = str, reverse: bool = False) -> list[T]:
    """`items` in pinyin order of `key(item)`."""
    return sorted(items, key=lambda item: pinyin_key(key(item)), reverse=reverse)
