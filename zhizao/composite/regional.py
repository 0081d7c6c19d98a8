"""The regional index computed from the database: one unit per region one level below the installation's
home region (a city's districts and counties, a province's cities), one row per region and year.

Each data column of the definition comes from its `sources` entry: an aggregate of the enterprise
registry's yearly figures (a sum, a ratio of sums, a count of reporting firms; 规上 only when asked) grouped
in the database, or the yearly observations of a tracked series; a column without an entry is read from the
series named like the indicator. A `dist_to_target` indicator is scored against the plan: the accepted
level or share target of a confirmed plan linked to the indicator's series, else the definition's value,
and the result says which one was used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from zhizao.composite.definition import IndexDefinition, Source
from zhizao.composite.pipeline import IndexResult, run_index_arrays
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.cultivation.titles import TITLE_LABELS
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.errors import InvalidInput
from zhizao.plans.models import Plan, PlanTarget
from zhizao.reference import home
from zhizao.tracking.models import Observation, TargetLink, TrackedSeries

REGION, NAME, YEAR = "region_code", "地区", "year"


@dataclass(frozen=True)
class TargetUsed:
    value: float
    origin: str  # 计划《…》2025年目标 | 定义文件


@dataclass(frozen=True)
class RegionalData:
    frame: pd.DataFrame  # region_code, 地区, year and one column per data column
    origins: dict[str, str]  # data column → where its values come from, in words
    targets: dict[str, TargetUsed]  # dist_to_target indicator → the target it is scored against
    empty: list[str]  # data columns without any value in the years asked


@dataclass(frozen=True)
class RegionalIndex:
    definition: IndexDefinition  # with the plan's targets in place
    data: RegionalData
    result: IndexResult


def data_columns(defn: IndexDefinition) -> list[str]:
    columns = [i.code for i in defn.indicators] + [i.denominator for i in defn.indicators if i.denominator]
    return list(dict.fromkeys(columns))


def series_name(defn: IndexDefinition, column: str) -> str:
    source = defn.sources.get(column)
    if source is not None and source.series:
        return source.series
    names = {i.code: i.name for i in defn.indicators}
    return names.get(column) or column


def _labels(session: Session) -> dict[str, str]:
    return dict(((k, v) for k, v in session.execute(select(Indicator.id, Indicator.label))))


def _describe(source: Source | None, series: str, labels: dict[str, str]) -> str:
    if source is None or source.series:
        return f"监测指标「{series}」的年度值"
    scope = "规上企业" if source.above_scale else "企业"
    if source.registry == "count":
        return f"有当年数据的{scope}数"
    if source.registry == "titles":
        return f"年末持有「{TITLE_LABELS.get(source.title or '', source.title)}」称号的{scope}数"
    if source.registry == "sum":
        return f"{scope}{labels.get(source.indicator or '', source.indicator)}合计"
    times = f" × {source.scale:g}" if source.scale != 1 else ""
    num = labels.get(source.numerator or "", source.numerator)
    den = labels.get(source.denominator or "", source.denominator)
    return f"{scope}{num}合计 / {den}合计{times}"


def _registry_sums(
    session: Session, indicators: set[str], years: Sequence[int], above_scale: bool
) -> pd.DataFrame:
    """Σ value per (region_code, year, indicator), grouped in the database."""
    stmt = (
        select(
            Enterprise.region_code,
            EnterpriseFigure.year,
            EnterpriseFigure.indicator_id,
            func.sum(EnterpriseFigure.value),
        )
        .join(Enterprise, Enterprise.id == EnterpriseFigure.enterprise_id)
        .where(
            EnterpriseFigure.month == 0,
            EnterpriseFigure.year.in_(list(years)),
            EnterpriseFigure.indicator_id.in_(sorted(indicators)),
            home.home_clause(Enterprise.region_code),
        )
        .group_by(Enterprise.region_code, EnterpriseFigure.year, EnterpriseFigure.indicator_id)
    )
    if above_scale:
        stmt = stmt.where(Enterprise.above_scale.is_(True))
    rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["county", YEAR, "indicator", "value"])


def _registry_counts(session: Session, years: Sequence[int], above_scale: bool) -> pd.DataFrame:
    stmt = (
        select(Enterprise.region_code, EnterpriseFigure.year, func.count(distinct(Enterprise.id)))
        .join(Enterprise, Enterprise.id == EnterpriseFigure.enterprise_id)
        .where(EnterpriseFigure.year.in_(list(years)), home.home_clause(Enterprise.region_code))
        .group_by(Enterprise.region_code, EnterpriseFigure.year)
    )
    if above_scale:
        stmt = stmt.where(Enterprise.above_scale.is_(True))
    rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["county", YEAR, "value"])


def _title_counts(session: Session, title: str, years: Sequence[int], above_scale: bool) -> pd.DataFrame:
    """Firms holding `title` on 31 December of each year, per county code."""
    rows: list[tuple[str, int, int]] = []
    for year in years:
        end = date(year, 12, 31)
        stmt = (
            select(Enterprise.region_code, func.count(distinct(Enterprise.id)))
            .join(EnterpriseTitle, EnterpriseTitle.enterprise_id == Enterprise.id)
            .where(
                EnterpriseTitle.title == title,
                EnterpriseTitle.valid_from <= end,
                EnterpriseTitle.valid_to >= end,
                home.home_clause(Enterprise.region_code),
            )
            .group_by(Enterprise.region_code)
        )
        if above_scale:
            stmt = stmt.where(Enterprise.above_scale.is_(True))
        rows += [(region, year, int(n)) for region, n in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["county", YEAR, "value"])


def _series_values(session: Session, names: set[str], years: Sequence[int]) -> pd.DataFrame:
    stmt = (
        select(TrackedSeries.name, Observation.region_code, Observation.year, Observation.value)
        .join(TrackedSeries, TrackedSeries.id == Observation.series_id)
        .where(
            TrackedSeries.name.in_(sorted(names)),
            Observation.period_type == "year",
            Observation.year.in_(list(years)),
        )
    )
    rows = [tuple(r) for r in session.execute(stmt)]
    return pd.DataFrame(rows, columns=["series", REGION, YEAR, "value"])


def _plan_target(session: Session, series: str) -> TargetUsed | None:
    """The latest accepted level/share target of a confirmed plan of the home region linked to `series`."""
    root = home.home_region_code()
    stmt = (
        select(PlanTarget.value, PlanTarget.target_year, Plan.title)
        .join(TargetLink, TargetLink.target_id == PlanTarget.id)
        .join(TrackedSeries, TrackedSeries.id == TargetLink.series_id)
        .join(Plan, Plan.id == PlanTarget.plan_id)
        .where(
            TrackedSeries.name == series,
            Plan.status == "confirmed",
            PlanTarget.review_status == "accepted",
            PlanTarget.measure.in_(["level", "share"]),
            or_(Plan.region_code.is_(None), Plan.region_code == root) if root else Plan.region_code.is_(None),
        )
        .order_by(PlanTarget.target_year.desc().nulls_last(), PlanTarget.id.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    if found is None:
        return None
    value, year, title = found
    return TargetUsed(float(value), f"计划《{title}》{f'{year}年' if year else ''}目标")


def regional_data(session: Session, defn: IndexDefinition, years: Sequence[int]) -> RegionalData:
    """The definition's data columns for every region one level below home, for each of `years`."""
    if not years:
        raise InvalidInput("请给出至少一个年度")
    places = home.next_level(session, home.home_region_code())
    if not places:
        raise InvalidInput("本系统辖区下没有下一级地区，无法计算地区指数")
    grid = pd.MultiIndex.from_product([[p.code for p in places], list(years)], names=[REGION, YEAR])
    frame = pd.DataFrame(index=grid).reset_index()
    frame.insert(1, NAME, frame[REGION].map({p.code: p.name for p in places}))
    columns = data_columns(defn)
    labels = _labels(session)
    origins = {c: _describe(defn.sources.get(c), series_name(defn, c), labels) for c in columns}

    # Registry aggregates: one grouped query per 规上 filter, then county codes grouped under each place.
    registry = {c: s for c, s in defn.sources.items() if c in columns and s.registry}
    for above in {s.above_scale for s in registry.values()}:
        wanted = {s.indicator for s in registry.values() if s.registry == "sum" and s.above_scale == above}
        wanted |= {
            x
            for s in registry.values()
            if s.registry == "ratio" and s.above_scale == above
            for x in (s.numerator, s.denominator)
        }
        sums = _registry_sums(session, {w for w in wanted if w}, years, above)
        counts = (
            _registry_counts(session, years, above)
            if any(s.registry in ("count", "titles") and s.above_scale == above for s in registry.values())
            else pd.DataFrame(columns=["county", YEAR, "value"])
        )
        held = {
            s.title: _title_counts(session, s.title, years, above)
            for s in registry.values()
            if s.registry == "titles" and s.above_scale == above and s.title
        }
        counties = set(sums.county) | set(counts.county)
        for frame_of_title in held.values():
            counties |= set(frame_of_title.county)
        grouped = home.group_under(session, home.home_region_code(), counties)
        under = {county: place.code for county, place in grouped.items()}
        sums[REGION] = sums.county.map(under)
        counts[REGION] = counts.county.map(under)
        totals: dict[str, dict[tuple[str, int], float]] = {
            str(name): part.groupby([REGION, YEAR]).value.sum().to_dict()
            for name, part in sums.groupby("indicator")
        }
        counted = counts.groupby([REGION, YEAR]).value.sum().to_dict()
        titled: dict[str, dict[tuple[str, int], float]] = {}
        for name, part in held.items():
            part[REGION] = part.county.map(under)
            # a region with firms but none holding the title has 0 of them, not a gap (when a list is
            # held at all: with none imported, the column stays empty and is named as such)
            found = part.groupby([REGION, YEAR]).value.sum().to_dict()
            titled[name] = ({key: 0.0 for key in counted} | found) if found else {}
        for column, s in registry.items():
            if s.above_scale != above:
                continue
            values: dict[tuple[str, int], float]
            if s.registry == "count":
                values = counted
            elif s.registry == "titles":
                values = titled.get(s.title or "", {})
            elif s.registry == "sum":
                values = totals.get(s.indicator or "", {})
            else:
                num, den = totals.get(s.numerator or "", {}), totals.get(s.denominator or "", {})
                values = {k: v / den[k] * s.scale for k, v in num.items() if den.get(k)}
            frame[column] = [
                values.get((r, y), np.nan) for r, y in zip(frame[REGION], frame[YEAR], strict=True)
            ]

    series = {c: series_name(defn, c) for c in columns if c not in registry}
    observed = _series_values(session, set(series.values()), years)
    for column, name in series.items():
        mine = observed[observed.series == name].set_index([REGION, YEAR]).value.to_dict()
        frame[column] = [mine.get((r, y), np.nan) for r, y in zip(frame[REGION], frame[YEAR], strict=True)]

    targets: dict[str, TargetUsed] = {}
    for ind in defn.indicators:
        if ind.normalisation == "dist_to_target":
            from_plan = _plan_target(session, series_name(defn, ind.code))
            assert ind.target is not None  # the definition requires one
            targets[ind.code] = from_plan or TargetUsed(ind.target, "定义文件")
    empty = [c for c in columns if frame[c].isna().all()]
    return RegionalData(frame, origins, targets, empty)


