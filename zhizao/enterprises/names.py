"""Enterprise names: one form for storage and one comparison, used by every reader of names.

A registered name (营业执照) writes its brackets full-width — 示例机械（某地）有限公司 — while spreadsheets
carry the same name with ASCII brackets, full-width letters and digits, stray spaces or a no-break space
copied from a web page. `clean_name` gives the one stored form: NFKC for letters, digits and spaces (so
ＡＢＣ becomes ABC), whitespace inside the name removed between Chinese characters and collapsed elsewhere,
and brackets full-width as registered. `same_name` compares two names in that form, so a file whose name
differs from the registry only in such details is not warned about."""

from __future__ import annotations

import re
import unicodedata

_BRACKETS = str.maketrans({"(": "（", ")": "）", "[": "［", "]": "］"})
_SPACES = re.compile(r"\s+")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_SPACE_BY_CJK = re.compile(rf"(?<={_CJK}) | (?={_CJK})")


def clean_name(text: object) -> str:
    """The stored form of an enterprise name (see the module docstring); '' for an empty cell."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = _SPACES.sub(" ", value).strip().translate(_BRACKETS)
    return _SPACE_BY_CJK.sub("", value)


def same_name(first: object, second: object) -> bool:
    """True when two names are the same enterprise name once written in the stored form."""
    return clean_name(first) == clean_name(second)
