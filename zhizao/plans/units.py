"""Matching unit names as documents write them to the organisation list (`units`).

A name is matched, in this order, by: the "all districts" phrases (各区(市), 各区市, 各区、市, 各县市区,
各市人民政府 ...), which expand to every government one level down; the exact unit name; a known alias
(`Unit.aliases`); a mapping a person made once and that is remembered (`unit_mappings`); and the same three
lookups on prefix variants of the name. The variants come from the installation's region and the regions
above it (the region table): with a city <X>市 in province <Y>省, <X>市Z = 市Z, 中共<X>市委Z = 市委Z,
<Y>省Z = 省Z; and X人民政府 = X政府, a bare 财政局 = 市财政局 (the installation's own level word). Names are
compared after normalising brackets to ASCII, dropping whitespace, quotes and a trailing 等. Last, a name
no lookup found that means every development zone (各开发区, 市属开发区管委会) stands for every zone unit
(kind `other`, named 开发区/功能区/管委会/园区) the list has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound
from zhizao.plans.models import AssignmentUnit, PlanTask, TaskAssignment, UnitMapping
from zhizao.reference.models import Region, Unit
from zhizao.reference.units import installation_region, level_word

_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "，": ","})
_DROP = re.compile(r"[\s\u3000\"'“”‘’「」『』]+")
_ALL_DISTRICTS = re.compile(
    r"^(各|全市各|全省各|市内各)(区|县|市|旗|区县|县区|区市|县市|县市区|市县区|区\(市\)|县\(市\)|区、市"
    r"|县\(市、区\)|县\(市,区\)|市、县\(市、区\)|市县)(人民)?(党委)?[、和]?(人民)?(政府)?$"
)
_ALL_ZONES = re.compile(
    r"^(各|市属|省属|各市属|各级)(开发区|功能区|园区|开发区\(园区\))(管委会|管理委员会)?$"
)
_ZONE_WORDS = ("开发区", "功能区", "管委会", "园区")
_SPLIT = re.compile(r"[、,;；]")
_BRACKETED = re.compile(r"\([^()]*\)")
_GROUP_GUARD = "各区、市"
_GROUP_TOKEN = "各区(市)"
_NO_CITY_PREFIX = ("市", "省", "国家", "中国", "中共", "各", "人民银行", "国网")


def normalise(text: str) -> str:
    """The comparable form of a unit name: ASCII brackets, no whitespace or quotes, no trailing 等."""
    value = _DROP.sub("", text.translate(_BRACKETS))
    while value.endswith("等") and len(value) > 1:
        value = value[:-1]
    return value


def is_all_districts(text: str) -> bool:
    """Whether the name means every district government (各区(市), 各区市, 各区、市, 各区市政府 ...)."""
    return bool(_ALL_DISTRICTS.match(normalise(text)))


def split_units(text: str) -> list[str]:
    """Split a list of unit names as a person types it (、 , ; separated), keeping 各区、市 and separators
    inside brackets (各县(市、区)) whole."""
    guarded = text.translate(_BRACKETS).replace(_GROUP_GUARD, _GROUP_TOKEN)
    guarded = _BRACKETED.sub(lambda m: m.group(0).replace("、", "\0").replace(",", "\1"), guarded)
    parts = (p.replace("\0", "、").replace("\1", ",").strip() for p in _SPLIT.split(guarded))
    return [part for part in parts if part]


def _variants(name: str, regions: Sequence[tuple[str, str]]) -> list[str]:
    """`regions`: (full name, level word) of the installation's region and those above it."""
    variants = [name]
    for full, word in regions:
        if name.startswith(f"中共{full}委"):
            variants.append(f"{word}委" + name[len(full) + 3 :])
        elif name.startswith(full) and len(name) > len(full):
            variants.append(word + name[len(full) :])
    for variant in list(variants):
        if variant.endswith("人民政府"):
            variants.append(variant[: -len("人民政府")] + "政府")
    if regions and not name.startswith(_NO_CITY_PREFIX) and "区" not in name:
        word = regions[0][1]
        if not name.startswith(word):
            variants.append(word + name)
    return variants


