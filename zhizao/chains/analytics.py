"""Totals of chain nodes, chains and clusters, and the 缺链 / 弱链 rule, as Ibis expressions.

Inputs are four small tables: memberships (group, enterprise_id), firms (enterprise_id, above_scale),
figures long (enterprise_id, indicator_id, value: one year's yearly values) and grades (enterprise_id,
class_id: the latest 亩产效益 run). A firm on two nodes counts once in each node and once in the chain, so
a chain's total is computed from its distinct firms, never by adding its nodes. The same expressions run on
DuckDB and PySpark (tests/chains/test_analytics.py proves it)."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

WEAK_CLASSES = ("C", "D")
"""亩产效益 classes that make a node 弱链 when every local firm on it has one of them."""
GAP_LABELS = {"missing": "缺链", "weak": "弱链", "": "正常"}

_SCHEMAS = {
    "membership": {"group": "string", "enterprise_id": "int64"},
    "firms": {"enterprise_id": "int64", "above_scale": "boolean"},
    "figures": {"enterprise_id": "int64", "indicator_id": "string", "value": "float64"},
    "grades": {"enterprise_id": "int64", "class_id": "string"},
    "groups": {"group": "string"},
}


@dataclass(frozen=True)
class Inputs:
    """The rows the analytics read, as plain records (what the library pulls out of the database)."""

    membership: list[tuple[str, int]]
    firms: list[tuple[int, bool]]
    figures: list[tuple[int, str, float]]
    grades: list[tuple[int, str]]


def _table(name: str, rows: list[tuple[object, ...]]) -> ir.Table:
    schema = _SCHEMAS[name]
    frame = pd.DataFrame(rows, columns=list(schema))
    arrow_schema = pa.schema(
        [
            (
                col,
                {"string": pa.string(), "int64": pa.int64(), "boolean": pa.bool_(), "float64": pa.float64()}[
                    t
                ],
            )
            for col, t in schema.items()
        ]
    )
    return ibis.memtable(pa.Table.from_pandas(frame, schema=arrow_schema, preserve_index=False))


def group_totals(membership: ir.Table, firms: ir.Table, figures: ir.Table, grades: ir.Table) -> ir.Table:
    """Per group: firms, 规上 firms, 工业总产值 and 税收 (万元), and firms graded C/D."""
    pairs = membership.select("group", "enterprise_id").distinct()
    wide = figures.group_by("enterprise_id").aggregate(
        output_value=figures.value.sum(where=figures.indicator_id == "output_value"),
        tax=figures.value.sum(where=figures.indicator_id == "tax"),
    )
    weak = grades.select("enterprise_id", weak=grades.class_id.isin(WEAK_CLASSES))
    joined = (
        pairs.left_join(firms, "enterprise_id")
        .select(pairs.group, pairs.enterprise_id, firms.above_scale)
        .left_join(wide, "enterprise_id")
        .select("group", "enterprise_id", "above_scale", "output_value", "tax")
    )
    joined = joined.left_join(weak, "enterprise_id").select(
        "group", "enterprise_id", "above_scale", "output_value", "tax", weak.weak
    )
    return joined.group_by("group").aggregate(
        firms=joined.enterprise_id.count(),
        above_scale_firms=joined.above_scale.fill_null(False).cast("int64").sum(),
        output_value=joined.output_value.sum().fill_null(0.0),
        tax=joined.tax.sum().fill_null(0.0),
        weak_firms=joined.weak.fill_null(False).cast("int64").sum(),
    )


def with_gaps(groups: ir.Table, totals: ir.Table) -> ir.Table:
    """Every group (node) with its totals, zero when no firm is on it, and its gap: `missing` (缺链: no
    local firm), `weak` (弱链: one firm, or every firm graded C/D) or ''."""
    joined = groups.left_join(totals, "group").select(
        groups.group,
        firms=totals.firms.fill_null(0),
        above_scale_firms=totals.above_scale_firms.fill_null(0),
        output_value=totals.output_value.fill_null(0.0),
        tax=totals.tax.fill_null(0.0),
        weak_firms=totals.weak_firms.fill_null(0),
    )
    gap = ibis.cases(
        (joined.firms == 0, "missing"),
        ((joined.firms == 1) | (joined.weak_firms == joined.firms), "weak"),
        else_="",
    )
    return joined.mutate(gap=gap).order_by("group")


def node_table(con: BaseBackend, node_codes: list[str], data: Inputs) -> pd.DataFrame:
    """Per node: firms, above_scale_firms, output_value, tax, weak_firms and gap (rows in code order)."""
    totals = group_totals(
        _table("membership", list(data.membership)),
        _table("firms", list(data.firms)),
        _table("figures", list(data.figures)),
        _table("grades", list(data.grades)),
    )
    expr = with_gaps(_table("groups", [(c,) for c in node_codes]), totals)
    return con.execute(expr)


def total_table(con: BaseBackend, data: Inputs) -> pd.DataFrame:
    """Per group of `data.membership` (a chain, a cluster): the totals over its distinct firms."""
    expr = group_totals(
        _table("membership", list(data.membership)),
        _table("firms", list(data.firms)),
        _table("figures", list(data.figures)),
        _table("grades", list(data.grades)),
    ).order_by("group")
    return con.execute(expr)
