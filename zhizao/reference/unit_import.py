"""Importing a local unit list (Excel or CSV) for what the templates lack: a 开发区管委会, a 专班, a unit the
region names differently.

Columns (header names as a person writes them; the first non-empty row is the header):
名称 (required), 简称 (several separated by 、 or |), 上级单位 (a unit already in the list or earlier in the
file), 层级/类别 (部门, 下级政府 / 区县政府, 开发区 / 其他), 所属行政区划 (a code, "code name" or a name).
A row naming a unit that exists updates it (its short names are added to the ones it has). Every row is
checked first; one error and nothing is written.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.config import get_settings
from zhizao.errors import InvalidInput, Problems
from zhizao.imports.readers import Cell, open_table
from zhizao.reference.models import Region, Unit
from zhizao.reference.regions import contains

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "单位", "name"),
    "aliases": ("简称", "别名", "简称(多个用、或|分隔)", "aliases"),
    "parent": ("上级单位", "上级", "parent"),
    "kind": ("层级/类别", "类别", "层级", "类型", "kind"),
    "region": ("所属行政区划", "行政区划", "行政区划代码", "区划代码", "region"),
}
HEADER = ("名称", "简称", "上级单位", "层级/类别", "所属行政区划")
KIND_WORDS: dict[str, str] = {
    "部门": "department",
    "委办局": "department",
    "department": "department",
    "下级政府": "district",
    "区县政府": "district",
    "县市区政府": "district",
    "区(市)政府": "district",
    "政府": "district",
    "district": "district",
    "开发区": "other",
    "功能区": "other",
    "其他": "other",
    "other": "other",
}
_ALIAS_SPLIT = re.compile(r"[、|｜;；,，]")
_HEADER_CLEAN = re.compile(r"[\s（）()]+")


@dataclass
class UnitRow:
    row: int
    name: str
    aliases: list[str]
    parent: str
    kind: str
    region_code: str | None


@dataclass
class UnitImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _header_map(cells: list[Cell]) -> dict[str, int]:
    wanted = {_HEADER_CLEAN.sub("", w): key for key, words in COLUMNS.items() for w in words}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = wanted.get(_HEADER_CLEAN.sub("", _text(cell)))
        if key and key not in found:
            found[key] = index
    return found


def _region(text: str, regions: dict[str, str], by_name: dict[str, str]) -> str | None:
    if not text:
        return None
    head = text.split()[0]
    if head in regions:
        return head
    return by_name.get(text) or by_name.get(head)


@dataclass
class _Context:
    regions: dict[str, str]
    by_name: dict[str, str]
    home: str | None
    problems: Problems


def _parse_row(number: int, cells: list[Cell], header: dict[str, int], ctx: _Context) -> UnitRow | None:
    def cell(key: str) -> str:
        index = header.get(key)
        return _text(cells[index]) if index is not None and index < len(cells) else ""

    problems = ctx.problems
    name = cell("name")
    if not name:
        problems.error("名称为空", number, "名称")
        return None
    if len(name) > 100:
        problems.error("名称超过100个字符", number, "名称")
    kind_text = cell("kind").replace("（", "(").replace("）", ")")
    kind = KIND_WORDS.get(kind_text, "") if kind_text else "department"
    if not kind:
        message = f"层级/类别无法识别: {kind_text}(可填 部门、下级政府、开发区、其他)"
        problems.error(message, number, "层级/类别")
    region_text = cell("region")
    region = _region(region_text, ctx.regions, ctx.by_name)
    if region_text and region is None:
        problems.error(f"行政区划不存在: {region_text}", number, "所属行政区划")
    elif region and ctx.home and not contains(ctx.home, region):
        problems.error(f"行政区划 {region} 不在本系统的区域 {ctx.home} 内", number, "所属行政区划")
    aliases = [a.strip() for a in _ALIAS_SPLIT.split(cell("aliases")) if a.strip() and a.strip() != name]
    return UnitRow(number, name, list(dict.fromkeys(aliases)), cell("parent"), kind, region)


def read_unit_rows(session: Session, path: Path) -> list[UnitRow]:
    """The rows of a unit list, checked; InvalidInput with every problem (row and column) otherwise."""
    table = open_table(path)
    regions = {r.code: r.name for r in session.scalars(select(Region))}
    by_name: dict[str, str] = {}
    for code, name in regions.items():
        by_name.setdefault(name, code)
    ctx = _Context(regions, by_name, get_settings().home_region, Problems())
    header: dict[str, int] | None = None
    rows: list[UnitRow] = []
    for number, cells in table.rows():
        if not any(_text(c) for c in cells):
            continue
        if header is None:
            header = _header_map(cells)
            if "name" not in header:
                raise InvalidInput(f"找不到“名称”列：第一行应为表头({'、'.join(HEADER)})")
            continue
        row = _parse_row(number, cells, header, ctx)
        if row is not None:
            rows.append(row)
    if header is None:
        raise InvalidInput("文件中没有数据")
    _check_names(session, rows, ctx.problems)
    if ctx.problems.errors:
        raise InvalidInput("单位清单有误，未导入任何单位", ctx.problems.items)
    return rows


def _check_names(session: Session, rows: list[UnitRow], problems: Problems) -> None:
    """Duplicate names in the file, parents that exist nowhere, short names that are another unit's."""
    units = list(session.scalars(select(Unit)))
    owner: dict[str, str] = {}
    for unit in units:
        for alias in unit.aliases or []:
            owner.setdefault(alias, unit.name)
        owner[unit.name] = unit.name
    names = {u.name for u in units}
    seen: dict[str, int] = {}
    for row in rows:
        if row.name in seen:
            problems.error(f"名称与第{seen[row.name]}行重复", row.row, "名称")
            continue
        seen[row.name] = row.row
        if owner.get(row.name, row.name) != row.name:
            problems.error(f"名称已是单位“{owner[row.name]}”的简称", row.row, "名称")
        if row.parent and row.parent not in names and row.parent not in seen:
            message = f"上级单位不存在: {row.parent}(应为已有单位或本文件中前面的行)"
            problems.error(message, row.row, "上级单位")
        if row.parent == row.name:
            problems.error("上级单位不能是单位本身", row.row, "上级单位")
        for alias in row.aliases:
            other = owner.get(alias)
            if other is not None and other != row.name:
                problems.error(f"简称“{alias}”已属于单位“{other}”", row.row, "简称")
            else:
                owner[alias] = row.name


