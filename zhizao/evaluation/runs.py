"""Stored evaluation runs: run a method and keep what it produced, re-run it, compare two runs.

A run records the method text as run (and its hash), the input fingerprint, the backend, who ran it and
when, so the same method over the same data gives the same results, and two runs can be compared
enterprise by enterprise (who moved class, and which indicators moved them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.errors import InvalidInput, NotFound
from zhizao.evaluation.backends import connect, is_backend_name
from zhizao.evaluation.inputs import read_database_arrow
from zhizao.evaluation.method import Method, load_method, parse_method, preset_names
from zhizao.evaluation.models import EvaluationResult, EvaluationRun
from zhizao.evaluation.pipeline import IDENTITY_COLUMNS, OUTCOME_COLUMNS, evaluate
from zhizao.evaluation.pipeline import EvaluationResult as Evaluation
from zhizao.evaluation.steps.common import col, scope_columns
from zhizao.evaluation.store import INDICATOR_PARTS, write_results


@dataclass(frozen=True)
class MethodSource:
    """A method with the text it was read from (stored with a run so the run can be repeated)."""

    method: Method
    text: str
    format: str = "yaml"  # yaml | toml

    @classmethod
    def load(cls, name_or_path: str | Path) -> MethodSource:
        """A preset by name or a .yaml/.yml/.toml file, keeping its text."""
        path = Path(name_or_path)
        if str(name_or_path) in preset_names() and not path.exists():
            from importlib import resources

            folder = resources.files("zhizao.evaluation").joinpath("presets")
            return cls(
                load_method(str(name_or_path)), folder.joinpath(f"{name_or_path}.yaml").read_text("utf-8")
            )
        method = load_method(path)
        return cls(method, path.read_text("utf-8"), "toml" if path.suffix.lower() == ".toml" else "yaml")

    @classmethod
    def parse(cls, text: str, *, toml: bool = False, origin: str = "method") -> MethodSource:
        return cls(parse_method(text, toml=toml, origin=origin), text, "toml" if toml else "yaml")

    @classmethod
    def of(cls, method: Method) -> MethodSource:
        """A method built in code (e.g. with changed weights): stored as its canonical YAML."""
        text = yaml.safe_dump(method.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
        return cls(method, text)


def as_source(method: str | Path | Method | MethodSource) -> MethodSource:
    if isinstance(method, MethodSource):
        return method
    if isinstance(method, Method):
        return MethodSource.of(method)
    return MethodSource.load(method)


def method_of(run: EvaluationRun) -> Method:
    """The method a stored run used, parsed from its stored text."""
    return parse_method(run.method_text, toml=run.method_format == "toml", origin=f"run {run.id}")


def _with_group_columns(result: Evaluation) -> ir.Table:
    """The working table plus, per indicator, its mean and rank among the graded firms of its group."""
    t = result.table
    method = result.method
    keys = [*scope_columns(method.ranking.scope), "graded"]
    columns: dict[str, ir.Value] = {}
    for ind in method.indicators:
        value = t[col(ind.id, "value")]
        order = ibis.desc(value) if ind.direction == "higher" else ibis.asc(value)
        mean = value.mean().over(ibis.window(group_by=keys))
        position = ibis.rank().over(ibis.window(group_by=[*keys, value.isnull()], order_by=order)) + 1
        columns[col(ind.id, "group_mean")] = ibis.ifelse(t.graded, mean, ibis.null("float64"))
        columns[col(ind.id, "group_rank")] = ibis.ifelse(
            t.graded & value.notnull(), position.cast("int64"), ibis.null("int64")
        )
    return t.mutate(**columns)


def _fetch(result: Evaluation) -> pa.Table:
    method = result.method
    parts = (*INDICATOR_PARTS, "group_mean", "group_rank")
    wanted = [
        *IDENTITY_COLUMNS,
        *OUTCOME_COLUMNS,
        *[col(i.id, p) for i in method.indicators for p in parts],
    ]
    table = _with_group_columns(result)
    if "enterprise_id" in table.columns:
        wanted.append("enterprise_id")
    return result.to_pyarrow(table.select(wanted).order_by(["credit_code"]))


def run_and_store(
    session: Session,
    actor: Actor,
    method: str | Path | Method | MethodSource,
    year: int,
    data: pd.DataFrame | pa.Table | ir.Table | None = None,
    backend: str = "duckdb",
    *,
    input_source: str | None = None,
    params: dict[str, Any] | None = None,
) -> EvaluationRun:
    """Evaluate `year` with `method` over `data` (default: the database's figures) and store the run.

    Administrators and analysts only. Nothing is stored when the evaluation fails.
    """
    require_role(actor, Role.ADMIN, Role.ANALYST)
    if not is_backend_name(backend):
        raise InvalidInput(f"计算后端只能是 duckdb 或 pyspark, 而不是 {backend!r}")
    source = as_source(method)
    if data is None:
        data = read_database_arrow([year - 1, year], session)
        input_source = input_source or "database"
        if not pc.any(pc.equal(data["year"], year)).as_py():
            raise InvalidInput(f"数据库中没有 {year} 年的企业年度数据")
    result = evaluate(data, source.method, year, backend=connect(backend))
    return store_result(session, actor, source, result, backend, input_source=input_source, params=params)


def store_result(
    session: Session,
    actor: Actor,
    source: MethodSource,
    result: Evaluation,
    backend: str = "duckdb",
    *,
    input_source: str | None = None,
    params: dict[str, Any] | None = None,
) -> EvaluationRun:
    """Store an evaluation that has been built (not yet run) as a run with one result row per enterprise."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    frame = _fetch(result)
    classes = pc.value_counts(pc.fill_null(frame["class"], "")).to_pylist()
    counts = {str(c["values"]): int(c["counts"]) for c in sorted(classes, key=lambda c: c["values"])}
    with acting_as(actor.username):
        run = EvaluationRun(
            method_id=source.method.id,
            method_title=source.method.title,
            method_hash=result.method_hash,
            method_text=source.text,
            method_format=source.format,
            year=result.year,
            backend=backend,
            input_source=(input_source or "data")[:200],
            input_fingerprint=result.input_fingerprint(),
            actor=actor.username,
            rows=frame.num_rows,
            counts=counts,
            params=params or {},
        )
        session.add(run)
        session.flush()
        written = write_results(session, frame, source.method, run.id)
        record(session, "evaluation_store", EvaluationRun.__tablename__, str(run.id), {"rows": written})
        session.flush()
    return run


def rerun(session: Session, actor: Actor, run_id: int, data: pd.DataFrame | None = None) -> EvaluationRun:
    """Run a stored run's method again (same text, year and backend) and store the new run."""
    run = get_run(session, actor, run_id)
    source = MethodSource(method_of(run), run.method_text, run.method_format)
    return run_and_store(session, actor, source, run.year, data, run.backend, params={"rerun_of": run.id})


def list_runs(session: Session, actor: Actor, limit: int = 100) -> list[EvaluationRun]:
    """Stored runs, newest first. Every account may see that a run exists; results are scoped."""
    if actor.role is Role.DEPARTMENT:
        return []
    stmt = select(EvaluationRun).order_by(EvaluationRun.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def get_run(session: Session, actor: Actor, run_id: int) -> EvaluationRun:
    run = session.get(EvaluationRun, run_id)
    if run is None or actor.role is Role.DEPARTMENT:
        raise NotFound(f"没有这次评价: {run_id}")
    return run


def scope(actor: Actor) -> Any:
    """The results an actor may see: all, their district's, or only their own enterprise's row."""
    return enterprise_clause(actor, EvaluationResult.enterprise_id, EvaluationResult.region_code)


@dataclass(frozen=True)
class RunTotals:
    """How many result rows of a run the actor may see, and how many of them in each class ("" = none)."""

    rows: int
    counts: dict[str, int]


def visible_totals(session: Session, actor: Actor, runs: list[EvaluationRun]) -> dict[int, RunTotals]:
    """Each run's totals over the rows in the actor's scope: the stored whole-run totals for those who read
    everything, counted from their own rows for a district or an enterprise (never the whole city's)."""
    if actor.reads_everything:
        return {run.id: RunTotals(run.rows, dict(run.counts)) for run in runs}
    r = EvaluationResult
    counts: dict[int, dict[str, int]] = {run.id: {} for run in runs}
    if runs:
        stmt = (
            select(r.run_id, r.class_id, func.count())
            .where(r.run_id.in_(list(counts)), scope(actor))
            .group_by(r.run_id, r.class_id)
        )
        for run_id, class_id, n in session.execute(stmt):
            counts[run_id][class_id or ""] = int(n)
    return {key: RunTotals(sum(found.values()), dict(sorted(found.items()))) for key, found in counts.items()}


@dataclass
class IndicatorChange:
    id: str
    label: str
    value_a: float | None
    value_b: float | None
    score_a: float | None
    score_b: float | None
    benchmark_a: float | None
    benchmark_b: float | None

    @property
    def score_delta(self) -> float:
        return (self.score_b or 0.0) - (self.score_a or 0.0)


@dataclass
class Move:
    """One enterprise whose class differs between run A and run B, with the indicators that moved it."""

    credit_code: str
    name: str
    region_code: str
    enterprise_id: int | None
    class_a: str | None
    class_b: str | None
    total_a: float | None
    total_b: float | None
    rank_a: int | None
    rank_b: int | None
    reasons_a: list[str]
    reasons_b: list[str]
    changes: list[IndicatorChange] = field(default_factory=list)

    @property
    def why(self) -> str:
        """A short sentence: the indicators whose score changed most, largest first."""
        moved = [c for c in self.changes if abs(c.score_delta) >= 0.005]
        parts = [f"{c.label} {c.score_delta:+.2f} 分" for c in moved[:3]]
        new_reasons = [r for r in self.reasons_b if r not in self.reasons_a]
        parts += new_reasons[:2]
        return "; ".join(parts) or "其他企业得分变化导致名次变化"


@dataclass
class Comparison:
    run_a: EvaluationRun
    run_b: EvaluationRun
    moves: list[Move]
    transitions: dict[str, dict[str, int]]  # class in A → class in B → count (visible rows only)
    compared: int
    same_method: bool
    same_input: bool

    @property
    def target_classes(self) -> list[str]:
        """Every class some enterprise has in run B (columns of the transition table)."""
        return sorted({k for row in self.transitions.values() for k in row})


def _visible_results(session: Session, actor: Actor, run_id: int) -> dict[str, EvaluationResult]:
    stmt = select(EvaluationResult).where(EvaluationResult.run_id == run_id, scope(actor))
    return {r.credit_code: r for r in session.scalars(stmt)}


def _indicator_changes(
    a: EvaluationResult, b: EvaluationResult, labels: dict[str, str]
) -> list[IndicatorChange]:
    changes = []
    for ind_id in sorted(set(a.indicators) | set(b.indicators)):
        ia, ib = a.indicators.get(ind_id, {}), b.indicators.get(ind_id, {})
        changes.append(
            IndicatorChange(
                id=ind_id,
                label=labels.get(ind_id, ind_id),
                value_a=ia.get("value"),
                value_b=ib.get("value"),
                score_a=ia.get("score"),
                score_b=ib.get("score"),
                benchmark_a=ia.get("benchmark"),
                benchmark_b=ib.get("benchmark"),
            )
        )
    return sorted(changes, key=lambda c: -abs(c.score_delta))


def compare_runs(session: Session, actor: Actor, a: int, b: int) -> Comparison:
    """Who moved class between run `a` and run `b` (matched by credit code), and the indicators behind it."""
    run_a, run_b = get_run(session, actor, a), get_run(session, actor, b)
    labels = {i.id: i.label for i in (*method_of(run_a).indicators, *method_of(run_b).indicators)}
    rows_a, rows_b = _visible_results(session, actor, a), _visible_results(session, actor, b)
    transitions: dict[str, dict[str, int]] = {}
    moves: list[Move] = []
    for code in sorted(set(rows_a) & set(rows_b)):
        ra, rb = rows_a[code], rows_b[code]
        key_a, key_b = ra.class_id or "", rb.class_id or ""
        transitions.setdefault(key_a, {}).setdefault(key_b, 0)
        transitions[key_a][key_b] += 1
        if key_a == key_b:
            continue
        moves.append(
            Move(
                credit_code=code,
                name=rb.name,
                region_code=rb.region_code,
                enterprise_id=rb.enterprise_id,
                class_a=ra.class_id,
                class_b=rb.class_id,
                total_a=ra.total,
                total_b=rb.total,
                rank_a=ra.rank,
                rank_b=rb.rank,
                reasons_a=list(ra.reasons),
                reasons_b=list(rb.reasons),
                changes=_indicator_changes(ra, rb, labels),
            )
        )
    return Comparison(
        run_a=run_a,
        run_b=run_b,
        moves=moves,
        transitions=transitions,
        compared=len(set(rows_a) & set(rows_b)),
        same_method=run_a.method_hash == run_b.method_hash,
        same_input=run_a.input_fingerprint == run_b.input_fingerprint,
    )
