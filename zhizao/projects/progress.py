"""Progress of key projects as of a month end, per project and for any group (kind, level, region, chain,
responsible unit), as Ibis expressions over the facts table (`facts`), the same on DuckDB and PySpark.

Definitions (docs/projects.md):
- 年度投资完成率 = 本年完成投资 (1月至报告月) / 年度计划投资 × 100, over the projects with a plan this year;
  a project without a plan this year has no rate (状态「无年度计划」) and adds to neither sum.
- 时间进度 = 报告月 / 12 × 100; gap = 完成率 − 时间进度 in percentage points, published as
  "超过(落后)时间进度X个百分点".
- Status from the published gap and the installation's bands: gap > +ahead → 超前; ≥ −lagging → 正常;
  ≥ −severe → 滞后; else 严重滞后. A 停缓建 project has the status 停缓建.
- 开工率 = 实际开工 / 计划开工: the projects planned to start this year by the period end, and of those the
  ones that have started by then. 竣工率 likewise with 竣工.
- 投产率 = 建成投产 / 正式施工: the projects completed this year by the period end, over the projects under
  construction in the year (started by the period end and not completed before the year).
- 停缓建 projects (stopped by the period end) are left out of every count and of 开工率, 竣工率 and 投产率;
  their investment stays in the sums (money spent is spent).
- Rates are published rounded half up or truncated (the installation's setting), and the status follows
  the published figure, so a bulletin never shows a status its own numbers contradict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput
from zhizao.projects import settings as project_settings
from zhizao.projects.facts import Basis, Period, facts, period_of

GroupBy = Literal["all", "kind", "level", "region", "chain", "unit"]
GROUP_COLUMNS: dict[str, tuple[str, str]] = {  # group → (key column, label column)
    "all": ("all", "all"),
    "kind": ("kind", "kind"),
    "level": ("level", "level"),
    "region": ("region", "region_name"),
    "chain": ("chain", "chain_name"),
    "unit": ("unit", "unit"),
}
GROUP_LABELS = {
    "all": "全部",
    "kind": "按项目类型",
    "level": "按项目级别",
    "region": "按地区",
    "chain": "按产业链",
    "unit": "按责任单位",
}
STATUS_LABELS = {
    "ahead": "超前",
    "normal": "正常",
    "lagging": "滞后",
    "severe": "严重滞后",
    "suspended": "停缓建",
    "no_plan": "无年度计划",
}
STATUS_CSS = {
    "ahead": "is-info",
    "normal": "is-success",
    "lagging": "is-warning",
    "severe": "is-danger",
    "suspended": "is-dark",
    "no_plan": "is-light",
}


def publish(value: float | None, rules: project_settings.Settings) -> float | None:
    """A rate as published: rounded half up or truncated toward zero to the set number of decimals."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-rules.decimals)
    mode = ROUND_DOWN if rules.rounding == "truncate" else ROUND_HALF_UP
    return float(Decimal(repr(value)).quantize(quantum, rounding=mode))


def difference(completion: float | None, time: float, rules: project_settings.Settings) -> float | None:
    """The gap between two published rates, exact in decimal (83.3 − 68.9 is 14.4, not 14.399999…)."""
    if completion is None:
        return None
    return publish(float(Decimal(repr(completion)) - Decimal(repr(time))), rules)


def status_of(gap_pp: float | None, rules: project_settings.Settings) -> str:
    if gap_pp is None:
        return "no_plan"
    if gap_pp > rules.ahead_pp:
        return "ahead"
    if gap_pp >= -rules.lagging_pp:
        return "normal"
    if gap_pp >= -rules.severe_pp:
        return "lagging"
    return "severe"


def gap_text(gap_pp: float | None, decimals: int = 1) -> str:
    """超过时间进度5.2个百分点 / 落后时间进度3.1个百分点 / 与时间进度持平."""
    if gap_pp is None:
        return ""
    if gap_pp == 0:
        return "与时间进度持平"
    word = "超过" if gap_pp > 0 else "落后"
    return f"{word}时间进度{abs(gap_pp):.{decimals}f}个百分点"


def _flag(condition: ir.BooleanValue) -> ir.IntegerValue:
    return ibis.ifelse(condition.fill_null(False), 1, 0)


