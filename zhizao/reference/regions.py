"""What a GB/T 2260 code says about its place in the hierarchy, and the clauses built from it.

A 6-digit code is province (``XX0000``), prefecture-level (``XXYY00``) or county-level (``XXYYZZ``).
Everything inside a region shares its code's prefix: ``37`` for a province, ``3707`` for a prefecture,
the whole code for a county. 省直辖县级 units (``429004``) sit under their province's prefix, so
"inside the province" still holds for them; their parent in the table is the province itself.

The shipped table (``records``, ``get``, ``children``, ``descendants``, ``current_code``) also keeps codes
abolished since 2010 with the code that took over, so figures filed under an old code still find a region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, or_

from zhizao.reference.data_files import read_rows

Level = Literal["province", "city", "district"]
LEVEL_LABELS: dict[str, str] = {"province": "省级", "city": "地级", "district": "县级"}


def is_region_code(code: str | None) -> bool:
    """A 6-digit code of the right shape (not whether the table holds it)."""
    return code is not None and len(code) == 6 and code.isdigit() and not code.startswith("00")


def prefix(code: str) -> str:
    """The prefix every code inside `code` starts with: XX0000 -> XX, XXYY00 -> XXYY, XXYYZZ -> XXYYZZ."""
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


@dataclass(frozen=True)
class RegionRecord:
    """One row of the shipped GB/T 2260 table (zhizao/reference/data/regions.csv)."""

    code: str
    name: str
    name_en: str
    level: Level
    parent_code: str | None
    valid_from: int | None  # first yearly edition (as of 31 December) that lists the code
    valid_to: int | None  # first edition that no longer lists it; None while in use
    successor_code: str | None  # for an abolished code: the region in use that took over its area

    @property
    def in_use(self) -> bool:
        return self.valid_to is None

    def in_use_in(self, year: int) -> bool:
        """Whether the edition of `year` (as of its 31 December) lists the code."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year < self.valid_to
        )


def _optional_int(text: str) -> int | None:
    return int(text) if text else None


@lru_cache(maxsize=1)
def _records() -> dict[str, RegionRecord]:
    return {
        row["code"]: RegionRecord(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            level=cast(Level, row["level"]),
            parent_code=row["parent_code"] or None,
            valid_from=_optional_int(row["valid_from"]),
            valid_to=_optional_int(row["valid_to"]),
            successor_code=row["successor_code"] or None,
        )
        for row in read_rows("regions.csv")
    }


@lru_cache(maxsize=1)
def _children() -> dict[str | None, tuple[RegionRecord, ...]]:
    grouped: dict[str | None, list[RegionRecord]] = {}
    for record in _records().values():
        grouped.setdefault(record.parent_code, []).append(record)
    return {parent: tuple(rows) for parent, rows in grouped.items()}


def records(*, include_abolished: bool = False) -> list[RegionRecord]:
    """Every region of the shipped table in code order; abolished codes only when asked for."""
    return [r for r in _records().values() if include_abolished or r.in_use]


def get(code: str) -> RegionRecord | None:
    """The shipped row of a code, in use or abolished (None for a code the table does not know)."""
    return _records().get(code)


def children(code: str | None, *, include_abolished: bool = False) -> list[RegionRecord]:
    """The regions whose parent is `code` (None: the provinces), in code order.

    A province's children are its prefectures and also the county-level units it governs directly
    (a municipality's districts, 省直辖县级 units); filter on `level` to tell them apart."""
    return [r for r in _children().get(code, ()) if include_abolished or r.in_use]


def descendants(code: str, *, level: Level | None = None) -> list[RegionRecord]:
    """The regions in use inside `code` (not `code` itself), optionally of one level, in code order."""
    head = prefix(code)
    return [
        r
        for r in _records().values()
        if r.in_use and r.code != code and r.code.startswith(head) and (level is None or r.level == level)
    ]


def current_code(code: str) -> str | None:
    """The code in use for `code`: itself while in use, else its successor (followed to the end).

    None for a code the table does not know or an abolished one without a successor."""
    record = _records().get(code)
    seen: set[str] = set()
    while record is not None and not record.in_use and record.successor_code and record.code not in seen:
        seen.add(record.code)
        record = _records().get(record.successor_code)
    return record.code if record is not None and record.in_use else None


def level_counts(*, year: int | None = None) -> dict[str, int]:
    """How many regions per level: those in use now, or those the edition of `year` lists."""
    counts = dict.fromkeys(LEVEL_LABELS, 0)
    for record in _records().values():
        if record.in_use_in(year) if year is not None else record.in_use:
            counts[record.level] += 1
    return counts
