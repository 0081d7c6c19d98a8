"""The reference tables shipped inside the package, read as rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of `zhizao/reference/data/<name>` as dicts (UTF-8 CSV with a header)."""
    with resources.files("zhizao.reference").joinpath("data", name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


@lru_cache
def industry_names() -> dict[str, str]:
    """GB/T 4754-2017 code -> name, every level."""
    return {row["code"]: row["name"] for row in read_rows("gbt4754-2017.csv")}


@lru_cache
def region_rows() -> dict[str, dict[str, str]]:
    """The shipped GB/T 2260 table by code (current and, where the table keeps them, abolished codes)."""
    return {row["code"]: row for row in read_rows("regions.csv")}


@lru_cache
def region_names() -> dict[str, str]:
    return {code: row["name"] for code, row in region_rows().items()}


def is_current(row: dict[str, str]) -> bool:
    """Whether a row of the table is in force (an abolished code keeps its row with a `valid_to`)."""
    return not row.get("valid_to")


@lru_cache
def current_region_codes() -> frozenset[str]:
    return frozenset(code for code, row in region_rows().items() if is_current(row))


def district_codes(city_code: str) -> list[str]:
    """Codes whose parent in the table is `city_code` (its districts and counties)."""
    rows = region_rows().items()
    return [code for code, row in rows if row["parent_code"] == city_code and is_current(row)]
