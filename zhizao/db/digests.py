"""What a database holds, table by table: the row count and a checksum of the rows' contents.

The checksum is SHA-256 over the rows in primary-key order, each row written as canonical JSON of the
values the driver returns, so the same contents give the same checksum on the same kind of database: a
backup's manifest records them and a restore is checked against them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, inspect


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


def table_digests(connection: Connection) -> dict[str, TableDigest]:
    """Every table of the database (Alembic's version table included), by name."""
    inspector = inspect(connection)
    digests = {}
    for name in sorted(inspector.get_table_names()):
        columns = [column["name"] for column in inspector.get_columns(name)]
        key = inspector.get_pk_constraint(name).get("constrained_columns") or columns
        digests[name] = _digest(connection, name, columns, key)
    return digests


def _digest(connection: Connection, table: str, columns: list[str], key: list[str]) -> TableDigest:
    quote = connection.dialect.identifier_preparer.quote
    query = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
        f"ORDER BY {', '.join(quote(c) for c in key)}"
    )
    digest = hashlib.sha256()
    rows = 0
    for row in connection.execution_options(yield_per=2000).exec_driver_sql(query):
        line = json.dumps(
            list(row), default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        digest.update(line.encode("utf-8") + b"\n")
        rows += 1
    return TableDigest(rows, digest.hexdigest())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)
