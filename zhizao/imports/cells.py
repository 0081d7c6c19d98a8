"""Turning one cell into a typed value, or a message a clerk understands.

Accepted forms: numbers stored as numbers or as text, with thousands separators ("1,234.5"), full-width
digits ("１２３４"), surrounding spaces; "-", "—", "/" and empty cells mean "no value". Dates as Excel dates,
Excel serial numbers (40179 = 2010-01-01) or text (2010-01-01, 2010/1/1, 2010.1.1, 2010年1月1日, 20100101).
Each parser returns the value or raises `CellError` with the message.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from zhizao.enterprises import credit_code
from zhizao.imports.readers import Cell

EMPTY_MARKS = frozenset({"-", "—", "--", "——", "/", "／", "无"})
EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class CellError(ValueError):
    """A cell that cannot be read as the value its column needs; the message is shown to the user."""


def text(cell: Cell) -> str:
    """A cell as clean text (full-width letters and digits to half-width)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFKC", str(cell)).strip()


def show(cell: Cell) -> str:
    value = str(cell)
    return value if len(value) <= 30 else value[:30] + "…"


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and (cell.strip() == "" or cell.strip() in EMPTY_MARKS))


def number(cell: Cell) -> float | None:
    """A number, or None for an empty cell."""
    if is_empty(cell):
        return None
    if isinstance(cell, bool):
        raise CellError(f"应为数值，实际为「{show(cell)}」")
    if isinstance(cell, int | float):
        value = float(cell)
    elif isinstance(cell, date):
        raise CellError(f"应为数值，实际为日期 {cell:%Y-%m-%d}（请检查单元格格式）")
    else:
        cleaned = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "").replace(" ", "")
        try:
            value = float(cleaned)
        except ValueError:
            raise CellError(f"应为数值，实际为「{show(cell)}」") from None
    if not math.isfinite(value):
        raise CellError(f"应为数值，实际为「{show(cell)}」")
    return value


def year(cell: Cell) -> int | None:
    if is_empty(cell):
        return None
    raw = text(cell).removesuffix("年")
    if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
        raise CellError(f"年度应为四位年份（如2024），实际为「{show(cell)}」")
    return int(raw)


def month(cell: Cell) -> int:
    if is_empty(cell):
        return 0
    raw = text(cell).removesuffix("月")
    if not raw.isdigit() or not 0 <= int(raw) <= 12:
        raise CellError(f"月份应为1-12（全年填0或留空），实际为「{show(cell)}」")
    return int(raw)


def a_date(cell: Cell) -> date | None:
    if is_empty(cell):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(float(cell), cell)
    raw = text(cell)
    match = _DATE_TEXT.match(raw)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if len(raw) == 8 and raw.isdigit():
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if raw.isdigit():
            return _serial(float(raw), cell)
    except ValueError:
        pass
    raise CellError(f"日期无法识别「{show(cell)}」，请写成 2010-01-01")


def _serial(value: float, cell: Cell) -> date:
    if not 1 <= value <= 2958465:
        raise CellError(f"日期无法识别「{show(cell)}」，请写成 2010-01-01")
    return EXCEL_EPOCH + timedelta(days=int(value))


def yes_no(cell: Cell) -> bool | None:
    if is_empty(cell):
        return None
    if isinstance(cell, bool):
        return cell
    raw = text(cell).lower()
    if raw in ("是", "y", "yes", "true", "1", "规上", "√"):
        return True
    if raw in ("否", "n", "no", "false", "0", "规下", "×"):
        return False
    raise CellError(f"应填「是」或「否」，实际为「{show(cell)}」")


def code(cell: Cell, *, accept_historical: bool = False) -> tuple[str, str | None]:
    """(normalized credit code, warning or None). Raises for a missing or invalid code."""
    if isinstance(cell, str):
        return _text_code(cell, accept_historical)
    return _code(cell, accept_historical)


@lru_cache(maxsize=65536)
def _text_code(cell: str, accept_historical: bool) -> tuple[str, str | None]:
    return _code(cell, accept_historical)  # the same code comes once per year and month: checked once


def _code(cell: Cell, accept_historical: bool) -> tuple[str, str | None]:
    if is_empty(cell):
        raise CellError("统一社会信用代码不能为空")
    if isinstance(cell, float) and abs(cell) >= 1e15:
        raise CellError("统一社会信用代码被存成了数字（末几位已丢失），请将该列设为「文本」格式后重新填写")
    value = credit_code.normalize(text(cell))
    problem = credit_code.problem(value)
    if problem is None:
        return value, None
    if accept_historical and problem.startswith("统一社会信用代码校验位错误"):
        return value, f"{problem}（按历史代码接受）"
    raise CellError(problem)
