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
def indicator_labels() -> dict[str, str]:
    """Catalogue indicator id -> its Chinese label without the unit (tax -> 税收实际贡献)."""
    return {row["id"]: row["label"].split("(")[0].split("（")[0] for row in read_rows("indicators.csv")}


@lru_cache
def region_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in read_rows("regions.csv")}


def district_codes(city_code: str) -> list[str]:
    """Codes of the current county-level units whose parent is `city_code` (a prefecture, or a province
    for its municipal districts and 省直辖县级 units)."""
    return [
        row["code"]
        for row in read_rows("regions.csv")
        if row["parent_code"] == city_code and row["level"] == "district" and not row["valid_to"]
    ]