def annotate(t: ir.Table, period: Period) -> ir.Table:
    """Per-project flags and the raw completion rate."""
    end, first = ibis.date(period.end), ibis.date(period.first_day)
    active = ~t.suspended
    has_plan = t.annual_plan.notnull() & (t.annual_plan > 0)
    planned_start = t.start_planned.notnull() & (t.start_planned >= first) & (t.start_planned <= end)
    planned_complete = (
        t.complete_planned.notnull() & (t.complete_planned >= first) & (t.complete_planned <= end)
    )
    completed_in_year = t.complete_actual.notnull() & (t.complete_actual >= first)
    building = t.start_actual.notnull() & (t.complete_actual.isnull() | (t.complete_actual >= first))
    return t.mutate(
        all=ibis.literal("全部"),
        has_plan=_flag(has_plan),
        plan_amount=ibis.ifelse(has_plan.fill_null(False), t.annual_plan, 0.0),
        actual_amount=ibis.ifelse(has_plan.fill_null(False), t.year_actual.fill_null(0.0), 0.0),
        completion=ibis.ifelse(
            has_plan.fill_null(False), t.year_actual.fill_null(0.0) / t.annual_plan * 100, ibis.null()
        ).cast("float64"),
        counted=_flag(active),
        planned_start=_flag(active & planned_start),
        actual_start=_flag(active & planned_start & t.start_actual.notnull()),
        planned_complete=_flag(active & planned_complete),
        actual_complete=_flag(active & planned_complete & t.complete_actual.notnull()),
        building=_flag(active & building),
        producing=_flag(active & completed_in_year),
        suspended_flag=_flag(t.suspended),
    )


def grouped(t: ir.Table, period: Period, by: str) -> ir.Table:
    """One row per group with the sums and counts the rates are made of."""
    if by not in GROUP_COLUMNS:
        raise InvalidInput(f"未知的分组: {by}（可选: {'、'.join(GROUP_COLUMNS)}）")
    a = annotate(t, period)
    key, label = GROUP_COLUMNS[by]
    return (
        a.group_by([a[key].name("key"), a[label].name("label")])
        .aggregate(
            projects=a.count(),
            counted=a.counted.sum(),
            suspended=a.suspended_flag.sum(),
            with_plan=a.has_plan.sum(),
            year_plan=a.plan_amount.sum(),
            year_actual=a.actual_amount.sum(),
            planned_starts=a.planned_start.sum(),
            actual_starts=a.actual_start.sum(),
            planned_completions=a.planned_complete.sum(),
            actual_completions=a.actual_complete.sum(),
            under_construction=a.building.sum(),
            in_production=a.producing.sum(),
        )
        .order_by("key")
    )


def _run(backend: BaseBackend | None, expr: ir.Table) -> list[dict[str, Any]]:
    result: pa.Table = backend.to_pyarrow(expr) if backend is not None else expr.to_pyarrow()
    return result.to_pylist()


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator * 100 if denominator else None


@dataclass(frozen=True)
class GroupProgress:
    key: str
    label: str
    projects: int
    suspended: int
    with_plan: int
    year_plan: float
    year_actual: float
    completion_rate: float | None
    time_progress: float
    gap_pp: float | None
    status: str
    planned_starts: int
    actual_starts: int
    start_rate: float | None
    planned_completions: int
    actual_completions: int
    completion_count_rate: float | None
    under_construction: int
    in_production: int
    production_rate: float | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def gap_text(self) -> str:
        return gap_text(self.gap_pp)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "projects": self.projects,
            "suspended": self.suspended,
            "year_plan": round(self.year_plan, 2),
            "year_actual": round(self.year_actual, 2),
            "completion_rate": self.completion_rate,
            "time_progress": self.time_progress,
            "gap_pp": self.gap_pp,
            "gap_text": self.gap_text,
            "status": self.status,
            "status_label": self.status_label,
            "planned_starts": self.planned_starts,
            "actual_starts": self.actual_starts,
            "start_rate": self.start_rate,
            "planned_completions": self.planned_completions,
            "actual_completions": self.actual_completions,
            "completion_count_rate": self.completion_count_rate,
            "under_construction": self.under_construction,
            "in_production": self.in_production,
            "production_rate": self.production_rate,
        }


@dataclass
class Progress:
    as_of: date
    period: Period
    group_by: str
    basis: Basis
    rules: project_settings.Settings
    groups: list[GroupProgress] = field(default_factory=list)

    @property
    def time_progress(self) -> float:
        return publish(self.period.month / 12 * 100, self.rules) or 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period_end": self.period.end.isoformat(),
            "group_by": self.group_by,
            "basis": self.basis,
            "rounding": self.rules.rounding,
            "decimals": self.rules.decimals,
            "groups": [g.as_json() for g in self.groups],
        }


