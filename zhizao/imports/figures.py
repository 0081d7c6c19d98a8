"""A figures file checked as columns and compared with what is stored: the plan of a figure import.

The file is read in chunks of rows; each column of a chunk is parsed at once (`cell_columns`), so a
200,000-row file costs a few array operations per column, not 200,000 calls of a row parser. The checks
that need the whole file or the database then run as set operations over the arrays: enterprises looked
up by their distinct codes, repeated enterprise-year-month keys by one sort, stored values matched by a
sorted key search (NumPy), unit slips against last year's stored value likewise.

Every problem keeps the row and column it was found in, and the message `cells` gives. Problems are kept
in the order a reader going down the file row by row would meet them (`Notes`): by row, then by the order
of the checks within a row (code, enterprise, name, year, month, each figure column, repeats, plausibility,
unit slips), so the first `MAX_PROBLEMS` kept are the first of the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.enterprises.names import clean_name, same_name
from zhizao.imports import cell_columns, cells
from zhizao.imports.headers import Column, HeaderMap
from zhizao.imports.outcome import Change
from zhizao.imports.readers import Cell, Table
from zhizao.imports.validate import (
    EXAMPLE_MARK,
    LAND_MU_LIMIT,
    MAX_PROBLEMS,
    Findings,
    Options,
    may_write,
)

CHUNK_ROWS = 50_000  # rows held as Python values at a time (memory stays flat)
LOOKUP_BATCH = 2000  # codes or enterprise ids per IN (...) query
UNIT_HINT_RATIO = 1000  # a value this many times last year's (or less) suggests 元 was entered as 万元
MAX_CHANGES_SHOWN = 2000
NONE = -1

# the order of the checks within one row (see the module docstring)
CODE, ENTERPRISE, NAME, YEAR, MONTH, VALUES, REPEAT, PLAUSIBLE, UNIT_SLIP = range(9)


@dataclass
class Notes:
    """Problems with the place a row-by-row reader would find them; at most MAX_PROBLEMS kept per check."""

    items: list[tuple[int, int, int, str, str, Column | None]] = field(default_factory=list)
    kept: dict[tuple[int, int], int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0

    def add(
        self, severity: str, message: str, row: int, column: Column | None, stage: int, sub: int = 0
    ) -> None:
        if severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        kept = self.kept.get((stage, sub), 0)
        if kept < MAX_PROBLEMS:
            self.kept[(stage, sub)] = kept + 1
            self.items.append((row, stage, sub, severity, message, column))

    def into(self, findings: Findings) -> None:
        findings.errors += self.errors
        findings.warnings += self.warnings
        room = max(0, MAX_PROBLEMS - len(findings.problems.items))
        for row, _stage, _sub, severity, message, column in sorted(self.items, key=lambda n: n[:3])[:room]:
            findings.add(severity, message, row, column)


@dataclass
class Rows:
    """The file's data rows as columns (one entry per row)."""

    row: np.ndarray  # spreadsheet row numbers
    code: pa.Array  # normalised credit code, null where the cell has an error
    name: list[str]  # the name cell as text ("" when empty or no name column)
    year: np.ndarray  # NONE when empty or wrong
    month: np.ndarray  # 0 when empty or wrong
    bad: np.ndarray  # the row has an error
    values: dict[str, np.ndarray]  # indicator id -> value in the catalogue's unit (NaN: no value)
    enterprise: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # id or NONE


@dataclass
class FigurePlan:
    """What the file does to the figures table. Creates and updates are in file order (row, column)."""

    rows: int = 0  # rows accepted (no error)
    creates: dict[str, np.ndarray] = field(default_factory=dict)  # enterprise_id indicator year month value
    updates: dict[str, np.ndarray] = field(default_factory=dict)  # ... + figure_id old
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)  # the first updates, shown to the user
    fingerprint: str = ""


Progress = Callable[[int], None]


