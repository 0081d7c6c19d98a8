"""The home region: the one GB/T 2260 region an installation serves (`ZHIZAO_HOME_REGION`; unset is the
whole country), what lies inside it, the level below a region that numbers are grouped by, and the names
pages, messages and bulletins show.

Names come from the shipped table (cheap, no query); the regions inside a region come from the database's
`regions` table, which is the shipped table synced by `db upgrade` plus anything imported later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from zhizao.config import get_settings
from zhizao.reference import regions
from zhizao.reference.models import Region

WHOLE_COUNTRY = "全国"
# Rows some editions of the table carry only to group counties (a municipality's 市辖区, 省直辖县级…):
# they are not places anyone works in, so lists and groupings look through them to their children.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Place:
    """A region as lists and charts show it."""

    code: str
    name: str
    name_en: str
    level: str
    depth: int = 0  # below the region a list was drawn from: 0 for the next level down, 1 below that


def home_region_code() -> str | None:
    """The installation's home region code, or None for the whole country."""
    return get_settings().home_region


def covers(code: str | None) -> bool:
    """Whether `code` lies inside the home region (everything does when it is unset)."""
    home = home_region_code()
    return home is None or regions.contains(home, code)


def home_clause(region_column: Any) -> ColumnElement[bool]:
    """SQL: the column's region lies inside the home region."""
    home = home_region_code()
    return true() if home is None else regions.within_clause(region_column, home)


def full_name(code: str | None) -> str:
    """The names from the province down (X省Y市Z区); 全国 for None; the code itself if unknown."""
    if code is None:
        return WHOLE_COUNTRY
    names: list[str] = []
    record = regions.get(code)
    while record is not None:
        if record.name not in PLACEHOLDER_NAMES:
            names.append(record.name)
        record = regions.get(record.parent_code) if record.parent_code else None
    return "".join(reversed(names)) or code


def short_name(code: str | None) -> str:
    """The region's own name (Y市), 全国 for None."""
    if code is None:
        return WHOLE_COUNTRY
    record = regions.get(code)
    return record.name if record else code


def home_name(english: bool = False) -> str:
    """The home region's own name for titles (its English name when asked and known), or "" for a
    whole-country installation."""
    home = home_region_code()
    if home is None:
        return ""
    record = regions.get(home)
    return (english and record is not None and record.name_en) or short_name(home)


def outside_message(code: str) -> str:
    """Why a row of region `code` is refused: 行政区划代码 <code> 不在本系统辖区（X省Y市）内."""
    return f"行政区划代码 {code} 不在本系统辖区（{full_name(home_region_code())}）内"


def bureau_name(code: str | None) -> str:
    """The industry and IT bureau of a region: X省工业和信息化厅, Y市工业和信息化局, Z县工业和信息化局.

    A province-level municipality (name ending in 市) has a 局, not a 厅."""
    if code is None:
        return "工业和信息化主管部门"
    name = short_name(code)
    if regions.level_of(code) == "province" and not name.endswith("市"):
        return f"{name}工业和信息化厅"
    return f"{name}工业和信息化局"


# the hierarchy in the database ------------------------------------------------------------------------------


def _rows_within(session: Session, root: str | None, *, abolished: bool = False) -> list[Region]:
    """The table's rows inside `root` (and `root` itself), current ones unless `abolished`, in table order."""
    stmt = select(Region).order_by(Region.sort_order, Region.code)
    if root is not None:
        stmt = stmt.where(regions.within_clause(Region.code, root))
    if not abolished:
        stmt = stmt.where(Region.valid_to.is_(None))
    return list(session.scalars(stmt))


def _parents(rows: Iterable[Region]) -> dict[str, str | None]:
    """Each row's parent, looking through placeholder rows to the real region above them."""
    by_code = {r.code: r for r in rows}
    parents: dict[str, str | None] = {}
    for row in by_code.values():
        parent = row.parent_code
        while parent in by_code and by_code[parent].name in PLACEHOLDER_NAMES:
            parent = by_code[parent].parent_code
        parents[row.code] = parent
    return parents


def _place(row: Region, depth: int = 0) -> Place:
    return Place(row.code, row.name, row.name_en or "", row.level, depth)


def next_level(session: Session, root: str | None) -> list[Place]:
    """The regions one level below `root`: a province's cities (and 省直辖县级 units), a city's districts and
    counties, the country's provinces. A county with nothing imported below it is its own next level."""
    rows = _rows_within(session, root)
    parents = _parents(rows)
    children = [_place(r) for r in rows if parents[r.code] == root and r.name not in PLACEHOLDER_NAMES]
    if not children and root is not None:
        return [_place(r) for r in rows if r.code == root]
    return children


def places_within(session: Session, root: str | None) -> list[Place]:
    """The regions inside `root` down two levels, each followed by its children (depth 1), for pickers: a
    province lists its cities each followed by their counties; a city its districts."""
    rows = _rows_within(session, root)
    parents = _parents(rows)
    below: dict[str | None, list[Region]] = {}
    for row in rows:
        if row.name not in PLACEHOLDER_NAMES:
            below.setdefault(parents[row.code], []).append(row)
    places: list[Place] = []
    for child in below.get(root, []):
        places.append(_place(child))
        places.extend(_place(grandchild, 1) for grandchild in below.get(child.code, []))
    if not places and root is not None:
        places = [_place(r) for r in rows if r.code == root]
    return places


def group_under(session: Session, root: str | None, codes: Iterable[str]) -> dict[str, Place]:
    """For each of `codes`, the region one level below `root` that holds it (a county's code maps to its city
    under a province root, to itself under a city root). `root` itself maps to itself; a code outside `root`
    or missing from the table maps to a place named by its code, so no count is ever dropped. An abolished
    code groups with the region its old parent belongs to."""
    rows = _rows_within(session, root, abolished=True)
    parents = _parents(rows)
    by_code = {r.code: r for r in rows}
    grouped: dict[str, Place] = {}
    for code in set(codes):
        node: str | None = code
        while node is not None and node != root and node in parents and parents[node] != root:
            node = parents[node]
        if node is not None and node in by_code:
            grouped[code] = _place(by_code[node])
        else:
            grouped[code] = Place(code, short_name(code), "", regions.level_of(code))
    return grouped


def region_order(session: Session, root: str | None) -> dict[str, int]:
    """Position of each region inside `root` in the table's order (for sorting grouped numbers)."""
    return {r.code: i for i, r in enumerate(_rows_within(session, root, abolished=True))}


def region_named(session: Session, text: str | None) -> str | None:
    """The region inside the home region that `text` (an issuer, a title) begins by naming:
    X市人民政府 -> X市, 中共X省委 -> X省, X省Y市Z县… -> Z县. None when it names none, or a name two share."""
    rest = (text or "").strip().removeprefix("中共")
    rows = _rows_within(session, home_region_code())
    found: str | None = None
    while rest:
        pool = [
            r
            for r in rows
            if rest.startswith(r.name)
            and (found is None or (r.code != found and regions.contains(found, r.code)))
        ]
        longest = max((len(r.name) for r in pool), default=0)
        best = [r for r in pool if len(r.name) == longest]
        if len(best) != 1:
            break
        found, rest = best[0].code, rest[longest:]
    return found
