"""Writing a plan: figures with their change history (bulk, through the driver's executemany) and
enterprises (the ids created and the values changed, for the import's summary)."""

from __future__ import annotations

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
from zhizao.imports.models import FigureChange
from zhizao.imports.plan import CHUNK, EnterprisePlan, FigurePlan, batched

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
CONCURRENT_CHANGE = "导入期间其他用户录入了同一企业同一指标的数据，本次导入未保存任何数据，请重新导入"


def write_figures(session: Session, actor: Actor, import_id: int, plan: FigurePlan) -> None:
    now = utcnow()
    source = f"import:{import_id}"
    figures = table_of(EnterpriseFigure)
    if plan.creates:
        try:
            _insert_many(
                session,
                figures,
                FIGURE_COLUMNS,
                [(r.enterprise_id, ind, r.year, r.month, v, source, now) for r, ind, v in plan.creates],
            )
        except IntegrityError as exc:
            # Another writer stored a first value of one of these figures after this import read them
            # (PostgreSQL; on SQLite the import holds the write lock): refuse cleanly, nothing is written.
            raise InvalidInput(CONCURRENT_CHANGE) from exc
    if plan.updates:
        session.execute(
            update(figures)
            .where(figures.c.id == bindparam("figure_id"))
            .values(value=bindparam("new_value"), source=source, updated_at=now),
            [{"figure_id": fid, "new_value": new} for _r, _i, fid, _old, new in plan.updates],
        )
    who = actor.username
    history = [
        (r.enterprise_id, ind, r.year, r.month, None, v, import_id, who, now, "import", "")
        for r, ind, v in plan.creates
    ] + [
        (r.enterprise_id, ind, r.year, r.month, old, new, import_id, who, now, "import", "")
        for r, ind, _fid, old, new in plan.updates
    ]
    if history:
        _insert_many(session, table_of(FigureChange), CHANGE_COLUMNS, history)


def _insert_many(
    session: Session, table: SqlTable, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT many rows of plain values through the driver's executemany.

    The same statement SQLAlchemy would compile, but the values skip its per-row parameter processing
    (which cost more than the database's own work on large imports); only columns whose type needs a
    conversion for this database (e.g. DateTime on SQLite) are converted."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql":
        _copy_many(connection, table, columns, rows)
        return
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if any(processors):
        rows = [
            tuple(
                p(v) if p is not None and v is not None else v for p, v in zip(processors, row, strict=True)
            )
            for row in rows
        ]
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        params: list[Any] = [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def _copy_many(
    connection: Any, table: SqlTable, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
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