def plan_figures(
    session: Session,
    actor: Actor,
    table: Table,
    header: HeaderMap,
    options: Options,
    findings: Findings,
    *,
    lock: bool = False,
    progress: Progress | None = None,
) -> FigurePlan:
    """Read and check the whole file, and compare it with the stored figures (`lock`: FOR UPDATE)."""
    rows, notes = _read_once(table, header, options, progress)
    registered = _enterprises(session, actor, rows, header, notes)
    _repeats(rows, header, notes)
    accepted = ~rows.bad & (rows.enterprise != NONE) & (rows.year != NONE)
    _plausible(rows, accepted, header, notes)
    plan = _compare(session, rows, accepted, header, registered, notes, lock)
    notes.into(findings)
    return plan


# --- reading ---------------------------------------------------------------------------------------------


def _blank(row: list[Cell]) -> bool:
    return all(cell is None or (type(cell) is str and cells.is_empty(cell)) for cell in row)


def _chunks(table: Table, header: HeaderMap) -> Iterator[tuple[list[int], list[list[Cell]]]]:
    """Data rows (after the header, not blank, not a 示例 row), CHUNK_ROWS at a time."""
    key = header.get("credit_code")
    at = key.index if key else 0
    numbers: list[int] = []
    rows: list[list[Cell]] = []
    for number, row in table.rows():
        if number <= header.row or _blank(row):
            continue
        first = row[at] if at < len(row) else None
        if isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK):
            continue
        numbers.append(number)
        rows.append(row)
        if len(rows) == CHUNK_ROWS:
            yield numbers, rows
            numbers, rows = [], []
    if rows:
        yield numbers, rows


def _cells(rows: list[list[Cell]], column: Column | None) -> list[Cell]:
    if column is None:
        return [None] * len(rows)
    at = column.index
    return [row[at] if at < len(row) else None for row in rows]


_last_read: dict[tuple[object, ...], tuple[Rows, Notes]] = {}


def _read_once(
    table: Table, header: HeaderMap, options: Options, progress: Progress | None
) -> tuple[Rows, Notes]:
    """The file's rows and the problems found reading them; the last file read is kept, so that the import
    following its preview (the CLI, the web's confirmation in the same worker) does not read it again.

    Keyed by the file's path, size and modification time, the header and the options; handed out as
    copies (the checks that follow mark rows)."""
    stat = table.path.stat()
    key = (
        str(table.path),
        stat.st_size,
        stat.st_mtime_ns,
        table.sheet_name,
        header,
        options.year,
        options.accept_historical_codes,
    )
    if key not in _last_read:
        notes = Notes()
        rows = _read(table, header, options, notes, progress)
        _last_read.clear()
        _last_read[key] = (rows, notes)
    elif progress:
        progress(len(_last_read[key][0].row))
    rows, notes = _last_read[key]
    copied = replace(rows, bad=rows.bad.copy(), enterprise=rows.enterprise.copy())
    return copied, replace(notes, items=list(notes.items), kept=dict(notes.kept))


def _read(table: Table, header: HeaderMap, options: Options, notes: Notes, progress: Progress | None) -> Rows:
    parts: list[Rows] = []
    for numbers, rows in _chunks(table, header):
        parts.append(_chunk(np.array(numbers, dtype=np.int64), rows, header, options, notes))
        if progress:
            progress(len(rows))
    figures = [c.field for c in header.figure_columns]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        nothing = {f: np.zeros(0, dtype=np.float64) for f in figures}
        parts.append(Rows(empty, pa.array([], pa.string()), [], empty, empty, empty.astype(bool), nothing))
    return Rows(
        np.concatenate([p.row for p in parts]),
        pa.concat_arrays([p.code for p in parts]),
        [name for p in parts for name in p.name],
        np.concatenate([p.year for p in parts]),
        np.concatenate([p.month for p in parts]),
        np.concatenate([p.bad for p in parts]),
        {f: np.concatenate([p.values[f] for p in parts]) for f in figures},
    )


