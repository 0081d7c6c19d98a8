"""统一社会信用代码 (unified social credit code, GB 32100-2015).

18 characters from a 31-character set (no I, O, Z, S, V): registration authority (1), category (1),
administrative division (6, GB/T 2260), organisation code (9, GB 11714) and a check character computed with
weights 3^(i-1) mod 31 over the first 17 characters.
"""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_FORMAT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_VALUES = {char: index for index, char in enumerate(CHARSET)}


def check_character(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a code."""
    if len(first17) != 17 or any(c not in _VALUES for c in first17):
        raise ValueError(f"需要17位有效字符: {first17!r}")
    total = sum(_VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return CHARSET[0 if remainder == 31 else remainder]


def normalize(code: str) -> str:
    """Strip spaces and make upper case (codes are often pasted with both)."""
    return "".join(code.split()).upper()


def problem(code: str) -> str | None:
    """Why `code` is not a valid credit code (a Chinese message), or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    if not _FORMAT.match(code):
        bad = sorted({c for c in code if c not in _VALUES})
        if bad:
            return f"统一社会信用代码含有不允许的字符: {''.join(bad)}"
        return "统一社会信用代码第3-8位应为行政区划代码(6位数字)"
    expected = check_character(code[:17])
    if expected != code[17]:
        return f"统一社会信用代码校验位错误: 应为{expected}，实际为{code[17]}"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def complete(first17: str) -> str:
    """`first17` with its check character appended (used to make synthetic codes)."""
    return first17 + check_character(first17)