def _group(row: dict[str, Any], period: Period, rules: project_settings.Settings) -> GroupProgress:
    time = publish(period.month / 12 * 100, rules) or 0.0
    completion = publish(_ratio(row["year_actual"], row["year_plan"]), rules)
    gap = difference(completion, time, rules)
    return GroupProgress(
        key=str(row["key"]),
        label=str(row["label"]),
        projects=int(row["projects"]),
        suspended=int(row["suspended"]),
        with_plan=int(row["with_plan"]),
        year_plan=float(row["year_plan"] or 0.0),
        year_actual=float(row["year_actual"] or 0.0),
        completion_rate=completion,
        time_progress=time,
        gap_pp=gap,
        status=status_of(gap, rules),
        planned_starts=int(row["planned_starts"]),
        actual_starts=int(row["actual_starts"]),
        start_rate=publish(_ratio(row["actual_starts"], row["planned_starts"]), rules),
        planned_completions=int(row["planned_completions"]),
        actual_completions=int(row["actual_completions"]),
        completion_count_rate=publish(_ratio(row["actual_completions"], row["planned_completions"]), rules),
        under_construction=int(row["under_construction"]),
        in_production=int(row["in_production"]),
        production_rate=publish(_ratio(row["in_production"], row["under_construction"]), rules),
    )


def progress_from_facts(
    table: pa.Table,
    as_of: date,
    rules: project_settings.Settings,
    group_by: str = "all",
    basis: Basis = "plan",
    backend: BaseBackend | None = None,
) -> Progress:
    """The groups' progress from a facts table (the pure part; `progress()` reads the facts first)."""
    period = period_of(as_of)
    rows = _run(backend, grouped(ibis.memtable(table), period, group_by))
    result = Progress(as_of, period, group_by, basis, rules)
    result.groups = [_group(row, period, rules) for row in rows]
    return result


def progress(
    session: Session,
    actor: Actor,
    as_of: date,
    group_by: str = "all",
    basis: Basis = "plan",
    backend: BaseBackend | None = None,
) -> Progress:
    """The progress of the projects the actor sees, as of the month end of `as_of`, per group."""
    if basis not in ("plan", "baseline"):
        raise InvalidInput("计划口径应为 plan（现行计划）或 baseline（基线）")
    rules = project_settings.load(session)
    table = facts(session, actor, period_of(as_of), basis)
    return progress_from_facts(table, as_of, rules, group_by, basis, backend)


@dataclass(frozen=True)
class ProjectProgress:
    project_id: int
    name: str
    annual_plan: float | None
    year_actual: float | None
    cumulative: float | None
    completion_rate: float | None
    gap_pp: float | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def gap_text(self) -> str:
        return gap_text(self.gap_pp)


def per_project(
    table: pa.Table, as_of: date, rules: project_settings.Settings, backend: BaseBackend | None = None
) -> dict[int, ProjectProgress]:
    """Each project's own completion rate, gap and status (停缓建 and 无年度计划 included)."""
    period = period_of(as_of)
    a = annotate(ibis.memtable(table), period)
    expr = a.select(
        "project_id", "name", "annual_plan", "year_actual", "cumulative", "completion", "suspended"
    )
    time = publish(period.month / 12 * 100, rules) or 0.0
    found: dict[int, ProjectProgress] = {}
    for row in _run(backend, expr.order_by("project_id")):
        completion = publish(row["completion"], rules)
        gap = difference(completion, time, rules)
        status = "suspended" if row["suspended"] else status_of(gap, rules)
        found[int(row["project_id"])] = ProjectProgress(
            int(row["project_id"]),
            str(row["name"]),
            row["annual_plan"],
            row["year_actual"],
            row["cumulative"],
            completion,
            gap,
            status,
        )
    return found


def status_counts(session: Session, actor: Actor, as_of: date) -> dict[str, int]:
    """For a cockpit tile: how many of the actor's projects are 超前 / 正常 / 滞后 / 严重滞后 / 停缓建 /
    无年度计划 as of the month end of `as_of` (every status key present, zero when none)."""
    rules = project_settings.load(session)
    table = facts(session, actor, period_of(as_of))
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for item in per_project(table, as_of, rules).values():
        counts[item.status] += 1
    return counts
