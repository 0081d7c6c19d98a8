"""What a GB/T 2260 code says about its place in the hierarchy, and the clauses built from it.

A 6-digit code is province (``XX0000``), prefecture-level (``XXYY00``) or county-level (``XXYYZZ``).
Everything inside a region shares its code's prefix: ``37`` for a province, ``3707`` for a prefecture,
the whole code for a county. 省直辖县级 units (``429004``) sit under their province's prefix, so
"inside the province" still holds for them; their parent in the table is the province itself.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import ColumnElement, or_

Level = Literal["province", "city", "district"]
LEVEL_LABELS: dict[str, str] = {"province": "省级", "city": "地级", "district": "县级"}


def is_region_code(code: str | None) -> bool:
    """A 6-digit code of the right shape (not whether the table holds it)."""
    return code is not None and len(code) == 6 and code.isdigit() and not code.startswith("00")


def prefix(code: str) -> str:
    """The prefix every code inside `code` starts with: 370000 -> 37, 370700 -> 3707, 370702 -> 370702."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def level_of(code: str) -> Level:
    """The level a code's shape names (the table is the authority for 省直辖县级 parents)."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def contains(ancestor: str, code: str | None) -> bool:
    """Whether `code` is `ancestor` or lies inside it."""
    return bool(code) and (code or "").startswith(prefix(ancestor))


def within_clause(region_column: Any, ancestor: str) -> ColumnElement[bool]:
    """SQL: the column's region is `ancestor` or lies inside it (an index-friendly prefix match)."""
    head = prefix(ancestor)
    if head == ancestor:
        return region_column == ancestor
    return or_(region_column == ancestor, region_column.like(f"{head}%"))
