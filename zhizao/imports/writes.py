"""Writing a plan: figures with their change history (bulk: COPY on PostgreSQL, the driver's executemany
in large batches elsewhere) and enterprises (the ids created and the values changed, for the summary)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, repeat
from typing import Any

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.db.base import table_of, utcnow
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.imports import validate
from zhizao.imports.figures import FigurePlan
from zhizao.imports.models import FigureChange
from zhizao.imports.plan import CHUNK, EnterprisePlan, batched

FIGURE_COLUMNS = ("enterprise_id", "indicator_id", "year", "month", "value", "source", "updated_at")
CHANGE_COLUMNS = (
    "enterprise_id",
    "indicator_id",
    "year",
    "month",
    "old_value",
    "new_value",
    "import_id",
    "actor",
    "at",
    "reason",
    "note",
)
BATCH = 50_000  # rows per executemany
CONCURRENT_CHANGE = "导入期间其他用户录入了同一企业同一指标的数据，本次导入未保存任何数据，请重新导入"


def write_figures(session: Session, actor: Actor, import_id: int, plan: FigurePlan) -> None:
    """The plan's creates and updates, and a history entry for each (COPY on PostgreSQL, executemany in
    large batches elsewhere)."""
    now = utcnow()
    source = f"import:{import_id}"
    figures = table_of(EnterpriseFigure)
    creates, updates = plan.creates, plan.updates
    stamp = _driver_value(session, figures, "updated_at", now)
    keys = ("enterprise_id", "indicator_id", "year", "month")

    def columns(part: dict[str, Any], *names: str) -> list[list[Any]]:
        return [part[name].tolist() for name in names]

    if len(creates["row"]):
        try:
            _insert_many(
                session,
                figures,
                FIGURE_COLUMNS,
                zip(*columns(creates, *keys, "value"), repeat(source), repeat(stamp), strict=False),
            )
        except IntegrityError as exc:
            # Another writer stored a first value of one of these figures after this import read them
            # (PostgreSQL; on SQLite the import holds the write lock): refuse cleanly, nothing is written.
            raise InvalidInput(CONCURRENT_CHANGE) from exc
    if len(updates["row"]):
        statement = (
            update(figures)
            .where(figures.c.id == bindparam("figure_id"))
            .values(value=bindparam("new_value"), source=source, updated_at=now)
        )
        for batch in batched(zip(*columns(updates, "figure_id", "value"), strict=True), BATCH):
            session.execute(statement, [{"figure_id": fid, "new_value": new} for fid, new in batch])
    changes = table_of(FigureChange)
    at = _driver_value(session, changes, "at", now)
    tail = (import_id, actor.username, at, "import", "")
    history = chain(
        zip(
            *columns(creates, *keys),
            repeat(None),
            creates["value"].tolist(),
            *map(repeat, tail),
            strict=False,
        ),
        zip(*columns(updates, *keys, "old", "value"), *map(repeat, tail), strict=False),
    )
    _insert_many(session, changes, CHANGE_COLUMNS, history)


def _driver_value(session: Session, table: SqlTable, column: str, value: Any) -> Any:
    """`value` as the driver takes it for `column` (a DateTime is text on SQLite), converted once."""
    dialect = session.connection().dialect
    if dialect.name == "postgresql":
        return value
    processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor is not None else value


def _insert_many(
    session: Session, table: SqlTable, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """INSERT many rows of values the driver takes as they are (see `_driver_value`): COPY on PostgreSQL,
    executemany in batches of BATCH rows elsewhere, bypassing SQLAlchemy's per-row parameter handling."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql":
        _copy_many(connection, table, columns, rows)
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    order = [columns.index(name) for name in compiled.positiontup or ()] if compiled.positional else []
    for batch in batched(rows, BATCH):
        params: list[Any] = batch
        if not compiled.positional:
            params = [dict(zip(columns, row, strict=True)) for row in batch]
        elif order != list(range(len(columns))):
            params = [tuple(row[i] for i in order) for row in batch]
        connection.exec_driver_sql(compiled.string, params)


def _copy_many(
    connection: Any, table: SqlTable, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """PostgreSQL: the rows through `COPY ... FROM STDIN` on the session's connection (its transaction).

    A unique violation surfaces as SQLAlchemy's IntegrityError, as an INSERT's would."""
    import psycopg

    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.IntegrityError as exc:
        raise IntegrityError(statement, None, exc) from exc


def write_enterprises(session: Session, plan: EnterprisePlan) -> dict[str, object]:
    table = table_of(Enterprise)
    now = utcnow()
    created: list[int] = []
    if plan.creates:
        rows = [
            {
                "credit_code": r.credit_code,
                "name": r.values["name"],
                "region_code": r.values["region_code"],
                "industry_code": r.values["industry_code"],
                "established_on": r.values.get("established_on"),
                "above_scale": bool(r.values.get("above_scale", False)),
                "tags": r.values.get("tags", []),
                "created_at": now,
                "updated_at": now,
            }
            for r in plan.creates
        ]
        for batch in batched(rows, CHUNK):
            created += [int(i) for i in session.execute(insert(table).returning(table.c.id), batch).scalars()]
    updated: dict[str, dict[str, list[object]]] = {}
    for _row, enterprise_id, diff in plan.updates:
        values = {name: new for name, (_old, new) in diff.items()}
        session.execute(update(table).where(table.c.id == enterprise_id).values(**values, updated_at=now))
        updated[str(enterprise_id)] = {
            name: [validate.as_json(old), validate.as_json(new)] for name, (old, new) in diff.items()
        }
    return {"created": created, "updated": updated}
