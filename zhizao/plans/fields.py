"""The values of plan items, read and checked the same way whether they come from an extraction or from a
person's edit: dates, numbers, years, choices, unit lists, and an assignment's units matched to the unit
register. Deadlines as written are read by the one deadline grammar, `zhizao.plans.reading.deadlines`.
"""

from __future__ import annotations

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
