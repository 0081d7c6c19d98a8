"""Numbers as Chinese policy documents write them: 6.5, 2600, 五千, 一万二千, 两, 〇."""

from __future__ import annotations

import re

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10**4, "亿": 10**8}
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_LARGE)
_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def _section(text: str) -> int | None:
    """Value of a numeral below 万 (一千二百三十四, 十五, 三); None when malformed."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            total += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _below_yi(text: str) -> int | None:
    """Value of a numeral below 亿 (三千万, 一万二千)."""
    if "万" not in text:
        return _section(text)
    head, tail = text.split("万", 1)
    high = _section(head) if head else 1
    low = _section(tail) if tail else 0
    return None if high is None or low is None else high * 10**4 + low


def chinese_to_number(text: str) -> int | None:
    """一千二百 -> 1200, 五千亿 -> 500000000000, 千万 -> 10000000; None when it is not a numeral."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text) and len(text) > 1:  # 二〇二四: digit by digit
        return int("".join(str(_DIGITS[ch]) for ch in text))
    high, low = text.split("亿", 1) if "亿" in text else ("", text)
    high_value = (_below_yi(high) if high else 1) if "亿" in text else 0
    low_value = _below_yi(low) if low else 0
    if high_value is None or low_value is None:
        return None
    return high_value * 10**8 + low_value


def to_number(text: str) -> float | None:
    """Arabic (6.5, 2,600) or Chinese numerals; None otherwise."""
    cleaned = text.replace(",", "")
    if _ARABIC.fullmatch(cleaned):
        return float(cleaned)
    value = chinese_to_number(text)
    return None if value is None else float(value)


def clean_number(value: float) -> float | int:
    """6.0 -> 6 so that JSON shows whole numbers as integers."""
    return int(value) if float(value).is_integer() else round(value, 6)
