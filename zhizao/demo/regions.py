"""The region a demo is built for: where its enterprises sit, what its units and documents are.

Everything specific to a real place lives in data (`data/regions.toml`, the region table, the unit
templates); a region without an entry gets generic weights over its real districts and counties.
A prefecture's enterprises sit in its districts and counties; a province's in a few counties of each of its
cities (and its directly administered counties).
"""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from zhizao.errors import InvalidInput
from zhizao.reference import regions
from zhizao.reference.data_files import region_names
from zhizao.reference.regions import is_region_code, level_of
from zhizao.reference.units import short_name

COUNTIES_PER_CITY = 3  # a province demo: this many counties of each city


@dataclass(frozen=True)
class Cluster:
    prefix: str  # a GB/T 4754 code prefix
    weights: dict[str, float]  # district -> extra weight


@dataclass(frozen=True)
class DemoDocument:
    file: str  # in zhizao/plans/samples
    region_code: str  # the region the document was issued for


@dataclass(frozen=True)
class DemoRegion:
    code: str
    name: str
    level: str  # province | city
    districts: tuple[str, ...]  # where the enterprises sit
    weights: dict[str, float]
    places: dict[str, str]  # district -> the place word an enterprise name starts with
    clusters: tuple[Cluster, ...] = ()
    class_boosts: dict[str, float] = field(default_factory=dict)
    documents: tuple[DemoDocument, ...] = ()  # real sample documents (none: generated from the template)
    units_file: str | None = None
    district_account: str = ""
    development_zone: bool = True  # add a synthetic 高新区 unit (marked 演示)


@lru_cache
def _profiles() -> dict[str, Any]:
    text = resources.files("zhizao.demo").joinpath("data", "regions.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _generic_weight(code: str) -> float:
    """A stable, uneven share for a district without a profile (1.0 to 4.0)."""
    return 1.0 + (zlib.crc32(code.encode()) % 13) / 4


def enterprise_districts(code: str) -> tuple[str, ...]:
    """Where a demo's enterprises sit: a prefecture's districts and counties; for a province, the first few
    counties of each city, and the counties the province administers directly."""
    children = [r.code for r in regions.children(code)]
    if level_of(code) != "province":
        return tuple(children)
    found: list[str] = []
    for child in children:
        grandchildren = [r.code for r in regions.children(child)]
        found.extend(grandchildren[:COUNTIES_PER_CITY] if grandchildren else [child])
    return tuple(found)


@lru_cache
def demo_region(code: str | None) -> DemoRegion:
    """The demo of a prefecture or a province; InvalidInput for anything else."""
    names = region_names()
    if not code:
        raise InvalidInput("请用 --region 指定演示地区的行政区划代码(地级市或省)，或设置 ZHIZAO_HOME_REGION")
    if not is_region_code(code) or code not in names:
        raise InvalidInput(f"行政区划代码不存在: {code}")
    level = level_of(code)
    if level == "district":
        raise InvalidInput(f"演示数据按地级市或省生成，{code} {names[code]} 是县级区划；请用其所属的市")
    districts = enterprise_districts(code)
    if not districts:
        raise InvalidInput(f"区划表中没有 {code} {names[code]} 的下级区划，无法生成演示数据")
    profile = _profiles().get(code, {})
    weights = {d: float(profile.get("weights", {}).get(d, _generic_weight(d))) for d in districts}
    places = {d: profile.get("places", {}).get(d) or short_name(names[d]) for d in districts}
    return DemoRegion(
        code=code,
        name=names[code],
        level=level,
        districts=districts,
        weights=weights,
        places=places,
        clusters=tuple(Cluster(c["prefix"], dict(c["weights"])) for c in profile.get("clusters", [])),
        class_boosts={k: float(v) for k, v in profile.get("class_boosts", {}).items()},
        documents=tuple(DemoDocument(d["file"], d["region"]) for d in profile.get("documents", [])),
        units_file=profile.get("units"),
        district_account=profile.get("district_account") or districts[0],
        development_zone=bool(profile.get("development_zone", True)),
    )
