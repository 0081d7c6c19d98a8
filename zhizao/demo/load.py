"""Writing the demo population into the database, chunk by chunk, inside the caller's transaction.

On PostgreSQL enterprises and figures go in with COPY (ids taken from the sequence up front, figures written
as CSV by Arrow from the generated columns), the tables' secondary indexes and foreign keys set aside during
the load and rebuilt once after it (`bulk`). On SQLite enterprises go in with a Core `INSERT ... RETURNING`
executemany (their ids are needed for the figures), figures with a plain executemany in big batches.
Any earlier demo data is replaced; real enterprises are never replaced without `force`. The whole load
is one audit entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.audit.models import AppMeta
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.config import get_settings
from zhizao.db.base import utcnow
from zhizao.demo import bulk
from zhizao.demo.accounts import (
    DATASET_KEY,
    DEMO_DATASET,
    DEMO_REGION_KEY,
    AccountResult,
    create_demo_accounts,
)
from zhizao.demo.names import FICTIONAL_MARK
from zhizao.demo.population import INDICATORS, DemoSpec, generate
from zhizao.demo.regions import demo_region
from zhizao.demo.units import load_demo_units
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.errors import InvalidInput
from zhizao.reference.regions import contains

FIGURE_SOURCE = "synthetic-demo"
FIGURE_BATCH = 50_000
_FIGURE_COLUMNS = ("enterprise_id", "indicator_id", "year", "month", "value", "source", "updated_at")

Progress = Callable[[int, int], None]  # (enterprises written, enterprises in total)


@dataclass
class LoadResult:
    enterprises: int = 0
    above_scale: int = 0
    figures: int = 0
    removed: int = 0
    seconds: float = 0.0
    accounts: list[AccountResult] = field(default_factory=list)

    @property
    def below_scale(self) -> int:
        return self.enterprises - self.above_scale


def ensure_schema(session: Session) -> None:
    """Raise a clear message when the database has not been migrated (or lacks the indicator catalogue)."""
    connection = session.connection()
    if not inspect(connection).has_table(Enterprise.__tablename__):
        raise InvalidInput("数据库尚未初始化，请先运行 zhizao db upgrade")
    known = set(session.scalars(select(Indicator.id)))
    if missing := [i for i in INDICATORS if i not in known]:
        raise InvalidInput(f"指标目录不完整(缺少 {', '.join(missing)})，请先运行 zhizao db upgrade")


def count_real_enterprises(session: Session) -> int:
    """Enterprises that are not demo enterprises (demo names all end in （虚构）)."""
    query = select(func.count()).where(~Enterprise.name.endswith(FICTIONAL_MARK, autoescape=True))
    return session.scalar(query) or 0


def load_demo(
    session: Session,
    actor: Actor,
    spec: DemoSpec,
    *,
    force: bool = False,
    accounts: bool = True,
    progress: Progress | None = None,
) -> LoadResult:
    """Replace the enterprise registry with the demo population of `spec`, mark the data set as synthetic,
    and (with `accounts`) create the demo accounts. Refuses while real enterprises exist, unless `force`."""
    require_role(actor, Role.ADMIN)
    if spec.size < 1:
        raise InvalidInput("演示企业数量必须大于0")
    region = demo_region(spec.region_code)
    home = get_settings().home_region
    if home and not contains(home, region.code):
        raise InvalidInput(
            f"演示地区 {region.code} {region.name} 不在本系统的区域 {home} 内：请改用 --region {home}"
            f"(或其下级)，或修改 ZHIZAO_HOME_REGION"
        )
    ensure_schema(session)
    real = count_real_enterprises(session)
    if real and not force:
        raise InvalidInput(f"数据库中已有{real}家非演示企业；如确认用演示数据全部替换，请加 --force")
    started = time.perf_counter()
    result = LoadResult(removed=_remove_enterprises(session))
    connection = session.connection()
    now = utcnow()
    postgres = connection.dialect.name == "postgresql"
    constants = bulk.figure_constants(connection, FIGURE_SOURCE, now) if postgres else nullcontext()
    with bulk.indexes_set_aside(connection, Enterprise, EnterpriseFigure), constants:
        for chunk in generate(spec):
            rows = chunk.enterprise_rows()
            if postgres:
                ids = bulk.copy_enterprises(connection, rows, now)
                result.figures += bulk.copy_figures(connection, chunk, ids)
            else:
                for row in rows:
                    row["created_at"] = row["updated_at"] = now
                returning = insert(Enterprise).returning(Enterprise.id, sort_by_parameter_order=True)
                found = connection.execute(returning, rows).scalars()
                ids = np.fromiter(found, dtype=np.int64, count=len(rows))
                result.figures += _write_figures(connection, chunk.figure_tuples(ids), now)
            result.enterprises += len(chunk)
            result.above_scale += int(chunk.above_scale.sum())
            if progress:
                progress(result.enterprises, spec.size)
    _mark_dataset(connection, spec.region_code)
    record(
        session,
        "demo_load",
        Enterprise.__tablename__,
        DEMO_DATASET,
        {
            "size": spec.size,
            "region_code": spec.region_code,
            "seed": spec.seed,
            "current_year": spec.current_year,
            "enterprises": result.enterprises,
            "figures": result.figures,
            "removed": result.removed,
            "replaced_real": real,
        },
    )
    session.flush()
    load_demo_units(session, actor, region)
    if accounts:
        result.accounts = create_demo_accounts(session, actor, spec.region_code)
    result.seconds = time.perf_counter() - started
    return result


def _remove_enterprises(session: Session) -> int:
    """Delete every enterprise and its figures (the caller has checked that this is allowed)."""
    connection = session.connection()
    removed = session.scalar(select(func.count()).select_from(Enterprise)) or 0
    try:
        with connection.begin_nested():
            if connection.dialect.name == "postgresql":  # no table refers to figures: empty it at once
                connection.execute(text("TRUNCATE enterprise_figures"))
            else:
                connection.execute(delete(EnterpriseFigure))
            connection.execute(delete(Enterprise))
    except IntegrityError as exc:
        raise InvalidInput("其他数据(如企业用户账号)引用了现有企业，无法替换为演示数据") from exc
    return removed


def _write_figures(connection: Connection, tuples: Iterator[tuple[Any, ...]], now: Any) -> int:
    """SQLite: a plain executemany of tuples through the driver in big batches: the Core `insert()`
    statement compiled once, without per-row parameter processing (which would be most of the time)."""
    statement = insert(EnterpriseFigure).compile(dialect=connection.dialect, column_keys=[*_FIGURE_COLUMNS])
    dialect = connection.dialect
    stamp = EnterpriseFigure.updated_at.type.dialect_impl(dialect).bind_processor(dialect)
    tail = (FIGURE_SOURCE, stamp(now) if stamp else now)
    sql = str(statement)
    written = 0
    while batch := [(*t, *tail) for t in islice(tuples, FIGURE_BATCH)]:
        connection.exec_driver_sql(sql, batch)
        written += len(batch)
    return written


def _mark_dataset(connection: Connection, region_code: str) -> None:
    """Set app_meta `dataset = synthetic-demo` and `demo_region = <code>` (Core, so the load stays one audit
    entry): the region is recorded even where the home region setting is unset or different."""
    connection.execute(delete(AppMeta).where(AppMeta.key.in_([DATASET_KEY, DEMO_REGION_KEY])))
    rows = [{"key": DATASET_KEY, "value": DEMO_DATASET}, {"key": DEMO_REGION_KEY, "value": region_code}]
    connection.execute(insert(AppMeta), rows)
