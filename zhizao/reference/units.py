"""The units (government departments and the governments one level down) of a region, generated from the
templates in `data/unit-templates.csv`, and written into the organisation list (`units`).

A template row names a unit relative to its region, the way documents of that region write it
(市工业和信息化局, 省发展改革委, 区财政局), with placeholders filled per region:

- `{p}`: the region's own level word: 省 for a province, 市 for a prefecture-level city, 区 / 县 / 市 / 旗 for
  a county-level unit (from the end of its name; 自治州 -> 州, 自治区 -> 自治区, 地区 -> 地区, 盟 -> 盟);
- `{full}`: its full name (X市), `{short}`: its name without the level word (X);
- `{child}`: for `child_government` rows, the name of each current region one level down (潍城区 ...),
  one unit each.

A province-level 直辖市 (its name ends in 市) takes the city set: its departments are 局 and 委, not 厅.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.config import get_settings
from zhizao.errors import InvalidInput
from zhizao.reference import regions
from zhizao.reference.data_files import read_rows, region_names
from zhizao.reference.models import Unit
from zhizao.reference.regions import is_region_code, level_of

KINDS = ("department", "district", "other")
CHILD_KEY = "child_government"
# Longest first: the level word a name ends with, and the word its own units are prefixed with.
_LEVEL_WORDS = (
    ("特别行政区", "特区"),
    ("自治区", "自治区"),
    ("自治州", "州"),
    ("自治县", "县"),
    ("自治旗", "旗"),
    ("地区", "地区"),
    ("林区", "区"),
    ("省", "省"),
    ("市", "市"),
    ("区", "区"),
    ("县", "县"),
    ("旗", "旗"),
    ("盟", "盟"),
)
_ETHNIC_SUFFIXES = ("壮族", "回族", "维吾尔")


def level_word(name: str) -> str:
    """The word a region's own units start with: X省 -> 省, Y市 -> 市, Z区 -> 区, W县 -> 县."""
    for suffix, word in _LEVEL_WORDS:
        if name.endswith(suffix):
            return word
    return name[-1:] if name else ""


def short_name(name: str) -> str:
    """A region's name without its level word: X市 -> X, Y壮族自治区 -> Y (kept whole when that
    would leave a single character, as in 沙市区)."""
    for suffix, _ in _LEVEL_WORDS:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            for ethnic in _ETHNIC_SUFFIXES:
                if stem.endswith(ethnic) and len(stem) - len(ethnic) >= 2:
                    return stem[: -len(ethnic)]
            return stem
    return name


@dataclass(frozen=True)
class UnitTemplate:
    level: str  # province | city | district
    key: str  # what the unit is, the same across levels: industry, development, child_government ...
    kind: str  # department | district | other
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class UnitSpec:
    """One unit of a region, ready to be written."""

    name: str
    kind: str
    region_code: str
    aliases: tuple[str, ...]
    key: str = ""


@lru_cache
def unit_templates() -> tuple[UnitTemplate, ...]:
    return tuple(
        UnitTemplate(
            r["level"], r["key"], r["kind"], r["name"], tuple(a for a in r["aliases"].split("|") if a)
        )
        for r in read_rows("unit-templates.csv")
    )


def template_level(code: str, name: str) -> str:
    """Which template set a region takes (a 直辖市 takes the city set)."""
    level = level_of(code)
    return "city" if level == "province" and name.endswith("市") else level


def _fill(text: str, name: str, child: str = "") -> str:
    return (
        text.replace("{p}", level_word(name))
        .replace("{full}", name)
        .replace("{short}", short_name(name))
        .replace("{child}", child)
    )


def units_for_region(
    code: str, names: dict[str, str] | None = None, children: Iterable[str] | None = None
) -> list[UnitSpec]:
    """The standard units of a region: its departments, party and people's-congress offices, and the
    government of each region one level down. `names` and `children` default to the shipped region table."""
    names = names if names is not None else region_names()
    if not is_region_code(code) or code not in names:
        raise InvalidInput(f"行政区划代码不存在: {code}")
    name = names[code]
    child_codes = list(children) if children is not None else [r.code for r in regions.children(code)]
    level = template_level(code, name)
    specs: list[UnitSpec] = []
    for template in unit_templates():
        if template.level != level:
            continue
        if template.key == CHILD_KEY:
            for child in child_codes:
                child_name = names[child]
                aliases = tuple(dict.fromkeys(_fill(a, name, child_name) for a in template.aliases))
                specs.append(
                    UnitSpec(_fill(template.name, name, child_name), template.kind, child, aliases, CHILD_KEY)
                )
            continue
        aliases = tuple(dict.fromkeys(a for a in (_fill(x, name) for x in template.aliases) if a))
        specs.append(UnitSpec(_fill(template.name, name), template.kind, code, aliases, template.key))
    return specs


def unit_for_key(code: str, key: str) -> str:
    """The name of a region's unit of one template key (industry -> 市工业和信息化局)."""
    found = next((s.name for s in units_for_region(code) if s.key == key), None)
    if found is None:
        raise InvalidInput(f"单位模板中没有 {key}")
    return found


def write_units(session: Session, specs: Iterable[UnitSpec]) -> int:
    """Insert the units, or update the ones of that name: kind and region from the spec, the aliases merged
    with what the unit already had in the same region (an alias of another region is dropped). Returns
    rows inserted or changed."""
    existing = {u.name: u for u in session.scalars(select(Unit))}
    changed = 0
    for spec in specs:
        unit = existing.get(spec.name)
        if unit is None:
            unit = Unit(
                name=spec.name, kind=spec.kind, region_code=spec.region_code, aliases=list(spec.aliases)
            )
            session.add(unit)
            existing[spec.name] = unit
            changed += 1
            continue
        kept = list(unit.aliases or []) if unit.region_code == spec.region_code else []
        aliases = list(dict.fromkeys([*spec.aliases, *kept]))
        if (unit.kind, unit.region_code, list(unit.aliases or [])) != (spec.kind, spec.region_code, aliases):
            unit.kind, unit.region_code, unit.aliases = spec.kind, spec.region_code, aliases
            changed += 1
    session.flush()
    return changed


def init_units(session: Session, region_code: str | None = None) -> int:
    """Create or update the template units of `region_code` (default: the home region setting; nothing
    when that is unset, since the whole country has no one unit list). Returns rows changed."""
    code = region_code or get_settings().home_region
    if not code:
        return 0
    return write_units(session, units_for_region(code))


def installation_region(session: Session) -> str | None:
    """The region whose units the installation holds: the home region setting, else the region most of
    the organisation list's departments belong to (None for an empty list)."""
    home = get_settings().home_region
    if home:
        return home
    departments = select(Unit.region_code).where(Unit.kind == "department", Unit.region_code.is_not(None))
    counts = Counter(session.scalars(departments))
    return counts.most_common(1)[0][0] if counts else None