def with_targets(defn: IndexDefinition, targets: dict[str, TargetUsed]) -> IndexDefinition:
    indicators = [
        i.model_copy(update={"target": targets[i.code].value}) if i.code in targets else i
        for i in defn.indicators
    ]
    return defn.model_copy(update={"indicators": indicators})


def run_regional(session: Session, defn: IndexDefinition, years: Sequence[int]) -> RegionalIndex:
    """Read the data and run the index; a column with no value at all is refused by name."""
    if defn.unit_column != REGION or defn.year_column != YEAR:
        raise InvalidInput(f"地区指数的定义文件须以 {REGION} 为单位列、{YEAR} 为年度列")
    data = regional_data(session, defn, years)
    if data.empty:
        named = "；".join(f"{c}（{data.origins[c]}）" for c in data.empty)
        raise InvalidInput(f"以下指标在 {', '.join(map(str, years))} 年没有任何数据：{named}")
    used = with_targets(defn, data.targets)
    frame = data.frame.copy()
    frame[data_columns(defn)] = frame[data_columns(defn)].astype(float)
    # a region × year panel has tens of rows: the array path (proven equal to the Ibis one to 1e-9 in
    # tests/composite/test_index_table.py) answers the page in a fraction of the Ibis path's query overhead
    result = run_index_arrays(used, frame)
    scores = result.scores.merge(frame[[REGION, YEAR, NAME]], on=[REGION, YEAR], how="left")
    result = IndexResult(scores=scores, treatments=result.treatments, dropped_units=result.dropped_units)
    return RegionalIndex(used, data, result)


