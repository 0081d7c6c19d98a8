"""The enterprise registry as the web app, the JSON API and exports see it.

Every query here is filtered with `enterprise_clause`, so a row the actor may not see cannot leak through a
list, a search, a count, an export or a detail page: out-of-scope rows simply do not exist (NotFound).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from sqlalchemy import ColumnElement, Engine, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from zhizao.auth.scope import Actor, enterprise_clause, may_edit_enterprise, viewing_region
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.enterprises.name_search import has_name_index, name_clause
from zhizao.enterprises.names import clean_name
from zhizao.enterprises.paging import MAX_OFFSET, Cursor, cursor_of, order_by, segments
from zhizao.errors import InvalidInput, NotFound
from zhizao.reference import home
from zhizao.reference.collation import pinyin_key
from zhizao.reference.models import Industry, Region
from zhizao.reference.regions import within_clause

T = TypeVar("T")

# PostgreSQL-only search indexes (made by migration 0018; the demo's bulk load rebuilds them after it)
POSTGRES_SEARCH_INDEXES = {
    "enterprises": {
        "ix_enterprises_name_trgm": "CREATE INDEX ix_enterprises_name_trgm ON enterprises "
        "USING gin (name gin_trgm_ops)",
        "ix_enterprises_credit_code_prefix": "CREATE INDEX ix_enterprises_credit_code_prefix ON enterprises "
        "(credit_code text_pattern_ops)",
    }
}
COUNT_CAP = 2_000  # selections up to this size are counted exactly
COUNTS_TTL = 60.0  # seconds the per-region and per-division counts and the totals past COUNT_CAP are reused
_counts_lock = threading.Lock()
_totals_cache: dict[tuple[Any, ...], tuple[float, tuple[int, bool]]] = {}
_CODE_PREFIX = re.compile(r"[0-9A-Z]{2,18}")  # a typed credit-code prefix (after normalising)

SortKey = Literal["name", "credit_code", "region", "industry", "established_on"]

_Division = aliased(Industry, name="division_industry")
_SORT_COLUMNS: dict[str, Any] = {
    "name": Enterprise.name,
    "credit_code": Enterprise.credit_code,
    "region": Enterprise.region_code,
    "industry": Enterprise.industry_code,
    "established_on": Enterprise.established_on,
}
EXPORT_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "地区",
    "行业代码",
    "行业名称",
    "行业大类",
    "规模以上",
    "成立日期",
]


class EnterpriseQuery(BaseModel):
    """Search, filters, sorting and paging of the enterprise list (form fields and API query parameters)."""

    q: str = Field(default="", max_length=100, description="名称或统一社会信用代码 (部分匹配)")
    region_code: str | None = Field(
        default=None, max_length=6, description="6位行政区划代码 (该地区及其下辖地区)"
    )
    division: str | None = Field(default=None, max_length=2, description="国民经济行业大类代码, 如 33")
    above_scale: bool | None = Field(default=None, description="true 规模以上, false 规模以下")
    sort: SortKey = "name"
    desc: bool = False
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=20, ge=1, le=200)
    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=1000, description="只要这些企业 (批量选择导出)"
    )
    after: str | None = Field(default=None, max_length=400, description="下一页：从这一行之后 (上一页给出)")
    before: str | None = Field(default=None, max_length=400, description="上一页：到这一行之前 (下一页给出)")

    @field_validator("after", "before", mode="after")
    @classmethod
    def _cursor(cls, value: str | None) -> str | None:
        if value:
            Cursor.decode(value)  # ValueError: a 400 with the field named
        return value or None

    @field_validator("region_code", "division", "above_scale", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("q", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
    total_exact: bool = True  # False: `total` is the database's estimate (a selection past COUNT_CAP rows)
    more: bool | None = None  # whether a next page exists (None: judge from the total)
    next_after: str | None = None  # the cursor of "下一页" (keyset paging; None: by page number)
    prev_before: str | None = None  # the cursor of "上一页" (None: by page number)

    # mypy does not accept a decorator over @property; pydantic's documentation prescribes this ignore
    @computed_field  # type: ignore[prop-decorator]
    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def has_next(self) -> bool:
        return self.more if self.more is not None else self.page < self.pages


class EnterprisePublic(BaseModel):
    """One enterprise as lists and the API show it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    credit_code: str
    name: str
    region_code: str
    region_name: str
    region_name_en: str = ""
    industry_code: str
    industry_name: str
    division: str | None
    division_name: str | None
    above_scale: bool
    established_on: date | None


