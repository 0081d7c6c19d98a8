"""The values of plan items, read and checked the same way whether they come from an extraction or from a
person's edit: deadlines, dates, numbers, years, choices, unit lists, and an assignment's units matched to
the unit register.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from zhizao.errors import Problems
from zhizao.plans.models import AssignmentUnit, TaskAssignment
from zhizao.plans.units import UnitMatcher, split_units
from zhizao.reference.models import Unit

MEASURES = ("level", "growth", "reduction", "share", "increase", "rank")
QUALIFIERS = ("about", "at_least", "at_most", "exact")
ROLES = (("lead_units", "lead"), ("responsible_units", "responsible"), ("cooperating_units", "cooperating"))


def parse_deadline(text: str | None, year: int | None = None) -> date | None:
    """The last day of the period a deadline names: 2024-06-30, 2024年6月 -> 2024-06-30, 2025年底 ->
    2025-12-31, 全年/年底/年内 -> the plan year's 12-31. None when the text names no period."""
    value = (text or "").strip()
    if not value:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(\d{4})年(\d{1,2})月", value):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, calendar.monthrange(y, mo)[1]) if 1 <= mo <= 12 else None
    if m := re.search(r"(\d{4})年", value):
        return date(int(m[1]), 12, 31)
    if year and re.search(r"全年|年底|年内|年末|持续推进|长期坚持", value):
        return date(year, 12, 31)
    return None


def read_date(value: Any, problems: Problems, row: int | None, column: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.error(f"日期格式应为 YYYY-MM-DD: {value}", row, column)
        return None


def read_number(value: Any, problems: Problems, row: int | None, column: str) -> float | None:
    if isinstance(value, bool):
        problems.error(f"数值无效: {value}", row, column)
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        problems.error(f"数值无效: {value}", row, column)
        return None


def read_year(value: Any, problems: Problems, row: int | None, column: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        problems.error(f"年份无效: {value}", row, column)
        return None
    if not 1949 <= year <= 2100:
        problems.error(f"年份超出范围: {year}", row, column)
        return None
    return year


def read_choice(
    value: Any, allowed: tuple[str, ...], problems: Problems, row: int | None, column: str
) -> str:
    if value not in allowed:
        problems.error(f"取值无效: {value}(应为 {' / '.join(allowed)})", row, column)
        return allowed[0]
    return str(value)


def unit_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_units(value)
    return [str(v).strip() for v in value if str(v).strip()]


def fill_units(assignment: TaskAssignment, names: Mapping[str, list[str]], matcher: UnitMatcher) -> None:
    assignment.units.clear()
    position = 0
    for key, role in ROLES:
        for text in names.get(key, []):
            matches: list[Unit | None] = [*matcher.match(text)] or [None]
            for unit in matches:
                assignment.units.append(
                    AssignmentUnit(
                        position=position, role=role, unit_text=text[:200], unit_id=unit.id if unit else None
                    )
                )
                position += 1
