"""The evaluation pipeline: a list of named steps over one Ibis table, and the result it produces.

The pipeline is built once per method and year; it only composes expressions, so nothing runs until the
result is materialised (on DuckDB by default, or PySpark). A later step family (z-score, entropy weights,
TOPSIS) is added by inserting or replacing a `Step`, not by rewriting this module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from zhizao.evaluation.inputs import as_table
from zhizao.evaluation.method import Method
from zhizao.evaluation.steps.aggregate import aggregate
from zhizao.evaluation.steps.benchmark import benchmark
from zhizao.evaluation.steps.classify import classify, rank
from zhizao.evaluation.steps.common import Context, col
from zhizao.evaluation.steps.explain import explain
from zhizao.evaluation.steps.indicators import indicators
from zhizao.evaluation.steps.scoring import normalise, weight
from zhizao.evaluation.steps.select import select


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[ir.Table, Context], ir.Table]


DEFAULT_STEPS: tuple[Step, ...] = (
    Step("select", select),
    Step("indicators", indicators),
    Step("benchmark", benchmark),
    Step("normalise", normalise),
    Step("weight", weight),
    Step("aggregate", aggregate),
    Step("rank", rank),
    Step("classify", classify),
    Step("explain", explain),
)

IDENTITY_COLUMNS = ["credit_code", "name", "region_code", "industry_code", "above_scale", "pool"]
OUTCOME_COLUMNS = [
    "adjust_points",
    "total",
    "rank",
    "group_size",
    "quota_class",
    "class",
    "class_label",
    "reasons",
]


def output_columns(method: Method) -> list[str]:
    """The columns of a result, in order: identity, each indicator's value/benchmark/score, outcome."""
    per_indicator = [col(i.id, part) for i in method.indicators for part in ("value", "benchmark", "score")]
    return [*IDENTITY_COLUMNS, "t_class", *per_indicator, *OUTCOME_COLUMNS]


@dataclass
class EvaluationResult:
    """One evaluation: the lazy result expression plus what a stored run needs to name its inputs."""

    method: Method
    year: int
    table: ir.Table  # every working column; `output()` selects the published ones
    input: ir.Table
    backend: BaseBackend | None = None  # None: Ibis's default backend (DuckDB)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def method_hash(self) -> str:
        return self.method.digest()

    def output(self) -> ir.Table:
        return self.table.select(output_columns(self.method)).order_by(
            ["pool", "region_code", "rank", "credit_code"]
        )

    def execute(self, expr: ir.Table) -> pd.DataFrame:
        """Run `expr` on this result's backend; through Arrow, so types are the same on every backend."""
        return self.to_pyarrow(expr).to_pandas()

    def to_pyarrow(self, expr: ir.Table | None = None) -> pa.Table:
        expr = self.output() if expr is None else expr
        return self.backend.to_pyarrow(expr) if self.backend is not None else expr.to_pyarrow()

    def to_pandas(self) -> pd.DataFrame:
        return self.execute(self.output())

    def input_fingerprint(self) -> str:
        """A summary hash of the input rows used (counts and column sums per year), stable across backends."""
        t = self.input.filter(self.input.year.isin([self.year - 1, self.year]))
        figures = sorted({f for i in self.method.indicators for f in (i.numerator, i.denominator)})
        summary = t.group_by("year").aggregate(
            rows=t.count(), codes=t.credit_code.nunique(), **{f: t[f].sum() for f in figures}
        )
        frame = self.execute(summary).sort_values("year")
        rounded = frame.round(6).to_dict(orient="records")
        text = json.dumps(rounded, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def summary(self) -> dict[str, Any]:
        """Counts per pool and class (for the CLI and, later, a stored run)."""
        t = self.table
        counts = self.execute(t.group_by(["pool", "class"]).aggregate(n=t.count()))
        return {
            "year": self.year,
            "method": self.method.id,
            "method_hash": self.method_hash,
            "counts": counts,
        }


def run_steps(table: ir.Table, ctx: Context, steps: Sequence[Step] = DEFAULT_STEPS) -> ir.Table:
    for step in steps:
        table = step.run(table, ctx)
    return table


def evaluate(
    data: ir.Table | pa.Table | pd.DataFrame,
    method: Method,
    year: int,
    *,
    steps: Sequence[Step] = DEFAULT_STEPS,
    backend: BaseBackend | None = None,
) -> EvaluationResult:
    """Evaluate `year` (with `year − 1` as the benchmark year) of the wide enterprise table `data`."""
    table = as_table(data, method)
    result = run_steps(table, Context(method=method, year=year), steps)
    return EvaluationResult(method=method, year=year, table=result, input=table, backend=backend)


__all__ = ["DEFAULT_STEPS", "EvaluationResult", "Step", "evaluate", "ibis", "run_steps"]