class FigureRow(BaseModel):
    indicator_id: str
    label: str
    label_en: str = ""
    unit: str = ""
    values: dict[int, float | None]


class FigureTable(BaseModel):
    """Yearly figures of one enterprise: indicators as rows (catalogue order), years as columns."""

    enterprise_id: int
    years: list[int]
    rows: list[FigureRow]


class EnterpriseDetail(EnterprisePublic):
    tags: list[str] = []
    figures: FigureTable
    editable: bool = False


class CountRow(BaseModel):
    code: str
    name: str
    name_en: str = ""
    count: int


_counts_cache: dict[tuple[Any, ...], tuple[float, list[CountRow]]] = {}


def _scope(actor: Actor) -> ColumnElement[bool]:
    return enterprise_clause(actor, Enterprise.id, Enterprise.region_code)


def _base_select() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Enterprise.id,
            Enterprise.credit_code,
            Enterprise.name,
            Enterprise.region_code,
            Region.name.label("region_name"),
            Region.name_en.label("region_name_en"),
            Enterprise.industry_code,
            Industry.name.label("industry_name"),
            Industry.division,
            _Division.name.label("division_name"),
            Enterprise.above_scale,
            Enterprise.established_on,
        )
        .join(Region, Region.code == Enterprise.region_code)
        .join(Industry, Industry.code == Enterprise.industry_code)
        .outerjoin(_Division, _Division.code == Industry.division)
    )


def _text_clause(text: str, name_index: bool) -> ColumnElement[bool]:
    """A name fragment anywhere in the name (a trigram index on PostgreSQL, FTS5 on SQLite), or a
    credit-code prefix (the code's own index): both are index lookups, so a search stays fast in a million
    enterprises."""
    by_name = name_clause(text, name_index=name_index)
    code = credit_code.normalize(text)
    if not _CODE_PREFIX.fullmatch(code):
        return by_name
    by_code = Enterprise.credit_code.startswith(code, autoescape=True)
    if _is_code(text):
        return by_code  # digits typed: a code (an OR with the name would defeat both indexes)
    return or_(by_name, by_code)


def _is_code(text: str) -> bool:
    """Whether a search text is a credit-code prefix: code characters, at least four, with a digit."""
    code = credit_code.normalize(text)
    return bool(_CODE_PREFIX.fullmatch(code)) and len(code) >= 4 and any(c.isdigit() for c in code)


def _filters(actor: Actor, query: EnterpriseQuery, name_index: bool = False) -> list[ColumnElement[bool]]:
    """The list's WHERE clauses: scope first, then the search and filters (`name_index`: the database has
    SQLite's FTS5 name index, see `name_search.has_name_index`)."""
    clauses = [_scope(actor)]
    if query.q:
        clauses.append(_text_clause(clean_name(query.q), name_index))
    if query.ids:
        clauses.append(Enterprise.id.in_(query.ids))
    if query.region_code:
        clauses.append(within_clause(Enterprise.region_code, query.region_code))
    if query.division:
        clauses.append(Industry.division == query.division)
    if query.above_scale is not None:
        clauses.append(Enterprise.above_scale.is_(query.above_scale))
    return clauses


def _ordered(stmt: Select[*tuple[Any, ...]], query: EnterpriseQuery) -> Select[*tuple[Any, ...]]:
    return stmt.order_by(*order_by(_SORT_COLUMNS[query.sort], query.desc))


def search_enterprises(session: Session, actor: Actor, query: EnterpriseQuery) -> Page[EnterprisePublic]:
    """The page of enterprises matching `query` among those the actor may see, and their total: exact up
    to COUNT_CAP, past that the database's estimate (an exact count of a million rows on every page would
    cost more than the page)."""
    clauses = _filters(actor, query, has_name_index(session))
    if query.sort == "name" and _is_code(query.q):  # a code search lists by code: an index walk
        query = query.model_copy(update={"sort": "credit_code"})
    if query.sort == "name":
        total, exact = count_matching(session, clauses)
        if exact and total <= COUNT_CAP:  # a selection an office list shows: in pinyin order, as WPS sorts
            items = _page_in_pinyin_order(session, clauses, query)
            more = query.page * query.per_page < total
            return Page[EnterprisePublic](
                items=items,
                total=total,
                page=query.page,
                per_page=query.per_page,
                total_exact=True,
                more=more,
            )
        # past it the database's own name order (an index walk): a million names are not sorted in Python
        return _page_by_key(session, clauses, query, (total, exact))
    return _page_by_key(session, clauses, query)


