"""The plan of an enterprise import: each checked row compared with the registry, as creates, updates and
unchanged rows. (A figure import's plan is computed over whole columns: `figures`.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, sees_region
from zhizao.db.base import table_of
from zhizao.enterprises.models import Enterprise
from zhizao.enterprises.names import same_name
from zhizao.imports import validate
from zhizao.imports.headers import HeaderMap
from zhizao.imports.readers import Table
from zhizao.imports.validate import Findings, Options

CHUNK = 2000  # rows (codes, ids) per IN (...) query and per INSERT batch
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


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
