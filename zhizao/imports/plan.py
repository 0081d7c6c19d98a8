"""The plan of an import: each checked row compared with what is stored, as creates, updates and unchanged
values (figures chunk by chunk; enterprises in one go), with the unit-slip warning that needs last year."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, sees_region
from zhizao.db.base import table_of
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.enterprises.names import same_name
from zhizao.imports import validate
from zhizao.imports.headers import HeaderMap
from zhizao.imports.models import FigureChange
from zhizao.imports.readers import Table
from zhizao.imports.validate import FigureRow, Findings, Options

CHUNK = 2000
UNIT_HINT_RATIO = 1000  # a value this many times last year's (or less) suggests 元 was entered as 万元
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# --- figures ---------------------------------------------------------------------------------------------


@dataclass
class FigurePlan:
    """What one chunk of rows does to the figures table."""

    creates: list[tuple[FigureRow, str, float]] = field(default_factory=list)
    updates: list[tuple[FigureRow, str, int, float, float]] = field(
        default_factory=list
    )  # row, ind, id, old, new
    unchanged: int = 0


Key = tuple[int, str, int, int]


def _existing(session: Session, rows: list[FigureRow], import_id: int | None) -> dict[Key, tuple[int, float]]:
    """Stored figures of the chunk's enterprises in its years and the years before, as they were before
    this import (`import_id`: values it has written in earlier chunks are replaced by the old ones)."""
    ids = sorted({r.enterprise_id for r in rows})
    years = sorted({r.year for r in rows} | {r.year - 1 for r in rows})
    f = EnterpriseFigure
    # `year + 0`: without statistics SQLite would pick the (year, indicator) index and scan a whole year
    # for every chunk (quadratic on large files); this way it looks up each enterprise in the unique index.
    query = select(f.id, f.enterprise_id, f.indicator_id, f.year, f.month, f.value, f.source).where(
        f.enterprise_id.in_(ids), (f.year + 0).in_(years)
    )
    if import_id is not None:
        # Applying: the rows read are the rows replaced; locked (PostgreSQL) until the import commits so
        # that no correction slips in between and the history's old values are the ones replaced.
        query = query.with_for_update()
    existing: dict[Key, tuple[int, float]] = {}
    ours: list[Key] = []
    source = f"import:{import_id}"
    for fid, e, i, y, m, v, s in session.execute(query):
        existing[(e, i, y, m)] = (fid, v)
        if import_id is not None and s == source:
            ours.append((e, i, y, m))
    if ours:
        _as_before(session, existing, ours, import_id)
    return existing


def _as_before(
    session: Session, existing: dict[Key, tuple[int, float]], ours: list[Key], import_id: int | None
) -> None:
    """Put back the values that the running import has already overwritten (or remove what it created)."""
    c = FigureChange
    query = select(c.enterprise_id, c.indicator_id, c.year, c.month, c.old_value).where(
        c.import_id == import_id, c.enterprise_id.in_(sorted({k[0] for k in ours}))
    )
    before = {(e, i, y, m): old for e, i, y, m, old in session.execute(query)}
    for key in ours:
        old = before.get(key)
        if old is None:
            del existing[key]
        else:
            existing[key] = (existing[key][0], old)


def figure_plans(
    session: Session,
    actor: Actor,
    table: Table,
    header: HeaderMap,
    options: Options,
    findings: Findings,
    import_id: int | None = None,
) -> Iterator[tuple[list[FigureRow], FigurePlan]]:
    """Read, check and compare the figure rows, one chunk of `CHUNK` rows at a time."""
    reader = validate.FigureRows(header, validate.load_enterprises(session), actor, options, findings)
    for chunk in batched(reader.read(table), CHUNK):
        existing = _existing(session, chunk, import_id)
        plan = FigurePlan()
        for row in chunk:
            for indicator_id, (value, column) in row.values.items():
                _unit_hint(findings, existing, row, indicator_id, value, column)
                stored = existing.get((row.enterprise_id, indicator_id, row.year, row.month))
                if stored is None:
                    plan.creates.append((row, indicator_id, value))
                elif _same(stored[1], value):
                    plan.unchanged += 1
                else:
                    plan.updates.append((row, indicator_id, stored[0], stored[1], value))
        yield chunk, plan


def _unit_hint(
    findings: Findings,
    existing: dict[Key, tuple[int, float]],
    row: FigureRow,
    indicator_id: str,
    value: float,
    column: validate.Column,
) -> None:
    previous = existing.get((row.enterprise_id, indicator_id, row.year - 1, row.month))
    if previous is None or previous[1] == 0 or value == 0:
        return
    ratio = abs(value / previous[1])
    if ratio >= UNIT_HINT_RATIO or ratio <= 1 / UNIT_HINT_RATIO:
        times = f"{ratio:,.0f}倍" if ratio >= 1 else f"1/{1 / ratio:,.0f}"
        findings.warning(f"是上年（{previous[1]:g}）的{times}，单位是否填错（元/万元）？", row.row, column)


# --- enterprises -----------------------------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    creates: list[validate.EnterpriseRow] = field(default_factory=list)
    updates: list[tuple[validate.EnterpriseRow, int, dict[str, tuple[object, object]]]] = field(
        default_factory=list
    )
    unchanged: int = 0
    rows: int = 0


def enterprise_plan(
    session: Session, actor: Actor, table: Table, header: HeaderMap, options: Options, findings: Findings
) -> EnterprisePlan:
    """Read and check the enterprise rows and compare them with the registry."""
    reader = validate.EnterpriseRows(session, header, actor, options, findings)
    rows = list(reader.read(table))
    plan = EnterprisePlan(rows=len(rows))
    enterprises = table_of(Enterprise)
    stored: dict[str, Any] = {}
    for batch in batched([r.credit_code for r in rows], CHUNK):
        found = session.execute(select(enterprises).where(enterprises.c.credit_code.in_(batch)))
        stored.update({e.credit_code: e for e in found})
    for row in rows:
        existing = stored.get(row.credit_code)
        if existing is None:
            plan.creates.append(row)
            continue
        if not sees_region(actor, existing.region_code):
            findings.error("该企业登记在本账号所属地区以外，无权修改", row.row, header.get("credit_code"))
            continue
        diff = {
            name: (getattr(existing, name), value)
            for name, value in row.values.items()
            if not _same_field(name, getattr(existing, name), value)
        }
        if diff:
            plan.updates.append((row, existing.id, diff))
        else:
            plan.unchanged += 1
    return plan


def _same_field(field_id: str, stored: object, value: object) -> bool:
    # a name written differently (ASCII brackets, spaces) is the same name, not an update
    return same_name(stored, value) if field_id == "name" else stored == value
