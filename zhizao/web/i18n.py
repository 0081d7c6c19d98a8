"""Languages: Simplified Chinese (the source language of every string) and English.

Templates use Jinja2's i18n extension (`_("...")`); the English catalogue `locales/en.json` maps each
Chinese source string to its English text. A missing entry falls back to the Chinese string.
"""

from __future__ import annotations

import json
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


def gettext_for(language: str) -> Callable[..., str]:
    """A gettext-style callable for `language`: `_("中文", **values)` → translated, then %-formatted."""
    messages = catalogue(language)

    def gettext(message: str, **values: Any) -> str:
        text = messages.get(message, message)
        return text % values if values else text

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
