"""The wide table (one row per enterprise and year, one column per figure), typed and checked in DuckDB.

What `zhizao evaluate --data` reads. Every check is one SQL expression over a whole column, so a file of
two million rows is checked in one scan, not two million Python calls; only the rows that fail (at most
`SHOWN_PER_CHECK` per check) come back to Python, to be reported with their row and column. The messages
are the import's (`cells`): a clerk reads the same words whichever command found the problem.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from zhizao.errors import InvalidInput, Problems
from zhizao.imports.cells import EMPTY_MARKS
from zhizao.imports.cells import show as _show
from zhizao.imports.columnar import ROW, FileColumns, canonical
from zhizao.imports.headers import KEY_FIELDS, Catalogue

if TYPE_CHECKING:
    import duckdb

REQUIRED = ("credit_code", "year", "region_code", "above_scale")
TEXT_FIELDS = ("credit_code", "name", "region_code", "industry_code")
TRUE_WORDS = ("是", "true", "1", "yes", "y", "规上", "t", "√")
FALSE_WORDS = ("否", "false", "0", "no", "n", "规下", "f", "×")
SHOWN_PER_CHECK = 50
MARK = b"zhizao.wide"  # schema metadata: this table has been typed and checked


@dataclass(frozen=True)
class Check:
    """Rows where `bad` (SQL) holds are reported with `message(raw cell)` in `column`."""

    column: str
    bad: str
    raw: str
    message: Callable[[object], str]
    probe: bool = False  # not a problem: whether some value needs the costlier expression (trimming)


def show(value: object) -> str:
    """A cell as the message quotes it (long text cut)."""
    return _show(str(value))


def is_checked(table: pa.Table) -> bool:
    return bool(table.schema.metadata and MARK in table.schema.metadata)


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """A pandas frame as Arrow; a column of mixed Python values becomes text (checked like a CSV cell)."""
    arrays: dict[str, pa.Array] = {}
    for name in frame.columns:
        series = frame[name]
        try:
            arrays[str(name)] = pa.array(series, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[str(name)] = pa.array(
                [None if _missing(v) else str(v) for v in series.tolist()], pa.string()
            )
    return pa.table(arrays)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, list | tuple) and bool(pd.isna(value)))


def normalise(data: pa.Table | FileColumns, catalogue: Catalogue | None = None) -> pa.Table:
    """The wide table with canonical names and types; raises `InvalidInput` listing the bad cells.

    Text keys (code, name, region, industry) trimmed; `year` BIGINT; `above_scale` BOOLEAN;
    `established_on` DATE; `tags` as "|a|b|" text; figures DOUBLE in the catalogue's unit."""
    if isinstance(data, pa.Table) and is_checked(data):
        return data
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    view = normalise_into(con, data, catalogue)
    result = con.sql(f"SELECT * FROM {view}").to_arrow_table()
    return result.replace_schema_metadata({**(result.schema.metadata or {}), MARK: b"1"})


_views = itertools.count(1)


def normalise_into(
    con: duckdb.DuckDBPyConnection, data: pa.Table | FileColumns, catalogue: Catalogue | None = None
) -> str:
    """Check `data` inside the DuckDB connection `con` and create a view of it, typed; returns its name.

    Nothing is materialised: a Parquet file is scanned where it lies (once for the checks, then by
    whatever query reads the view), so an evaluation on the same connection reads the file only once."""
    catalogue = catalogue or Catalogue.reference()
    columns = data if isinstance(data, FileColumns) else canonical(data, catalogue)
    _require(columns.table.column_names)
    number = next(_views)
    src, view = f"zhizao_src_{number}", f"zhizao_wide_{number}"
    if columns.parquet is not None:
        renames = ", ".join(
            f"{_q(columns.headers.get(name, name))} AS {_q(name)}"
            for name in columns.table.column_names
            if name != ROW
        )
        path = str(columns.parquet).replace("'", "''")
        con.execute(
            f"CREATE TEMP VIEW {src} AS SELECT {renames}, file_row_number + 2 AS {ROW} "
            f"FROM read_parquet('{path}', file_row_number = true)"
        )
    else:
        con.register(src, columns.table)
    types = {f.name: f.type for f in columns.table.schema}
    names: list[str] = []
    selects: list[str] = []
    checks: list[Check] = []
    for name, kind in types.items():
        if name == ROW:
            continue
        header = columns.headers.get(name, name)
        expr, found = _column(name, kind, columns.factors.get(name, 1.0), catalogue, header)
        names.append(name)
        selects.append(f"{expr} AS {_q(name)}")
        checks.extend(found)
    code, year = _text_of("credit_code", types["credit_code"]), _text_of("year", types["year"])
    needed = _report(con, src, checks, code, year)
    # text already trimmed (the usual Parquet file) is passed through, not copied string by string
    plain = {c.column for c in checks if c.probe and c.column not in needed}
    selects = [f"{_q(n)} AS {_q(n)}" if n in plain else s for n, s in zip(names, selects, strict=True)]
    con.execute(f"CREATE TEMP VIEW {view} AS SELECT {', '.join(selects)} FROM {src}")
    return view


