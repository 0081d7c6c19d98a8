"""What every step shares: the context, column names and small expression helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from zhizao.evaluation.method import Method

SCOPE_COLUMNS: dict[str, str] = {"region": "region_code", "pool": "pool"}


@dataclass(frozen=True)
class Context:
    """What a step may read besides the table: the method and the evaluation year."""

    method: Method
    year: int


def col(indicator_id: str, part: str) -> str:
    """The working column of one indicator: ``tax_per_mu__value``, ``__benchmark``, ``__score``, ..."""
    return f"{indicator_id}__{part}"


def scope_columns(scope: Sequence[str]) -> list[str]:
    return [SCOPE_COLUMNS[s] for s in scope]


def has_tag(t: ir.Table, tag: str) -> ir.BooleanValue:
    """Whether the enterprise carries `tag`. Tags are an array, or a string ``|a|b|`` (see inputs)."""
    column = t.tags
    if column.type().is_array():
        return column.contains(tag).fill_null(False)
    return column.contains(f"|{tag}|").fill_null(False)


def by_pool(t: ir.Table, values: dict[str, float], default: float | None = None) -> ir.FloatingValue:
    """A per-pool constant (weights, fixed benchmarks) as a CASE on the pool column."""
    cases = [(t.pool == pool, ibis.literal(float(v))) for pool, v in values.items() if pool != "*"]
    fallback = values.get("*", default)
    else_ = ibis.literal(float(fallback)) if fallback is not None else ibis.null("float64")
    if not cases:
        return else_
    return ibis.cases(*cases, else_=else_)


def null_float() -> ir.FloatingScalar:
    return ibis.null("float64")