def _chunk(
    number: np.ndarray, rows: list[list[Cell]], header: HeaderMap, options: Options, notes: Notes
) -> Rows:
    bad = np.zeros(len(rows), dtype=bool)

    def report(found: cell_columns.Found, column: Column | None, stage: int, sub: int = 0) -> None:
        for at, message in found:
            bad[at] = True
            notes.add("error", message, int(number[at]), column, stage, sub)

    column = header.get("credit_code")
    code, errors, warnings = cell_columns.codes(
        _cells(rows, column), accept_historical=options.accept_historical_codes
    )
    report(errors, column, CODE)
    for at, message in warnings:
        notes.add("warning", message, int(number[at]), column, CODE)
    name_column = header.get("name")
    names = cell_columns.texts(_cells(rows, name_column)) if name_column else [""] * len(rows)
    year, month = _period(rows, number, header, options, report, bad, notes)
    values: dict[str, np.ndarray] = {}
    for sub, column in enumerate(header.figure_columns):
        values[column.field] = _figures(_cells(rows, column), column, number, report, sub)
    return Rows(number, code, names, year, month, bad, values)


def _period(
    rows: list[list[Cell]],
    number: np.ndarray,
    header: HeaderMap,
    options: Options,
    report: Callable[..., None],
    bad: np.ndarray,
    notes: Notes,
) -> tuple[np.ndarray, np.ndarray]:
    year_column = header.get("year")
    if year_column is None:
        year = np.full(len(rows), options.year if options.year is not None else NONE, dtype=np.int64)
        if options.year is None:
            for at in range(len(rows)):
                bad[at] = True
                notes.add(
                    "error", "文件没有「年度」列，请在命令中用 --year 指定年度", int(number[at]), None, YEAR
                )
    else:
        year, found = cell_columns.whole_numbers(_cells(rows, year_column), cells.year, NONE)
        failed = np.zeros(len(rows), dtype=bool)
        failed[[at for at, _m in found]] = True
        if options.year is not None:
            year[(year == NONE) & ~failed] = options.year
        # a wrong year is also an empty one when no default is given (the row reader said both)
        empty = (
            [(int(at), "年度不能为空") for at in np.flatnonzero(year == NONE)] if options.year is None else []
        )
        report(sorted(found + empty, key=lambda f: f[0]), year_column, YEAR)
    month_column = header.get("month")
    if month_column is None:
        return year, np.zeros(len(rows), dtype=np.int64)
    month, found = cell_columns.whole_numbers(_cells(rows, month_column), cells.month, 0)
    report(found, month_column, MONTH)
    return year, month


def _figures(
    column_cells: list[Cell], column: Column, number: np.ndarray, report: Callable[..., None], sub: int
) -> np.ndarray:
    raw, found = cell_columns.numbers(column_cells)
    info = column.indicator
    assert info is not None
    value = raw * column.factor if column.factor != 1.0 else raw
    problems = list(found)
    if info.non_negative:
        negative = np.flatnonzero(value < 0)
        problems += [(int(at), f"不能为负数（{cells.show(float(raw[at]))}）") for at in negative]
        value[negative] = np.nan
    if info.value_type == "integer":
        fraction = np.flatnonzero(np.isfinite(value) & (value != np.floor(value)))
        problems += [(int(at), f"应为整数，实际为 {cells.show(float(raw[at]))}") for at in fraction]
        value[fraction] = np.nan
    report(sorted(problems, key=lambda f: f[0]), column, VALUES, sub)
    return value


# --- the checks over the whole file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Registered:
    id: int
    name: str
    region_code: str