class UnitMatcher:
    """Looks unit names up in the organisation list, its aliases and the remembered mappings.

    `regions` are (full name, level word) of the installation's region and those above it, nearest first;
    they turn X市工业和信息化局 into 市工业和信息化局 for an X市 installation."""

    def __init__(
        self, units: Sequence[Unit], mappings: dict[str, int], regions: Sequence[tuple[str, str]] = ()
    ) -> None:
        self._regions = list(regions)
        self._by_id = {unit.id: unit for unit in units}
        self._names = {normalise(unit.name): unit.id for unit in units}
        self._aliases: dict[str, int] = {}
        for unit in units:
            for alias in unit.aliases or []:
                self._aliases.setdefault(normalise(alias), unit.id)
        self._mappings = dict(mappings)
        self._districts = sorted(
            (u for u in units if u.kind == "district"), key=lambda u: (u.region_code or "", u.name)
        )
        self._zones = [u for u in units if u.kind == "other" and any(w in u.name for w in _ZONE_WORDS)]

    @classmethod
    def load(cls, session: Session) -> UnitMatcher:
        units = list(session.scalars(select(Unit).order_by(Unit.id)))
        mappings = {m.text: m.unit_id for m in session.scalars(select(UnitMapping))}
        return cls(units, mappings, installation_names(session))

    def _lookup(self, name: str) -> int | None:
        for table in (self._names, self._aliases, self._mappings):
            if name in table:
                return table[name]
        return None

    def match(self, text: str) -> list[Unit]:
        """The units a name stands for: one, every district for 各区(市), or none when unknown."""
        name = normalise(text)
        if not name:
            return []
        if _ALL_DISTRICTS.match(name):
            return list(self._districts)
        for variant in _variants(name, self._regions):
            unit_id = self._lookup(variant)
            if unit_id is not None and unit_id in self._by_id:
                return [self._by_id[unit_id]]
        if _ALL_ZONES.match(name):  # 各开发区, 市属开发区管委会: every zone in the list (none: unmatched)
            return list(self._zones)
        return []


def installation_names(session: Session) -> list[tuple[str, str]]:
    """(full name, level word) of the installation's region and the regions above it, nearest first."""
    code = installation_region(session)
    names: list[tuple[str, str]] = []
    while code and len(names) < 4:
        region = session.get(Region, code)
        if region is None:
            break
        names.append((region.name, level_word(region.name)))
        code = region.parent_code
    return names


@dataclass(frozen=True)
class Unmatched:
    """A unit name of a plan that matched nothing, with how many assignments name it."""

    text: str
    count: int


def unmatched_units(session: Session, plan_id: int) -> list[Unmatched]:
    """Unit names in a plan's assignments that are not matched to the organisation list, most used first."""
    rows = session.scalars(
        select(AssignmentUnit.unit_text)
        .join(TaskAssignment, TaskAssignment.id == AssignmentUnit.assignment_id)
        .join(PlanTask, PlanTask.id == TaskAssignment.task_id)
        .where(PlanTask.plan_id == plan_id, AssignmentUnit.unit_id.is_(None))
    )
    counts: dict[str, int] = {}
    for text in rows:
        counts[normalise(text)] = counts.get(normalise(text), 0) + 1
    return [Unmatched(text, n) for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _apply(session: Session, name: str, unit_id: int) -> int:
    rows = session.scalars(select(AssignmentUnit).where(AssignmentUnit.unit_id.is_(None)))
    changed = 0
    for row in rows:
        if normalise(row.unit_text) == name:
            row.unit_id = unit_id
            changed += 1
    return changed


def remember_mapping(session: Session, actor: Actor, text: str, unit_id: int) -> int:
    """Map a unit name to an organisation unit, remember it for later documents, and match every unmatched
    assignment that names it. Returns the number of assignment units now matched."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    name = normalise(text)
    if not name:
        raise InvalidInput("单位名称不能为空")
    if session.get(Unit, unit_id) is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    with acting_as(actor.username):
        mapping = session.scalars(select(UnitMapping).where(UnitMapping.text == name)).first()
        if mapping is None:
            session.add(UnitMapping(text=name, unit_id=unit_id, created_by=actor.username))
        else:
            mapping.unit_id = unit_id
        changed = _apply(session, name, unit_id)
        session.flush()
    return changed


def add_unit(session: Session, actor: Actor, name: str, kind: str = "other") -> Unit:
    """Add a unit to the organisation list (for a name no existing unit stands for) and match every
    unmatched assignment that names it."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    clean = normalise(name)
    if not clean:
        raise InvalidInput("单位名称不能为空")
    if kind not in ("department", "district", "other"):
        raise InvalidInput(f"单位类型无效: {kind}")
    if session.scalars(select(Unit).where(Unit.name == clean)).first() is not None:
        raise InvalidInput(f"单位“{clean}”已存在")
    with acting_as(actor.username):
        unit = Unit(name=clean, kind=kind, region_code=None, aliases=[])
        session.add(unit)
        session.flush()
        _apply(session, clean, unit.id)
        session.flush()
    return unit


def unit_names(session: Session, unit_ids: Iterable[int]) -> dict[int, str]:
    ids = set(unit_ids)
    if not ids:
        return {}
    return {u.id: u.name for u in session.scalars(select(Unit).where(Unit.id.in_(ids)))}


def all_units(session: Session) -> list[Unit]:
    """The organisation list, departments first, then districts, then others."""
    order = {"department": 0, "district": 1, "other": 2}
    units = list(session.scalars(select(Unit)))
    return sorted(units, key=lambda u: (order.get(u.kind, 3), u.id))


def find_unit(session: Session, name: str) -> Unit:
    """The one unit a name stands for (by name, alias or remembered mapping); NotFound otherwise."""
    found = UnitMatcher.load(session).match(name)
    if len(found) != 1:
        raise NotFound(f"找不到单位“{name}”")
    return found[0]
