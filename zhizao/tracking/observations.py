"""Observations: actual values of tracked series, entered by hand, imported from the Excel template, or
computed from the enterprise registry; and the cumulative readings that progress is computed from."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.office import cells
from zhizao.office.archives import check_archive
from zhizao.office.tables import DECIMAL, PLAIN_INTEGER, Column, write_table
from zhizao.reference import home
from zhizao.reference.models import Region
from zhizao.reference.regions import within_clause
from zhizao.tracking.models import Observation, TrackedSeries
from zhizao.tracking.progress import Point

PERIOD_TYPES = {"year": "年度", "quarter": "季度", "month": "当月", "ytd": "累计"}
_PERIOD_BY_LABEL = {label: key for key, label in PERIOD_TYPES.items()} | {key: key for key in PERIOD_TYPES}
EDITORS = (Role.ADMIN, Role.ANALYST)
TEMPLATE_HEADERS = ["指标", "地区代码", "期别类型", "年份", "期", "数值", "来源", "备注"]
TEMPLATE_COLUMNS = [
    Column(h, fmt)
    for h, fmt in zip(
        TEMPLATE_HEADERS, (None, None, None, PLAIN_INTEGER, PLAIN_INTEGER, DECIMAL, None, None), strict=True
    )
]


@dataclass(frozen=True)
class ObservationInput:
    series_id: int
    region_code: str
    period_type: str
    year: int
    period: int
    value: float
    source: str = ""
    note: str = ""


def period_label(period_type: str, year: int, period: int) -> str:
    if period_type == "year":
        return f"{year}年"
    if period_type == "quarter":
        return f"{year}年第{period}季度"
    if period_type == "month":
        return f"{year}年{period}月"
    return f"{year}年1-{period}月"


def get_series(session: Session, series_id: int) -> TrackedSeries:
    series = session.get(TrackedSeries, series_id)
    if series is None:
        raise NotFound(f"指标序列 {series_id} 不存在")
    return series


def ensure_series(
    session: Session,
    name: str,
    unit: str = "",
    aliases: Sequence[str] = (),
    kind: str = "manual",
    aggregate: dict[str, Any] | None = None,
) -> TrackedSeries:
    """The series called `name`, created if missing."""
    series = session.scalar(select(TrackedSeries).where(TrackedSeries.name == name))
    if series is None:
        series = TrackedSeries(name=name, unit=unit, aliases=list(aliases), kind=kind, aggregate=aggregate)
        session.add(series)
        session.flush()
    return series


def list_series(session: Session) -> list[TrackedSeries]:
    return list(session.scalars(select(TrackedSeries).order_by(TrackedSeries.name)))


def _check(session: Session, item: ObservationInput, problems: Problems, row: int | None = None) -> None:
    if item.period_type not in PERIOD_TYPES:
        problems.error(f"期别类型应为 {'、'.join(PERIOD_TYPES.values())}", row, "期别类型")
    limits = {"year": (0, 0), "quarter": (1, 4), "month": (1, 12), "ytd": (1, 12)}.get(item.period_type)
    if limits and not limits[0] <= item.period <= limits[1]:
        problems.error(f"期应在 {limits[0]}–{limits[1]} 之间", row, "期")
    if not 1990 <= item.year <= 2100:
        problems.error("年份不在 1990–2100 之间", row, "年份")
    if session.get(Region, item.region_code) is None:
        problems.error(f"地区代码 {item.region_code} 不存在", row, "地区代码")
    elif not home.covers(item.region_code):
        problems.error(home.outside_message(item.region_code), row, "地区代码")
    if session.get(TrackedSeries, item.series_id) is None:
        problems.error(f"指标序列 {item.series_id} 不存在", row, "指标")


def _upsert(session: Session, actor: Actor, item: ObservationInput) -> Observation:
    period = 0 if item.period_type == "year" else item.period
    existing = session.scalar(
        select(Observation).where(
            Observation.series_id == item.series_id,
            Observation.region_code == item.region_code,
            Observation.period_type == item.period_type,
            Observation.year == item.year,
            Observation.period == period,
        )
    )
    obs = existing or Observation(
        series_id=item.series_id,
        region_code=item.region_code,
        period_type=item.period_type,
        year=item.year,
        period=period,
    )
    obs.value = float(item.value)
    obs.source = item.source.strip()[:500]
    obs.note = item.note.strip()
    obs.entered_by = actor.username
    session.add(obs)
    session.flush()
    return obs


def record_observation(session: Session, actor: Actor, item: ObservationInput) -> Observation:
    """Add or replace the value of a series for a region and period."""
    require_role(actor, *EDITORS)
    item = ObservationInput(**{**item.__dict__, "period": 0 if item.period_type == "year" else item.period})
    problems = Problems()
    _check(session, item, problems)
    if problems.errors:
        raise InvalidInput("观测值有误", problems.items)
    return _upsert(session, actor, item)


def list_observations(session: Session, series_id: int, region_code: str | None = None) -> list[Observation]:
    stmt = select(Observation).where(Observation.series_id == series_id)
    if region_code:
        stmt = stmt.where(Observation.region_code == region_code)
    return list(session.scalars(stmt.order_by(Observation.year, Observation.period_type, Observation.period)))


# cumulative readings --------------------------------------------------------------------------------------


def cumulative_points(observations: Iterable[Observation], additive: bool) -> list[Point]:
    """Cumulative readings (months 1..N of a year) from observations of any period type.

    Year and 累计 values are taken as they are. Single months and quarters add up to a cumulative value
    when the series is an amount (`additive`) and every earlier month or quarter of the year is present; for
    rates only the first month or quarter is itself cumulative."""
    direct: dict[tuple[int, int], float] = {}
    derived: dict[tuple[int, int], float] = {}
    months: dict[int, dict[int, float]] = defaultdict(dict)
    quarters: dict[int, dict[int, float]] = defaultdict(dict)
    for obs in observations:
        if obs.period_type == "year":
            direct[(obs.year, 12)] = obs.value
        elif obs.period_type == "ytd":
            direct[(obs.year, obs.period)] = obs.value
        elif obs.period_type == "month":
            months[obs.year][obs.period] = obs.value
        elif obs.period_type == "quarter":
            quarters[obs.year][obs.period] = obs.value
    for parts, size in ((months, 1), (quarters, 3)):
        for year, values in parts.items():
            total = 0.0
            for n in range(1, max(values) + 1):
                if n not in values:
                    break
                total += values[n]
                if additive or n == 1:
                    derived.setdefault((year, n * size), total if additive else values[n])
    merged = derived | direct
    return [Point(year, month, value) for (year, month), value in sorted(merged.items())]


def series_points(session: Session, series_id: int, region_code: str | None, additive: bool) -> list[Point]:
    return cumulative_points(list_observations(session, series_id, region_code), additive)


# registry aggregates --------------------------------------------------------------------------------------


def refresh_registry_series(
    session: Session, series: TrackedSeries, region_code: str, as_of: date
) -> Observation:
    """Compute a registry aggregate and store it as an observation.

    `aggregate` = {"op": "count", "above_scale": true} counts enterprises (a stock, stored as 1-N月 of
    `as_of`); {"op": "sum", "indicator": "value_added", "above_scale": true} sums a year's figures;
    {"op": "titles", "title": "zhuanjingtexin", "since": 2026} counts the firms newly recognised (first
    listed in or after `since`), cumulated over the years up to `as_of` (see `_refresh_titles`)."""
    spec = series.aggregate or {}
    if spec.get("op") == "titles" and spec.get("title") and spec.get("since"):
        return _refresh_titles(session, series, region_code, as_of)
    where = [within_clause(Enterprise.region_code, region_code)]
    if spec.get("above_scale") is not None:
        where.append(Enterprise.above_scale.is_(bool(spec["above_scale"])))
    if spec.get("op") == "count":
        value = session.scalar(select(func.count()).select_from(Enterprise).where(*where)) or 0
        item = ObservationInput(series.id, region_code, "ytd", as_of.year, as_of.month, float(value))
    elif spec.get("op") == "sum" and spec.get("indicator"):
        year = int(spec.get("year", as_of.year))
        value = session.scalar(
            select(func.coalesce(func.sum(EnterpriseFigure.value), 0.0))
            .join(Enterprise, Enterprise.id == EnterpriseFigure.enterprise_id)
            .where(*where, EnterpriseFigure.indicator_id == spec["indicator"])
            .where(EnterpriseFigure.year == year, EnterpriseFigure.month == 0)
        )
        item = ObservationInput(series.id, region_code, "year", year, 0, float(value or 0))
    else:
        raise InvalidInput(f"指标序列“{series.name}”没有可用的企业库汇总规则")
    return _upsert(session, Actor.system(), ObservationInput(**{**item.__dict__, "source": "企业库汇总"}))


def _refresh_titles(session: Session, series: TrackedSeries, region_code: str, as_of: date) -> Observation:
    """Firms first recognised with `title` from the year `since`, cumulated: one reading per year to `as_of`
    (a whole past year as 年度, the current year as 累计 1-N月 of `as_of`), so an `increase` target over one
    year or several reads the firms newly recognised in its period. Returns the latest reading."""
    spec = series.aggregate or {}
    since = int(spec["since"])
    t = EnterpriseTitle
    first = (  # the year each firm was first recognised: a renewal (复核) later is not a new firm
        select(t.enterprise_id, func.min(t.year).label("year"))
        .join(Enterprise, Enterprise.id == t.enterprise_id)
        .where(t.title == spec["title"], within_clause(Enterprise.region_code, region_code))
        .group_by(t.enterprise_id)
        .subquery()
    )
    counted = (
        select(first.c.year, func.count())
        .where(first.c.year >= since, first.c.year <= as_of.year)
        .group_by(first.c.year)
    )
    by_year = {int(year): int(n) for year, n in session.execute(counted)}
    total, latest = 0, None
    for year in range(since, as_of.year + 1):
        total += int(by_year.get(year, 0))
        kind, period = ("year", 0) if year < as_of.year else ("ytd", as_of.month)
        item = ObservationInput(series.id, region_code, kind, year, period, float(total), "认定名单汇总")
        latest = _upsert(session, Actor.system(), item)
    if latest is None:
        raise InvalidInput(f"指标序列“{series.name}”的起始年份晚于 {as_of.year} 年")
    return latest


# Excel template -------------------------------------------------------------------------------------------


def template_workbook(session: Session) -> bytes:
    """The import template: one sheet to fill in, one listing the series and the period types."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "观测值"
    write_table(sheet, TEMPLATE_COLUMNS, [], serial=False)
    for column, width in zip("ABCDEFGH", (30, 10, 10, 8, 6, 12, 30, 30), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("说明")
    notes.append(["指标名称（可用别名）", "单位"])
    for series in list_series(session):
        notes.append(cells.row(notes, [series.name, series.unit]))
    notes.append([])
    notes.append(["期别类型", "期的含义"])
    notes.append(["年度", "留空或 0"])
    notes.append(["季度", "1–4"])
    notes.append(["当月", "1–12"])
    notes.append(["累计", "1–N月的 N"])
    notes.append([])
    example_region = home.home_region_code() or "<6位行政区划代码>"
    notes.append(["示例", f"规模以上工业增加值增速 | {example_region} | 累计 | 2024 | 6 | 9.8 | 统计局 |"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _series_by_name(session: Session) -> dict[str, int]:
    names: dict[str, int] = {}
    for series in list_series(session):
        for alias in series.aliases or []:
            names[alias.strip()] = series.id
        names[series.name] = series.id
    return names


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def import_workbook(session: Session, actor: Actor, data: bytes) -> int:
    """Import the template. Every row is checked first; on any error nothing is written."""
    require_role(actor, *EDITORS)
    check_archive(data)
    try:  # read-only mode parses while iterating: a damaged sheet or an entity bomb fails here
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:
        raise InvalidInput("无法读取 Excel 文件（请使用 .xlsx 模板）") from exc
    if not rows or [str(c or "").strip() for c in rows[0][: len(TEMPLATE_HEADERS)]] != TEMPLATE_HEADERS:
        raise InvalidInput(f"表头应为：{'、'.join(TEMPLATE_HEADERS)}")
    names = _series_by_name(session)
    problems = Problems()
    items: list[ObservationInput] = []
    for number, raw in enumerate(rows[1:], start=2):
        cells = [*raw, *([None] * len(TEMPLATE_HEADERS))][: len(TEMPLATE_HEADERS)]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        name, region, ptype, year, period, value, source, note = cells
        series_id = names.get(str(name or "").strip())
        if series_id is None:
            problems.error(f"未知指标“{name}”（请先在指标目录中添加）", number, "指标")
            continue
        kind = _PERIOD_BY_LABEL.get(str(ptype or "").strip())
        numbers = _number(year), _number(period) if period not in (None, "") else 0.0, _number(value)
        if kind is None:
            problems.error("期别类型应为 年度、季度、当月 或 累计", number, "期别类型")
        for label, parsed in zip(("年份", "期", "数值"), numbers, strict=True):
            if parsed is None:
                problems.error("不是数字", number, label)
        if kind is None or None in numbers:
            continue
        item = ObservationInput(
            series_id,
            str(region or "").strip(),
            kind,
            int(numbers[0] or 0),
            int(numbers[1] or 0),
            float(numbers[2] or 0),
            str(source or ""),
            str(note or ""),
        )
        _check(session, item, problems, number)
        items.append(item)
    if problems.errors:
        raise InvalidInput(f"导入失败：{len(problems.errors)} 处错误，未写入任何数据", problems.items)
    for item in items:
        _upsert(session, actor, item)
    return len(items)


def export_workbook(session: Session, series_ids: Sequence[int] | None = None) -> bytes:
    """Observations in the template's layout (so an export can be edited and imported again)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "观测值"
    stmt = select(Observation, TrackedSeries.name).join(TrackedSeries)
    if series_ids:
        stmt = stmt.where(Observation.series_id.in_(series_ids))
    rows = [
        [name, o.region_code, PERIOD_TYPES[o.period_type], o.year, o.period, o.value, o.source, o.note]
        for o, name in session.execute(
            stmt.order_by(TrackedSeries.name, Observation.year, Observation.period)
        )
    ]
    write_table(sheet, TEMPLATE_COLUMNS, rows, serial=False)  # the header stays on row 1: it imports again
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
