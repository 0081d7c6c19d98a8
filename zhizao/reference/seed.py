"""Bring the reference tables in the database up to date with the shipped data (idempotent)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, inspect, select, update
from sqlalchemy.orm import Session

from zhizao.enterprises.models import Indicator
from zhizao.reference.data_files import read_rows
from zhizao.reference.models import Industry, Region
from zhizao.reference.units import init_units


def _split(aliases: str) -> list[str]:
    return [a for a in aliases.split("|") if a]


def _upsert(session: Session, model: type[Any], key: str, rows: list[dict[str, Any]]) -> int:
    existing = {getattr(obj, key): obj for obj in session.scalars(select(model))}
    changed = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            session.add(model(**row))
            changed += 1
            continue
        for field, value in row.items():
            if getattr(obj, field) != value:
                setattr(obj, field, value)
                changed += 1
    return changed


def _sync_by_primary_key(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> int:
    """Like `_upsert` for a table keyed by its primary key, in bulk (thousands of rows, every `db upgrade`):
    one select, one multi-row insert of the new rows, one executemany update of the changed ones."""
    table = inspect(model).local_table
    (key,) = (column.name for column in table.primary_key.columns)
    fields = [key, *(field for field in rows[0] if field != key)] if rows else [key]
    existing = {
        values[0]: dict(zip(fields, values, strict=True))
        for values in session.execute(select(*(table.c[field] for field in fields))).all()
    }
    new = [row for row in rows if row[key] not in existing]
    changed_rows = [row for row in rows if row[key] in existing and existing[row[key]] != row]
    if new:
        session.execute(insert(model), new)
    if changed_rows:
        session.execute(update(model), changed_rows)
    changed = len(new)
    for row in changed_rows:
        changed += sum(1 for field, value in row.items() if existing[row[key]][field] != value)
    return changed


def sync_reference(session: Session, home_region: str | None = None) -> int:
    """Insert or update regions, industries and the builtin indicators, and the template units of the
    home region (`home_region`, else the ZHIZAO_HOME_REGION setting; none when both are unset).
    Returns rows changed."""
    regions = [
        {
            "code": r["code"],
            "name": r["name"],
            "name_en": r["name_en"],
            "level": r["level"],
            "parent_code": r["parent_code"] or None,
            "sort_order": i,
            "valid_from": int(r["valid_from"]) if r["valid_from"] else None,
            "valid_to": int(r["valid_to"]) if r["valid_to"] else None,
            "successor_code": r["successor_code"] or None,
        }
        for i, r in enumerate(read_rows("regions.csv"))
    ]
    industries = [
        {
            "code": r["code"],
            "level": int(r["level"]),
            "section": r["section"],
            "division": r["division"] or None,
            "name": r["name"],
        }
        for r in read_rows("gbt4754-2017.csv")
    ]
    indicators = [
        {
            "id": r["id"],
            "label": r["label"],
            "label_en": r["label_en"],
            "unit": r["unit"],
            "value_type": r["value_type"],
            "non_negative": r["non_negative"] == "1",
            "aliases": _split(r["aliases"]),
            "sort_order": int(r["sort_order"]),
            "builtin": True,
        }
        for r in read_rows("indicators.csv")
    ]
    changed = _sync_by_primary_key(session, Region, regions)
    changed += _sync_by_primary_key(session, Industry, industries)
    changed += _upsert(session, Indicator, "id", indicators)
    session.flush()
    changed += init_units(session, home_region)
    return changed
