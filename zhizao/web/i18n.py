"""Languages: Simplified Chinese (the source language of every string) and English.

Templates use Jinja2's i18n extension (`_("...")`); the English catalogue `locales/en.json` maps each
Chinese source string to its English text. A missing entry falls back to the Chinese string.

Labels built in code (a target "5000家以上", an alert "已逾期 3 天（期限 2024-06-30）", a class "A类") are
translated by the same catalogue: an entry with named placeholders is also a pattern, so
`"%(value)s以上": "%(value)s or more"` turns "5000家以上" into "5000 firms or more" — each captured part is
translated again ("%(n)s家" → "%(n)s firms"), and a part without an entry stays as it is. The library keeps
building its Chinese labels; a template shows one with `_(label)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "zh-CN"
LANGUAGES = {"zh-CN": "中文", "en": "English"}


@lru_cache
def catalogue(language: str) -> dict[str, str]:
    """The message catalogue of `language` (empty for the source language)."""
    path = LOCALES_DIR / f"{language}.json"
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


_ALNUM = re.compile(r"[0-9A-Za-z]")
_SPECIFIC = 3  # literal characters from which a pattern may capture any text


@lru_cache
def patterns(language: str) -> list[tuple[re.Pattern[str], str, bool]]:
    """The catalogue's entries with placeholders as (regex over the Chinese, English template, loose), the
    most specific (most literal characters) first. A loose pattern ("%(n)s家", "%(year)s年") only captures a
    part with a digit or a Latin letter in it, so "规模以上" is not read as "规模" + "以上"."""
    found = []
    for source, target in catalogue(language).items():
        if not _PLACEHOLDER.search(source):
            continue
        pieces = _PLACEHOLDER.split(source)  # literal, name, literal, name, ..., literal
        regex = "".join(
            re.escape(piece.replace("%%", "%")) if i % 2 == 0 else f"(?P<{piece}>.+?)"
            for i, piece in enumerate(pieces)
        )
        literal = sum(len(piece) for piece in pieces[::2])
        found.append((literal, re.compile(regex), target))
    found.sort(key=lambda item: -item[0])
    return [(regex, target, literal < _SPECIFIC) for literal, regex, target in found]


def translate(message: str, language: str, depth: int = 0) -> str:
    """`message` in `language`: its catalogue entry, else the first pattern it matches with each captured part
    translated in turn, else the message itself."""
    messages = catalogue(language)
    if not messages or not message:
        return message
    if message in messages:
        return messages[message]
    if depth > 3:
        return message
    for regex, target, loose in patterns(language):
        matched = regex.fullmatch(message)
        if matched and not (loose and not all(_ALNUM.search(v) for v in matched.groupdict().values())):
            parts = {k: translate(v, language, depth + 1) for k, v in matched.groupdict().items()}
            return target % parts
    return _bracketed(message, language, depth)


_CHINESE = re.compile(r"[\u3400-\u9fff]")
_BRACKETED = re.compile(r"(?P<head>[^（]*)（(?P<inner>[^（）]+)）(?P<tail>.*)", re.S)


def _bracketed(message: str, language: str, depth: int) -> str:
    """A label with a full-width bracket ("实际值（亿元）", "规上（用地≥3亩）") whose whole has no entry: its
    parts translated one by one, in ASCII brackets — when at least one part has an entry."""
    matched = _BRACKETED.fullmatch(message)
    if not matched:
        return message
    head, inner, tail = matched["head"].strip(), matched["inner"].strip(), matched["tail"].strip()
    parts = [translate(part, language, depth + 1) for part in (head, inner, tail)]
    if parts == [head, inner, tail] and any(_CHINESE.search(part) for part in parts):
        return message  # nothing known: a name such as 市工业和信息化局（市国资委） stays as it is
    english = f"{parts[0]} ({parts[1]})" if parts[0] else f"({parts[1]})"
    return f"{english} {parts[2]}" if parts[2] else english


def gettext_for(language: str) -> Callable[..., str]:
    """A gettext-style callable for `language`: `_("中文", **values)` → translated, then %-formatted; a label
    built in code (no values) is translated by the catalogue's patterns (see the module)."""
    messages = catalogue(language)

    def gettext(message: str, **values: Any) -> str:
        if values:
            return messages.get(message, message) % values
        return translate(message, language)

    return gettext


def ngettext_for(language: str) -> Callable[..., str]:
    gettext = gettext_for(language)

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        return gettext(singular if n == 1 else plural, **values)

    return ngettext


LANG_COOKIE = "zhizao_lang"


def request_language(request: Request) -> str:
    """The language chosen with the switch (a preference cookie), or the default (zh-CN)."""
    language = request.cookies.get(LANG_COOKIE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def localized(obj: Any, field: str, language: str) -> Any:
    """`obj.<field>_en` in English when it has one, else `obj.<field>`."""
    if language == "en":
        english = getattr(obj, f"{field}_en", "") or ""
        if english:
            return english
    return getattr(obj, field)