def _enterprises(
    session: Session, actor: Actor, rows: Rows, header: HeaderMap, notes: Notes
) -> dict[int, tuple[str, str]]:
    """Look the distinct codes up in the registry; returns enterprise id -> (code, registered name)."""
    distinct = pc.unique(rows.code.drop_null()).to_pylist()
    found: dict[str, Registered] = {}
    e = Enterprise
    for start in range(0, len(distinct), LOOKUP_BATCH):
        batch = distinct[start : start + LOOKUP_BATCH]
        query = select(e.credit_code, e.id, e.name, e.region_code).where(e.credit_code.in_(batch))
        found.update({code: Registered(i, n, r) for code, i, n, r in session.execute(query)})
    writable = {r.region_code: may_write(actor, r.region_code) for r in found.values()}
    codes = list(found)
    found_at = pc.index_in(rows.code, value_set=pa.array(codes, pa.string()))
    index = pc.fill_null(found_at, NONE).to_numpy().astype(np.int64)
    ids = np.array([found[c].id for c in codes] + [NONE], dtype=np.int64)
    allowed = np.array([writable[found[c].region_code] for c in codes] + [False], dtype=bool)
    rows.enterprise = np.where(index >= 0, ids[index], NONE)
    column = header.get("credit_code")
    valid_code = cell_columns.mask(rows.code.is_valid())
    for at in np.flatnonzero(valid_code & (index < 0)):
        rows.bad[at] = True
        message = f"企业 {rows.code[int(at)].as_py()} 未登记，请先导入企业名录"
        notes.add("error", message, int(rows.row[at]), column, ENTERPRISE)
    refused = (index >= 0) & ~allowed[index]
    for at in np.flatnonzero(refused):
        rows.bad[at] = True
        message = f"企业 {rows.code[int(at)].as_py()} 不在本账号所属地区内，无权导入其数据"
        notes.add("error", message, int(rows.row[at]), column, ENTERPRISE)
    rows.enterprise[refused] = NONE
    _names(rows, found, codes, index, header, notes)
    return {r.id: (code, r.name) for code, r in found.items()}


def _names(
    rows: Rows,
    found: dict[str, Registered],
    codes: list[str],
    index: np.ndarray,
    header: HeaderMap,
    notes: Notes,
) -> None:
    """Warn where the file's name differs from the registered one (in more than brackets and spaces)."""
    column = header.get("name")
    if column is None:
        return
    registered = pa.array([found[c].name for c in codes] + [""], pa.string())
    expected = registered.take(pa.array(np.where(rows.enterprise != NONE, index, len(codes))))
    given = pa.array(rows.name, pa.string())
    differs = pc.and_(pc.not_equal(given, expected), pc.not_equal(given, ""))
    compared: dict[tuple[str, str], bool] = {}
    for at in np.flatnonzero(cell_columns.mask(differs) & (rows.enterprise != NONE)):
        pair = (rows.name[at], expected[int(at)].as_py())
        if pair not in compared:
            name = clean_name(pair[0])
            compared[pair] = not name or same_name(name, pair[1])
        if not compared[pair]:
            notes.add("warning", f"企业名称与登记的「{pair[1]}」不一致", int(rows.row[at]), column, NAME)