def _page_by_key(
    session: Session,
    clauses: list[ColumnElement[bool]],
    query: EnterpriseQuery,
    counted: tuple[int, bool] | None = None,
) -> Page[EnterprisePublic]:
    """A page in the database's order: the first pages by OFFSET (a page jump), then by key from the
    cursor of the page before ("下一页"/"上一页"), never a deep OFFSET."""
    column = _SORT_COLUMNS[query.sort]
    stmt = _base_select().where(*clauses)
    offset = (query.page - 1) * query.per_page
    token = query.after or query.before
    if token:
        backwards = query.before is not None
        try:
            statements = segments(stmt, column, Cursor.decode(token), query.desc != backwards)
        except ValueError as exc:  # a cursor of another sort (a date expected): the link was edited
            raise InvalidInput("翻页参数无效，请从第一页重新翻页") from exc
        rows = _read(session, statements, query.per_page + 1)
        more = backwards or len(rows) > query.per_page
        earlier = not backwards or len(rows) > query.per_page
        rows = rows[: query.per_page][::-1] if backwards else rows[: query.per_page]
    else:
        if offset > MAX_OFFSET:
            last = MAX_OFFSET // query.per_page + 1
            raise InvalidInput(f"页码过大：第 {last} 页之后请用“下一页”翻页，或缩小筛选范围")
        rows = list(session.execute(_ordered(stmt, query).limit(query.per_page + 1).offset(offset)))
        more, earlier = len(rows) > query.per_page, query.page > 1
        rows = rows[: query.per_page]
    items = [EnterprisePublic.model_validate(row._mapping) for row in rows]
    if not more:  # the last page: the total is known exactly without counting
        total, exact = offset + len(items), True
    else:
        total, exact = counted or count_matching(session, clauses)
        total = max(total, offset + len(items) + 1)
    return Page[EnterprisePublic](
        items=items,
        total=total,
        page=query.page,
        per_page=query.per_page,
        total_exact=exact,
        more=more,
        next_after=cursor_of(rows[-1], column).encode() if more and rows else None,
        prev_before=cursor_of(rows[0], column).encode() if earlier and rows and query.page > 2 else None,
    )


def _read(session: Session, statements: list[Select[*tuple[Any, ...]]], limit: int) -> list[Any]:
    """Up to `limit` rows from `statements` read in turn (the segments of a keyset page)."""
    rows: list[Any] = []
    for stmt in statements:
        rows += session.execute(stmt.limit(limit - len(rows))).all()
        if len(rows) >= limit:
            break
    return rows


def count_matching(session: Session, clauses: list[ColumnElement[bool]]) -> tuple[int, bool]:
    """How many enterprises satisfy `clauses`: (count, True) up to COUNT_CAP; past it, on PostgreSQL,
    (the planner's estimate, False), elsewhere the exact count (a SQLite installation is small). A total
    past the cap is reused for COUNTS_TTL seconds (paging through a large selection does not count again)."""
    matching = select(Enterprise.id).join(Industry, Industry.code == Enterprise.industry_code).where(*clauses)
    bind = session.get_bind()
    if not isinstance(bind, Engine):  # a session on one connection (an open transaction) sees its own rows
        return _count(session, matching)
    compiled = matching.compile(dialect=bind.dialect)
    key = ("total", str(bind.url), compiled.string, repr(sorted(compiled.params.items())))
    now = time.monotonic()
    with _counts_lock:
        hit = _totals_cache.get(key)
    if hit is not None and now - hit[0] < COUNTS_TTL:
        return hit[1]
    counted = _count(session, matching)
    if counted[0] > COUNT_CAP:
        with _counts_lock:
            if len(_totals_cache) > 1000:
                _totals_cache.clear()
            _totals_cache[key] = (now, counted)
    return counted


def _count(session: Session, matching: Select[*tuple[Any, ...]]) -> tuple[int, bool]:
    capped = session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery())) or 0
    if capped <= COUNT_CAP:
        return capped, True
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(select(func.count()).select_from(matching.subquery())) or 0, True
    return max(_estimate(session, matching), COUNT_CAP + 1), False


