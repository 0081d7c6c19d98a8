"""Bring the reference tables in the database up to date with the shipped data (idempotent)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
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
    changed = _upsert(session, Region, "code", regions)
    session.flush()
    changed += _upsert(session, Industry, "code", industries)
    changed += _upsert(session, Indicator, "id", indicators)
    session.flush()
    changed += init_units(session, home_region)
    return changed