def _repeats(rows: Rows, header: HeaderMap, notes: Notes) -> None:
    """A second row for the same enterprise, year and month is an error that names the first."""
    keyed = np.flatnonzero((rows.enterprise != NONE) & (rows.year != NONE))
    if len(keyed) < 2:
        return
    enterprise, year, month = rows.enterprise[keyed], rows.year[keyed], rows.month[keyed]
    order = np.lexsort((rows.row[keyed], month, year, enterprise))
    key = np.stack([enterprise[order], year[order], month[order]])
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
    first = rows.row[keyed][order][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    column = header.get("credit_code")
    later = np.flatnonzero(~starts)
    for position in sorted(later, key=lambda p: int(rows.row[keyed][order][p])):
        at = keyed[order][position]
        rows.bad[at] = True
        message = f"与第{int(first[position])}行重复（同一企业、年度、月份）"
        notes.add("error", message, int(rows.row[at]), column, REPEAT)


def _plausible(rows: Rows, accepted: np.ndarray, header: HeaderMap, notes: Notes) -> None:
    columns = {c.field: c for c in header.figure_columns}
    if "land_mu" in rows.values:
        for at in np.flatnonzero(accepted & (rows.values["land_mu"] > LAND_MU_LIMIT)):
            message = f"用地面积超过{LAND_MU_LIMIT:,}亩，请核实单位"
            notes.add("warning", message, int(rows.row[at]), columns["land_mu"], PLAUSIBLE)
    for sub, (small, big, message) in enumerate(
        (
            ("tax", "revenue", "税收大于营业收入，请核实"),
            ("value_added", "output_value", "工业增加值大于工业总产值，请核实"),
        ),
        start=1,
    ):
        if small in rows.values and big in rows.values:
            s, b = rows.values[small], rows.values[big]
            for at in np.flatnonzero(accepted & (s > b) & (b > 0)):
                notes.add("warning", message, int(rows.row[at]), columns[small], PLAUSIBLE, sub)


# --- compared with the stored figures -------------------------------------------------------------------


def _key(enterprise: np.ndarray, indicator: np.ndarray, year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """One int64 per figure (enterprise, indicator position, year, month), for sorted searches."""
    return ((enterprise * 256 + indicator) * 4096 + year) * 16 + month


def _stored(
    session: Session, enterprises: np.ndarray, years: list[int], indicators: list[str], lock: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stored figures of these enterprises in these years: (sorted keys, ids, values)."""
    position = {ind: i for i, ind in enumerate(indicators)}
    f = EnterpriseFigure
    ids: list[int] = []
    parts: list[tuple[int, int, int, int]] = []
    values: list[float] = []
    ordered = sorted(int(e) for e in np.unique(enterprises))
    from zhizao.imports import plan as planning  # the batch size (CHUNK) tests make small

    for start in range(0, len(ordered), planning.CHUNK):
        batch = ordered[start : start + planning.CHUNK]
        # `year + 0`: without statistics SQLite would pick the (year, indicator) index and scan a whole
        # year for every batch (quadratic on large files); so it looks each enterprise up in the unique index.
        query = select(f.id, f.enterprise_id, f.indicator_id, f.year, f.month, f.value).where(
            f.enterprise_id.in_(batch), (f.year + 0).in_(years), f.indicator_id.in_(indicators)
        )
        if lock:
            # Applying: the rows read are the rows replaced; locked (PostgreSQL) until the import commits so
            # that no correction slips in between and the history's old values are the ones replaced.
            query = query.with_for_update()
        for fid, e, i, y, m, v in session.execute(query):
            ids.append(fid)
            parts.append((e, position[i], y, m))
            values.append(v)
    grid = np.array(parts, dtype=np.int64).reshape(-1, 4)
    keys = _key(grid[:, 0], grid[:, 1], grid[:, 2], grid[:, 3])
    order = np.argsort(keys, kind="stable")
    return keys[order], np.array(ids, dtype=np.int64)[order], np.array(values, dtype=np.float64)[order]


def _find(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each wanted key in the sorted `keys`, or NONE."""
    if len(keys) == 0:
        return np.full(len(wanted), NONE, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, at, NONE)


def _compare(
    session: Session,
    rows: Rows,
    accepted: np.ndarray,
    header: HeaderMap,
    registered: dict[int, tuple[str, str]],
    notes: Notes,
    lock: bool,
) -> FigurePlan:
    columns = header.figure_columns
    indicators = [c.field for c in columns]
    # the values of the accepted rows, long: one entry per (row, column) in file order
    row_at = np.flatnonzero(accepted)
    blocks = [row_at[np.isfinite(rows.values[ind][row_at])] for ind in indicators]
    at = np.concatenate([*blocks, np.zeros(0, dtype=np.int64)])
    col = np.concatenate([np.full(len(b), i, dtype=np.int64) for i, b in enumerate(blocks)] + [at[:0]])
    value = np.concatenate([rows.values[ind][b] for ind, b in zip(indicators, blocks, strict=True)] + [[]])
    order = np.lexsort((col, at))
    at, col, value = at[order], col[order], value[order]
    enterprise, year, month = rows.enterprise[at], rows.year[at], rows.month[at]
    years = sorted({int(y) for y in np.unique(year)} | {int(y) - 1 for y in np.unique(year)})
    keys, ids, stored = _stored(session, enterprise, years, indicators, lock)
    same = _find(keys, _key(enterprise, col, year, month))
    _unit_slips(
        notes, rows, at, col, value, _find(keys, _key(enterprise, col, year - 1, month)), stored, columns
    )
    old = np.append(stored, np.nan)[same]  # NONE (-1) picks the NaN
    unchanged = (same >= 0) & (
        np.abs(old - value) <= 1e-9 * np.maximum(1.0, np.maximum(np.abs(old), np.abs(value)))
    )
    create, update = same < 0, (same >= 0) & ~unchanged
    plan = FigurePlan(rows=int(accepted.sum()), unchanged=int(unchanged.sum()))
    names = np.array([*indicators, ""], dtype=object)
    for target, mask in ((plan.creates, create), (plan.updates, update)):
        target.update(
            enterprise_id=enterprise[mask],
            indicator_id=names[col[mask]],
            year=year[mask],
            month=month[mask],
            value=value[mask],
            row=rows.row[at[mask]],
            column=col[mask],
        )
    plan.updates.update(figure_id=ids[same[update]], old=old[update])
    plan.changes = _shown(plan.updates, columns, registered)
    plan.fingerprint = _fingerprint(plan)
    return plan


def _unit_slips(
    notes: Notes,
    rows: Rows,
    at: np.ndarray,
    col: np.ndarray,
    value: np.ndarray,
    previous: np.ndarray,
    stored: np.ndarray,
    columns: list[Column],
) -> None:
    last = np.append(stored, np.nan)[previous]  # NONE (-1) picks the NaN
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(value / last)
    slip = (
        (previous >= 0)
        & (last != 0)
        & (value != 0)
        & ((ratio >= UNIT_HINT_RATIO) | (ratio <= 1 / UNIT_HINT_RATIO))
    )
    for i in np.flatnonzero(slip):
        r, before = float(ratio[i]), float(last[i])
        times = f"{r:,.0f}倍" if r >= 1 else f"1/{1 / r:,.0f}"
        message = f"是上年（{before:g}）的{times}，单位是否填错（元/万元）？"
        notes.add("warning", message, int(rows.row[at[i]]), columns[int(col[i])], UNIT_SLIP)


def _shown(
    updates: dict[str, np.ndarray], columns: list[Column], registered: dict[int, tuple[str, str]]
) -> list[Change]:
    shown: list[Change] = []
    for i in range(min(MAX_CHANGES_SHOWN, len(updates["row"]))):
        column = columns[int(updates["column"][i])]
        label = column.indicator.label if column.indicator else column.field
        code, name = registered[int(updates["enterprise_id"][i])]
        shown.append(
            Change(
                int(updates["row"][i]),
                code,
                name,
                column.field,
                label,
                int(updates["year"][i]),
                int(updates["month"][i]),
                float(updates["old"][i]),
                float(updates["value"][i]),
            )
        )
    return shown


def _fingerprint(plan: FigurePlan) -> str:
    """The same for the same creates and updates: what a confirmation of a preview must still find."""
    digest = hashlib.sha256()
    for part, names in (
        (plan.creates, ("enterprise_id", "year", "month", "value")),
        (plan.updates, ("enterprise_id", "year", "month", "old", "value")),
    ):
        digest.update(b"|".join(str(i).encode() for i in part["indicator_id"]))
        for name in names:
            digest.update(np.ascontiguousarray(part[name]).tobytes())
    return digest.hexdigest()