def _estimate(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    """The PostgreSQL planner's row estimate for `stmt`, to three significant figures."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    plan = connection.exec_driver_sql(
        f"EXPLAIN (FORMAT JSON) {compiled.string}", compiled.params
    ).scalar_one()
    rows = int((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]["Plan Rows"])
    digits = max(0, len(str(rows)) - 3)
    return round(rows, -digits) if digits else rows


def _page_in_pinyin_order(
    session: Session, clauses: list[ColumnElement[bool]], query: EnterpriseQuery
) -> list[EnterprisePublic]:
    """A page of the list in pinyin order of the names (as WPS and Excel sort), which no database collation
    gives everywhere: the matching names are ordered here, then only the page's rows are read."""
    names = session.execute(
        select(Enterprise.id, Enterprise.name)
        .join(Industry, Industry.code == Enterprise.industry_code)
        .where(*clauses)
    ).all()
    ordered = sorted(names, key=lambda r: (pinyin_key(r.name), r.id), reverse=query.desc)
    start = (query.page - 1) * query.per_page
    ids = [r.id for r in ordered[start : start + query.per_page]]
    rows = {row.id: row for row in session.execute(_base_select().where(Enterprise.id.in_(ids)))}
    return [EnterprisePublic.model_validate(rows[i]._mapping) for i in ids if i in rows]


def _visible_row(session: Session, actor: Actor, enterprise_id: int) -> Any:
    row = session.execute(_base_select().where(Enterprise.id == enterprise_id, _scope(actor))).first()
    if row is None:
        raise NotFound(f"未找到企业 {enterprise_id}")
    return row


def _figure_table(session: Session, enterprise_id: int) -> FigureTable:
    stmt = (
        select(EnterpriseFigure.indicator_id, EnterpriseFigure.year, EnterpriseFigure.value)
        .where(EnterpriseFigure.enterprise_id == enterprise_id, EnterpriseFigure.month == 0)
        .order_by(EnterpriseFigure.year)
    )
    values: dict[str, dict[int, float]] = {}
    years: set[int] = set()
    for indicator_id, year, value in session.execute(stmt):
        values.setdefault(indicator_id, {})[year] = value
        years.add(year)
    ordered_years = sorted(years)
    catalogue = session.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id))
    rows = [
        FigureRow(
            indicator_id=ind.id,
            label=ind.label,
            label_en=ind.label_en,
            unit=ind.unit,
            values={year: values[ind.id].get(year) for year in ordered_years},
        )
        for ind in catalogue
        if ind.id in values
    ]
    return FigureTable(enterprise_id=enterprise_id, years=ordered_years, rows=rows)


def figures_by_year(session: Session, actor: Actor, enterprise_id: int) -> FigureTable:
    """Yearly figures (month 0) of an enterprise the actor may see; NotFound otherwise."""
    _visible_row(session, actor, enterprise_id)
    return _figure_table(session, enterprise_id)


def get_enterprise(session: Session, actor: Actor, enterprise_id: int) -> EnterpriseDetail:
    """One enterprise with its yearly figures; NotFound when it does not exist or is out of scope."""
    row = _visible_row(session, actor, enterprise_id)
    tags = session.scalar(select(Enterprise.tags).where(Enterprise.id == enterprise_id)) or []
    return EnterpriseDetail(
        **row._mapping,
        tags=list(tags),
        figures=_figure_table(session, enterprise_id),
        editable=may_edit_enterprise(actor, row.region_code),
    )


def enterprise_id_for_code(session: Session, actor: Actor, code: str) -> int:
    """The id of the enterprise with this credit code (spaces and case forgiven); NotFound outside scope."""
    normalized = credit_code.normalize(code)
    found = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == normalized, _scope(actor)))
    if found is None:
        raise NotFound(f"未找到企业 {code}")
    return found


def _cached(
    session: Session, actor: Actor, name: str, compute: Callable[[], list[CountRow]]
) -> list[CountRow]:
    """`compute()` for this database, scope and home region, reused for COUNTS_TTL seconds: grouping a
    million enterprises on every home page would cost more than the page (the counts may be a minute old)."""
    bind = session.get_bind()
    key = (
        name,
        str(bind.url) if hasattr(bind, "url") else id(bind),
        actor.role,
        actor.region_code,
        actor.unit_id,
        actor.enterprise_id,
        home.home_region_code(),
    )
    now = time.monotonic()
    with _counts_lock:
        hit = _counts_cache.get(key)
    if hit is not None and now - hit[0] < COUNTS_TTL and isinstance(bind, Engine):
        return [row.model_copy() for row in hit[1]]
    rows = compute()
    if isinstance(bind, Engine):  # a session on one connection (an open transaction) sees its own rows
        with _counts_lock:
            if len(_counts_cache) > 1000:
                _counts_cache.clear()
            _counts_cache[key] = (now, rows)
    return [row.model_copy() for row in rows]


