"""The enterprise list as an Excel workbook: the filtered list (all pages) with each enterprise's annual
figures of one year, written row by row through `office.tables.stream_table` to a file: the rows are read
from the database in batches (a server-side cursor on PostgreSQL) and written out as they come, so the
memory stays flat whatever the size of the selection."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.audit.summaries import kept
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import EnterpriseFigure, Indicator
from zhizao.enterprises.name_search import has_name_index
from zhizao.enterprises.registry import EXPORT_HEADERS, EnterpriseQuery, _base_select, _filters, _ordered
from zhizao.office.tables import DATE, DECIMAL, INTEGER, Column, exported_note, stream_table
from zhizao.reference import regions
from zhizao.reference.models import Industry

BATCH = 500
YEARS_SHOWN = 15  # the figure years offered on the page, newest first
YEARS_TTL = 600.0


def latest_figure_year(session: Session) -> int | None:
    """The latest year with annual figures (the export's default year)."""
    return session.scalar(select(func.max(EnterpriseFigure.year)).where(EnterpriseFigure.month == 0))


def figure_years(session: Session) -> list[int]:
    """The years with annual figures, newest first (at most YEARS_SHOWN; kept until the data changes):
    one index probe per year, not a DISTINCT over every figure row."""

    def probe() -> list[int]:
        years: list[int] = []
        below = latest_figure_year(session)
        while below is not None and len(years) < YEARS_SHOWN:
            years.append(below)
            f = EnterpriseFigure
            below = session.scalar(select(func.max(f.year)).where(f.month == 0, f.year < below))
        return years

    return kept(session, ("figure-years",), probe, YEARS_TTL)


def _indicators(session: Session) -> list[Indicator]:
    return list(session.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)))


def describe_filter(session: Session, query: EnterpriseQuery, year: int | None) -> str:
    """The note row: the list's filter in words (筛选：X区 · 规模以上 · 名称含“…” · 2024年数据)."""
    parts = []
    if query.region_code:
        record = regions.get(query.region_code)
        parts.append(record.name if record else query.region_code)
    if query.division:
        name = session.scalar(select(Industry.name).where(Industry.code == query.division))
        parts.append(f"{query.division} {name or ''}".strip())
    if query.above_scale is not None:
        parts.append("规模以上" if query.above_scale else "规模以下")
    if query.q:
        parts.append(f"名称或代码含“{query.q}”")
    parts.append(f"{year}年数据" if year else "无年度数据")
    return "筛选：" + " · ".join(parts)


def _figures(session: Session, ids: Sequence[int], year: int) -> dict[int, dict[str, float]]:
    f = EnterpriseFigure
    stmt = select(f.enterprise_id, f.indicator_id, f.value).where(
        f.enterprise_id.in_(ids), f.year == year, f.month == 0
    )
    found: dict[int, dict[str, float]] = {}
    for enterprise_id, indicator_id, value in session.execute(stmt):
        found.setdefault(enterprise_id, {})[indicator_id] = value
    return found


def _rows(
    session: Session, actor: Actor, query: EnterpriseQuery, year: int | None, indicators: list[Indicator]
) -> Iterator[list[Any]]:
    stmt = _ordered(_base_select().where(*_filters(actor, query, has_name_index(session))), query)
    batch: list[Any] = []
    for row in session.execute(stmt.execution_options(yield_per=BATCH)):
        batch.append(row)
        if len(batch) == BATCH:
            yield from _with_figures(session, batch, year, indicators)
            batch = []
    yield from _with_figures(session, batch, year, indicators)


def _with_figures(
    session: Session, batch: list[Any], year: int | None, indicators: list[Indicator]
) -> Iterator[list[Any]]:
    figures = _figures(session, [row.id for row in batch], year) if year and batch else {}
    for row in batch:
        values = figures.get(row.id, {})
        yield [
            row.credit_code,
            row.name,
            row.region_name,
            row.industry_code,
            row.industry_name,
            row.division_name or "",
            "是" if row.above_scale else "否",
            row.established_on,
            *(values.get(ind.id) for ind in indicators),
        ]


def enterprise_workbook(
    session: Session, actor: Actor, query: EnterpriseQuery, year: int | None = None
) -> bytes:
    """Every enterprise matching `query` (all pages) that the actor may see, with its annual figures of
    `year` (default: the latest year with figures), as an .xlsx workbook."""
    buffer = io.BytesIO()
    write_enterprise_workbook(session, actor, query, buffer, year)
    return buffer.getvalue()


def write_enterprise_workbook(
    session: Session,
    actor: Actor,
    query: EnterpriseQuery,
    target: Path | IO[bytes],
    year: int | None = None,
) -> int:
    """Write the workbook of `enterprise_workbook` to `target` (a file: flat memory for any selection);
    return the number of enterprises written."""
    query = query.model_copy(update={"after": None, "before": None, "page": 1})  # every page
    year = year or latest_figure_year(session)
    indicators = _indicators(session) if year else []
    columns = [Column(h) for h in EXPORT_HEADERS[:7]] + [Column(EXPORT_HEADERS[7], DATE, width=12)]
    for ind in indicators:
        unit = f"({ind.unit})" if ind.unit and ind.unit not in ind.label else ""
        fmt = INTEGER if ind.value_type == "integer" else DECIMAL
        columns.append(Column(f"{year}年{ind.label}{unit}", fmt))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业名录")
    written = stream_table(
        sheet,
        columns,
        _rows(session, actor, query, year, indicators),
        title="企业名录",
        note=exported_note(describe_filter(session, query, year)),
    )
    book.save(target)
    return written