def _require(names: list[str]) -> None:
    missing = [f for f in REQUIRED if f not in names]
    if missing:
        problems = Problems()
        for field in missing:
            label, variants = KEY_FIELDS[field]
            problems.error(f"缺少列 {label}（也可写作 {'/'.join(variants[:3])}）", column=field)
        raise InvalidInput(f"缺少必填列: {'、'.join(KEY_FIELDS[f][0] for f in missing)}", problems.items)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text_of(name: str, kind: pa.DataType) -> str:
    c = _q(name)
    if pa.types.is_floating(kind):  # a code typed as a number in a workbook: 320800.0 → "320800"
        whole = f"CAST(CAST({c} AS BIGINT) AS VARCHAR)"
        return f"CASE WHEN {c} = trunc({c}) THEN {whole} ELSE CAST({c} AS VARCHAR) END"
    return f"trim(CAST({c} AS VARCHAR))"


def _blank(text: str) -> str:
    marks = ", ".join(f"'{m}'" for m in sorted(EMPTY_MARKS))
    return f"({text} IS NULL OR {text} = '' OR {text} IN ({marks}))"


def _column(
    name: str, kind: pa.DataType, factor: float, catalogue: Catalogue, header: str
) -> tuple[str, list[Check]]:
    c, text = _q(name), _text_of(name, kind)

    def check(bad: str, message: Callable[[object], str]) -> Check:
        return Check(name, bad, text, lambda raw: f"{header}: {message(raw)}")

    if name in TEXT_FIELDS:
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            padded = f"starts_with({c}, ' ') OR ends_with({c}, ' ')"
            return text, [Check(name, padded, text, str, probe=True)]
        return text, []
    if name == "year" and pa.types.is_integer(kind):
        return f"CAST({c} AS BIGINT)", [
            check(f"{c} IS NULL", lambda _raw: "年度不能为空"),
            check(
                f"{c} NOT BETWEEN 1990 AND 2100",
                lambda raw: f"年度应为四位年份（如2024），实际为「{show(raw)}」",
            ),
        ]
    if name == "year":
        value = f"TRY_CAST(TRY_CAST(regexp_replace({text}, '年$', '') AS DOUBLE) AS BIGINT)"
        bad = f"({value} IS NULL OR {value} NOT BETWEEN 1990 AND 2100)"
        return value, [
            check(f"{_blank(text)}", lambda _raw: "年度不能为空"),
            check(
                f"NOT {_blank(text)} AND {bad}",
                lambda raw: f"年度应为四位年份（如2024），实际为「{show(raw)}」",
            ),
        ]
    if name == "above_scale":
        if pa.types.is_boolean(kind):
            value = c
        else:
            words = lambda ws: ", ".join(f"'{w}'" for w in ws)  # noqa: E731
            low = f"lower({text})"
            value = (
                f"CASE WHEN {low} IN ({words(TRUE_WORDS)}) THEN true "
                f"WHEN {low} IN ({words(FALSE_WORDS)}) THEN false END"
            )
        return value, [check(f"{value} IS NULL", lambda raw: f"应填「是」或「否」，实际为「{show(raw)}」")]
    if name == "established_on":
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            return f"CAST({c} AS DATE)", []
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            value = f"COALESCE(TRY_CAST({text} AS DATE), CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE))"
            return value, [check(f"NOT {_blank(text)} AND {value} IS NULL", _not_a_date)]
        return "CAST(NULL AS DATE)", []
    if name == "tags":
        return _tags(c, kind), []
    if name in catalogue.indicators:
        return _figure(name, kind, factor, catalogue, check)
    return c, []


