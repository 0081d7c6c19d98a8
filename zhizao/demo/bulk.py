"""Bulk writes of the demo population on PostgreSQL: COPY of columnar chunks, with the tables' secondary
indexes and foreign keys set aside during the load and rebuilt once after it.

Keeping fifty million index entries and foreign-key checks up to date row by row is most of a naive load;
one sort per index and one join per key at the end is a fraction of that. Everything happens inside the
caller's transaction (PostgreSQL's DDL is transactional), so a failed load leaves the schema as it was.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, ForeignKeyConstraint, UniqueConstraint, text
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from zhizao.db.base import Base, table_of
from zhizao.demo.population import INDICATORS, DemoChunk
from zhizao.enterprises.registry import POSTGRES_SEARCH_INDEXES

_CSV = pacsv.WriteOptions(include_header=False, delimiter=",", quoting_style="needed")


@contextmanager
def indexes_set_aside(connection: Connection, *models: type[Base]) -> Iterator[None]:
    """PostgreSQL: drop the secondary indexes, unique and foreign-key constraints of `models`' (empty)
    tables, and build them again when the block ends. Elsewhere: nothing."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    rebuild: list[Any] = []
    extra: list[str] = []
    for model in models:
        table = table_of(model)
        for constraint in table.constraints:
            if isinstance(constraint, ForeignKeyConstraint | UniqueConstraint):
                connection.execute(DropConstraint(constraint))
                rebuild.append(AddConstraint(constraint))
        for index in table.indexes:
            connection.execute(DropIndex(index))
            rebuild.insert(0, CreateIndex(index))  # indexes before keys: a key's check can use them
        for name, ddl in POSTGRES_SEARCH_INDEXES.get(table.name, {}).items():
            found = connection.execute(text("SELECT to_regclass(:name)"), {"name": name}).scalar()
            if found is not None:
                connection.execute(text(f'DROP INDEX "{name}"'))
                extra.append(ddl)
    yield
    for statement in rebuild:
        connection.execute(statement)
    for ddl in extra:
        connection.execute(text(ddl))
    for model in models:
        connection.execute(text(f'ANALYZE "{table_of(model).name}"'))


def copy_enterprises(connection: Connection, rows: list[dict[str, Any]], now: datetime) -> np.ndarray:
    """COPY one chunk of enterprises with ids taken from the table's sequence; the ids, in order."""
    ids = np.fromiter(
        connection.execute(
            text("SELECT nextval(pg_get_serial_sequence('enterprises', 'id')) FROM generate_series(1, :n)"),
            {"n": len(rows)},
        ).scalars(),
        dtype=np.int64,
        count=len(rows),
    )
    columns = ("id", "credit_code", "name", "region_code", "industry_code", "established_on", "above_scale")
    sql = f"COPY enterprises ({', '.join(columns)}, tags, created_at, updated_at) FROM STDIN"
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        for number, row in zip(ids.tolist(), rows, strict=True):
            values = [row[c] for c in columns[1:]]
            copy.write_row((number, *values, json.dumps(row["tags"], ensure_ascii=False), now, now))
    return ids


@contextmanager
def figure_constants(connection: Connection, source: str, now: datetime) -> Iterator[None]:
    """PostgreSQL: `source` and `updated_at` of the figures as column defaults while the block runs, so
    `copy_figures` sends five columns instead of seven (the two constants were half of every CSV line that
    the server parses). Set and dropped inside the caller's transaction."""
    stamp = now.isoformat(sep=" ")
    connection.execute(
        text(
            "ALTER TABLE enterprise_figures ALTER COLUMN source SET DEFAULT "
            f"'{source.replace(chr(39), chr(39) * 2)}', ALTER COLUMN updated_at SET DEFAULT '{stamp}'"
        )
    )
    yield
    connection.execute(
        text(
            "ALTER TABLE enterprise_figures ALTER COLUMN source DROP DEFAULT, "
            "ALTER COLUMN updated_at DROP DEFAULT"
        )
    )


def copy_figures(connection: Connection, chunk: DemoChunk, ids: np.ndarray) -> int:
    """COPY one chunk's figures as CSV written by Arrow from the chunk's columns (no row in Python); the
    source and time come from the column defaults (`figure_constants`)."""
    count = len(chunk.fig_value)
    indicators = pa.DictionaryArray.from_arrays(
        pa.array(chunk.fig_indicator.astype(np.int32)), pa.array(list(INDICATORS))
    )
    frame = pa.table(
        {
            "enterprise_id": pa.array(ids[chunk.fig_enterprise]),
            "indicator_id": indicators,
            "year": pa.array(chunk.fig_year),
            "month": pa.array(chunk.fig_month),
            "value": pa.array(chunk.fig_value, type=pa.float64()),
        }
    )
    buffer = io.BytesIO()
    pacsv.write_csv(frame, buffer, _CSV)
    sql = "COPY enterprise_figures (enterprise_id, indicator_id, year, month, value) FROM STDIN (FORMAT csv)"
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])
    return count