def import_units(session: Session, actor: Actor, path: Path) -> UnitImportResult:
    """Add or update the units of a unit list file (admin only). Nothing is written when a row is wrong."""
    require_role(actor, Role.ADMIN)
    rows = read_unit_rows(session, path)
    existing = {u.name: u for u in session.scalars(select(Unit))}
    result = UnitImportResult()
    with acting_as(actor.username):
        for row in rows:
            unit = existing.get(row.name)
            if unit is None:
                unit = Unit(name=row.name, kind=row.kind, region_code=row.region_code, aliases=row.aliases)
                session.add(unit)
                existing[row.name] = unit
                result.created.append(row.name)
            else:
                unit.kind = row.kind
                unit.region_code = row.region_code or unit.region_code
                unit.aliases = list(dict.fromkeys([*(unit.aliases or []), *row.aliases]))
                result.updated.append(row.name)
        session.flush()
        for row in rows:
            if row.parent:
                existing[row.name].parent_id = existing[row.parent].id
        session.flush()
    return result


def import_units_upload(session: Session, actor: Actor, filename: str, content: bytes) -> UnitImportResult:
    """`import_units` for uploaded bytes (the content, not the name, decides how it is read)."""
    require_role(actor, Role.ADMIN)
    if not content:
        raise InvalidInput("上传的文件是空的")
    suffix = Path(filename).suffix.lower()[:10] if filename else ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"units{suffix}"
        path.write_bytes(content)
        return import_units(session, actor, path)
