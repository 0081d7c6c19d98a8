"""Stored results as pages, exports, chart data and per-enterprise explanations see them.

Every query filters with `runs.scope(actor)`: district officers see only their district's rows, an
enterprise account only its own row; a row out of scope does not exist (NotFound).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, viewing_region
from zhizao.enterprises.registry import Page
from zhizao.errors import NotFound
from zhizao.evaluation import wording
from zhizao.evaluation.method import Method
from zhizao.evaluation.models import EvaluationResult, EvaluationRun
from zhizao.evaluation.runs import get_run, list_runs, method_of, scope, visible_totals
from zhizao.evaluation.steps.explain import numerator_label
from zhizao.office.tables import INTEGER, Column, exported_note, stream_table
from zhizao.reference import home
from zhizao.reference.data_files import industry_names, region_names
from zhizao.reference.models import Region

OUT_OF_SCOPE = "范围外"


SCORE = "0.00"
_INDICATOR_PARTS = (("值", "#,##0.00##"), ("基准值", "#,##0.00##"), ("得分", SCORE))


class ResultQuery(BaseModel):
    """Filters and paging of a run's results (form fields and API query parameters)."""

    q: str = Field(default="", max_length=100, description="企业名称或统一社会信用代码 (部分匹配)")
    region_code: str | None = Field(default=None, max_length=12, description="区划代码")
    division: str | None = Field(default=None, max_length=2, description="行业大类代码")
    pool: str | None = Field(default=None, max_length=40, description="评价池 id")
    class_id: str | None = Field(default=None, max_length=20, description="类别 (A/B/C/D/T)")
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=50, ge=1, le=500)

    @field_validator("region_code", "division", "pool", "class_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("q", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value


class RunPublic(BaseModel):
    id: int
    method_id: str
    method_title: str
    method_hash: str
    year: int
    backend: str
    input_source: str
    input_fingerprint: str
    actor: str
    created_at: Any
    rows: int
    counts: dict[str, int]


class ResultPublic(BaseModel):
    credit_code: str
    enterprise_id: int | None
    name: str
    region_code: str
    industry_code: str
    pool: str | None
    class_id: str | None
    class_label: str | None
    total: float | None
    rank: int | None
    group_size: int | None
    reasons: list[str]
    region_name: str = ""
    industry_name: str = ""
    pool_label: str = ""


def runs_public(session: Session, actor: Actor, runs: list[EvaluationRun]) -> list[RunPublic]:
    """Runs as the pages and the API show them to `actor`: rows and class counts over the actor's scope."""
    totals = visible_totals(session, actor, runs)
    return [
        RunPublic.model_validate(run, from_attributes=True).model_copy(
            update={"rows": totals[run.id].rows, "counts": totals[run.id].counts}
        )
        for run in runs
    ]


def run_public(session: Session, actor: Actor, run: EvaluationRun) -> RunPublic:
    return runs_public(session, actor, [run])[0]


def visible_runs(session: Session, actor: Actor) -> list[RunPublic]:
    """The runs list (newest first) with the totals the actor may see."""
    return runs_public(session, actor, list_runs(session, actor))


def visible_run(session: Session, actor: Actor, run_id: int) -> RunPublic:
    return run_public(session, actor, get_run(session, actor, run_id))


def _filters(actor: Actor, run_id: int, query: ResultQuery) -> list[ColumnElement[bool]]:
    r = EvaluationResult
    clauses: list[ColumnElement[bool]] = [r.run_id == run_id, scope(actor)]
    if query.q:
        pattern = "%" + query.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(or_(r.name.like(pattern, escape="\\"), r.credit_code.like(pattern, escape="\\")))
    if query.region_code:
        clauses.append(r.region_code == query.region_code)
    if query.division:
        clauses.append(r.industry_code.like(query.division + "%"))
    if query.pool:
        clauses.append(r.pool == query.pool)
    if query.class_id:
        clauses.append(
            r.class_id.is_(None) if query.class_id == OUT_OF_SCOPE else r.class_id == query.class_id
        )
    return clauses


def _public(row: EvaluationResult, pool_labels: dict[str, str]) -> ResultPublic:
    """A result row with the names a reader needs beside the codes (district, industry, pool)."""
    public = ResultPublic.model_validate(row, from_attributes=True)
    industries = industry_names()
    public.region_name = region_names().get(row.region_code, "")
    public.industry_name = industries.get(row.industry_code) or industries.get(row.industry_code[:2], "")
    public.pool_label = pool_labels.get(row.pool or "", row.pool or "")
    return public


def search_results(session: Session, actor: Actor, run_id: int, query: ResultQuery) -> Page[ResultPublic]:
    pool_labels = {p.id: p.label for p in method_of(get_run(session, actor, run_id)).pools}
    clauses = _filters(actor, run_id, query)
    total = session.scalar(select(func.count()).select_from(EvaluationResult).where(*clauses)) or 0
    r = EvaluationResult
    stmt = (
        select(r)
        .where(*clauses)
        .order_by(r.pool.is_(None), r.pool, r.region_code, r.rank.is_(None), r.rank, r.credit_code)
        .offset((query.page - 1) * query.per_page)
        .limit(query.per_page)
    )
    items = [_public(row, pool_labels) for row in session.scalars(stmt)]
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def _result_note(run: EvaluationRun, query: ResultQuery, pool_labels: dict[str, str]) -> str:
    parts = [f"{run.year}年"]
    if query.region_code:
        parts.append(region_names().get(query.region_code, query.region_code))
    if query.division:
        parts.append(f"行业大类{query.division}")
    if query.pool:
        parts.append(pool_labels.get(query.pool, query.pool))
    if query.class_id:
        parts.append(f"{query.class_id}类")
    if query.q:
        parts.append(f"名称或代码含“{query.q}”")
    return exported_note("筛选：" + " · ".join(parts))


def export_results_xlsx(session: Session, actor: Actor, run_id: int, query: ResultQuery) -> bytes:
    """The filtered results with every indicator's value, benchmark and score, as an Excel workbook."""
    run = get_run(session, actor, run_id)
    method = method_of(run)
    stmt = select(EvaluationResult).where(*_filters(actor, run_id, query)).order_by(EvaluationResult.id)
    pool_labels = {p.id: p.label for p in method.pools}
    columns = [Column(h) for h in ("统一社会信用代码", "企业名称", "区划代码", "地区", "行业代码", "行业")]
    columns += [Column("评价池"), Column("类别"), Column("类别名称")]
    columns += [Column("总分", SCORE), Column("排名", INTEGER), Column("组内企业数", INTEGER)]
    for ind in method.indicators:  # labels come from method files
        columns += [Column(f"{ind.label} {part}", fmt) for part, fmt in _INDICATOR_PARTS]
    columns.append(Column("原因", width=60))

    def rows() -> Iterator[list[Any]]:
        for row in session.scalars(stmt).yield_per(1000):
            public = _public(row, pool_labels)
            values: list[Any] = [row.credit_code, row.name, row.region_code, public.region_name]
            values += [row.industry_code, public.industry_name, public.pool_label]
            values += [row.class_id, row.class_label, row.total, row.rank, row.group_size]
            for ind in method.indicators:
                part = row.indicators.get(ind.id, {})
                values += [part.get("value"), part.get("benchmark"), part.get("score")]
            yield [*values, "；".join(row.reasons)]

    book = Workbook(write_only=True)
    sheet = book.create_sheet("评价结果")
    title = f"{run.method_title or '亩产效益评价'}结果（{run.year}年）"
    stream_table(sheet, columns, rows(), title=title, note=_result_note(run, query, pool_labels))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def class_counts_by_region(session: Session, actor: Actor, run_id: int) -> dict[str, dict[str, int]]:
    """{region name: {class: n}} over the visible rows, by the region one level below the one the actor
    looks at (a province's cities, a city's districts), in the table's order."""
    get_run(session, actor, run_id)
    r = EvaluationResult
    stmt = (
        select(r.region_code, r.class_id, func.count())
        .where(r.run_id == run_id, scope(actor))
        .group_by(r.region_code, r.class_id)
    )
    rows = [(code, class_id, n) for code, class_id, n in session.execute(stmt)]
    root = viewing_region(actor)
    groups = home.group_under(session, root, {code for code, _, _ in rows if code})
    order = home.region_order(session, root)
    counts: dict[tuple[int, str], dict[str, int]] = {}
    for code, class_id, n in rows:
        place = groups[code] if code else None
        key = (order.get(place.code, len(order)), place.name) if place else (len(order) + 1, "未填地区")
        row = counts.setdefault(key, {})
        row[class_id or OUT_OF_SCOPE] = row.get(class_id or OUT_OF_SCOPE, 0) + n
    return {name: row for (_, name), row in sorted(counts.items())}


def totals_by_pool(session: Session, actor: Actor, run_id: int) -> dict[str, list[float]]:
    """{pool id: [total score of each graded firm]} over the visible rows."""
    get_run(session, actor, run_id)
    r = EvaluationResult
    stmt = select(r.pool, r.total).where(r.run_id == run_id, scope(actor), r.total.is_not(None))
    totals: dict[str, list[float]] = {}
    for pool, total in session.execute(stmt):
        assert total is not None  # NULL totals are filtered out in SQL
        totals.setdefault(pool or OUT_OF_SCOPE, []).append(float(total))
    return dict(sorted(totals.items()))


def filter_choices(session: Session, actor: Actor, run_id: int) -> dict[str, list[tuple[str, str]]]:
    """The values the filters offer: regions, pools and classes present in the visible rows."""
    run = get_run(session, actor, run_id)
    method = method_of(run)
    r = EvaluationResult
    stmt = (
        select(r.region_code, func.coalesce(Region.name, r.region_code))
        .outerjoin(Region, Region.code == r.region_code)
        .where(r.run_id == run_id, scope(actor))
        .distinct()
        .order_by(r.region_code)
    )
    classes = [(c.id, f"{c.id} {c.label}") for c in method.classes.items]
    classes += [("T", f"T {method.t_class.label}"), (OUT_OF_SCOPE, OUT_OF_SCOPE)]
    return {
        "regions": [(code, name) for code, name in session.execute(stmt)],
        "pools": [(p.id, p.label) for p in method.pools],
        "classes": classes,
    }


class IndicatorLine(BaseModel):
    """One row of an explanation: how one indicator counted for this enterprise."""

    id: str
    label: str
    unit: str
    direction: str
    value: float | None
    benchmark: float | None
    weight: float | None
    norm: float | None
    score: float | None
    group_mean: float | None
    group_rank: int | None
    rule: str  # what decided the score: 比值/反向/极差, missing rule, negative numerator


class Explanation(BaseModel):
    run: RunPublic
    result: ResultPublic
    quota_class: str | None
    adjust_points: float | None
    lines: list[IndicatorLine]
    policy_text: str
    policy_illustrative: bool
    notes: list[str]
    classes: list[tuple[str, str, float | None]]  # (id, label, share or min_score)
    class_rules: list[tuple[str, str, str]] = []  # (id, label, the rule in words)


def _rule(method: Method, ind_id: str, part: dict[str, Any], graded: bool) -> str:
    ind = next(i for i in method.indicators if i.id == ind_id)
    if not graded:
        return "未参与评分"
    if part.get("weight") in (None, 0):
        return "本池不计此指标"
    if part.get("missing"):
        rule = method.missing_of(ind)
        return {"zero": "缺数据: 计 0 分", "pool_mean": "缺数据: 按组内平均得分", "penalty": "缺数据: 扣分"}[
            rule.rule
        ]
    if part.get("negative"):
        return f"{numerator_label(ind.numerator)}为负: 计 0 分"
    return wording.scoring_rule(method.scoring_of(ind))


def explain_result(
    session: Session, actor: Actor, run_id: int, *, enterprise_id: int | None = None, credit_code: str = ""
) -> Explanation:
    """Why an enterprise got its class: each indicator against the benchmark and its group, and the policy
    that follows from the class. NotFound when the row is not there or not visible to `actor`."""
    run = get_run(session, actor, run_id)
    r = EvaluationResult
    key = r.enterprise_id == enterprise_id if enterprise_id is not None else r.credit_code == credit_code
    row = session.scalars(select(r).where(r.run_id == run_id, key, scope(actor)).limit(1)).first()
    if row is None:
        raise NotFound("这次评价中没有这家企业的结果")
    method = method_of(run)
    graded = row.total is not None
    lines = []
    for ind in method.indicators:
        part = row.indicators.get(ind.id, {})
        lines.append(
            IndicatorLine(
                id=ind.id,
                label=ind.label,
                unit=ind.unit,
                direction=ind.direction,
                value=part.get("value"),
                benchmark=part.get("benchmark"),
                weight=part.get("weight"),
                norm=part.get("norm"),
                score=part.get("score"),
                group_mean=part.get("group_mean"),
                group_rank=part.get("group_rank"),
                rule=_rule(method, ind.id, part, graded),
            )
        )
    policy = next((c.policy for c in method.classes.items if c.id == row.class_id), None)
    classes = [(c.id, c.label, c.share if c.share is not None else c.min_score) for c in method.classes.items]
    return Explanation(
        run=run_public(session, actor, run),
        result=_public(row, {p.id: p.label for p in method.pools}),
        quota_class=row.quota_class,
        adjust_points=row.adjust_points,
        lines=lines,
        policy_text=policy.text if policy else "",
        policy_illustrative=policy.illustrative if policy else False,
        notes=list(method.notes),
        classes=classes,
        class_rules=wording.class_rules(method.classes),
    )


def latest_result_for(session: Session, actor: Actor, enterprise_id: int) -> tuple[int, str | None] | None:
    """(run id, class) of the newest visible run that has this enterprise, for links from other pages."""
    r = EvaluationResult
    stmt = (
        select(r.run_id, r.class_id)
        .where(r.enterprise_id == enterprise_id, scope(actor))
        .order_by(r.run_id.desc())
        .limit(1)
    )
    found = session.execute(stmt).first()
    return (found[0], found[1]) if found else None
