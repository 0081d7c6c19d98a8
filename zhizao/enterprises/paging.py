"""Keyset paging of the enterprise list: "下一页" continues after the last row shown instead of skipping
rows with OFFSET, so page 5,000 of a million enterprises costs what page 1 costs (an index walk from a key).

A cursor is the sort value and the id of a row (the id breaks ties), as an opaque URL-safe token. NULLs
(an unknown 成立日期) sort after every value, on every database: last ascending, first descending, as
PostgreSQL's own indexes order them, so the walk stays on the `(column, id)` index.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from zhizao.enterprises.models import Enterprise

MAX_OFFSET = 10_000  # rows a page jump may skip; past it the list goes on by key ("下一页")


@dataclass(frozen=True)
class Cursor:
    """Where a page starts or ends: the sort column's value (None for NULL) and the row's id."""

    value: str | None
    id: int

    def encode(self) -> str:
        raw = json.dumps([self.value, self.id], ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor in `token`; ValueError when it is not one this module wrote."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            value, row_id = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValueError("翻页参数无效") from exc
        if not (value is None or isinstance(value, str)) or type(row_id) is not int or row_id < 1:
            raise ValueError("翻页参数无效")
        return cls(value, row_id)


def cursor_of(row: Any, column: InstrumentedAttribute[Any]) -> Cursor:
    """The cursor of a fetched list row for the sort `column`."""
    value = getattr(row, column.key)
    return Cursor(value.isoformat() if isinstance(value, date) else value, row.id)


def _typed(column: InstrumentedAttribute[Any], value: str | None) -> Any:
    if value is not None and column.key == "established_on":
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError("翻页参数无效") from exc
    return value


def order_by(column: InstrumentedAttribute[Any], descending: bool) -> list[ColumnElement[Any]]:
    """The list's order for `column`: NULLs after every value, the id as tiebreaker."""
    primary = column.desc() if descending else column.asc()
    if column.nullable:
        primary = primary.nulls_first() if descending else primary.nulls_last()
    return [primary, Enterprise.id.desc() if descending else Enterprise.id.asc()]


def segments(
    stmt: Select[Any], column: InstrumentedAttribute[Any], cursor: Cursor, descending: bool
) -> list[Select[Any]]:
    """The rows after `cursor` in the order `order_by(column, descending)`, as one or two statements to
    read in turn (NULLs are their own segment, so each one is a range of the index)."""
    value = _typed(column, cursor.value)
    key = tuple_(column, Enterprise.id)
    ordered = order_by(column, descending)
    null, not_null = column.is_(None), column.is_not(None)
    by_id = Enterprise.id.desc() if descending else Enterprise.id.asc()
    if value is None:
        beyond = Enterprise.id < cursor.id if descending else Enterprise.id > cursor.id
        first = stmt.where(null, beyond).order_by(by_id)
        return [first, stmt.where(not_null).order_by(*ordered)] if descending else [first]
    after = stmt.where(and_(not_null, key < (value, cursor.id) if descending else key > (value, cursor.id)))
    if column.nullable and not descending:
        return [after.order_by(*ordered), stmt.where(null).order_by(by_id)]
    return [after.order_by(*ordered)]