def contributions(index: RegionalIndex, region: str, year: int) -> pd.DataFrame:
    """A region's "why": per indicator its value (divided by its denominator), normalised score, effective
    weight, the points it adds to the index and the average score of all regions that year, largest gaps
    first."""
    from zhizao.composite.hierarchy import effective_weights

    defn, scores, frame = index.definition, index.result.scores, index.data.frame
    row = scores[(scores[REGION] == region) & (scores[YEAR] == year)]
    raw = frame[(frame[REGION] == region) & (frame[YEAR] == year)]
    if row.empty or raw.empty:
        raise InvalidInput(f"没有地区 {region} {year} 年的指数结果")
    weights = effective_weights(defn.parents, defn.weights)
    same_year = scores[scores[YEAR] == year]
    records = []
    for ind in defn.indicators:
        score = float(row[ind.code].iloc[0])
        column = same_year[ind.code].to_numpy(dtype=float)
        mean = float(np.nanmean(column)) if np.isfinite(column).any() else float("nan")
        records.append(
            {
                "code": ind.code,
                "指标": ind.name or ind.code,
                "维度": next((a.name or a.code for a in defn.aggregates if a.code == ind.parent), ""),
                "单位": ind.unit,
                "原始值": float(raw[ind.code].iloc[0])
                / (float(raw[ind.denominator].iloc[0]) if ind.denominator else 1.0),
                "得分": score,
                "各地区平均得分": mean,
                "权重": weights[ind.code],
                "贡献": score * weights[ind.code],
                "与平均的差距": (score - mean) * weights[ind.code],
            }
        )
    return pd.DataFrame(records).sort_values("与平均的差距").reset_index(drop=True)