def counts_by_region(session: Session, actor: Actor) -> list[CountRow]:
    """How many enterprises the actor may see in each region one level below the region they look at,
    reused for COUNTS_TTL seconds."""
    return _cached(session, actor, "region", lambda: _counts_by_region(session, actor))


def counts_by_division(session: Session, actor: Actor) -> list[CountRow]:
    """How many enterprises the actor may see in each industry division (大类), largest first, reused for
    COUNTS_TTL seconds."""
    return _cached(session, actor, "division", lambda: _counts_by_division(session, actor))


def _counts_by_region(session: Session, actor: Actor) -> list[CountRow]:
    """How many enterprises the actor may see in each region one level below the region they look at (a
    province's cities, a city's districts), in the table's order."""
    stmt = (
        select(Enterprise.region_code, func.count(Enterprise.id))
        .where(_scope(actor))
        .group_by(Enterprise.region_code)
    )
    per_code: dict[str, int] = {code: count for code, count in session.execute(stmt)}
    root = viewing_region(actor)
    groups = home.group_under(session, root, per_code)
    counts: dict[str, CountRow] = {}
    for code, count in per_code.items():
        place = groups[code]
        row = counts.setdefault(
            place.code, CountRow(code=place.code, name=place.name, name_en=place.name_en, count=0)
        )
        row.count += count
    order = home.region_order(session, root)
    return sorted(counts.values(), key=lambda r: (order.get(r.code, len(order)), r.code))


def _counts_by_division(session: Session, actor: Actor) -> list[CountRow]:
    stmt = (
        select(Industry.division, _Division.name, func.count(Enterprise.id))
        .select_from(Enterprise)
        .join(Industry, Industry.code == Enterprise.industry_code)
        .outerjoin(_Division, _Division.code == Industry.division)
        .where(_scope(actor))
        .group_by(Industry.division, _Division.name)
        .order_by(func.count(Enterprise.id).desc(), Industry.division)
    )
    return [
        CountRow(code=code or "", name=name or "未分类", count=count)
        for code, name, count in session.execute(stmt)
    ]


def export_enterprises_xlsx(
    session: Session, actor: Actor, query: EnterpriseQuery, year: int | None = None
) -> bytes:
    """Every enterprise matching `query` (all pages) that the actor may see, with its figures of `year`
    (default: the latest), as an .xlsx workbook (`zhizao.enterprises.export`)."""
    from zhizao.enterprises.export import enterprise_workbook

    return enterprise_workbook(session, actor, query, year)


def export_enterprises_to(
    session: Session, actor: Actor, query: EnterpriseQuery, target: Path, year: int | None = None
) -> int:
    """`export_enterprises_xlsx` written to the file `target` (flat memory); how many enterprises."""
    from zhizao.enterprises.export import write_enterprise_workbook

    return write_enterprise_workbook(session, actor, query, target, year)


def indicator_choices(session: Session) -> list[tuple[str, str]]:
    """(id, label) of every catalogue indicator, for edit forms."""
    stmt = select(Indicator.id, Indicator.label).order_by(Indicator.sort_order, Indicator.id)
    return [(i, label) for i, label in session.execute(stmt)]


def region_choices(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """Regions the actor may filter by: inside the region they look at, two levels down (a province's cities
    each followed by their counties, indented; a city's districts; a county only itself)."""
    if not (actor.reads_everything or actor.region_code):
        return []
    return [
        (p.code, ("\u3000" * p.depth) + p.name) for p in home.places_within(session, viewing_region(actor))
    ]


def division_choices(session: Session) -> list[tuple[str, str]]:
    """Manufacturing divisions (门类 C, 大类 13-43) for the industry filter."""
    stmt = select(Industry.code, Industry.name).where(Industry.level == 2, Industry.section == "C")
    return [(c, n) for c, n in session.execute(stmt.order_by(Industry.code))]
