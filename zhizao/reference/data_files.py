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
def region_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in read_rows("regions.csv")}


@lru_cache
def _current_children() -> dict[str, tuple[str, ...]]:
    """Parent code -> codes of its current children (abolished regions, with a `valid_to`, left out)."""
    children: dict[str, list[str]] = {}
    for row in read_rows("regions.csv"):
        if row.get("valid_to") or not row["parent_code"]:
            continue
        children.setdefault(row["parent_code"], []).append(row["code"])
    return {parent: tuple(codes) for parent, codes in children.items()}


def district_codes(parent_code: str) -> list[str]:
    """The current regions one level below `parent_code` (a city's districts and counties, a province's
    cities and directly administered counties), in table order."""
    return list(_current_children().get(parent_code, ()))


def parent_codes(code: str) -> list[str]:
    """The regions above `code`, nearest first (370702 -> 370700, 370000)."""
    parents = {row["code"]: row["parent_code"] for row in read_rows("regions.csv")}
    found: list[str] = []
    current = parents.get(code) or ""
    while current and current not in found:
        found.append(current)
        current = parents.get(current) or ""
    return found