def _not_a_date(raw: object) -> str:
    return f"应为日期（如2010-01-01），实际为「{show(raw)}」"


def _tags(c: str, kind: pa.DataType) -> str:
    """Tags as "|a|b|" whether a list, JSON text, or text split by | , ， 、 (empty: "")."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        items = f"list_transform({c}, lambda x: trim(CAST(x AS VARCHAR)))"
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        t = f"trim({c})"
        items = (
            f"list_transform(CASE WHEN starts_with({t}, '[') THEN from_json({t}, '[\"VARCHAR\"]') "
            f"ELSE string_split_regex({t}, '[|,，、]') END, lambda x: trim(x))"
        )
    else:
        return "''"
    kept = f"list_filter({items}, lambda x: x IS NOT NULL AND x <> '')"
    joined = f"CASE WHEN len({kept}) > 0 THEN '|' || array_to_string({kept}, '|') || '|' ELSE '' END"
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):  # already "|a|b|" or empty: as it is
        canonical = f"regexp_full_match({c}, '(\\|[^|,，、\\s\\[\\]]+)+\\|')"
        return f"CASE WHEN {c} IS NULL OR {c} = '' THEN '' WHEN {canonical} THEN {c} ELSE {joined} END"
    return joined


def _figure(
    name: str, kind: pa.DataType, factor: float, catalogue: Catalogue, check: Callable[..., Check]
) -> tuple[str, list[Check]]:
    c = _q(name)
    scale = "" if factor == 1.0 else f" * {factor!r}"
    checks: list[Check] = []
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        value = f"CAST({c} AS DOUBLE){scale}"
    elif pa.types.is_null(kind):
        value = "CAST(NULL AS DOUBLE)"
    else:
        text = f"trim(CAST({c} AS VARCHAR))"
        value = f"TRY_CAST(replace({text}, ',', '') AS DOUBLE){scale}"
        blank = _blank(text)
        checks.append(
            check(f"NOT {blank} AND {value} IS NULL", lambda raw: f"应为数值，实际为「{show(raw)}」")
        )
        value = f"CASE WHEN {blank} THEN NULL ELSE {value} END"
    if catalogue.indicators[name].non_negative:
        checks.append(check(f"{value} < 0", lambda raw: f"不能为负数（{show(raw)}）"))
    return value, checks


def _report(con: duckdb.DuckDBPyConnection, src: str, checks: list[Check], code: str, year: str) -> set[str]:
    """Count every check (and repeated code-and-year pairs) in one scan; fetch the first failing rows of
    the checks that failed; raise if any. Returns the columns whose probes found something."""
    filters = [f"count(*) FILTER (WHERE {c.bad})" for c in checks]
    keyed = f"{code} IS NOT NULL AND {code} <> ''"
    # hashes first (cheap); a collision only costs the exact query below, which then finds nothing
    filters.append(
        f"count(*) FILTER (WHERE {keyed}) - count(DISTINCT hash({code}, {year})) FILTER (WHERE {keyed})"
    )
    (row,) = con.execute(f"SELECT {', '.join(filters)} FROM {src}").fetchall()
    *counts, repeated = [int(n or 0) for n in row]
    problems = Problems()
    total = 0
    probed = {c.column for c, n in zip(checks, counts, strict=True) if c.probe and n}
    for item, count in zip(checks, counts, strict=True):
        if not count or item.probe:
            continue
        total += count
        shown = con.execute(
            f"SELECT {ROW}, {item.raw} FROM {src} WHERE {item.bad} ORDER BY {ROW} LIMIT {SHOWN_PER_CHECK}"
        ).fetchall()
        for number, raw in shown:
            problems.error(item.message(raw), row=int(number), column=item.column)
    if repeated:
        later = (
            f"SELECT {ROW}, first_row FROM (SELECT {ROW}, min({ROW}) OVER (PARTITION BY {code}, {year}) "
            f"AS first_row FROM {src} WHERE {keyed}) WHERE {ROW} > first_row "
            f"ORDER BY {ROW} LIMIT {SHOWN_PER_CHECK}"
        )
        found = con.execute(later).fetchall()
        total += len(found) if len(found) < SHOWN_PER_CHECK else repeated
        for number, first in found:
            problems.error(f"与第{first}行重复（同一企业、年度）", row=int(number), column="credit_code")
    if total:
        problems.items.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InvalidInput(f"输入数据有 {total} 处错误", problems.items)
    return probed
